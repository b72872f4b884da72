/// The coverage state of an authority or the region (the STATE of summary.json).
public struct CoverageState: Sendable, Equatable {
    /// Households at or above each tier, by tier name.
    public var householdsByTier: [String: Double]
    /// White, grey and black households.
    public var ngaHouseholds: [NGAClass: Double]
    /// Gap area per polygon tier, km².
    public var gapAreaKm2: [String: Double]
    /// Covered area per polygon tier, km².
    public var coverageAreaKm2: [String: Double]

    public init(tiers: TierSet) {
        householdsByTier = Dictionary(uniqueKeysWithValues: tiers.names.map { ($0, 0) })
        ngaHouseholds = [.white: 0, .grey: 0, .black: 0]
        gapAreaKm2 = [:]
        coverageAreaKm2 = [:]
    }

    public static func + (a: CoverageState, b: CoverageState) -> CoverageState {
        var s = a
        s.householdsByTier.merge(b.householdsByTier, uniquingKeysWith: +)
        s.ngaHouseholds.merge(b.ngaHouseholds, uniquingKeysWith: +)
        s.gapAreaKm2.merge(b.gapAreaKm2, uniquingKeysWith: +)
        s.coverageAreaKm2.merge(b.coverageAreaKm2, uniquingKeysWith: +)
        return s
    }
}

/// Premises, households and coverage of one authority.
public struct AuthorityStatistics: Sendable {
    public let code: String
    public let name: String
    public var premises: Int
    public var households: Double
    public let areaKm2: Double
    public var state: CoverageState
    /// Of `premises` and `households`: those outside the polygon within `authorities.snap_m`.
    public var snappedPremises = 0
    public var snappedHouseholds = 0.0
}

/// Counts of premises that belong to no planned authority.
public struct Unplanned: Sendable, Equatable {
    /// Outside every authority polygon of the source.
    public var unassignedPremises = 0
    public var unassignedHouseholds = 0.0
    /// Inside an authority of the source that the scenario's `only` left out.
    public var excludedPremises = 0
    public var excludedHouseholds = 0.0
    public init() {}
}

public enum Statistics {
    /// Premises-based statistics for the selected authorities (polygon areas are added by
    /// the coverage mapper).
    ///
    /// - Parameters:
    ///   - selected: indices (into `authorities`) of the authorities being planned, in
    ///     report order.
    public static func summarise(
        classification c: Classification, households: [Double], authorities: [Authority],
        selected: [Int], tiers: TierSet, countsAsPremises: [Bool]? = nil
    ) -> (authorities: [AuthorityStatistics], unplanned: Unplanned) {
        var slot = [Int](repeating: -1, count: authorities.count)
        for (k, a) in selected.enumerated() { slot[a] = k }
        var stats = selected.map { a in
            AuthorityStatistics(code: authorities[a].code, name: authorities[a].name, premises: 0,
                                households: 0, areaKm2: authorities[a].areaKm2, state: CoverageState(tiers: tiers))
        }
        // Households at or above tier t: accumulate per highest tier met, then sum downwards.
        var byHighest = [[Double]](repeating: [Double](repeating: 0, count: tiers.count), count: selected.count)
        var nga = [[Double]](repeating: [0, 0, 0], count: selected.count)
        var unplanned = Unplanned()
        for i in 0..<c.count {
            let a = Int(c.authority[i])
            let h = households[i]
            // A point split into speed-class rows (observed data) counts once as a premises.
            let one = countsAsPremises.premises(row: i)
            guard a >= 0 else {
                unplanned.unassignedPremises += one
                unplanned.unassignedHouseholds += h
                continue
            }
            let k = slot[a]
            guard k >= 0 else {
                unplanned.excludedPremises += one
                unplanned.excludedHouseholds += h
                continue
            }
            stats[k].premises += one
            stats[k].households += h
            let t = Int(c.tier[i])
            if t >= 0 { byHighest[k][t] += h }
            nga[k][min(2, Int(c.ngaOperators[i]))] += h
        }
        for i in c.snapped {
            let k = slot[Int(c.authority[i])]
            guard k >= 0 else { continue }
            stats[k].snappedPremises += countsAsPremises.premises(row: i)
            stats[k].snappedHouseholds += households[i]
        }
        for k in stats.indices {
            var running = 0.0
            for t in stride(from: tiers.count - 1, through: 0, by: -1) {
                running += byHighest[k][t]
                stats[k].state.householdsByTier[tiers.tiers[t].name] = running
            }
            stats[k].state.ngaHouseholds = [.white: nga[k][0], .grey: nga[k][1], .black: nga[k][2]]
        }
        return (stats, unplanned)
    }
}

extension Optional where Wrapped == [Bool] {
    /// How many premises row `i` counts as, with these flags of the rows that count (a point
    /// split into speed-class rows by observed data counts once, on its first row): 1 or 0;
    /// 1 for every row without flags.
    @inlinable
    public func premises(row i: Int) -> Int {
        map { $0[i] ? 1 : 0 } ?? 1
    }
}
