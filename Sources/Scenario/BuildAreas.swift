import Coverage
import Foundation

/// What happened to a candidate build area in a rollout.
public enum AreaStatus: String, Sendable, CaseIterable {
    /// Built by the programme in `year`.
    case built
    /// Needs no subsidy: reported as commercially viable, not built by the programme.
    case commerciallyViable = "commercially_viable"
    /// Neither option meets the target tier here.
    case noOption = "no_option"
    /// No year had the budget left for it (with carry-over): the yearly budgets stopped it.
    case overBudget = "over_budget"
    /// Some year had the budget for it, but every such year had built its
    /// `capacity_premises` already: capacity stopped it.
    case overCapacity = "over_capacity"
    /// A year had both the budget and the capacity, but it would take the total public
    /// cost over `rollout.budget_gbp`.
    case overTotalBudget = "over_total_budget"
    /// coverage_target: the target share was already reached.
    case targetReached = "target_reached"
    /// authority_priority: its authority is not in `authority_order`.
    case notPrioritised = "not_prioritised"
    /// Its premises carry no households: nobody to serve, never built.
    case noHouseholds = "no_households"
}

/// One authority's part of a joint build area.
public struct AreaShare: Sendable, Equatable {
    /// Index among all authorities read.
    public let authority: Int
    public let premises: Int
    public let households: Double
}

/// A candidate build area: the eligible premises of one grid cell within one authority, or
/// within several authorities of a partnership (a joint area).
public struct BuildArea: Sendable {
    /// "<authority code>/<cell x>_<cell y>", cell indices = floor(coordinate / grid_m).
    public let id: String
    /// Index among all authorities read.
    public let authority: Int
    public let cellX: Int
    public let cellY: Int
    /// Indices of its premises.
    public let premises: [Int]
    public let households: Double
    /// Household-weighted centroid in the working CRS.
    public let centroidX: Double
    public let centroidY: Double
    /// Straight distance from the centroid to the nearest fibre node, metres (nil: no nodes).
    public let fibreDistanceMetres: Double?
    /// Farthest premises from the centroid, metres (an FWA mast there must reach it).
    public let radiusMetres: Double
    /// A joint area's authorities (two or more, by code); empty for an area of one authority.
    public var shares: [AreaShare] = []

    /// The authorities it serves with their premises and households: `shares`, or the one
    /// authority with everything.
    public var members: [AreaShare] {
        shares.isEmpty ? [AreaShare(authority: authority, premises: premises.count, households: households)] : shares
    }

    /// Each member's share of the area's cost under `rule` (they add up to 1).
    public func weights(_ rule: CostShare) -> [Double] {
        let m = members
        switch rule {
        case .households where households > 0: return m.map { $0.households / households }
        case .premises, .households: return m.map { Double($0.premises) / Double(max(premises.count, 1)) }
        case .equal: return m.map { _ in 1 / Double(m.count) }
        }
    }
}

/// The eligible premises grouped into build areas (docs/MODEL.md, "Rollout" steps 1–2).
public enum BuildAreaFinder {
    /// - Parameters:
    ///   - planned: for each authority index, whether it is being planned.
    ///   - fibreNodes: the nodes FTTP routes start from (cabinets and `fibre_nodes`).
    public static func find(
        premises: PremisesTable, classification c: Classification, authorities: [Authority],
        planned: [Bool], eligible: Set<NGAClass>, targetMbps: Double, gridMetres: Double,
        fibreNodes: PointGrid?, allowed: [Bool]? = nil, joint: Set<Int> = []
    ) -> [BuildArea] {
        // Authorities of the partnership share one group per cell.
        let jointGroup: Int32 = -2
        struct Key: Hashable { let authority: Int32, x: Int, y: Int }
        var groups: [Key: [Int]] = [:]
        for i in 0..<premises.count {
            let a = c.authority[i]
            // With observed data the scope decision (InterventionArea) decides eligibility.
            if let allowed {
                guard allowed[i] else { continue }
            } else {
                guard a >= 0, planned[Int(a)], c.bestMbps[i] < targetMbps, eligible.contains(c.ngaClass(i)) else { continue }
            }
            let key = Key(authority: joint.contains(Int(a)) ? jointGroup : a, x: Int((premises.xs[i] / gridMetres).rounded(.down)),
                          y: Int((premises.ys[i] / gridMetres).rounded(.down)))
            groups[key, default: []].append(i)
        }
        let built = groups.map { key, members in
            area(members, cellX: key.x, cellY: key.y, premises: premises, classification: c, authorities: authorities, fibreNodes: fibreNodes)
        }
        return built.sorted { ($0.cellX, $0.cellY, authorities[$0.authority].code) < ($1.cellX, $1.cellY, authorities[$1.authority].code) }
    }

    /// The area of `members` (premises indices) in one cell: its shares by authority when they
    /// lie in more than one (the lead authority, named first in the id, is the one with most
    /// households; ties: the lower code).
    static func area(
        _ members: [Int], cellX: Int, cellY: Int, premises: PremisesTable, classification c: Classification,
        authorities: [Authority], fibreNodes: PointGrid?
    ) -> BuildArea {
        var byAuthority: [Int: (premises: Int, households: Double)] = [:]
        for i in members {
            let a = Int(c.authority[i])
            byAuthority[a, default: (0, 0)].premises += 1
            byAuthority[a, default: (0, 0)].households += premises.households[i]
        }
        let shares = byAuthority.map { AreaShare(authority: $0.key, premises: $0.value.premises, households: $0.value.households) }
            .sorted { authorities[$0.authority].code < authorities[$1.authority].code }
        let lead = shares.min { ($0.households, authorities[$1.authority].code) > ($1.households, authorities[$0.authority].code) }
            ?? AreaShare(authority: Int(c.authority[members[0]]), premises: members.count, households: 0)
        let name = shares.count > 1
            ? ([lead] + shares.filter { $0.authority != lead.authority }).map { authorities[$0.authority].code }.joined(separator: "+")
            : authorities[lead.authority].code
        var h = 0.0, sx = 0.0, sy = 0.0
        for i in members {
            let w = premises.households[i]
            h += w
            sx += w * premises.xs[i]
            sy += w * premises.ys[i]
        }
        var cx: Double, cy: Double
        if h > 0 {
            cx = sx / h
            cy = sy / h
        } else {
            cx = members.reduce(0) { $0 + premises.xs[$1] } / Double(members.count)
            cy = members.reduce(0) { $0 + premises.ys[$1] } / Double(members.count)
        }
        var radius = 0.0
        for i in members { radius = max(radius, hypot(premises.xs[i] - cx, premises.ys[i] - cy)) }
        let distance = fibreNodes?.nearest(x: cx, y: cy)?.distance
        return BuildArea(
            id: "\(name)/\(cellX)_\(cellY)", authority: lead.authority,
            cellX: cellX, cellY: cellY, premises: members, households: h, centroidX: cx, centroidY: cy,
            fibreDistanceMetres: distance, radiusMetres: radius, shares: shares.count > 1 ? shares : [])
    }

    /// A joint area's parts, one area per authority (as they would be without the partnership).
    static func parts(
        of area: BuildArea, premises: PremisesTable, classification c: Classification, authorities: [Authority],
        fibreNodes: PointGrid?
    ) -> [BuildArea] {
        area.members.map { share in
            self.area(area.premises.filter { Int(c.authority[$0]) == share.authority }, cellX: area.cellX, cellY: area.cellY,
                      premises: premises, classification: c, authorities: authorities, fibreNodes: fibreNodes)
        }
    }
}
