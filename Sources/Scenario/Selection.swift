import Coverage
import Foundation

/// Which areas a strategy builds, and when (docs/MODEL.md, "Rollout" step 5).
public struct Selection: Sendable {
    /// Per area (same order as the priced areas).
    public var status: [AreaStatus]
    public var year: [Int?]
    /// Built areas in the order the strategy took them (for the cost curve).
    public var buildOrder: [Int]
    public var costGBP = 0.0
    public var publicCostGBP = 0.0
    public var householdsPassed = 0.0
}

/// What a strategy needs to know besides the priced areas.
public struct SelectionContext: Sendable {
    /// Planned authority slot of each area (index into the planned authorities).
    public var areaSlot: [Int]
    /// Households per planned authority slot.
    public var households: [Double]
    /// Households already at or above the target tier before the programme, per slot.
    public var householdsAtTarget: [Double]
    /// Codes of the planned authorities, per slot.
    public var codes: [String]
    /// Slot of each authority read (-1 when not planned), so a joint area's households count
    /// towards each of its authorities; empty: every area counts towards `areaSlot`.
    public var slotOfAuthority: [Int] = []
}

public enum Selector {
    public static func select(
        priced: [PricedArea], areas: [BuildArea], rollout: RolloutSettings, context: SelectionContext
    ) -> Selection {
        var selection = Selection(status: [AreaStatus](repeating: .noOption, count: priced.count),
                                  year: [Int?](repeating: nil, count: priced.count), buildOrder: [])
        // Candidates: an option meets the target, and public money is needed.
        var candidates: [Int] = []
        for p in priced {
            guard p.technology != nil else { continue }
            guard areas[p.area].households > 0 else {
                selection.status[p.area] = .noHouseholds
                continue
            }
            if rollout.subsidy != nil && p.publicCostGBP <= 0 {
                selection.status[p.area] = .commerciallyViable
                continue
            }
            candidates.append(p.area)
        }
        // Rank by public cost per household; ties: more households first, then area order
        // (cell x, cell y, authority code).
        candidates.sort { a, b in
            let ha = areas[a].households, hb = areas[b].households
            let ca = ha > 0 ? priced[a].publicCostGBP / ha : .infinity
            let cb = hb > 0 ? priced[b].publicCostGBP / hb : .infinity
            if ca != cb { return ca < cb }
            if ha != hb { return ha > hb }
            return a < b
        }
        var ledger = Ledger(years: rollout.years, totalBudget: rollout.budgetGBP)
        var atTarget = context.householdsAtTarget
        let regionHouseholds = context.households.reduce(0, +)
        var regionAtTarget = atTarget.reduce(0, +)

        func place(_ a: Int) {
            let cost = priced[a].publicCostGBP
            if let y = ledger.place(cost: cost, households: areas[a].households) {
                selection.status[a] = .built
                selection.year[a] = rollout.years[y].year
                selection.buildOrder.append(a)
                selection.costGBP += priced[a].costGBP
                selection.publicCostGBP += cost
                selection.householdsPassed += areas[a].households
                if context.slotOfAuthority.isEmpty {
                    atTarget[context.areaSlot[a]] += areas[a].households
                } else {
                    for m in areas[a].members { atTarget[context.slotOfAuthority[m.authority]] += m.households }
                }
                regionAtTarget += areas[a].households
            } else {
                selection.status[a] = .overBudget
            }
        }

        switch rollout.strategy {
        case .leastCostPerHousehold:
            for a in candidates { place(a) }
        case .coverageTarget:
            let share = rollout.targetShare ?? 1
            for a in candidates {
                let slot = context.areaSlot[a]
                let reached = rollout.perAuthority
                    ? atTarget[slot] >= share * context.households[slot] - 1e-9
                    : regionAtTarget >= share * regionHouseholds - 1e-9
                if reached {
                    selection.status[a] = .targetReached
                } else {
                    place(a)
                }
            }
        case .authorityPriority:
            let order = Dictionary(rollout.authorityOrder.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
            let ranked = candidates.enumerated().map { (rank: $0, area: $1) }
            let prioritised = ranked.compactMap { r -> (Int, Int, Int)? in
                guard let position = order[context.codes[context.areaSlot[r.area]]] else { return nil }
                return (position, r.rank, r.area)
            }.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
            let listed = Set(prioritised.map(\.2))
            for a in candidates where !listed.contains(a) { selection.status[a] = .notPrioritised }
            for (_, _, a) in prioritised { place(a) }
        }
        return selection
    }
}

/// Budgets and capacities per year, with unspent budget carried over.
///
/// Spending c in year y is allowed when, for every year z ≥ y, the budget available up to z
/// (all budgets up to z minus all spending up to z) stays ≥ 0 after it; so earlier savings
/// pay for later builds but later budgets never pay for earlier ones.
struct Ledger {
    let years: [YearPlan]
    let totalBudget: Double?
    /// Cumulative budget up to each year (infinite once any year is unlimited).
    let cumulativeBudget: [Double]
    var spent: [Double]
    var built: [Double]
    var totalSpent = 0.0

    init(years: [YearPlan], totalBudget: Double?) {
        self.years = years
        self.totalBudget = totalBudget
        var running = 0.0
        cumulativeBudget = years.map { y in
            running += y.budgetGBP ?? .infinity
            return running
        }
        spent = [Double](repeating: 0, count: years.count)
        built = [Double](repeating: 0, count: years.count)
    }

    /// The earliest year (index) that can take the area, recording it; nil when none can.
    mutating func place(cost: Double, households: Double) -> Int? {
        let tolerance = 1e-6
        if let total = totalBudget, totalSpent + cost > total + tolerance { return nil }
        // headroom[z] = cumulative budget to z − cumulative spend to z; the area fits in year
        // y when the smallest headroom from y onwards covers it.
        var cumulativeSpent = 0.0
        var headroom = [Double](repeating: 0, count: years.count)
        for z in years.indices {
            cumulativeSpent += spent[z]
            headroom[z] = cumulativeBudget[z] - cumulativeSpent
        }
        var suffixMin = [Double](repeating: .infinity, count: years.count + 1)
        for z in stride(from: years.count - 1, through: 0, by: -1) { suffixMin[z] = min(headroom[z], suffixMin[z + 1]) }
        for y in years.indices {
            if let capacity = years[y].capacityPremises, built[y] + households > capacity + tolerance { continue }
            if suffixMin[y] + tolerance >= cost {
                spent[y] += cost
                built[y] += households
                totalSpent += cost
                return y
            }
        }
        return nil
    }
}
