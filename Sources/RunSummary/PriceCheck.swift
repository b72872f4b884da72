import Foundation

/// Public cost per premises set against published UK programme figures (docs/MODEL.md,
/// "Price check", which cites each figure's source).
public struct PriceCheck: Codable, Sendable, Equatable {
    /// One published figure, GBP of public money per premises.
    public struct Benchmark: Codable, Sendable, Equatable {
        public var name: String
        public var gbpPerPremises: Double
        /// Where the figure comes from (docs/MODEL.md gives the addresses).
        public var source: String

        enum CodingKeys: String, CodingKey {
            case name, source
            case gbpPerPremises = "gbp_per_premises"
        }

        public init(name: String, gbpPerPremises: Double, source: String) {
            self.name = name
            self.gbpPerPremises = gbpPerPremises
            self.source = source
        }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(name, forKey: .name)
            try c.encode(gbpPerPremises, forKey: .gbpPerPremises)
            try c.encode(source, forKey: .source)
        }
    }

    /// Where a figure falls among the benchmarks.
    public enum Verdict: String, Codable, Sendable, CaseIterable {
        /// Below half the lowest published contract figure.
        case farBelow = "far_below"
        /// Below the published contract range, but not by half.
        case belowRange = "below_range"
        case withinRange = "within_range"
        /// Above the contract range, at most the USO reasonable-cost threshold.
        case aboveRange = "above_range"
        /// Above the USO threshold, at most the voucher cap.
        case aboveUSOThreshold = "above_uso_threshold"
        /// Above the gigabit voucher cap: vouchers would pay less per premises.
        case aboveVoucherCap = "above_voucher_cap"

        /// The visible note for a figure far outside the published ones, nil otherwise.
        public var note: String? {
            switch self {
            case .farBelow:
                "far below published Project Gigabit subsidies (£\(PriceCheck.contractLowGBP.grouped)–£\(PriceCheck.contractHighGBP.grouped) per premises): check the unit costs and the subsidy settings"
            case .aboveUSOThreshold:
                "above the £\(PriceCheck.usoThresholdGBP.grouped) USO reasonable-cost threshold per premises"
            case .aboveVoucherCap:
                "above the £\(PriceCheck.voucherCapGBP.grouped) gigabit voucher cap per premises: far outside published contracts; vouchers or another technology may cost less"
            default: nil
            }
        }
    }

    /// One figure checked: the programme's or a lot's.
    public struct Item: Codable, Sendable, Equatable {
        /// "programme" or a lot id.
        public var id: String
        public var publicCostPerPremisesGBP: Double
        public var verdict: Verdict
        public var note: String?

        enum CodingKeys: String, CodingKey {
            case id, verdict, note
            case publicCostPerPremisesGBP = "public_cost_per_premises_gbp"
        }

        public init(id: String, publicCostPerPremisesGBP: Double) {
            self.id = id
            self.publicCostPerPremisesGBP = publicCostPerPremisesGBP
            verdict = PriceCheck.verdict(publicCostPerPremisesGBP)
            note = verdict.note
        }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(publicCostPerPremisesGBP, forKey: .publicCostPerPremisesGBP)
            try c.encode(verdict, forKey: .verdict)
            try c.encode(note, forKey: .note)
        }
    }

    // Published figures (sources in docs/MODEL.md, "Price check").
    /// Teesdale (Durham), Project Gigabit Lot 4.01: £6.6m for more than 4,000 premises (DCMS, 29 September 2022).
    public static let teesdaleGBP = 6_600_000.0 / 4_000
    /// North Yorkshire, Lot 31: £73.47m for about 39,900 premises (ISPreview, 2024; later reports say 36,300).
    public static let northYorkshireGBP = 73_470_000.0 / 39_900
    /// Openreach's Type C call-offs to January 2025: about £577m for about 228,000 premises (ISPreview, January 2025).
    public static let openreachTypeCGBP = 577_000_000.0 / 228_000
    /// The published contract range's ends. The low end is Teesdale's; the high end, £2,980,
    /// comes from the bbplan issue and could not be traced to a published contract.
    public static let contractLowGBP = 1_650.0
    public static let contractHighGBP = 2_980.0
    /// The broadband USO's reasonable cost threshold per premises (DCMS 2018; Ofcom).
    public static let usoThresholdGBP = 3_400.0
    /// The UK gigabit voucher's maximum per premises (ISPreview, February 2023).
    public static let voucherCapGBP = 4_500.0

    public static let benchmarks: [Benchmark] = [
        Benchmark(name: "Project Gigabit Teesdale (Lot 4.01)", gbpPerPremises: teesdaleGBP,
                  source: "DCMS press release, 29 September 2022: £6.6m, more than 4,000 premises"),
        Benchmark(name: "Project Gigabit North Yorkshire (Lot 31)", gbpPerPremises: northYorkshireGBP,
                  source: "ISPreview / UKFCF, 2024: £73.47m, almost 40,000 premises"),
        Benchmark(name: "Openreach Type C call-offs 1-6", gbpPerPremises: openreachTypeCGBP,
                  source: "ISPreview, January 2025: about £577m, about 228,000 premises"),
        Benchmark(name: "Project Gigabit contracts, high end", gbpPerPremises: contractHighGBP,
                  source: "bbplan issue 10; not traced to a published contract"),
        Benchmark(name: "USO reasonable cost threshold", gbpPerPremises: usoThresholdGBP,
                  source: "DCMS, A new broadband Universal Service Obligation, 28 March 2018"),
        Benchmark(name: "Gigabit voucher cap", gbpPerPremises: voucherCapGBP,
                  source: "ISPreview, February 2023: vouchers up to £4,500 for rural homes and businesses"),
    ]

    public static func verdict(_ gbpPerPremises: Double) -> Verdict {
        switch gbpPerPremises {
        case ..<(contractLowGBP / 2): .farBelow
        case ..<contractLowGBP: .belowRange
        case ...contractHighGBP: .withinRange
        case ...usoThresholdGBP: .aboveRange
        case ...voucherCapGBP: .aboveUSOThreshold
        default: .aboveVoucherCap
        }
    }

    public var benchmarks: [Benchmark]
    /// Nil when the programme passed no households.
    public var programme: Item?
    public var lots: [Item]

    enum CodingKeys: String, CodingKey {
        case benchmarks, programme, lots
    }

    /// - Parameters:
    ///   - programme: public cost and households passed of the whole programme.
    ///   - lots: each lot's id, public cost and households.
    public init(programmePublicCostGBP: Double, householdsPassed: Double,
                lots: [(id: String, publicCostGBP: Double, households: Double)]) {
        benchmarks = Self.benchmarks
        programme = householdsPassed > 0 ? Item(id: "programme", publicCostPerPremisesGBP: programmePublicCostGBP / householdsPassed) : nil
        self.lots = lots.filter { $0.households > 0 }.map { Item(id: $0.id, publicCostPerPremisesGBP: $0.publicCostGBP / $0.households) }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(benchmarks, forKey: .benchmarks)
        try c.encode(programme, forKey: .programme)
        try c.encode(lots, forKey: .lots)
    }
}

extension Double {
    /// Whole pounds with thousands separators ("3,400").
    var grouped: String {
        let digits = String(Int(self.rounded()))
        var out = ""
        for (i, ch) in digits.reversed().enumerated() {
            if i > 0, i % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return String(out.reversed())
    }
}
