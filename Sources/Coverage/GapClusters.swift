import Foundation
import Geometry

/// One authority's part of a gap cluster.
public struct ClusterShare: Sendable, Equatable {
    /// Index among all authorities read.
    public let authority: Int
    public let code: String
    /// Planar area of the authority's gap inside the cluster, km².
    public let areaKm2: Double
    /// Premises points of the authority below the tier that lie in the cluster.
    public let premises: Int
    public let households: Double
}

/// A connected piece of the gap at one tier, dissolved across authority borders
/// (docs/MODEL.md, "Shared gaps").
public struct GapCluster: Sendable {
    /// The cluster's south-west envelope corner in whole metres of the working CRS,
    /// `"<min x>_<min y>"` (a suffix `-2`, `-3`, ... when two clusters share it).
    public let id: String
    /// One polygon of the dissolved gap.
    public let geometry: Geometry
    public let areaKm2: Double
    /// The authorities it spans, by code.
    public let shares: [ClusterShare]

    public var households: Double { shares.reduce(0) { $0 + $1.households } }
    public var premises: Int { shares.reduce(0) { $0 + $1.premises } }
    /// Spans two or more authorities.
    public var crossesBorder: Bool { shares.count > 1 }
}

/// Per planned authority: how much of its gap sits in clusters that cross a border.
public struct AuthorityGapShare: Sendable, Equatable {
    public let authority: Int
    public let code: String
    /// Households of its premises below the tier (the classification's gap).
    public let gapHouseholds: Double
    /// Of those, households lying in a cluster that spans two or more authorities.
    public let crossBorderHouseholds: Double
    /// `crossBorderHouseholds / gapHouseholds`, 0 without a gap.
    public var crossBorderShare: Double { gapHouseholds > 0 ? crossBorderHouseholds / gapHouseholds : 0 }
}

/// The gap clusters of one tier.
public struct TierGapClusters: Sendable {
    public let tier: Tier
    /// Ordered by (min x, min y) of their envelopes, then larger area first.
    public let clusters: [GapCluster]
    /// Per planned authority, in the order given.
    public let authorities: [AuthorityGapShare]
    /// Premises below the tier that lie in no cluster polygon: the thin band between a reach
    /// circle and its inscribed polygon (docs/MODEL.md), counted, never dropped.
    public let premisesOutside: Int
    public let householdsOutside: Double

    /// Clusters spanning two or more authorities, most households first (then larger area, then id).
    public var crossBorder: [GapCluster] {
        clusters.filter(\.crossesBorder).sorted {
            ($0.households, $0.areaKm2) != ($1.households, $1.areaKm2)
                ? ($0.households, $0.areaKm2) > ($1.households, $1.areaKm2) : $0.id < $1.id
        }
    }
}

/// Dissolves the gap polygons of the planned authorities across borders into connected
/// clusters (docs/MODEL.md, "Shared gaps").
public enum GapClusters {
    /// - Parameters:
    ///   - tier: the tier whose gaps these are.
    ///   - gaps: per planned authority (index among `authorities`), its gap polygon at `tier`.
    ///   - classification: the baseline; a premises is in the gap when its best speed is below
    ///     the tier's threshold and its authority is planned.
    public static func build(
        tier: Tier, gaps: [(authority: Int, gap: Geometry)], authorities: [Authority],
        premises: PremisesTable, classification c: Classification
    ) throws -> TierGapClusters {
        // A private copy of every gap: geometries shared between threads are never operated on.
        let owned = try gaps.map { (authority: $0.authority, parts: try $0.gap.clone().flattened.filter { !$0.isEmpty && $0.kind == .polygon }) }
        let all = owned.flatMap(\.parts)
        let owner = owned.flatMap { entry in entry.parts.map { _ in entry.authority } }
        var pieces = try dissolve(all, owner: owner)
        let envelopes = pieces.map(\.envelope)
        let areas = try pieces.map { try $0.area() / 1e6 }
        let order = pieces.indices.sorted {
            let a = envelopes[$0], b = envelopes[$1]
            if a.minX != b.minX { return a.minX < b.minX }
            if a.minY != b.minY { return a.minY < b.minY }
            return areas[$0] > areas[$1]
        }
        pieces = order.map { pieces[$0] }
        let sortedEnvelopes = order.map { envelopes[$0] }
        let sortedAreas = order.map { areas[$0] }

        // One locator, asked twice with every point at once: each call prepares a cluster
        // polygon at most once per thread (a national cluster has hundreds of thousands of
        // vertices; preparing it per authority cost more than the union).
        let locator = pieces.isEmpty ? nil : try PolygonLocator(polygons: pieces)

        // Which cluster each authority's gap part lies in: one interior point per part.
        var area = [[Int: Double]](repeating: [:], count: pieces.count)
        let parts = owned.flatMap { entry in entry.parts.map { (authority: entry.authority, part: $0) } }
        if let locator, !parts.isEmpty {
            let points = try parts.map { try $0.part.pointOnSurface() }
            let found = try locator.locate(xs: points.map { $0.pointX ?? .nan }, ys: points.map { $0.pointY ?? .nan })
            for (k, cluster) in found.enumerated() where cluster >= 0 {
                area[Int(cluster)][parts[k].authority, default: 0] += try parts[k].part.area() / 1e6
            }
        }

        // Premises below the tier in planned authorities, located among the clusters.
        var planned = [Bool](repeating: false, count: authorities.count)
        for g in gaps { planned[g.authority] = true }
        var members: [Int] = []
        for i in 0..<premises.count {
            let a = Int(c.authority[i])
            if a >= 0, planned[a], c.bestMbps[i] < tier.mbps { members.append(i) }
        }
        let located: [Int32] = try locator?.locate(xs: members.map { premises.xs[$0] }, ys: members.map { premises.ys[$0] })
            ?? [Int32](repeating: -1, count: members.count)
        var households = [[Int: Double]](repeating: [:], count: pieces.count)
        var count = [[Int: Int]](repeating: [:], count: pieces.count)
        var gapHouseholds = [Double](repeating: 0, count: authorities.count)
        var outsidePremises = 0, outsideHouseholds = 0.0
        // Premises come in runs of one cluster and authority (they are read in postcode or
        // address order): the entries' positions are looked up once per run, not hashed per
        // premises (25.7 million times at the gigabit tier of every GB address point).
        var run = (cluster: -1, authority: -1)
        var slots: (households: Dictionary<Int, Double>.Index, count: Dictionary<Int, Int>.Index)?
        for (k, i) in members.enumerated() {
            let a = Int(c.authority[i]), w = premises.households[i]
            gapHouseholds[a] += w
            let cluster = Int(located[k])
            if cluster < 0 {
                outsidePremises += 1
                outsideHouseholds += w
                continue
            }
            if run != (cluster, a) {  // always on the first premises: clusters are >= 0
                if households[cluster][a] == nil {
                    households[cluster][a] = 0
                    count[cluster][a] = 0
                }
                slots = (households[cluster].index(forKey: a)!, count[cluster].index(forKey: a)!)
                run = (cluster, a)
            }
            if let slots {
                households[cluster].values[slots.households] += w
                count[cluster].values[slots.count] += 1
            }
        }

        var clusters: [GapCluster] = []
        var lastCorner = "", repeats = 0
        for (k, piece) in pieces.enumerated() {
            let e = sortedEnvelopes[k]
            let corner = "\(Int(e.minX.rounded(.down)))_\(Int(e.minY.rounded(.down)))"
            repeats = corner == lastCorner ? repeats + 1 : 1
            lastCorner = corner
            let spanned = Set(area[k].keys).union(households[k].keys)
            let shares = spanned.map { a in
                ClusterShare(authority: a, code: authorities[a].code, areaKm2: area[k][a] ?? 0,
                             premises: count[k][a] ?? 0, households: households[k][a] ?? 0)
            }.sorted { $0.code < $1.code }
            clusters.append(GapCluster(id: repeats > 1 ? "\(corner)-\(repeats)" : corner, geometry: piece,
                                       areaKm2: sortedAreas[k], shares: shares))
        }
        var crossBorder: [Int: Double] = [:]
        for cluster in clusters where cluster.crossesBorder {
            for s in cluster.shares { crossBorder[s.authority, default: 0] += s.households }
        }
        let perAuthority = gaps.map { g in
            AuthorityGapShare(authority: g.authority, code: authorities[g.authority].code,
                              gapHouseholds: gapHouseholds[g.authority], crossBorderHouseholds: crossBorder[g.authority] ?? 0)
        }
        return TierGapClusters(tier: tier, clusters: clusters, authorities: perAuthority,
                               premisesOutside: outsidePremises, householdsOutside: outsideHouseholds)
    }

    /// The polygons of the union of `parts` (connected components of the dissolved gap;
    /// polygons touching at a single point stay apart, as in a valid MultiPolygon), without
    /// unioning the whole country at once: a union costs in proportion to every vertex it
    /// nodes, and most parts meet nothing.
    ///
    /// Parts of one authority's valid gap meet at most in points, which a union keeps apart,
    /// so only parts of different authorities can merge, and only when they intersect. Parts
    /// are grouped by "intersects" (connected through chains of such pairs); a group is
    /// unioned on its own, a part alone is its own polygon. Grouping on any contact, a
    /// point included, only ever groups more than the union merges, and the group's union
    /// then keeps such parts apart: the result is the union's polygons either way.
    static func dissolve(_ parts: [Geometry], owner: [Int]) throws -> [Geometry] {
        if parts.isEmpty { return [] }
        var group = Array(parts.indices)
        func root(_ i: Int) -> Int {
            var i = i
            while group[i] != i { group[i] = group[group[i]]; i = group[i] }
            return i
        }
        let envelopes = parts.map(\.envelope)
        let tree = try STRtree(envelopes: envelopes)
        var prepared: [Int: PreparedGeometry] = [:]
        for i in parts.indices {
            for j in try tree.query(envelopes[i]) where j > i && owner[j] != owner[i] {
                let (a, b) = (root(i), root(j))
                if a == b { continue }
                if try prepare(i, parts, &prepared).intersects(parts[j]) { group[max(a, b)] = min(a, b) }
            }
            prepared[i] = nil
        }
        var members: [Int: [Int]] = [:]
        for i in parts.indices { members[root(i), default: []].append(i) }
        var pieces: [Geometry] = []
        var candidates: [Int: PreparedGeometry] = [:]
        for (_, list) in members.sorted(by: { $0.key < $1.key }) {
            if list.count == 1 {
                pieces.append(parts[list[0]])
                continue
            }
            let dissolved = try unionSettingHolesAside(list, parts: parts, envelopes: envelopes, tree: tree, prepared: &candidates)
                ?? Geometry.union(of: list.map { parts[$0] }).flattened
            pieces += dissolved.filter { $0.kind == .polygon && !$0.isEmpty }
        }
        return pieces
    }

    /// Part `i` prepared for predicate tests, once: kept in `cache`.
    private static func prepare(_ i: Int, _ parts: [Geometry], _ cache: inout [Int: PreparedGeometry]) throws -> PreparedGeometry {
        if let p = cache[i] { return p }
        let p = try PreparedGeometry(parts[i])
        cache[i] = p
        return p
    }

    /// The union of the parts `list`, with the holes that nothing else touches set aside
    /// first and put back after: most of a gap's vertices are the rings of covered areas
    /// inside it, which a union would node for nothing. A hole no other part meets (not even
    /// at a point; other parts of the same authority count, such as a gap island inside a
    /// covered area) is untouched by the union: the union of the parts without it covers its
    /// area, and putting it back into the polygon that covers it gives the union itself.
    /// Returns nil (the caller unions everything) when a polygon rebuilt that way is not
    /// valid, so a numerical surprise costs time, never a wrong cluster.
    static func unionSettingHolesAside(
        _ list: [Int], parts: [Geometry], envelopes: [Envelope], tree: STRtree, prepared: inout [Int: PreparedGeometry]
    ) throws -> [Geometry]? {
        var reduced: [Geometry] = []
        var aside: [[Coordinate]] = []
        for i in list {
            guard parts[i].kind == .polygon, let rings = try parts[i].polygonRings().first, rings.count > 1 else {
                reduced.append(parts[i])
                continue
            }
            var kept = [rings[0]]
            for hole in rings.dropFirst() {
                var envelope = Envelope.empty
                for c in hole { envelope = envelope.including(x: c.x, y: c.y) }
                var touched = false
                let others = try tree.query(envelope).filter { $0 != i }
                if !others.isEmpty {
                    let area = try Geometry.polygon(exterior: hole)
                    for j in others where try prepare(j, parts, &prepared).intersects(area) {
                        touched = true
                        break
                    }
                }
                if touched { kept.append(hole) } else { aside.append(hole) }
            }
            reduced.append(kept.count == rings.count ? parts[i] : try Geometry.polygon(exterior: kept[0], holes: Array(kept.dropFirst())))
        }
        var pieces = try Geometry.union(of: reduced).flattened.filter { $0.kind == .polygon && !$0.isEmpty }
        if aside.isEmpty { return pieces }
        // Each hole goes back into the piece whose interior holds it whole, touching none of
        // its rings. Then the polygon stays valid with it (a hole of a valid part, disjoint
        // from every other part and ring), without checking the whole polygon again, which
        // costs more than the union on a national cluster. A hole that touches a ring of its
        // piece (a hole meeting its own part's shell at a point is valid, but not proven so
        // here) sends the group to the plain union.
        var holesOf = [[[Coordinate]]](repeating: [], count: pieces.count)
        let located = try pieces.map { try PreparedGeometry($0) }
        for hole in aside {
            guard let first = hole.first else { continue }
            let area = try Geometry.polygon(exterior: hole)
            var home = -1
            for (k, index) in located.enumerated() where pieces[k].envelope.contains(x: first.x, y: first.y) {
                if try index.containsProperly(area) { home = k; break }
            }
            guard home >= 0 else { return nil }
            holesOf[home].append(hole)
        }
        for k in pieces.indices where !holesOf[k].isEmpty {
            guard let rings = try pieces[k].polygonRings().first else { return nil }
            pieces[k] = try Geometry.polygon(exterior: rings[0], holes: Array(rings.dropFirst()) + holesOf[k])
        }
        return pieces
    }
}
