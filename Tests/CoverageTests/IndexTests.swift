import Foundation
import GeoIO
import Geometry
import Projection
import Testing
import TestSupport
@testable import Coverage

/// A small deterministic generator for test data.
struct TestRandom {
    var state: UInt64
    mutating func next() -> Double {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Double(state >> 11) / Double(1 << 53)
    }
    mutating func uniform(_ a: Double, _ b: Double) -> Double { a + (b - a) * next() }
}

@Suite("Point grid")
struct PointGridTests {
    @Test func nearestMatchesBruteForce() {
        var rng = TestRandom(state: 1)
        let xs = (0..<2000).map { _ in rng.uniform(0, 50_000) }
        let ys = (0..<2000).map { _ in rng.uniform(0, 30_000) }
        let grid = PointGrid(xs: xs, ys: ys)
        for _ in 0..<3000 {
            // Queries inside, around and far outside the points' extent.
            let x = rng.uniform(-80_000, 130_000), y = rng.uniform(-80_000, 110_000)
            var best = -1, bestD = Double.infinity
            for i in xs.indices {
                let d = hypot(xs[i] - x, ys[i] - y)
                if d < bestD { bestD = d; best = i }
            }
            let hit = grid.nearest(x: x, y: y)
            #expect(hit?.index == best)
            #expect(abs((hit?.distance ?? -1) - bestD) < 1e-9)
            // With a cap, nothing beyond it.
            let capped = grid.nearest(x: x, y: y, maxDistance: 1000)
            if bestD <= 1000 { #expect(capped?.index == best) } else { #expect(capped == nil) }
        }
    }

    @Test func anyWithinUsesEachPointsRadiusInclusively() {
        let grid = PointGrid(xs: [0, 10_000], ys: [0, 0], cellSize: 5000)
        let radii = [5000.0, 100.0]
        #expect(grid.anyWithin(x: 5000, y: 0, radii: radii, maxRadius: 5000))     // exactly on the rim
        #expect(!grid.anyWithin(x: 5000.001, y: 0, radii: radii, maxRadius: 5000))
        #expect(grid.anyWithin(x: 10_050, y: 0, radii: radii, maxRadius: 5000))
        #expect(!grid.anyWithin(x: 9_850, y: 0, radii: radii, maxRadius: 5000))
    }

    @Test func emptyGridFindsNothing() {
        let grid = PointGrid(xs: [], ys: [])
        #expect(grid.nearest(x: 0, y: 0) == nil)
        #expect(grid.indices(minX: -1, minY: -1, maxX: 1, maxY: 1).isEmpty)
    }
}

@Suite("Polygon locator")
struct PolygonLocatorTests {
    /// The first polygon (in order) that covers the point, by plain GEOS calls.
    func bruteForce(_ polygons: [Geometry], _ x: Double, _ y: Double) throws -> Int32 {
        let point = try Geometry.point(x: x, y: y)
        for (i, p) in polygons.enumerated() where try PreparedGeometry(p).covers(point) { return Int32(i) }
        return -1
    }

    @Test func matchesGEOSOnGreaterManchester() throws {
        // The 10 districts: random points plus every boundary vertex (on the boundary: covered).
        let wkts = try readDistricts()
        var rng = TestRandom(state: 7)
        var xs: [Double] = [], ys: [Double] = []
        let extent = wkts.reduce(Envelope.empty) { $0.union($1.envelope) }
        for _ in 0..<4000 {
            xs.append(rng.uniform(extent.minX - 2000, extent.maxX + 2000))
            ys.append(rng.uniform(extent.minY - 2000, extent.maxY + 2000))
        }
        for rings in try wkts[3].polygonRings() { for c in rings[0].prefix(200) { xs.append(c.x); ys.append(c.y) } }
        let locator = try PolygonLocator(polygons: wkts, cellSize: 500)
        let located = try locator.locate(xs: xs, ys: ys)
        for i in xs.indices {
            #expect(located[i] == (try bruteForce(wkts, xs[i], ys[i])), "point \(i) (\(xs[i]), \(ys[i]))")
        }
        #expect(locator.borderCellShare > 0 && locator.borderCellShare < 0.5)
    }

    @Test func holesOverlapsAndOrder() throws {
        // A: 0..100 square with a hole 40..60; B: the hole's square (an island authority);
        // C overlaps A's east part and comes later, so A wins there.
        let a = try Geometry(wkt: "POLYGON((0 0, 100 0, 100 100, 0 100, 0 0), (40 40, 60 40, 60 60, 40 60, 40 40))")
        let b = try Geometry(wkt: "POLYGON((40 40, 60 40, 60 60, 40 60, 40 40))")
        let c = try Geometry(wkt: "POLYGON((90 0, 200 0, 200 100, 90 100, 90 0))")
        let locator = try PolygonLocator(polygons: [a, b, c], cellSize: 7)
        let xs: [Double] = [10, 50, 95, 150, 300, 40, 100, -1, .nan]
        let ys: [Double] = [10, 50, 50, 50, 50, 50, 50, 50, 0]
        let got = try locator.locate(xs: xs, ys: ys)
        // (40,50) lies on the hole's edge: covered by A (first) and by B.
        #expect(got == [0, 1, 0, 2, -1, 0, 0, -1, -1])
    }

    func readDistricts() throws -> [Geometry] {
        try FeatureReader.read(path: TestPaths.repo("GeoData/boundaries/greater-manchester.gpkg"), layer: "districts",
                               geometry: .polygons, workingCRS: .britishNationalGrid).geometries
    }
}
