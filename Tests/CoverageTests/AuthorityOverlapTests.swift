import Foundation
import Geometry
import Testing
@testable import Coverage

/// Overlapping authority polygons are found with their overlap area, so the area summed twice
/// is reported (docs/MODEL.md, "Statistics per authority").
@Suite("Authority overlaps")
struct AuthorityOverlapTests {
    static func square(_ code: String, x: Double, y: Double, side: Double) throws -> Authority {
        let ring = [Coordinate(x: x, y: y), Coordinate(x: x + side, y: y), Coordinate(x: x + side, y: y + side),
                    Coordinate(x: x, y: y + side), Coordinate(x: x, y: y)]
        return try Authority(code: code, name: code, geometry: Geometry.polygon(exterior: ring))
    }

    /// Hand-made squares (metres): A and B overlap in [4000, 5000] × [1000, 5000] = 4,000,000 m²;
    /// C only touches B along x = 9000 (area 0); D, a 1 m square centred on A's corner, overlaps
    /// A by 0.5 m × 0.5 m = 0.25 m², under the 1 m² tolerance; E lies far away.
    static func authorities() throws -> [Authority] {
        [
            try square("A", x: 0, y: 0, side: 5000),
            try square("B", x: 4000, y: 1000, side: 5000),
            try square("C", x: 9000, y: 1000, side: 3000),
            try square("D", x: -0.5, y: -0.5, side: 1.0),
            try square("E", x: 100_000, y: 100_000, side: 1000),
        ]
    }

    @Test func overlapsAreFoundWithTheirArea() throws {
        let all = try Self.authorities()
        let overlaps = try AuthorityOverlaps.find(all, planned: Array(all.indices))
        #expect(overlaps.count == 1)
        let o = try #require(overlaps.first)
        #expect(o.first == 0 && o.second == 1)
        #expect(abs(o.areaM2 - 4_000_000) < 1e-6)
    }

    /// A square of side s centred on A's corner overlaps A by (s/2)²: 0.25 m² for 1 m, exactly
    /// 1 m² for 2 m (not more than the tolerance), 2.25 m² for 3 m (reported).
    @Test func toleranceIsOneSquareMetre() throws {
        let a = try Self.square("A", x: 0, y: 0, side: 5000)
        for (side, reported) in [(1.0, false), (2.0, false), (3.0, true)] {
            let d = try Self.square("D", x: -side / 2, y: -side / 2, side: side)
            let overlaps = try AuthorityOverlaps.find([a, d], planned: [0, 1])
            #expect(overlaps.isEmpty != reported, "side \(side)")
            if reported { #expect(abs((overlaps.first?.areaM2 ?? 0) - side * side / 4) < 1e-9) }
        }
    }

    /// A pair is reported when at least one of the two is planned; two authorities that are
    /// both left out change no figure.
    @Test func onlyPairsWithAPlannedAuthority() throws {
        let all = try Self.authorities()
        #expect(try AuthorityOverlaps.find(all, planned: [1]).map(\.second) == [1])
        #expect(try AuthorityOverlaps.find(all, planned: [2, 4]).isEmpty)
    }
}
