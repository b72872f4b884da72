/// The NGA class of a premises: how many distinct operators give it at least the NGA
/// threshold (EU state-aid terms; BDUK uses the same words with a gigabit threshold).
public enum NGAClass: String, Sendable, CaseIterable {
    /// No operator at or above the threshold.
    case white
    /// Exactly one.
    case grey
    /// Two or more.
    case black

    public init(operators: Int) {
        self = operators == 0 ? .white : operators == 1 ? .grey : .black
    }
}

/// What every premises gets, column by column (index i is premises i).
public struct Classification: Sendable {
    /// Index of the covering authority among all authorities read, or `unassigned`.
    public var authority: [Int32]
    /// Best download speed over all networks, Mbit/s (0 when on no network).
    public var bestMbps: [Double]
    /// Index (in the scenario's `TierSet`) of the highest tier met, or -1.
    public var tier: [Int8]
    /// Distinct operators giving at least the NGA threshold.
    public var ngaOperators: [UInt8]
    /// Index of the network giving the best speed, or -1 (ties: the first network).
    public var bestNetwork: [Int16]
    /// Premises outside every authority polygon that `authorities.snap_m` assigned to the
    /// nearest authority (ascending indices); their `authority` is that one.
    public var snapped: [Int] = []

    public static let unassigned: Int32 = -1

    public init(authority: [Int32], bestMbps: [Double], tier: [Int8], ngaOperators: [UInt8], bestNetwork: [Int16],
                snapped: [Int] = []) {
        self.snapped = snapped
        self.authority = authority
        self.bestMbps = bestMbps
        self.tier = tier
        self.ngaOperators = ngaOperators
        self.bestNetwork = bestNetwork
    }

    public var count: Int { bestMbps.count }

    public func ngaClass(_ i: Int) -> NGAClass { NGAClass(operators: Int(ngaOperators[i])) }

    /// The state after a programme builds at `premises` with a technology giving `mbps`
    /// (per premises): each gets the faster of its old and new speed, and the programme
    /// counts as one more NGA operator where `mbps` reaches the NGA threshold.
    ///
    /// - Parameter network: index recorded as the best network where the new speed wins.
    public func upgraded(
        premises: [Int], mbps: [Double], network: Int16, model: SpeedModel
    ) -> Classification {
        var next = self
        for (k, i) in premises.enumerated() {
            let speed = mbps[k]
            if speed > next.bestMbps[i] {
                next.bestMbps[i] = speed
                next.bestNetwork[i] = network
                next.tier[i] = Int8(model.tiers.highestMet(speed))
            }
            if speed >= model.ngaThresholdMbps, next.ngaOperators[i] < UInt8.max {
                next.ngaOperators[i] += 1
            }
        }
        return next
    }
}
