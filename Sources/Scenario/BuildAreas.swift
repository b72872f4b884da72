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

/// A candidate build area: the eligible premises of one grid cell within one authority.
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
}

/// The eligible premises grouped into build areas (docs/MODEL.md, "Rollout" steps 1–2).
public enum BuildAreaFinder {
    /// - Parameters:
    ///   - planned: for each authority index, whether it is being planned.
    ///   - fibreNodes: the nodes FTTP routes start from (cabinets and `fibre_nodes`).
    public static func find(
        premises: PremisesTable, classification c: Classification, authorities: [Authority],
        planned: [Bool], eligible: Set<NGAClass>, targetMbps: Double, gridMetres: Double,
        fibreNodes: PointGrid?, allowed: [Bool]? = nil
    ) -> [BuildArea] {
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
            let key = Key(authority: a, x: Int((premises.xs[i] / gridMetres).rounded(.down)),
                          y: Int((premises.ys[i] / gridMetres).rounded(.down)))
            groups[key, default: []].append(i)
        }
        let keys = groups.keys.sorted { ($0.x, $0.y, authorities[Int($0.authority)].code) < ($1.x, $1.y, authorities[Int($1.authority)].code) }
        return keys.map { key in
            let members = groups[key]!
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
                id: "\(authorities[Int(key.authority)].code)/\(key.x)_\(key.y)", authority: Int(key.authority),
                cellX: key.x, cellY: key.y, premises: members, households: h, centroidX: cx, centroidY: cy,
                fibreDistanceMetres: distance, radiusMetres: radius)
        }
    }
}
