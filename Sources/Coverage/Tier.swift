/// A download-speed threshold with a name, e.g. superfast = 30 Mbit/s.
public struct Tier: Sendable, Hashable {
    public let name: String
    /// Threshold in Mbit/s: a premises is "at or above" the tier when its best speed ≥ this.
    public let mbps: Double

    public init(name: String, mbps: Double) {
        self.name = name
        self.mbps = mbps
    }
}

/// The tiers of a scenario, ordered from slowest to fastest.
public struct TierSet: Sendable, Hashable {
    /// Ascending by threshold (ties by name).
    public let tiers: [Tier]

    /// The defaults: decent 10 (the UK Universal Service Obligation), superfast 30 (Ofcom and
    /// the EU; BDUK's programmes used 24), ultrafast 300, gigabit 1000.
    public static let defaultTiers: [Tier] = [
        Tier(name: "decent", mbps: 10), Tier(name: "superfast", mbps: 30),
        Tier(name: "ultrafast", mbps: 300), Tier(name: "gigabit", mbps: 1000),
    ]

    public static let standard = TierSet(defaultTiers)

    public init(_ tiers: [Tier]) {
        self.tiers = tiers.sorted { ($0.mbps, $0.name) < ($1.mbps, $1.name) }
    }

    public var count: Int { tiers.count }
    public var names: [String] { tiers.map(\.name) }

    public func index(of name: String) -> Int? { tiers.firstIndex { $0.name == name } }

    public subscript(name: String) -> Tier? { tiers.first { $0.name == name } }

    /// The tier name written for a premises below every tier: `below_` and the slowest tier's
    /// name (`below_decent` with the default tiers), so no premises is left without one.
    public var belowName: String { "below_" + (tiers.first?.name ?? "every_tier") }

    /// The name of tier index `index` (from `highestMet`), or `belowName` for -1.
    public func name(ofIndex index: Int) -> String { index >= 0 && index < tiers.count ? tiers[index].name : belowName }

    /// Index of the highest tier met by `mbps`, or -1 when none is.
    @inline(__always)
    public func highestMet(_ mbps: Double) -> Int {
        var best = -1
        for (i, t) in tiers.enumerated() where mbps >= t.mbps { best = i }
        return best
    }
}
