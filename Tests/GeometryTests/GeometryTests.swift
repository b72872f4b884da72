import Foundation
import Testing
@testable import Geometry

@Suite("Geometry: measurement, set operations, validity")
struct GeometryTests {
    @Test("areas of known shapes", arguments: [
        ("POLYGON((0 0, 4 0, 4 3, 0 3, 0 0))", 12.0),
        ("POLYGON((0 0, 4 0, 0 3, 0 0))", 6.0),                        // right triangle
        ("POLYGON((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 4 2, 4 4, 2 4, 2 2))", 96.0), // hole
        ("MULTIPOLYGON(((0 0, 1 0, 1 1, 0 1, 0 0)), ((5 5, 7 5, 7 7, 5 7, 5 5)))", 5.0),
        ("LINESTRING(0 0, 3 4)", 0.0),
        ("POINT(1 1)", 0.0),
    ])
    func knownAreas(wkt: String, expected: Double) throws {
        #expect(try Geometry(wkt: wkt).area() == expected)
    }

    @Test func twoOverlappingSquares() throws {
        let a = try Geometry(wkt: "POLYGON((0 0, 2 0, 2 2, 0 2, 0 0))")
        let b = try Geometry(wkt: "POLYGON((1 1, 3 1, 3 3, 1 3, 1 1))")
        #expect(try a.intersection(with: b).area() == 1)
        #expect(try a.union(with: b).area() == 7)
        #expect(try a.difference(b).area() == 3)
        #expect(try Geometry.union(of: [a, b]).area() == 7)
        #expect(try Geometry.collection([a, b]).unaryUnion().area() == 7)
        let inter = try a.intersection(with: b).envelope
        #expect(inter == Envelope(minX: 1, minY: 1, maxX: 2, maxY: 2))
    }

    @Test func bowtieIsInvalidAndRepairsToTwoTriangles() throws {
        // Two triangles touching at (1 1): each has area 1 (base 2, height 1).
        let bowtie = try Geometry(wkt: "POLYGON((0 0, 2 2, 2 0, 0 2, 0 0))")
        let check = try bowtie.validity()
        #expect(!check.isValid)
        #expect(check.reason.contains("Self-intersection"))
        let repaired = try bowtie.makeValid()
        #expect(repaired.isValid)
        #expect(repaired.kind == .multiPolygon)
        #expect(repaired.partCount == 2)
        #expect(abs(try repaired.area() - 2) < 1e-12)
    }

    @Test func validGeometryReportsValid() throws {
        let square = try Geometry(wkt: "POLYGON((0 0, 1 0, 1 1, 0 1, 0 0))")
        #expect(try square.validity() == Validity(isValid: true, reason: "Valid Geometry"))
        #expect(try square.makeValid().area() == 1)
    }

    @Test("disk area within the inscribed-polygon bound", arguments: [4, 8, 16, 32])
    func diskArea(quadrantSegments: Int) throws {
        let r = 1000.0
        let disk = try Geometry.point(x: 383_000, y: 398_000).buffer(by: r, quadrantSegments: quadrantSegments)
        let n = Double(4 * quadrantSegments)
        // A regular n-gon inscribed in a circle of radius r has area n r² sin(2π/n) / 2.
        let inscribed = n * r * r * sin(2 * .pi / n) / 2
        let area = try disk.area()
        #expect(abs(area - inscribed) / inscribed < 1e-9)
        #expect(area < .pi * r * r)
        #expect(disk.vertexCount == Int(n) + 1)
    }

    @Test func bufferOfMultiPointIsUnionOfDisks() throws {
        // Two unit-radius disks 10 apart do not meet: area is twice one disk.
        let pair = try Geometry.multiPoint(xs: [0, 10], ys: [0, 0]).buffer(by: 1, quadrantSegments: 8)
        let one = try Geometry.point(x: 0, y: 0).buffer(by: 1, quadrantSegments: 8)
        #expect(abs(try pair.area() - 2 * one.area()) < 1e-9)
        // Two disks of radius 1 with centres 1 apart overlap in a lens of area 2π/3 − √3/2.
        let overlapping = try Geometry.multiPoint(xs: [0, 1], ys: [0, 0]).buffer(by: 1, quadrantSegments: 64)
        let exact = 2 * Double.pi - (2 * Double.pi / 3 - 3.0.squareRoot() / 2)
        #expect(abs(try overlapping.area() - exact) / exact < 0.002)
    }

    @Test func clipByRectangle() throws {
        let square = try Geometry(wkt: "POLYGON((0 0, 10 0, 10 10, 0 10, 0 0))")
        let clipped = try square.clipped(to: Envelope(minX: 5, minY: -5, maxX: 15, maxY: 5))
        #expect(try clipped.area() == 25)
    }

    @Test func wkbRoundTrip() throws {
        let polygon = try Geometry(wkt: "POLYGON((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 4 2, 4 4, 2 4, 2 2))")
        let bytes = try polygon.wkb()
        #expect(bytes.first == 1) // little-endian
        let back = try Geometry(wkb: bytes)
        #expect(back.wkt == polygon.wkt)
        #expect(try back.area() == 96)
    }

    @Test func corruptWKBThrowsWithGEOSMessage() throws {
        do {
            _ = try Geometry(wkb: [1, 3, 0, 0, 0, 1])
            Issue.record("corrupt WKB was accepted")
        } catch let error as GEOSError {
            #expect(error.operation == "WKB read")
            #expect(!error.message.isEmpty)
        }
    }

    @Test func invalidWKTThrows() {
        #expect(throws: GEOSError.self) { try Geometry(wkt: "POLYGON((0 0, 1") }
    }

    @Test func polygonFromCoordinatesClosesRing() throws {
        let p = try Geometry.polygon(exterior: [
            Coordinate(x: 0, y: 0), Coordinate(x: 2, y: 0), Coordinate(x: 2, y: 2), Coordinate(x: 0, y: 2),
        ])
        #expect(try p.area() == 4)
        let rings = try p.polygonRings()
        #expect(rings.count == 1 && rings[0].count == 1 && rings[0][0].count == 5)
    }

    @Test func envelopeAndParts() throws {
        let m = try Geometry(wkt: "MULTIPOLYGON(((0 0, 1 0, 1 1, 0 1, 0 0)), ((5 5, 7 5, 7 7, 5 7, 5 5)))")
        #expect(m.envelope == Envelope(minX: 0, minY: 0, maxX: 7, maxY: 7))
        #expect(m.parts.map { try! $0.area() } == [1, 4])
        #expect(try Geometry.emptyPolygon().envelope.isEmpty)
    }
}

@Suite("Prepared geometry and STRtree")
struct IndexTests {
    @Test func preparedPredicates() throws {
        let square = try PreparedGeometry(Geometry(wkt: "POLYGON((0 0, 10 0, 10 10, 0 10, 0 0), (4 4, 6 4, 6 6, 4 6, 4 4))"))
        #expect(try square.covers(x: 1, y: 1))
        #expect(try !square.covers(x: 5, y: 5))      // in the hole
        #expect(try square.covers(x: 0, y: 5))       // on the boundary
        #expect(try !square.covers(x: 11, y: 5))
        let inner = try Geometry(wkt: "POLYGON((1 1, 2 1, 2 2, 1 2, 1 1))")
        let crossing = try Geometry(wkt: "POLYGON((9 9, 12 9, 12 12, 9 12, 9 9))")
        #expect(try square.contains(inner))
        #expect(try !square.contains(crossing))
        #expect(try square.intersects(crossing))
    }

    @Test func strTreeQueryMatchesBruteForce() throws {
        var envelopes: [Envelope] = []
        var state: UInt64 = 42
        func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53) * 1000
        }
        for _ in 0..<500 {
            let x = next(), y = next()
            envelopes.append(Envelope(minX: x, minY: y, maxX: x + next() / 20, maxY: y + next() / 20))
        }
        let tree = try STRtree(envelopes: envelopes)
        for _ in 0..<50 {
            let x = next(), y = next()
            let q = Envelope(minX: x, minY: y, maxX: x + 100, maxY: y + 100)
            let expected = envelopes.indices.filter { envelopes[$0].intersects(q) }
            #expect(try tree.query(q) == expected)
        }
    }

    @Test func contextsArePerThreadAndErrorsStayOnTheirThread() async throws {
        // Many threads doing GEOS work at once, each with its own context.
        try await withThrowingTaskGroup(of: Double.self) { group in
            for i in 0..<8 {
                group.addTask {
                    var total = 0.0
                    for j in 0..<200 {
                        let d = try Geometry.point(x: Double(i), y: Double(j)).buffer(by: 1)
                        total += try d.area()
                        #expect(throws: GEOSError.self) { try Geometry(wkt: "POINT(") }
                    }
                    return total
                }
            }
            var sum = 0.0
            for try await t in group { sum += t }
            let one = try Geometry.point(x: 0, y: 0).buffer(by: 1).area()
            #expect(abs(sum - 1600 * one) < 1e-6)
        }
    }
}
