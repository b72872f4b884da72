/// The speed classes observed data puts a household in: its best fixed-line download speed,
/// with households that get decent broadband only from fixed wireless in a class of their own.
/// Ordered from slowest to fastest (the FWA class sits below 10 Mbit/s fixed and reaches 10
/// through FWA, so it falls between 5-10 and 10-30).
public enum ObservedSpeedClass: Int, CaseIterable, Sendable, Comparable {
    /// Fixed best download in [0, 2) Mbit/s, no decent FWA.
    case below2
    /// [2, 5), no decent FWA.
    case from2To5
    /// [5, 10), no decent FWA.
    case from5To10
    /// Fixed below 10 Mbit/s, but FWA gives at least 10 (Ofcom's "able to receive decent
    /// broadband from FWA").
    case fwaDecent
    /// [10, 30).
    case from10To30
    /// [30, 100): superfast.
    case from30To100
    /// [100, 300).
    case from100To300
    /// [300, 1000).
    case from300To1000
    /// 1000 Mbit/s or more: gigabit.
    case gigabit

    /// The fixed-line download range in Mbit/s; for `fwaDecent`, the fixed range (below 10).
    public var fixedRangeMbps: (lower: Double, upper: Double) {
        switch self {
        case .below2: (0, 2)
        case .from2To5: (2, 5)
        case .from5To10: (5, 10)
        case .fwaDecent: (0, 10)
        case .from10To30: (10, 30)
        case .from30To100: (30, 100)
        case .from100To300: (100, 300)
        case .from300To1000: (300, 1000)
        case .gigabit: (1000, .infinity)
        }
    }

    /// The least download speed a household of the class can get (fixed or FWA), in Mbit/s:
    /// its class meets a tier when this is at or above the tier's threshold. The FWA class
    /// counts as 10 (decent) and no more: Ofcom does not say how fast the FWA is.
    public var guaranteedMbps: Double {
        self == .fwaDecent ? 10 : fixedRangeMbps.lower
    }

    /// A short label for tables: `0-2`, `2-5`, `5-10`, `fwa-decent`, `10-30`, `30-100`,
    /// `100-300`, `300-1000`, `1000+`.
    public var label: String {
        switch self {
        case .below2: "0-2"
        case .from2To5: "2-5"
        case .from5To10: "5-10"
        case .fwaDecent: "fwa-decent"
        case .from10To30: "10-30"
        case .from30To100: "30-100"
        case .from100To300: "100-300"
        case .from300To1000: "300-1000"
        case .gigabit: "1000+"
        }
    }

    public static func < (a: ObservedSpeedClass, b: ObservedSpeedClass) -> Bool { a.rawValue < b.rawValue }
}

/// The published percentages of one area that define its speed classes (Ofcom's cumulative
/// threshold fields, each a percentage of the area's premises, 0-100).
public struct PostcodePercentages: Sendable, Equatable {
    /// `SFBB availability (% premises)`: at least 30 Mbit/s.
    public var sfbb: Double
    /// `UFBB (100Mbit/s) availability (% premises)`: at least 100.
    public var ufbb100: Double
    /// `UFBB availability (% premises)`: at least 300.
    public var ufbb300: Double
    /// `Gigabit availability (% premises)`: at least 1000.
    public var gigabit: Double
    /// `% of premises unable to receive 2Mbit/s`.
    public var unable2: Double
    /// `% of premises unable to receive 5Mbit/s`.
    public var unable5: Double
    /// `% of premises unable to receive 10Mbit/s`.
    public var unable10: Double
    /// `% of premises able to receive decent broadband from FWA`.
    public var fwaDecent: Double

    public init(sfbb: Double, ufbb100: Double, ufbb300: Double, gigabit: Double,
                unable2: Double, unable5: Double, unable10: Double, fwaDecent: Double) {
        self.sfbb = sfbb
        self.ufbb100 = ufbb100
        self.ufbb300 = ufbb300
        self.gigabit = gigabit
        self.unable2 = unable2
        self.unable5 = unable5
        self.unable10 = unable10
        self.fwaDecent = fwaDecent
    }
}

/// One value per speed class (shares in percent, or households), held inline: making one
/// costs no allocation, so splitting millions of postcodes allocates nothing.
public struct SpeedClassValues: Sendable, Equatable {
    private var v0 = 0.0, v1 = 0.0, v2 = 0.0, v3 = 0.0, v4 = 0.0, v5 = 0.0, v6 = 0.0, v7 = 0.0, v8 = 0.0

    /// Values indexed by `ObservedSpeedClass.rawValue` (nine).
    public init(_ values: [Double]) {
        precondition(values.count == ObservedSpeedClass.allCases.count, "one value per speed class")
        for (i, v) in values.enumerated() { self[i] = v }
    }

    public static var zero: SpeedClassValues { SpeedClassValues() }

    private init() {}

    /// The values, indexed by `ObservedSpeedClass.rawValue`.
    public var values: [Double] { [v0, v1, v2, v3, v4, v5, v6, v7, v8] }

    @inline(__always)
    subscript(_ i: Int) -> Double {
        get {
            switch i {
            case 0: v0
            case 1: v1
            case 2: v2
            case 3: v3
            case 4: v4
            case 5: v5
            case 6: v6
            case 7: v7
            default: v8
            }
        }
        set {
            switch i {
            case 0: v0 = newValue
            case 1: v1 = newValue
            case 2: v2 = newValue
            case 3: v3 = newValue
            case 4: v4 = newValue
            case 5: v5 = newValue
            case 6: v6 = newValue
            case 7: v7 = newValue
            default: v8 = newValue
            }
        }
    }

    @inline(__always)
    public subscript(_ c: ObservedSpeedClass) -> Double {
        get { self[c.rawValue] }
        set { self[c.rawValue] = newValue }
    }

    /// The sum over all classes.
    public var total: Double { v0 + v1 + v2 + v3 + v4 + v5 + v6 + v7 + v8 }

    /// The sum over the classes whose guaranteed speed is at least `mbps`.
    public func atLeast(mbps: Double) -> Double {
        var sum = 0.0
        for c in ObservedSpeedClass.allCases where c.guaranteedMbps >= mbps { sum += self[c] }
        return sum
    }

    /// Adds another set of values class by class.
    public static func += (a: inout SpeedClassValues, b: SpeedClassValues) {
        for i in 0..<9 { a[i] += b[i] }
    }
}

/// An area's class shares, with what had to be repaired to get them.
public struct SpeedClassShares: Sendable, Equatable {
    /// Percent of the area's premises in each class; they sum to 100.
    public var shares: SpeedClassValues
    /// Whether a cumulative share exceeded a slower one (rounding) and was evened out.
    public var monotoneRepaired: Bool
    /// Whether the FWA share exceeded the below-10 share and was cut to it.
    public var fwaCapped: Bool
}

/// Splits a postcode's households across the speed classes from its Ofcom percentages
/// (docs/OBSERVED.md, "The postcode split"). Pure functions of their arguments.
public enum PostcodeSplit {
    /// Remainders (in households) closer than this are ties; whole-household shares of
    /// one-decimal percentages differ by at least 0.001 when they differ at all.
    public static let tieTolerance = 1e-7

    /// The class shares:
    /// 1. cumulative shares, fastest first: >=1000 = Gigabit, >=300 = UFBB, >=100 = UFBB(100),
    ///    >=30 = SFBB, >=10 = 100 - unable-10, >=5 = 100 - unable-5, >=2 = 100 - unable-2, each
    ///    clamped to 0-100;
    /// 2. made monotone by raising each to at least the next faster one (a running maximum from
    ///    the fastest): rounding can leave SFBB 0.1 above 100 - unable-10; the published
    ///    headline fields (Gigabit, UFBB, SFBB) are kept and the derived ones moved;
    /// 3. class shares are the differences of consecutive cumulative shares;
    /// 4. the FWA share, cut to the below-10 share if larger, is taken out of the three
    ///    below-10 classes in proportion to their sizes (Ofcom does not say which of them the
    ///    FWA premises are in) and becomes the `fwaDecent` class.
    public static func shares(_ p: PostcodePercentages) -> SpeedClassShares {
        func clamp(_ v: Double) -> Double { min(100, max(0, v)) }
        // Fastest first, each raised to at least the one before (a running maximum).
        let c1000 = clamp(p.gigabit)
        let c300 = max(clamp(p.ufbb300), c1000)
        let c100 = max(clamp(p.ufbb100), c300)
        let c30 = max(clamp(p.sfbb), c100)
        let c10 = max(clamp(100 - p.unable10), c30)
        let c5 = max(clamp(100 - p.unable5), c10)
        let c2 = max(clamp(100 - p.unable2), c5)
        let repaired = c300 != clamp(p.ufbb300) || c100 != clamp(p.ufbb100) || c30 != clamp(p.sfbb)
            || c10 != clamp(100 - p.unable10) || c5 != clamp(100 - p.unable5) || c2 != clamp(100 - p.unable2)
        var s = SpeedClassValues.zero
        s[.gigabit] = c1000
        s[.from300To1000] = c300 - c1000
        s[.from100To300] = c100 - c300
        s[.from30To100] = c30 - c100
        s[.from10To30] = c10 - c30
        s[.from5To10] = c5 - c10
        s[.from2To5] = c2 - c5
        s[.below2] = 100 - c2
        let below10 = 100 - c10
        let fwa = min(clamp(p.fwaDecent), below10)
        let capped = clamp(p.fwaDecent) > below10 + 1e-9
        if fwa > 0 {
            let keep = (below10 - fwa) / below10
            s[.below2] *= keep
            s[.from2To5] *= keep
            s[.from5To10] *= keep
            s[.fwaDecent] = fwa
        }
        return SpeedClassShares(shares: s, monotoneRepaired: repaired, fwaCapped: capped)
    }

    /// The households of each class.
    ///
    /// When `households` is a whole number the counts are whole and sum to it, by the largest
    /// remainder method: each class gets the whole part of households × share / 100, and the
    /// households left over go one each to the classes with the largest fractional parts; ties
    /// (within `tieTolerance`) go to the slower class first, so that when the data cannot
    /// decide bbplan never claims the better service. Otherwise (an estimate such as 15.28)
    /// the counts are proportional: households × share / 100.
    ///
    /// - Parameter households: the postcode's households, finite and >= 0.
    public static func split(_ p: PostcodePercentages, households: Double) -> SpeedClassValues {
        split(shares: shares(p).shares, households: households)
    }

    /// `split(_:households:)` for shares already computed.
    public static func split(shares: SpeedClassValues, households h: Double) -> SpeedClassValues {
        precondition(h.isFinite && h >= 0, "households must be finite and >= 0")
        var counts = SpeedClassValues.zero
        guard h == h.rounded(), h < 9e15 else {
            for i in 0..<9 { counts[i] = h * shares[i] / 100 }
            return counts
        }
        var left = h
        // Remainders counted in units of `tieTolerance`, so ties are exact; -1: none.
        var remainders = SpeedClassValues.zero
        for i in 0..<9 {
            var q = h * shares[i] / 100
            if abs(q - q.rounded()) < tieTolerance { q = q.rounded() }
            let whole = q.rounded(.down)
            counts[i] = whole
            left -= whole
            remainders[i] = q > whole ? ((q - whole) / tieTolerance).rounded() : -1
        }
        // One household each to the largest remainders; ties to the slower class (the
        // first found, scanning from the slowest).
        while left > 0.5 {
            var best = -1
            for i in 0..<9 where remainders[i] >= 0 && (best < 0 || remainders[i] > remainders[best]) { best = i }
            guard best >= 0 else { break }
            counts[best] += 1
            remainders[best] = -1
            left -= 1
        }
        // Floating point cannot leave more over than classes with a remainder; should it, the
        // rest goes to the largest class rather than being lost.
        if left > 0.5, let largest = ObservedSpeedClass.allCases.max(by: { shares[$0] < shares[$1] }) {
            counts[largest] += left.rounded()
        }
        return counts
    }
}
