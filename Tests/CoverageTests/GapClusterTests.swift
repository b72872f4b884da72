import Foundation
import Geometry
import Testing
@testable import Coverage

/// Gap clusters worked by hand (docs/MODEL.md, "Shared gaps").
///
/// Four 1 km squares in a row, metres: A [0, 1000], B [1000, 2000], C [2000, 3000] and, apart,
/// D [5000, 6000], all y in [0, 1000]. Gaps at superfast (30 Mbit/s):
///
///   A: [500, 1000] × [0, 1000] (0.5 km²) and an island [0, 100] × [0, 100] (0.01 km²)
///   B: [1000, 2000] × [400, 600] (0.2 km²): touches A's and C's gaps along x = 1000 and 2000
///   C: [2000, 2300] × [0, 1000] (0.3 km²)
///   D: [5000, 5500] × [0, 500] (0.25 km²)
///
/// So three clusters, ordered by envelope corner: `0_0` (A's island, 0.01 km²), `500_0` (A, B
/// and C: 1.0 km², the one crossing borders) and `5000_0` (D, 0.25 km²).
///
/// Premises (x, y, authority, Mbit/s, households):
///
///   p0 (700, 500)   A  10  15  in 500_0
///   p1 (1500, 500)  B   5  20  in 500_0
///   p2 (2100, 900)  C   0   7  in 500_0
///   p3 (2500, 500)  C  50 100  at the tier: not in the gap
///   p4 (2600, 500)  C  10   3  below the tier, outside every gap polygon: counted outside
///   p5 (50, 50)     A   2   4  in 0_0
///   p6 (5200, 200)  D   1   9  in 5000_0
///   p7 (9000, 9000) —   0  50  outside every authority: ignored
///
/// Gap households: A 15 + 4 = 19, of which 15 cross-border (15/19); B 20 of 20; C 7 + 3 = 10,
/// of which 7 (0.7); D 9, none.
@Suite("Gap clusters")
struct GapClusterTests {
    static func rectangle(_ minX: Double, _ minY: Double, _ maxX: Double, _ maxY: Double) throws -> Geometry {
        try Geometry.rectangle(Envelope(minX: minX, minY: minY, maxX: maxX, maxY: maxY))
    }

    static func authority(_ code: String, _ minX: Double) throws -> Authority {
        try Authority(code: code, name: code, geometry: rectangle(minX, 0, minX + 1000, 1000))
    }

    static func classification(authority: [Int32], mbps: [Double]) -> Classification {
        Classification(authority: authority, bestMbps: mbps, tier: [Int8](repeating: -1, count: mbps.count),
                       ngaOperators: [UInt8](repeating: 0, count: mbps.count), bestNetwork: [Int16](repeating: -1, count: mbps.count))
    }

    static let superfast = Tier(name: "superfast", mbps: 30)

    func threeAuthorityCase() throws -> TierGapClusters {
        let authorities = try ["A", "B", "C"].enumerated().map { try Self.authority($1, Double($0) * 1000) } + [try Self.authority("D", 5000)]
        let gaps: [(authority: Int, gap: Geometry)] = [
            (0, try Geometry.multiPolygon([try Self.rectangle(500, 0, 1000, 1000), try Self.rectangle(0, 0, 100, 100)])),
            (1, try Self.rectangle(1000, 400, 2000, 600)),
            (2, try Self.rectangle(2000, 0, 2300, 1000)),
            (3, try Self.rectangle(5000, 0, 5500, 500)),
        ]
        let premises = PremisesTable(xs: [700, 1500, 2100, 2500, 2600, 50, 5200, 9000],
                                     ys: [500, 500, 900, 500, 500, 50, 200, 9000],
                                     households: [15, 20, 7, 100, 3, 4, 9, 50])
        let c = Self.classification(authority: [0, 1, 2, 2, 2, 0, 3, -1], mbps: [10, 5, 0, 50, 10, 2, 1, 0])
        return try GapClusters.build(tier: Self.superfast, gaps: gaps, authorities: authorities, premises: premises, classification: c)
    }

    @Test func aClusterSpansThreeAuthorities() throws {
        let t = try threeAuthorityCase()
        #expect(t.clusters.map(\.id) == ["0_0", "500_0", "5000_0"])
        let shared = t.clusters[1]
        #expect(shared.crossesBorder)
        #expect(abs(shared.areaKm2 - 1.0) < 1e-9)
        #expect(shared.shares.map(\.code) == ["A", "B", "C"])
        let expected: [(area: Double, households: Double)] = [(0.5, 15), (0.2, 20), (0.3, 7)]
        for (share, (area, households)) in zip(shared.shares, expected) {
            #expect(abs(share.areaKm2 - area) < 1e-9, "\(share.code)")
            #expect(share.households == households, "\(share.code)")
            #expect(share.premises == 1, "\(share.code)")
        }
        #expect(shared.households == 42)
        #expect(t.crossBorder.map(\.id) == ["500_0"])
    }

    @Test func clustersWithinOneAuthority() throws {
        let t = try threeAuthorityCase()
        let island = t.clusters[0], d = t.clusters[2]
        #expect(!island.crossesBorder && !d.crossesBorder)
        #expect(island.shares.map(\.code) == ["A"] && island.households == 4)
        #expect(abs(island.areaKm2 - 0.01) < 1e-12)
        #expect(d.shares.map(\.code) == ["D"] && d.households == 9 && abs(d.areaKm2 - 0.25) < 1e-9)
    }

    /// The premises below the tier outside every polygon is counted, not dropped; each
    /// authority's share of gap households in cross-border clusters.
    @Test func sharesPerAuthority() throws {
        let t = try threeAuthorityCase()
        #expect(t.premisesOutside == 1 && t.householdsOutside == 3)
        #expect(t.authorities.map(\.code) == ["A", "B", "C", "D"])
        #expect(t.authorities.map(\.gapHouseholds) == [19, 20, 10, 9])
        #expect(t.authorities.map(\.crossBorderHouseholds) == [15, 20, 7, 0])
        #expect(abs(t.authorities[0].crossBorderShare - 15.0 / 19) < 1e-12)
        #expect(t.authorities[1].crossBorderShare == 1 && t.authorities[2].crossBorderShare == 0.7 && t.authorities[3].crossBorderShare == 0)
    }

    /// Gaps meeting only at a corner point stay two clusters (the polygons of a valid union).
    @Test func cornerContactDoesNotJoin() throws {
        let authorities = [try Authority(code: "E", name: "E", geometry: Self.rectangle(0, 0, 1000, 1000)),
                           try Authority(code: "F", name: "F", geometry: Self.rectangle(1000, 1000, 2000, 2000))]
        let t = try GapClusters.build(
            tier: Self.superfast, gaps: [(0, authorities[0].geometry), (1, authorities[1].geometry)], authorities: authorities,
            premises: PremisesTable(xs: [], ys: [], households: []), classification: Self.classification(authority: [], mbps: []))
        #expect(t.clusters.map(\.id) == ["0_0", "1000_1000"])
        #expect(t.crossBorder.isEmpty)
    }

    /// The dissolve unions only parts that meet, with untouched holes set aside: it must give
    /// the polygons of one plain union of everything, holes included.
    ///
    ///   A's gap: [0, 1000]² with holes [200, 400]² (nothing near: set aside), [500, 800]²,
    ///            holding A's own island [600, 700]² (a cluster of its own inside the hole),
    ///            and [900, 980] × [100, 200], which B's sliver reaches into (overlapping
    ///            boundary data): that hole must go through the union, which fills part of it.
    ///   B's gap: [1000, 2000] × [0, 1000] with a hole [1300, 1500]², and a sliver
    ///            [960, 1000] × [120, 180] lying over A (half in A's hole, half on A's gap).
    ///   C's gap: [5000, 5100]², far away (alone: not unioned at all).
    @Test func dissolvingByGroupsGivesThePlainUnion() throws {
        func square(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> [Coordinate] {
            [Coordinate(x: x0, y: y0), Coordinate(x: x1, y: y0), Coordinate(x: x1, y: y1), Coordinate(x: x0, y: y1), Coordinate(x: x0, y: y0)]
        }
        let a = try Geometry.polygon(exterior: square(0, 0, 1000, 1000),
                                     holes: [square(200, 200, 400, 400), square(500, 500, 800, 800), square(900, 100, 980, 200)])
        let island = try Self.rectangle(600, 600, 700, 700)
        let b = try Geometry.polygon(exterior: square(1000, 0, 2000, 1000), holes: [square(1300, 300, 1500, 500)])
        let sliver = try Self.rectangle(960, 120, 1000, 180)
        let c = try Self.rectangle(5000, 5000, 5100, 5100)
        let parts = [a, island, b, sliver, c]
        let pieces = try GapClusters.dissolve(parts, owner: [0, 0, 1, 1, 2])
        let plain = try Geometry.union(of: parts).flattened
        #expect(pieces.count == plain.count && pieces.count == 3)
        let valid = pieces.map { $0.isValid }
        #expect(valid == [true, true, true])
        let together = try Geometry.union(of: pieces)
        let reference = try Geometry.union(of: plain)
        let (area, referenceArea) = (try together.area(), try reference.area())
        #expect(area == referenceArea)
        let (extra, missing) = (try together.difference(reference).area(), try reference.difference(together).area())
        #expect(extra == 0 && missing == 0)
        // By hand: A's and B's squares (2,000,000 m²) less A's holes 200², 300², 80 × 100 and
        // B's 200², plus the island (100²), the sliver's 20 × 60 inside A's hole, and C (100²).
        #expect(area == 2_000_000 - 40_000 - 90_000 - 8_000 - 40_000 + 10_000 + 1_200 + 10_000)
        // Holes: the big piece keeps [200, 400]² (set aside, put back), [500, 800]², what is
        // left of [900, 980] × [100, 200] (one ring) and B's [1300, 1500]².
        let areas = try pieces.map { try $0.area() }
        let big = try #require(areas.indices.max { areas[$0] < areas[$1] })
        let rings = try pieces[big].polygonRings()
        #expect(rings.first?.count == 5)
    }

    /// A hole meeting its own shell at one point is valid, but putting it back is not proven
    /// safe: the group falls back to the plain union, with the same result.
    ///
    ///   A's gap: [0, 1000]² with a triangular hole (0, 500), (300, 400), (300, 600) touching its
    ///            west edge at (0, 500), and a square hole [600, 800] × [400, 600];
    ///   B's gap: [1000, 2000] × [0, 1000], sharing A's east edge.
    @Test func aHoleTouchingItsShellFallsBackToThePlainUnion() throws {
        func ring(_ points: [(Double, Double)]) -> [Coordinate] { (points + [points[0]]).map { Coordinate(x: $0.0, y: $0.1) } }
        let a = try Geometry.polygon(exterior: ring([(0, 0), (1000, 0), (1000, 1000), (0, 1000)]),
                                     holes: [ring([(0, 500), (300, 400), (300, 600)]), ring([(600, 400), (800, 400), (800, 600), (600, 600)])])
        #expect(a.isValid)
        let b = try Self.rectangle(1000, 0, 2000, 1000)
        let pieces = try GapClusters.dissolve([a, b], owner: [0, 1])
        #expect(pieces.count == 1)
        let valid = pieces.map { $0.isValid }
        #expect(valid == [true])
        // 2,000,000 m² less the triangle (base 200, height 300) and the square (200²).
        let area = try #require(try pieces.first?.area())
        #expect(area - (2_000_000 - 30_000 - 40_000) == 0)
        #expect(try pieces.first?.polygonRings().first?.count == 3)
    }

    /// A tier met everywhere leaves no gap and no cluster; the same inputs give the same ids.
    @Test func emptyGapsAndStableIds() throws {
        let a = try Self.authority("A", 0)
        let none = try GapClusters.build(tier: Self.superfast, gaps: [(0, try Geometry.emptyPolygon())], authorities: [a],
                                         premises: PremisesTable(xs: [10], ys: [10], households: [5]),
                                         classification: Self.classification(authority: [0], mbps: [100]))
        #expect(none.clusters.isEmpty && none.authorities.map(\.gapHouseholds) == [0])
        #expect(try threeAuthorityCase().clusters.map(\.id) == threeAuthorityCase().clusters.map(\.id))
    }
}
