import Foundation
import Geometry

/// The authority nearest to points that lie outside every authority polygon (docs/MODEL.md,
/// "Baseline" step 1): for `authorities.snap_m`, which assigns points within that distance to
/// it, and for reporting where the remaining unassigned points are (their nearest authority's
/// region).
///
/// Distances are planar, in metres of the working CRS, from the point to the polygon (GEOS
/// distance: 0 inside, so only meaningful for points outside every polygon). Candidates come
/// from an STRtree over the polygons' envelopes: an authority within distance d has its
/// envelope within d of the point, so a query box of half-width d finds every one.
public final class NearestAuthority {
    private let authorities: [Authority]
    private let tree: STRtree
    /// The half-width beyond which no authority can lie (the whole extent's diagonal).
    private let horizon: Double

    public init(_ authorities: [Authority]) throws {
        self.authorities = authorities
        let envelopes = authorities.map(\.geometry.envelope)
        tree = try STRtree(envelopes: envelopes)
        let all = envelopes.filter { !$0.isEmpty }
        let minX = all.map(\.minX).min() ?? 0, maxX = all.map(\.maxX).max() ?? 0
        let minY = all.map(\.minY).min() ?? 0, maxY = all.map(\.maxY).max() ?? 0
        horizon = max(1, hypot(maxX - minX, maxY - minY))
    }

    /// The nearest authority (index) and its distance in metres, within `maxMetres`; nil when
    /// none is that close. Ties go to the authority first in source order.
    public func nearest(x: Double, y: Double, within maxMetres: Double) throws -> (authority: Int, metres: Double)? {
        let box = Envelope(minX: x - maxMetres, minY: y - maxMetres, maxX: x + maxMetres, maxY: y + maxMetres)
        let candidates = try tree.query(box)
        guard !candidates.isEmpty else { return nil }
        let point = try Geometry.point(x: x, y: y)
        var best: (authority: Int, metres: Double)?
        for a in candidates {
            let d = try authorities[a].geometry.distance(to: point)
            if d <= maxMetres, best.map({ d < $0.metres }) ?? true { best = (a, d) }
        }
        return best
    }

    /// The nearest authority whatever the distance (searching in widening boxes: a hit at
    /// distance d within a box of half-width r ≥ d is the nearest).
    public func nearest(x: Double, y: Double) throws -> (authority: Int, metres: Double)? {
        var reach = 1000.0
        // Beyond the extent's diagonal (plus the point's own distance to it) every authority
        // is inside the box.
        while true {
            if let hit = try nearest(x: x, y: y, within: reach) { return hit }
            if reach > 4 * horizon + abs(x) + abs(y) { return nil }
            reach *= 4
        }
    }

    /// Assigns each premises outside every authority (`Classification.unassigned`) to the
    /// nearest authority within `metres`, in place.
    /// - Returns: the indices of the premises so assigned, ascending.
    public static func snap(xs: [Double], ys: [Double], authority: inout [Int32], authorities: [Authority],
                            metres: Double) throws -> [Int] {
        guard metres > 0, authority.contains(Classification.unassigned) else { return [] }
        let index = try NearestAuthority(authorities)
        var snapped: [Int] = []
        for i in authority.indices where authority[i] == Classification.unassigned {
            if let hit = try index.nearest(x: xs[i], y: ys[i], within: metres) {
                authority[i] = Int32(hit.authority)
                snapped.append(i)
            }
        }
        return snapped
    }
}
