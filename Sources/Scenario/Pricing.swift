import Coverage
import Foundation

/// Multipliers on each unit cost; all 1 for the central estimate, drawn per uncertainty run.
public struct CostMultipliers: Sendable, Equatable {
    public var fttpPerArea = 1.0
    public var fttpPerPremises = 1.0
    public var fttpPerKm = 1.0
    public var fwaPerMast = 1.0
    public var fwaPerPremises = 1.0
    public init() {}
    public static let central = CostMultipliers()
}

/// An area's cheapest option and its costs (docs/MODEL.md, "Rollout" steps 3–4).
public struct PricedArea: Sendable {
    public let area: Int
    /// Nil when neither option meets the target tier.
    public let technology: Technology?
    public let downMbps: Double
    public let costGBP: Double
    /// Full cost, or the gap-funding subsidy when a subsidy block is given.
    public let publicCostGBP: Double
    public let fttpCostGBP: Double?
    public let fwaCostGBP: Double?
}

public enum Pricing {
    /// Prices every area: FTTP = per area + per premises × households + per km × route km
    /// (route km = distance to the nearest fibre node × route factor ÷ 1000); FWA = per mast +
    /// per premises × households where its speed meets the target and the farthest premises
    /// is within the mast radius of the centroid. The cheaper option that meets the target
    /// wins (FTTP on a tie).
    public static func price(
        _ areas: [BuildArea], rollout: RolloutSettings, targetMbps: Double,
        multipliers m: CostMultipliers = .central
    ) -> [PricedArea] {
        areas.enumerated().map { k, area in
            var fttpCost: Double?
            if let o = rollout.fttp, o.downMbps >= targetMbps, let d = area.fibreDistanceMetres {
                let routeKm = d * o.routeFactor / 1000
                fttpCost = o.perAreaGBP * m.fttpPerArea + o.perPremisesGBP * m.fttpPerPremises * area.households
                    + o.perKmGBP * m.fttpPerKm * routeKm
            }
            var fwaCost: Double?
            if let o = rollout.fwa, o.downMbps >= targetMbps, area.radiusMetres <= o.radiusM {
                fwaCost = o.perMastGBP * m.fwaPerMast + o.perPremisesGBP * m.fwaPerPremises * area.households
            }
            // The cheaper option that meets the target; FTTP on a tie (the better technology).
            var choice: (technology: Technology, cost: Double, mbps: Double)?
            if let f = fttpCost, let o = rollout.fttp { choice = (.fttp, f, o.downMbps) }
            if let w = fwaCost, let o = rollout.fwa, w < (choice?.cost ?? .infinity) { choice = (.fwa, w, o.downMbps) }
            let technology = choice?.technology
            let cost = choice?.cost ?? 0
            let speed = choice?.mbps ?? 0
            var publicCost = cost
            if let s = rollout.subsidy, technology != nil {
                let revenue = area.households * s.takeUp * s.arpuGBPMonth * 12 * s.paybackYears * s.margin
                publicCost = max(0, cost - revenue)
            }
            return PricedArea(area: k, technology: technology, downMbps: speed, costGBP: cost,
                              publicCostGBP: publicCost, fttpCostGBP: fttpCost, fwaCostGBP: fwaCost)
        }
    }
}
