import Foundation
import Geometry

/// Coverage and gap polygons of one authority at one tier.
public struct TierCoverage: Sendable {
    public let tier: Tier
    /// Covered part of the authority (may be empty).
    public let coverage: Geometry
    /// The authority minus the coverage (may be empty).
    public let gap: Geometry
    public let coverageKm2: Double
    public let gapKm2: Double

    public init(tier: Tier, coverage: Geometry, gap: Geometry, coverageKm2: Double, gapKm2: Double) {
        self.tier = tier
        self.coverage = coverage
        self.gap = gap
        self.coverageKm2 = coverageKm2
        self.gapKm2 = gapKm2
    }
}

/// Coverage polygons for every requested tier of one authority.
public struct AuthorityCoverage: Sendable {
    public let authority: Int
    public let tiers: [TierCoverage]

    public init(authority: Int, tiers: [TierCoverage]) {
        self.authority = authority
        self.tiers = tiers
    }
}

/// Builds coverage and gap polygons per authority (docs/MODEL.md, "Coverage polygons and
/// gaps"), in parallel across authorities.
///
/// What every authority shares at a tier is prepared once: the union of the footprints that
/// meet the tier (unioning them per authority instead cost Greater Manchester four times as
/// much). Then, per authority, the disks of the cabinets and masts that reach it and the part
/// of the footprint union near it are unioned in one cascaded union (much faster than buffering a MultiPoint, which nodes every disk against every
/// other), and that union is intersected with and subtracted from the authority.
public struct CoverageMapper: Sendable {
    public let networks: [Network]
    public let model: SpeedModel
    /// Segments per quarter circle of each disk.
    public let quadrantSegments: Int
    private let grids: [PointGrid?]

    public init(networks: [Network], model: SpeedModel, quadrantSegments: Int = 8) {
        self.networks = networks
        self.model = model
        self.quadrantSegments = quadrantSegments
        grids = networks.map { network in
            switch network.assets {
            case .cabinets(let xs, let ys): PointGrid(xs: xs, ys: ys)
            case .masts(let xs, let ys, _): PointGrid(xs: xs, ys: ys)
            case .footprints: nil
            }
        }
    }

    /// What all authorities share at one tier.
    struct TierPlan: Sendable {
        let tier: Tier
        let fttcReach: SpeedCurve.Reach
        /// Some FTTC network reaches everywhere at this tier.
        let coversEverything: Bool
        /// Union of every footprint whose network meets the tier.
        let footprints: Geometry?
    }

    /// Coverage and gaps for the given authorities at the given tiers.
    public func build(authorities: [Authority], selected: [Int], tiers: [Tier]) throws -> [AuthorityCoverage] {
        // Which authority each cabinet and mast stands in: disks centred in the authority
        // always count; others only when they reach it.
        let locator = try PolygonLocator(polygons: authorities.map(\.geometry))
        let pointAuthority = try networks.map { network -> [Int32] in
            switch network.assets {
            case .cabinets(let xs, let ys), .masts(let xs, let ys, _): return try locator.locate(xs: xs, ys: ys)
            case .footprints: return []
            }
        }
        let plans = try Parallel.map(tiers) { try plan(for: $0) }
        return try Parallel.map(selected, cloning: authorities.map(\.geometry)) { a, clones in
            let area = try clones.shared(a)
            let prepared = try PreparedGeometry(area)
            let reaches: (Int, Int, Double) throws -> Bool = { network, i, radius in
                if pointAuthority[network][i] == Int32(a) { return true }
                let xs: [Double], ys: [Double]
                switch networks[network].assets {
                case .cabinets(let px, let py), .masts(let px, let py, _): (xs, ys) = (px, py)
                case .footprints: return true
                }
                // A GEOS failure here is an error like any other (no silent fallback).
                return try prepared.isWithin(distance: radius, of: Geometry.point(x: xs[i], y: ys[i]))
            }
            return try AuthorityCoverage(authority: a, tiers: plans.map {
                try build(authorities[a], area: area, plan: $0, reaches: reaches)
            })
        }
    }

    func plan(for tier: Tier) throws -> TierPlan {
        let reach = model.fttcReach(forMbps: tier.mbps)
        var everything = false
        var footprintParts: [Geometry] = []
        for network in networks {
            switch network.assets {
            case .cabinets(let xs, _):
                if !xs.isEmpty, reach == .unlimited { everything = true }
            case .masts: break
            case .footprints(let polygons):
                guard let speed = network.downMbps, speed >= tier.mbps else { continue }
                footprintParts += polygons
            }
        }
        let footprints = footprintParts.isEmpty ? nil : try Geometry.union(of: footprintParts)
        return TierPlan(tier: tier, fttcReach: reach, coversEverything: everything,
                        footprints: footprints)
    }

    /// Everything that meets the plan's tier near the envelope, or nil when the whole area is
    /// covered (an FTTC network whose reach at this tier is unlimited).
    func coverageParts(
        near envelope: Envelope, plan: TierPlan, reaches: (Int, Int, Double) throws -> Bool
    ) throws -> [Geometry]? {
        if plan.coversEverything { return nil }
        var parts: [Geometry] = []
        for (k, network) in networks.enumerated() {
            switch network.assets {
            case .cabinets(let xs, let ys):
                guard case .metres(let r) = plan.fttcReach, let grid = grids[k] else { continue }
                let e = envelope.expanded(by: r)
                for i in grid.indices(minX: e.minX, minY: e.minY, maxX: e.maxX, maxY: e.maxY)
                where try reaches(k, i, r) {
                    parts.append(try disk(x: xs[i], y: ys[i], radius: r))
                }
            case .masts(let xs, let ys, let radii):
                guard let speed = network.downMbps, speed >= plan.tier.mbps, let grid = grids[k] else { continue }
                let maxRadius = radii.max() ?? 0
                let e = envelope.expanded(by: maxRadius)
                for i in grid.indices(minX: e.minX, minY: e.minY, maxX: e.maxX, maxY: e.maxY)
                where radii[i] > 0 && envelope.expanded(by: radii[i]).contains(x: xs[i], y: ys[i]) {
                    guard try reaches(k, i, radii[i]) else { continue }
                    parts.append(try disk(x: xs[i], y: ys[i], radius: radii[i]))
                }
            case .footprints:
                break
            }
        }
        if let footprints = plan.footprints, footprints.envelope.intersects(envelope) {
            // The part near this authority, from a private copy (geometries shared between
            // threads are only cloned, never operated on).
            let near = try footprints.clone().intersection(with: Geometry.rectangle(envelope.expanded(by: 1)))
            if !near.isEmpty { parts.append(near) }
        }
        return parts
    }

    /// A disk as GEOS buffers a point: the regular polygon of 4 × quadrantSegments vertices
    /// inscribed in the circle, starting at angle 0 (so results match a GEOS or shapely
    /// buffer of the same point). Built directly: cheaper than a buffer call per point.
    func disk(x: Double, y: Double, radius: Double) throws -> Geometry {
        let n = 4 * quadrantSegments
        var ring: [Coordinate] = []
        ring.reserveCapacity(n + 1)
        for k in 0..<n {
            let angle = 2 * Double.pi * Double(k) / Double(n)
            ring.append(Coordinate(x: x + radius * cos(angle), y: y + radius * sin(angle)))
        }
        return try Geometry.polygon(exterior: ring)
    }

    func build(_ authority: Authority, area: Geometry, plan: TierPlan, reaches: (Int, Int, Double) throws -> Bool) throws -> TierCoverage {
        let tier = plan.tier
        guard let parts = try coverageParts(near: area.envelope, plan: plan, reaches: reaches) else {
            return TierCoverage(tier: tier, coverage: area, gap: try Geometry.emptyPolygon(),
                                coverageKm2: authority.areaKm2, gapKm2: 0)
        }
        if parts.isEmpty {
            return TierCoverage(tier: tier, coverage: try Geometry.emptyPolygon(), gap: area,
                                coverageKm2: 0, gapKm2: authority.areaKm2)
        }
        // A single part is already dissolved (a disk, or the tier's footprint union): no union.
        let union = parts.count == 1 ? parts[0] : try Geometry.union(of: parts)
        let coverage = try area.intersection(with: union).polygonalParts()
        let gap = try area.difference(union).polygonalParts()
        return TierCoverage(tier: tier, coverage: coverage, gap: gap,
                            coverageKm2: try coverage.area() / 1e6, gapKm2: try gap.area() / 1e6)
    }
}
