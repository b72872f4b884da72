import Foundation
import Geometry
import Projection
import Testing
import TestSupport
@testable import GeoIO

/// GeoJSON's 7-decimal grid: plain rounding where it keeps polygons valid (WKBGrid), GEOS's
/// snap-rounding where it does not, and the written file read back.
@Suite("GeoJSON: snapping to the 7-decimal grid")
struct GeoJSONGridTests {
    static let u = 1e-7
    /// Grid units from (-2°, 53°).
    func c(_ x: Double, _ y: Double) -> Coordinate { Coordinate(x: -2 + x * Self.u, y: 53 + y * Self.u) }

    /// The polygons of a GeoJSON geometry object as rings of (x, y).
    static func polygons(_ geometry: [String: Any]) throws -> [[[Coordinate]]] {
        let raw: [[[[Double]]]]
        switch geometry["type"] as? String {
        case "Polygon": raw = [try #require(geometry["coordinates"] as? [[[Double]]])]
        case "MultiPolygon": raw = try #require(geometry["coordinates"] as? [[[[Double]]]])
        default: throw GeoIOError(path: "", "not polygonal: \(geometry)")
        }
        return raw.map { $0.map { $0.map { Coordinate(x: $0[0], y: $0[1]) } } }
    }

    static func geometry(_ polygons: [[[Coordinate]]]) throws -> Geometry {
        let parts = try polygons.map { try Geometry.polygon(exterior: $0[0], holes: Array($0.dropFirst())) }
        return parts.count == 1 ? parts[0] : try Geometry.multiPolygon(parts)
    }

    static func signedArea(_ ring: [Coordinate]) -> Double {
        zip(ring, ring.dropFirst()).reduce(0) { $0 + $1.0.x * $1.1.y - $1.1.x * $1.0.y } / 2
    }

    /// Writes `layer` as GeoJSON and returns each feature's geometry object (nil: none).
    static func write(_ layer: OutputLayer, crs: CRS, threads: Int = 1) throws -> (path: String, geometries: [[String: Any]?]) {
        let path = TestPaths.temporaryDirectory("geojson-grid").appendingPathComponent("\(layer.name).geojson").path
        let writer = try VectorWriter(path: path, format: .geoJSON, crs: crs, threads: threads)
        try writer.write(layer)
        try writer.close()
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        let features = try #require(json["features"] as? [[String: Any]])
        return (path, features.map { $0["geometry"] as? [String: Any] })
    }

    // MARK: - WKBGrid

    @Test func roundingMergesRepeatedVerticesAndDropsCollapsedRings() throws {
        // A 100 x 100 unit square (vertices off the grid, one repeated after rounding) with a
        // hole that collapses (all within one grid cell) and a hole that stays.
        let shell = [c(0.2, 0.1), c(100.3, -0.2), c(100.1, 0.3), c(99.8, 100.4), c(0.1, 99.6), c(0.2, 0.1)]
        let tiny = [c(10.1, 10.1), c(10.2, 10.1), c(10.2, 10.2), c(10.1, 10.1)]
        let hole = [c(40, 40), c(40, 60), c(60, 60), c(60, 40), c(40, 40)]
        let polygon = try Geometry.polygon(exterior: shell, holes: [tiny, hole])
        // A second part that collapses to a line.
        let line = try Geometry.polygon(exterior: [c(200, 0), c(300, 0.1), c(300, -0.1), c(200, 0)])
        let input = try Geometry.multiPolygon([polygon, line])
        let rounded = try #require(WKBGrid.roundedPolygons(try input.wkb(), gridSize: Self.u))
        let g = try Geometry(wkb: rounded)
        #expect(g.kind == .polygon)
        let rings = try g.polygonRings()
        #expect(rings.map(\.count) == [2])
        #expect(rings[0][0].count == 5 && rings[0][1].count == 5)
        for ring in rings[0] {
            for p in ring {
                #expect(abs(p.x * 1e7 - (p.x * 1e7).rounded()) < 1e-6 && abs(p.y * 1e7 - (p.y * 1e7).rounded()) < 1e-6, "\(p) off the grid")
            }
        }
        #expect(g.isValid)
        #expect(abs(try g.area() - (10_000 - 400) * Self.u * Self.u) < 1e-9 * Self.u * Self.u * 10_000)

        // The same in big-endian WKB gives the same bytes.
        var big: [UInt8] = []
        func be32(_ v: Int) { withUnsafeBytes(of: UInt32(v).bigEndian) { big.append(contentsOf: $0) } }
        big.append(0); be32(6); be32(2)
        for rings in [[shell, tiny, hole], [[c(200, 0), c(300, 0.1), c(300, -0.1), c(200, 0)]]] {
            big.append(0); be32(3); be32(rings.count)
            for ring in rings {
                be32(ring.count)
                for p in ring { for v in [p.x, p.y] { withUnsafeBytes(of: v.bitPattern.bigEndian) { big.append(contentsOf: $0) } } }
            }
        }
        #expect(WKBGrid.roundedPolygons(big, gridSize: Self.u) == rounded)

        // Everything collapsed: empty; not polygonal or truncated: nil.
        #expect(WKBGrid.roundedPolygons(try line.wkb(), gridSize: Self.u) == [])
        #expect(WKBGrid.roundedPolygons(try Geometry.point(x: 1, y: 2).wkb(), gridSize: Self.u) == nil)
        #expect(WKBGrid.roundedPolygons(Array(try input.wkb().dropLast()), gridSize: Self.u) == nil)
    }

    // MARK: - The text

    @Test func coordinatesHaveAtMostSevenDecimals() {
        func text(_ v: Double) -> String {
            var out: [UInt8] = []
            GeoJSONText.number(v, into: &out)
            return String(decoding: out, as: UTF8.self)
        }
        #expect(text(53) == "53" && text(-2) == "-2" && text(0) == "0")
        #expect(text(-0.00000004) == "0", "no -0")
        #expect(text(-2.1234567) == "-2.1234567" && text(53.47) == "53.47" && text(1e-7) == "0.0000001")
        #expect(text(-2.12345675000001) == "-2.1234568" && text(179.99999999) == "180")
        #expect(text(-0.5e-7 - 1e-12) == "-0.0000001")
    }

    /// Properties of every type, with text that needs escaping, read back by Foundation's JSON
    /// parser and by GDAL as the same values and types.
    @Test func propertiesReadBackWithTheirTypes() throws {
        let fields: [(name: String, type: FieldType)] = [("i", .integer), ("r", .real), ("s", .string), ("n", .string)]
        let texts = ["quote \" backslash \\ slash /", "line\nbreak\ttab\r\u{1}\u{1F}", "Café ☕ 😀 \u{2028}", ""]
        let reals = [1.0, 1e-5, 123_456_789.125, -0.5]
        let integers: [Int64] = [.max, .min, 0, -1]
        var features: [(geometry: Geometry?, values: [AttributeValue])] = []
        for k in 0..<4 {
            let square = try Geometry.rectangle(Envelope(minX: 383_000 + Double(k) * 100, minY: 398_000, maxX: 383_050 + Double(k) * 100, maxY: 398_050))
            features.append((square, [.integer(integers[k]), .real(reals[k]), .string(texts[k]), k == 3 ? .string("x") : .null]))
        }
        features.append((nil, [.null, .real(.infinity), .null, .null]))
        let layer = OutputLayer(name: "typed", kind: .polygon, fields: fields, features: features)
        let written = try Self.write(layer, crs: VectorWriterTests.bng)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: written.path))) as? [String: Any])
        let properties = try #require(json["features"] as? [[String: Any]]).map { $0["properties"] as? [String: Any] ?? [:] }
        #expect(properties.count == 5)
        for k in 0..<4 {
            #expect((properties[k]["i"] as? NSNumber)?.int64Value == integers[k])
            #expect((properties[k]["r"] as? NSNumber)?.doubleValue == reals[k])
            #expect(properties[k]["s"] as? String == texts[k])
            #expect(k == 3 ? properties[k]["n"] as? String == "x" : properties[k]["n"] is NSNull)
        }
        #expect(properties[4]["r"] is NSNull && properties[4]["i"] is NSNull && written.geometries[4] == nil)

        // GDAL: integers as 64-bit integers, reals as reals, strings as strings.
        var kept = layer
        kept.features.removeLast()
        let path = try Self.write(kept, crs: VectorWriterTests.bng).path
        let back = try FeatureReader.read(path: path, fields: fields.map(\.name), geometry: .polygons, workingCRS: VectorWriterTests.bng)
        #expect(back.attributes["i"] == integers.map { .integer($0) })
        #expect(back.attributes["r"] == reals.map { .real($0) })
        #expect(back.attributes["s"] == texts.map { .string($0) })
        #expect(back.attributes["n"] == [.null, .null, .null, .string("x")])
        for g in back.geometries { #expect(abs(try g.area() - 2500) < 0.5) }
    }

    // MARK: - The writer

    /// Two 10 x 10 unit squares joined by a neck 0.4 units wide: plain rounding folds the neck
    /// onto one line (an invalid ring), so the writer must repair it (the repair adds no vertex
    /// off the grid) and still write a valid geometry holding both squares.
    @Test func aNeckNarrowerThanTheGridIsSnappedNotPinched() throws {
        let ring = [
            c(0, 0), c(10, 0), c(10, 5), c(20, 5), c(20, 0), c(30, 0), c(30, 10), c(20, 10), c(20, 5.4), c(10, 5.4), c(10, 10), c(0, 10),
            c(0, 0),
        ]
        let polygon = try Geometry.polygon(exterior: ring)
        #expect(polygon.isValid)
        let naive = try #require(WKBGrid.roundedPolygons(try polygon.wkb(), gridSize: Self.u))
        #expect(!(try Geometry(wkb: naive).isValid), "the test needs a polygon that plain rounding makes invalid")

        let layer = OutputLayer(name: "neck", kind: .polygon, fields: [("id", .integer)], features: [(polygon, [.integer(1)])])
        let written = try Self.write(layer, crs: .wgs84)
        let object = try #require(written.geometries[0])
        let g = try Self.geometry(try Self.polygons(object))
        #expect(g.isValid, "\(g)")
        // Both squares are there (200 square units, within the neck's 4 and the grid).
        let area = try g.area() / (Self.u * Self.u)
        #expect(area > 195 && area < 206, "area \(area) grid cells")
        let left = try Geometry.rectangle(Envelope(minX: -2 + 1 * Self.u, minY: 53 + 1 * Self.u, maxX: -2 + 9 * Self.u, maxY: 53 + 9 * Self.u))
        let right = try Geometry.rectangle(Envelope(minX: -2 + 21 * Self.u, minY: 53 + 1 * Self.u, maxX: -2 + 29 * Self.u, maxY: 53 + 9 * Self.u))
        #expect(try left.difference(g).isEmpty && right.difference(g).isEmpty)
    }

    /// A 20 x 10 unit shell with a triangular hole whose apex lies 0.02 units inside the
    /// shell's sloping top edge: rounding pushes the apex across the edge, so the rounded hole
    /// crosses the shell between vertices, repairing the rounded copy adds vertices off the
    /// grid, and the writer must fall back to snap-rounding the converted polygon.
    @Test func aHoleRoundedAcrossItsShellIsSnapRounded() throws {
        let shell = [c(0, 0), c(0, -10), c(20, -10), c(20, 1), c(0, 0)]
        let hole = [c(10.6, 0.51), c(12, -3), c(9, -3), c(10.6, 0.51)]
        let polygon = try Geometry.polygon(exterior: shell, holes: [hole])
        #expect(polygon.isValid)
        let naive = try Geometry(wkb: try #require(WKBGrid.roundedPolygons(try polygon.wkb(), gridSize: Self.u)))
        #expect(!naive.isValid, "the test needs a polygon that plain rounding makes invalid")
        #expect(!(try WKBGrid.isOnGrid(try naive.makeValid().wkb(), gridSize: Self.u)), "the test needs a repair off the grid")

        let layer = OutputLayer(name: "crossing", kind: .polygon, fields: [("id", .integer)], features: [(polygon, [.integer(1)])])
        let object = try #require(try Self.write(layer, crs: .wgs84).geometries[0])
        let polygons = try Self.polygons(object)
        let g = try Self.geometry(polygons)
        #expect(g.isValid, "\(g)")
        for ring in polygons.flatMap({ $0 }) {
            for p in ring {
                #expect(abs(p.x * 1e7 - (p.x * 1e7).rounded()) < 1e-6 && abs(p.y * 1e7 - (p.y * 1e7).rounded()) < 1e-6, "\(p) off the grid")
            }
        }
        // The same area to within the grid: each vertex moves at most half a cell's diagonal.
        let tolerance = try polygon.length() * 0.75 * Self.u
        #expect(try g.difference(polygon).area() <= tolerance && polygon.difference(g).area() <= tolerance)
        #expect(try g.area() > 200 * Self.u * Self.u)
    }

    /// bbplan writes GeoJSON itself: a full disk is an error naming the file and the cause
    /// (GDAL's GeoJSON writer reported nothing). Needs root to mount a 256 kB tmpfs.
    @Test func aFullDiskIsAnError() throws {
        let disk = TestPaths.temporaryDirectory("geojson-full").path
        guard (try? runTool("/bin/mount", ["-t", "tmpfs", "-o", "size=256k", "tmpfs", disk]))??.status == 0 else { return }
        defer { _ = try? runTool("/bin/umount", [disk]) }
        var layer = try VectorWriterParallelTests.layer()
        layer.features = Array(repeating: layer.features, count: 4).flatMap { $0 }
        let path = disk + "/areas.geojson"
        expectGeoIOError(["\(path): layer 'areas'", "cannot write: No space left on device"]) {
            let writer = try VectorWriter(path: path, format: .geoJSON, crs: VectorWriterTests.bng)
            try writer.write(layer)
            try writer.close()
        }
    }

    /// The parallel-writes layer (star polygons, holes, slivers) in British National Grid:
    /// every written geometry is valid, RFC 7946-oriented, on the grid, and covers the input
    /// converted to WGS 84 to within the grid; GDAL reads the same file back with the same
    /// areas.
    @Test func writtenPolygonsMatchTheInputWithinTheGrid() throws {
        let layer = try VectorWriterParallelTests.layer()
        let written = try Self.write(layer, crs: VectorWriterTests.bng, threads: 2)
        #expect(written.geometries.count == layer.features.count)
        let transform = try CoordinateTransform(from: VectorWriterTests.bng, to: .wgs84)
        var compared = 0
        for (n, feature) in layer.features.enumerated() {
            guard let input = feature.geometry else {
                #expect(written.geometries[n] == nil)
                continue
            }
            var wkb = try input.wkb()
            #expect(try WKBCoordinates.transform(&wkb, with: transform))
            // (The slivers can pinch once converted: compared after GEOS's repair.)
            var expected = try Geometry(wkb: wkb)
            if !expected.isValid { expected = try expected.makeValid() }
            // Each vertex moves at most half a diagonal of a grid cell.
            let tolerance = try expected.length() * 0.75 * Self.u
            guard let object = written.geometries[n] else {
                #expect(try expected.area() < tolerance, "feature \(n + 1) dropped")
                continue
            }
            let polygons = try Self.polygons(object)
            for polygon in polygons {
                for (k, ring) in polygon.enumerated() {
                    #expect(ring.first == ring.last)
                    let a = Self.signedArea(ring)
                    #expect(k == 0 ? a > 0 : a < 0, "feature \(n + 1) ring \(k) is oriented against RFC 7946")
                    for p in ring {
                        #expect(abs(p.x * 1e7 - (p.x * 1e7).rounded()) < 1e-6 && abs(p.y * 1e7 - (p.y * 1e7).rounded()) < 1e-6)
                    }
                }
            }
            let g = try Self.geometry(polygons)
            #expect(g.isValid, "feature \(n + 1) is invalid")
            #expect(try g.difference(expected).area() <= tolerance, "feature \(n + 1)")
            #expect(try expected.difference(g).area() <= tolerance, "feature \(n + 1)")
            compared += 1
        }
        #expect(compared > 370)

        // GDAL reads the file back (without the features written without geometry, which
        // FeatureReader refuses): the same areas (m², after converting back to the grid).
        var kept = layer
        kept.name = "kept"
        kept.features = layer.features.indices.filter { written.geometries[$0] != nil }.map { layer.features[$0] }
        let path = try Self.write(kept, crs: VectorWriterTests.bng).path
        let back = try FeatureReader.read(path: path, fields: ["id"], geometry: .polygons, workingCRS: VectorWriterTests.bng)
        #expect(back.geometries.count == compared)
        for (g, id) in zip(back.geometries, back.attributes["id"] ?? []) {
            guard case .integer(let i) = id, let input = layer.features[Int(i)].geometry else { Issue.record("id \(id)"); continue }
            let a = try input.area(), b = try g.area(), perimeter = try input.length()
            #expect(abs(b - a) <= 0.05 * perimeter, "feature id \(i): \(b) m² against \(a)")
        }
    }
}
