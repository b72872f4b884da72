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
    /// Per programme year (in `rollout.years` order): how many areas its budget or its
    /// capacity turned away (built in a later year or not at all).
    public var budgetRefusals: [Int] = []
    public var capacityRefusals: [Int] = []
    /// Per programme year: the budget left at its end and carried into the next year (all
    /// budgets up to it minus all spending up to it); nil when no budget limits it.
    public var unspentGBP: [Double?] = []
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
            switch ledger.place(cost: cost, households: areas[a].households) {
            case .placed(let y):
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
            case .refused(let status):
                selection.status[a] = status
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
        selection.budgetRefusals = ledger.budgetRefusals
        selection.capacityRefusals = ledger.capacityRefusals
        selection.unspentGBP = ledger.unspentByYear
        if selection.budgetRefusals.isEmpty {
            selection.budgetRefusals = [Int](repeating: 0, count: rollout.years.count)
            selection.capacityRefusals = selection.budgetRefusals
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

    /// Areas each year turned away for its budget or its capacity.
    var budgetRefusals: [Int] = []
    var capacityRefusals: [Int] = []

    enum Placement: Equatable {
        /// Built in year index `y`.
        case placed(Int)
        /// Not built, and why (docs/MODEL.md, "Budgets and years").
        case refused(AreaStatus)
    }

    /// Places the area in the earliest year that can take it, recording it; else says which
    /// limit stopped it: `over_total_budget` when a year had the budget and the capacity but
    /// the total cap did not; `over_capacity` when some year had the budget but none of
    /// those had capacity; `over_budget` when no year had the budget.
    mutating func place(cost: Double, households: Double) -> Placement {
        let tolerance = 1e-6
        if budgetRefusals.isEmpty {
            budgetRefusals = [Int](repeating: 0, count: years.count)
            capacityRefusals = [Int](repeating: 0, count: years.count)
        }
        let totalAllows = totalBudget.map { totalSpent + cost <= $0 + tolerance } ?? true
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
        var budgetSomewhere = false, bothSomewhere = false
        for y in years.indices {
            let budgetAllows = suffixMin[y] + tolerance >= cost
            let capacityAllows = years[y].capacityPremises.map { built[y] + households <= $0 + tolerance } ?? true
            if budgetAllows && capacityAllows && totalAllows {
                spent[y] += cost
                built[y] += households
                totalSpent += cost
                return .placed(y)
            }
            if !budgetAllows { budgetRefusals[y] += 1 }
            if !capacityAllows { capacityRefusals[y] += 1 }
            budgetSomewhere = budgetSomewhere || budgetAllows
            bothSomewhere = bothSomewhere || (budgetAllows && capacityAllows)
        }
        if bothSomewhere { return .refused(.overTotalBudget) }
        return .refused(budgetSomewhere ? .overCapacity : .overBudget)
    }

    /// The budget available at the end of each year and not spent (carried into the next
    /// year), nil for a year without a budget limit up to it.
    var unspentByYear: [Double?] {
        var cumulativeSpent = 0.0
        return years.indices.map { z in
            cumulativeSpent += spent[z]
            return cumulativeBudget[z].isFinite ? cumulativeBudget[z] - cumulativeSpent : nil
        }
    }
}
