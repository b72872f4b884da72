import Coverage
import Foundation

/// Joint build areas of a partnership (docs/MODEL.md, "Joint programmes"): a cell across a
/// border is one area, paying its fixed costs once, unless its parts delivered separately
/// would cost less.
public enum JointAreas {
    /// Keeps each joint area whose cost (central unit costs) is at most the sum of its parts'
    /// costs (to half a penny), or any of whose parts has no option; otherwise puts its parts
    /// in its place.
    /// So a partnership never costs more than separate delivery of the same premises.
    /// - Parameter parts: a joint area's parts, one per authority.
    /// - Returns: the areas, and how many joint areas were split.
    static func resolve(
        _ areas: [BuildArea], rollout: RolloutSettings, targetMbps: Double, parts: (BuildArea) -> [BuildArea]
    ) -> (areas: [BuildArea], split: Int) {
        var out: [BuildArea] = []
        var split = 0
        for area in areas {
            guard !area.shares.isEmpty else {
                out.append(area)
                continue
            }
            let pieces = parts(area)
            let jointPrice = Pricing.price([area], rollout: rollout, targetMbps: targetMbps)[0]
            let piecePrices = Pricing.price(pieces, rollout: rollout, targetMbps: targetMbps)
            let jointCost = jointPrice.technology == nil ? Double.infinity : jointPrice.costGBP
            let separately = piecePrices.allSatisfy { $0.technology != nil } ? piecePrices.reduce(0) { $0 + $1.costGBP } : .infinity
            // By more than half a penny: equal costs summed in another order differ in the
            // last bits, and a tie keeps the joint area.
            if jointCost - separately > 0.005 {
                out += pieces
                split += 1
            } else {
                out.append(area)
            }
        }
        return (out, split)
    }
}
