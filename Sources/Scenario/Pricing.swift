import Coverage
import Foundation

/// Multipliers on each unit cost; all 1 for the central estimate, drawn per uncertainty run.
public struct CostMultipliers: Sendable, Equatable {
    public var fttpPerArea = 1.0
    public var fttpPerPremises = 1.0
    public var fttpPerKm = 1.0
    public var fwaPerMast = 1.0
    public var fwaPerPremises = 1.0
    /// Multipliers on the subsidy's take-up, ARPU, payback years and margin (uncertainty's
    /// `take_up_spread`, `arpu_spread`, `payback_spread`, `margin_spread`). Take-up and margin
    /// are capped at 1 after multiplying: a share cannot pass 100%.
    public var takeUp = 1.0
    public var arpu = 1.0
    public var payback = 1.0
    public var margin = 1.0
    public init() {}
    public static let central = CostMultipliers()
}

/// An area's cheapest option and its costs (docs/MODEL.md, "Rollout" steps 3–4).
public struct PricedArea: Sendable {
    public let area: Int
    /// Nil when no option meets the target tier (and no alternative takes the area).
    public let technology: BuildRoute?
    public let downMbps: Double
    public let costGBP: Double
    /// Full cost, or the gap-funding subsidy when a subsidy block is given.
    public let publicCostGBP: Double
    public let fttpCostGBP: Double?
    public let fwaCostGBP: Double?
    /// The cheapest option's cost per premises is above `very_hard_to_reach_gbp`, or no
    /// option meets the target: the area went to an alternative (or none was available).
    public var veryHardToReach = false
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
            if let threshold = rollout.veryHardToReachGBP, area.households > 0,
               (choice.map { $0.cost / area.households > threshold } ?? true) {
                return alternative(k, area, rollout: rollout, fttpCost: fttpCost, fwaCost: fwaCost)
            }
            let technology: BuildRoute? = choice.map { $0.technology == .fwa ? .fwa : .fttp }
            let cost = choice?.cost ?? 0
            let speed = choice?.mbps ?? 0
            var publicCost = cost
            if let s = rollout.subsidy, technology != nil {
                let revenue = area.households * min(1, s.takeUp * m.takeUp) * s.arpuGBPMonth * m.arpu * 12
                    * s.paybackYears * m.payback * min(1, s.margin * m.margin)
                publicCost = max(0, cost - revenue)
            }
            return PricedArea(area: k, technology: technology, downMbps: speed, costGBP: cost,
                              publicCostGBP: publicCost, fttpCostGBP: fttpCost, fwaCostGBP: fwaCost)
        }
    }

    /// A very hard to reach area's route (docs/MODEL.md, "Very hard to reach"): a voucher
    /// (the FTTP build, the public paying up to the cap per premises; only where FTTP is
    /// priced) or satellite (per premises, any reach); the lower public cost wins, the voucher
    /// on a tie (gigabit). Neither available: no option.
    static func alternative(_ k: Int, _ area: BuildArea, rollout: RolloutSettings, fttpCost: Double?, fwaCost: Double?) -> PricedArea {
        var best: (route: BuildRoute, cost: Double, publicCost: Double, mbps: Double)?
        if let v = rollout.voucher, let f = fttpCost, let o = rollout.fttp {
            best = (.voucher, f, min(f, v.capGBP * area.households), o.downMbps)
        }
        if let sat = rollout.satellite {
            let cost = sat.perPremisesGBP * area.households
            if cost < (best?.publicCost ?? .infinity) { best = (.satellite, cost, cost, sat.downMbps) }
        }
        return PricedArea(area: k, technology: best?.route, downMbps: best?.mbps ?? 0, costGBP: best?.cost ?? 0,
                          publicCostGBP: best?.publicCost ?? 0, fttpCostGBP: fttpCost, fwaCostGBP: fwaCost,
                          veryHardToReach: true)
    }
}
