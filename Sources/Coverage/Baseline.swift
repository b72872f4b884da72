import Geometry

/// Classifies every premises: authority, best speed, tier and NGA class (docs/MODEL.md,
/// "Baseline").
///
/// Premises stay columnar and networks are indexed once: cabinets and masts in point grids
/// (nearest cabinet, masts within reach), footprints and authorities in `PolygonLocator`s.
/// No GEOS object is made per premises except for the few in polygon border cells.
public enum Baseline {
    /// - Parameter snapMetres: premises outside every authority but within this distance of
    ///   one are assigned to the nearest (`authorities.snap_m`; 0: none).
    public static func classify(
        premises: PremisesTable, authorities: [Authority], networks: [Network], model: SpeedModel,
        snapMetres: Double = 0
    ) throws -> Classification {
        let n = premises.count
        let locator = try PolygonLocator(polygons: authorities.map(\.geometry))
        var authority = try locator.locate(xs: premises.xs, ys: premises.ys)
        let snapped = try NearestAuthority.snap(xs: premises.xs, ys: premises.ys, authority: &authority,
                                                authorities: authorities, metres: snapMetres)

        var best = [Double](repeating: 0, count: n)
        var bestNetwork = [Int16](repeating: -1, count: n)
        var operators = [UInt8](repeating: 0, count: n)

        // Networks of one operator count once towards the NGA class.
        var operatorOrder: [String] = []
        for network in networks where !operatorOrder.contains(network.operatorName) {
            operatorOrder.append(network.operatorName)
        }
        for name in operatorOrder {
            var reachesNGA = [Bool](repeating: false, count: n)
            for (k, network) in networks.enumerated() where network.operatorName == name {
                let speeds = try speeds(of: network, premises: premises, model: model)
                for i in 0..<n {
                    let s = speeds[i]
                    if s > best[i] {
                        best[i] = s
                        bestNetwork[i] = Int16(k)
                    }
                    if s >= model.ngaThresholdMbps { reachesNGA[i] = true }
                }
            }
            for i in 0..<n where reachesNGA[i] && operators[i] < UInt8.max { operators[i] += 1 }
        }
        let tiers = best.map { Int8(model.tiers.highestMet($0)) }
        return Classification(authority: authority, bestMbps: best, tier: tiers,
                              ngaOperators: operators, bestNetwork: bestNetwork, snapped: snapped)
    }

    /// The speed one network gives each premises (0 where it gives none), Mbit/s.
    public static func speeds(of network: Network, premises: PremisesTable, model: SpeedModel) throws -> [Double] {
        let xs = premises.xs, ys = premises.ys
        switch network.assets {
        case .cabinets(let cx, let cy):
            guard !cx.isEmpty else { return [Double](repeating: 0, count: premises.count) }
            let grid = PointGrid(xs: cx, ys: cy)
            let curve = model.curve, factor = model.routeFactor
            // Past the curve's last point the speed is constant, so the search can stop there.
            let horizon = curve.lastMetres / factor
            let farSpeed = curve.points[curve.points.count - 1].mbps
            return try Parallel.chunks(count: premises.count) { range in
                range.map { i -> Double in
                    guard let hit = grid.nearest(x: xs[i], y: ys[i], maxDistance: horizon) else { return farSpeed }
                    return curve.speed(lineLengthMetres: hit.distance * factor)
                }
            }.flatMap { $0 }
        case .masts(let mx, let my, let radii):
            guard !mx.isEmpty, let speed = network.downMbps else { return [Double](repeating: 0, count: premises.count) }
            let maxRadius = radii.max() ?? 0
            let grid = PointGrid(xs: mx, ys: my, cellSize: max(maxRadius, 1))
            return try Parallel.chunks(count: premises.count) { range in
                range.map { i in grid.anyWithin(x: xs[i], y: ys[i], radii: radii, maxRadius: maxRadius) ? speed : 0 }
            }.flatMap { $0 }
        case .footprints(let polygons):
            guard !polygons.isEmpty, let speed = network.downMbps else { return [Double](repeating: 0, count: premises.count) }
            let located = try PolygonLocator(polygons: polygons).locate(xs: xs, ys: ys)
            return located.map { $0 >= 0 ? speed : 0 }
        }
    }
}
