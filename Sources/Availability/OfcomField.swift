/// A value column of Ofcom's fixed-coverage files, found by its published names (newest first;
/// docs/OBSERVED.md gives the source of each). Each field is a percentage of the area's premises
/// in every file and, in output-area and local-authority files, also a count of premises.
///
/// All speeds are fixed-line download speeds except where the name says FWA.
public enum OfcomField: Int, CaseIterable, Sendable {
    /// Superfast: at least 30 Mbit/s.
    case sfbb
    /// Ultrafast at 100: at least 100 Mbit/s.
    case ufbb100
    /// Ultrafast: at least 300 Mbit/s.
    case ufbb300
    /// Gigabit: at least 1000 Mbit/s.
    case gigabit
    /// Full fibre (FTTP); published at local-authority level only since 2023.
    case fullFibre
    /// Next-generation access (FTTC from an upgraded cabinet, cable or FTTP) at any speed.
    case nga
    /// Below decent broadband (10 Mbit/s down, 1 up: the USO) from fixed lines and FWA both.
    case unableDecent
    /// Decent broadband only from fixed wireless access (fixed lines give less).
    case fwaDecent
    /// Below 2 Mbit/s.
    case unable2
    /// Below 5 Mbit/s.
    case unable5
    /// Below 10 Mbit/s.
    case unable10
    /// Below 30 Mbit/s.
    case unable30
    /// Best download in [0, 2) Mbit/s.
    case band0to2
    /// In [2, 5).
    case band2to5
    /// In [5, 10).
    case band5to10
    /// In [10, 30).
    case band10to30
    /// In [30, 300).
    case band30to300
    /// 300 Mbit/s or more.
    case band300plus

    /// The six speed bands, slowest first: they partition the premises, so they sum to 100%.
    public static let bands: [OfcomField] = [.band0to2, .band2to5, .band5to10, .band10to30, .band30to300, .band300plus]

    /// The fields every file must have: the ones the postcode split needs
    /// (`PostcodePercentages`). The others are read when present.
    public static let required: [OfcomField] = [.sfbb, .ufbb100, .ufbb300, .gigabit, .unable2, .unable5, .unable10, .fwaDecent]

    public var isRequired: Bool { Self.required.contains(self) }

    /// The percentage column's published names, newest first.
    public var percentColumns: [String] {
        switch self {
        case .sfbb: ["SFBB availability (% premises)"]
        case .ufbb100: ["UFBB (100Mbit/s) availability (% premises)"]
        case .ufbb300: ["UFBB availability (% premises)"]
        case .gigabit: ["Gigabit availability (% premises)"]
        case .fullFibre: ["Full Fibre availability (% premises)", "FTTP availability (% premises)"]
        case .nga: ["% of premises with NGA", "% of premises able to receive NGA", "NGA availability (% premises)"]
        case .unableDecent:
            ["% of premises unable to receive decent broadband from fixed or FWA", "% of premises below the USO",
             "% of premises unable meet USO"]
        case .fwaDecent: ["% of premises able to receive decent broadband from FWA"]
        case .unable2: ["% of premises unable to receive 2Mbit/s"]
        case .unable5: ["% of premises unable to receive 5Mbit/s"]
        case .unable10: ["% of premises unable to receive 10Mbit/s"]
        case .unable30: ["% of premises unable to receive 30Mbit/s"]
        case .band0to2: ["% of premises with 0<2Mbit/s download speed"]
        case .band2to5: ["% of premises with 2<5Mbit/s download speed"]
        case .band5to10: ["% of premises with 5<10Mbit/s download speed"]
        case .band10to30: ["% of premises with 10<30Mbit/s download speed"]
        case .band30to300: ["% of premises with 30<300Mbit/s download speed"]
        case .band300plus: ["% of premises with >=300Mbit/s download speed"]
        }
    }

    /// The count column's published names (output-area and local-authority files), newest first.
    public var countColumns: [String] {
        switch self {
        case .sfbb: ["Number of premises with SFBB availability"]
        case .ufbb100: ["Number of premises with UFBB (100Mbit/s) availability"]
        case .ufbb300: ["Number of premises with UFBB availability"]
        case .gigabit: ["Number of premises with Gigabit availability"]
        case .fullFibre: ["Number of premises with Full Fibre availability"]
        case .nga: ["Number of premises with NGA"]
        case .unableDecent:
            ["Number of premises unable to receive decent broadband from fixed or FWA", "Number of premises below the USO"]
        case .fwaDecent: ["Number of premises able to receive decent broadband from FWA"]
        case .unable2: ["Number of premises unable to receive 2Mbit/s"]
        case .unable5: ["Number of premises unable to receive 5Mbit/s"]
        case .unable10: ["Number of premises unable to receive 10Mbit/s"]
        case .unable30: ["Number of premises unable to receive 30Mbit/s"]
        case .band0to2: ["Number of premises with 0<2Mbit/s download speed"]
        case .band2to5: ["Number of premises with 2<5Mbit/s download speed"]
        case .band5to10: ["Number of premises with 5<10Mbit/s download speed"]
        case .band10to30: ["Number of premises with 10<30Mbit/s download speed"]
        case .band30to300: ["Number of premises with 30<300Mbit/s download speed"]
        case .band300plus: ["Number of premises with >=300Mbit/s download speed"]
        }
    }
}

/// The tolerances of the checks on Ofcom rows, in percentage points (docs/OBSERVED.md).
public enum OfcomTolerance {
    /// The six speed bands must sum to 100 within this. Six values rounded to one decimal are
    /// off by at most 6 × 0.05 = 0.3 (the sample files reach 0.3); 0.5 leaves room for files
    /// rounded differently while still catching a band that is wrong by half a point.
    public static let bandSum = 0.5
    /// Two fields that must agree: SFBB + unable-30 = 100, and each cumulative threshold share
    /// at most the next slower one (gigabit <= UFBB 300 <= UFBB 100 <= SFBB <= 100 - unable-10
    /// <= 100 - unable-5 <= 100 - unable-2). Two values rounded to one decimal are off by at most
    /// 0.1 (the sample files reach 0.1); 0.2 allows for binary floating point and half-way cases.
    public static let pair = 0.2
}
