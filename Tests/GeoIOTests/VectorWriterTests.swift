import Foundation
import Locking
import Geometry
import Projection
import Testing
import TestSupport
@testable import GeoIO

@Suite("VectorWriter: GeoPackage, RFC 7946 GeoJSON and FlatGeobuf outputs")
struct VectorWriterTests {
    static let bng = CRS.britishNationalGrid

    static let fields: [(name: String, type: FieldType)] = [("id", .integer), ("share", .real), ("name", .string), ("note", .string)]
    /// Attribute values as written, and as they must read back (NaN is written as null).
    static let values: [[AttributeValue]] = [
        [.integer(1), .real(0.25), .string("Café, \"quoted\""), .null],
        [.integer(-9_000_000_000), .real(.nan), .string(""), .string("x")],
    ]
    static let valuesReadBack: [[AttributeValue]] = [
        [.integer(1), .real(0.25), .string("Café, \"quoted\""), .null],
        [.integer(-9_000_000_000), .null, .string(""), .string("x")],
    ]

    /// A 1 km square with a 200 m square hole, its exterior given clockwise and its hole
    /// counter-clockwise (the opposite of RFC 7946, so the GeoJSON writer must turn them),
    /// and two 100 m squares as one MultiPolygon. Areas 960,000 m² and 20,000 m².
    static func areas() throws -> OutputLayer {
        let c = { (x: Double, y: Double) in Coordinate(x: x, y: y) }
        let clockwise = [c(383_000, 398_000), c(383_000, 399_000), c(384_000, 399_000), c(384_000, 398_000), c(383_000, 398_000)]
        let counterClockwise = [c(383_400, 398_400), c(383_600, 398_400), c(383_600, 398_600), c(383_400, 398_600), c(383_400, 398_400)]
        let withHole = try Geometry.polygon(exterior: clockwise, holes: [counterClockwise])
        let two = try Geometry.multiPolygon([
            try Geometry.rectangle(Envelope(minX: 385_000, minY: 399_000, maxX: 385_100, maxY: 399_100)),
            try Geometry.rectangle(Envelope(minX: 385_500, minY: 399_000, maxX: 385_600, maxY: 399_100)),
        ])
        return OutputLayer(name: "areas", kind: .polygon, fields: fields,
                           features: [(withHole, values[0]), (two, values[1])])
    }

    static let areasM2 = [960_000.0, 20_000.0]

    static func sites() throws -> OutputLayer {
        OutputLayer(name: "sites", kind: .point, fields: fields, features: [
            (try Geometry.point(x: 383_500.25, y: 398_200.75), values[0]),
            (try Geometry.point(x: 385_050, y: 399_050), values[1]),
        ])
    }

    static func readBack(_ path: String, layer: String? = nil, geometry: GeometryRequirement) throws -> FeatureTable {
        try FeatureReader.read(path: path, layer: layer, fields: fields.map(\.name), geometry: geometry, workingCRS: bng)
    }

    static func checkAttributes(_ table: FeatureTable) {
        for (k, field) in fields.enumerated() {
            #expect(table.attributes[field.name] == valuesReadBack.map { $0[k] }, "field \(field.name)")
        }
    }

    // MARK: - GeoPackage

    static func writeGeoPackage() throws -> String {
        let path = TestPaths.temporaryDirectory("writer").appendingPathComponent("out.gpkg").path
        let writer = try VectorWriter(path: path, format: .geoPackage, crs: bng)
        try writer.write(try areas())
        try writer.write(try sites())
        try writer.close()
        return path
    }

    @Test func geoPackageWithTwoLayersReadsBack() throws {
        let path = try Self.writeGeoPackage()
        let source = try VectorSource(path: path)
        #expect(source.driverName == "GPKG")
        #expect(source.layerNames == ["areas", "sites"])
        let layers = try source.describe()
        #expect(layers.map(\.featureCount) == [2, 2])
        #expect(layers.map { $0.crs?.epsg } == [27700, 27700])
        #expect(layers.map(\.geometryType) == ["Multi Polygon", "Point"])
        #expect(layers[0].fields == [FieldInfo(name: "id", type: "Integer64"), FieldInfo(name: "share", type: "Real"),
                                     FieldInfo(name: "name", type: "String"), FieldInfo(name: "note", type: "String")])

        let areas = try Self.readBack(path, layer: "areas", geometry: .polygons)
        #expect(areas.sourceCRS == Self.bng)
        #expect(areas.repairs.isEmpty)
        #expect(try areas.geometries.map { try $0.area() } == Self.areasM2)
        Self.checkAttributes(areas)
        let sites = try Self.readBack(path, layer: "sites", geometry: .points)
        #expect(sites.geometries.map(\.pointX) == [383_500.25, 385_050])
        #expect(sites.geometries.map(\.pointY) == [398_200.75, 399_050])
        Self.checkAttributes(sites)
    }

    static let validateGpkg = [
        "/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py",
        "/usr/share/doc/python3-gdal/examples/validate_gpkg.py",
    ].first { FileManager.default.fileExists(atPath: $0) }

    @Test(.enabled(if: validateGpkg != nil && FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")))
    func geoPackagePassesGDALsValidator() throws {
        let path = try Self.writeGeoPackage()
        let result = try #require(try runTool("/usr/bin/python3", [Self.validateGpkg!, path]))
        #expect(result.status == 0, "validate_gpkg.py: \(result.output)")
        #expect(result.output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "validate_gpkg.py: \(result.output)")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3")))
    func geoPackageIsSoundSQLite() throws {
        let path = try Self.writeGeoPackage()
        func sql(_ query: String) throws -> String {
            let result = try #require(try runTool("/usr/bin/sqlite3", [path, query]))
            #expect(result.status == 0)
            return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        #expect(try sql("PRAGMA integrity_check") == "ok")
        #expect(try sql("SELECT table_name, data_type, srs_id FROM gpkg_contents ORDER BY table_name") == "areas|features|27700\nsites|features|27700")
        #expect(try sql("SELECT table_name, column_name, geometry_type_name FROM gpkg_geometry_columns ORDER BY table_name") == "areas|geom|MULTIPOLYGON\nsites|geom|POINT")
        // The spatial index holds every feature, with the features' bounding boxes.
        #expect(try sql("SELECT count(*) FROM rtree_areas_geom") == "2")
        #expect(try sql("SELECT minx, miny, maxx, maxy FROM rtree_areas_geom WHERE id = 1") == "383000.0|398000.0|384000.0|399000.0")
        #expect(try sql("SELECT id, share, name, note IS NULL FROM sites ORDER BY fid") == "1|0.25|Café, \"quoted\"|1\n-9000000000|||0")
    }

    // MARK: - GeoJSON

    @Test func geoJSONFollowsRFC7946() throws {
        let path = TestPaths.temporaryDirectory("writer").appendingPathComponent("areas.geojson").path
        let writer = try VectorWriter(path: path, format: .geoJSON, crs: Self.bng)
        try writer.write(try Self.areas())
        try writer.close()

        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(json["type"] as? String == "FeatureCollection")
        // RFC 7946 drops the "crs" member: coordinates are always WGS 84 lon/lat (CRS84).
        if let crs = json["crs"] {
            #expect(String(describing: crs).contains("CRS84"), "crs member \(crs)")
        }
        let features = try #require(json["features"] as? [[String: Any]])
        #expect(features.count == 2)

        let toWGS = try CoordinateTransform(from: Self.bng, to: .wgs84)
        let corner = try #require(toWGS.transform(x: 383_000, y: 398_000))
        var sawCorner = false
        for (i, feature) in features.enumerated() {
            let geometry = try #require(feature["geometry"] as? [String: Any])
            // GDAL's RFC 7946 writer writes a one-part MultiPolygon as a Polygon.
            let polygons: [[[[Double]]]]
            switch geometry["type"] as? String {
            case "MultiPolygon": polygons = try #require(geometry["coordinates"] as? [[[[Double]]]])
            case "Polygon": polygons = [try #require(geometry["coordinates"] as? [[[Double]]])]
            default: Issue.record("geometry \(geometry)"); continue
            }
            #expect(polygons.map(\.count) == (i == 0 ? [2] : [1, 1]))
            for polygon in polygons {
                for (k, ring) in polygon.enumerated() {
                    for p in ring {
                        #expect(p.count == 2)
                        // Longitude first, in Greater Manchester.
                        #expect(p[0] > -2.3 && p[0] < -2.2 && p[1] > 53.4 && p[1] < 53.5, "\(p) is not lon/lat in Manchester")
                        if abs(p[0] - corner.x) < 2e-7 && abs(p[1] - corner.y) < 2e-7 { sawCorner = true }
                    }
                    #expect(ring.first == ring.last)
                    let area = signedArea(ring.map { ($0[0], $0[1]) })
                    if k == 0 {
                        #expect(area > 0, "feature \(i + 1): exterior ring is clockwise")
                    } else {
                        #expect(area < 0, "feature \(i + 1): hole is counter-clockwise")
                    }
                }
            }
            let properties = try #require(feature["properties"] as? [String: Any])
            #expect(properties["id"] as? Int == (i == 0 ? 1 : -9_000_000_000))
            #expect(properties["name"] as? String == (i == 0 ? "Café, \"quoted\"" : ""))
            #expect(properties["note"] is NSNull == (i == 0))
        }
        #expect(sawCorner, "the corner (383000, 398000) is not at \(corner) to 1e-7°")

        // Seven decimals (about 1 cm), no more and, for most coordinates, no fewer.
        let text = String(decoding: data, as: UTF8.self)
        let coordinates = String(text[text.range(of: "\"coordinates\"")!.lowerBound...])
        let decimals = coordinates.split(whereSeparator: { !"0123456789.-".contains($0) })
            .compactMap { $0.split(separator: ".").dropFirst().first?.count }
        #expect(!decimals.isEmpty)
        #expect(decimals.max() == 7)

        // And back: within 1.5 cm of where they started, so the areas agree to 0.01%.
        let back = try FeatureReader.read(path: path, geometry: .polygons, workingCRS: Self.bng)
        #expect(back.sourceCRS.epsg == 4326)
        for (g, expected) in zip(back.geometries, Self.areasM2) {
            #expect(abs(try g.area() - expected) < 1e-4 * expected)
        }
    }

    @Test func geoJSONHoldsOneLayer() throws {
        let path = TestPaths.temporaryDirectory("writer").appendingPathComponent("one.geojson").path
        let writer = try VectorWriter(path: path, format: .geoJSON, crs: Self.bng)
        try writer.write(try Self.areas())
        expectGeoIOError(["\(path): GeoJSON holds one layer per file"]) { try writer.write(try Self.sites()) }
        try writer.close()
    }

    // MARK: - FlatGeobuf

    @Test func flatGeobufRoundTrip() throws {
        let path = TestPaths.temporaryDirectory("writer").appendingPathComponent("areas.fgb").path
        let writer = try VectorWriter(path: path, format: .flatGeobuf, crs: Self.bng)
        try writer.write(try Self.areas())
        try writer.close()
        let source = try VectorSource(path: path)
        #expect(source.driverName == "FlatGeobuf")
        let info = try #require(try source.describe().first)
        #expect(info.featureCount == 2 && info.crs?.epsg == 27700 && info.geometryType == "Multi Polygon")
        let extent = try #require(info.extent)
        #expect(extent == Envelope(minX: 383_000, minY: 398_000, maxX: 385_600, maxY: 399_100))
        // FlatGeobuf's packed R-tree stores features in spatial (Hilbert) order, not in the
        // order written: match them up by id.
        let back = try Self.readBack(path, geometry: .polygons)
        let order = try Self.valuesReadBack.map { row in try #require(back.attributes["id"]?.firstIndex(of: row[0])) }
        #expect(Set(order) == [0, 1])
        #expect(try order.map { try back.geometries[$0].area() } == Self.areasM2)
        #expect(try back.geometries[order[0]].polygonRings().map(\.count) == [2]) // the hole survives
        for (k, field) in Self.fields.enumerated() {
            #expect(order.map { back.attributes[field.name]?[$0] } == Self.valuesReadBack.map { $0[k] }, "field \(field.name)")
        }
    }

    @Test func unwritablePathIsNamed() {
        let path = "/nonexistent-folder/out.gpkg"
        expectGeoIOError(["\(path): cannot create"]) {
            _ = try VectorWriter(path: path, format: .geoPackage, crs: Self.bng)
        }
    }
}

/// The writers prepare geometries on several threads in batches: the files must be the same
/// bytes as with one thread, for every format whose bytes do not depend on the clock.
@Suite("VectorWriter: parallel writes")
struct VectorWriterParallelTests {
    /// 400 features: star-shaped polygons of 5–13 points (some with a hole, some thin
    /// slivers that GeoJSON's snapping collapses or repairs), spread over Greater Manchester,
    /// and one feature without geometry; deterministic.
    static func layer() throws -> OutputLayer {
        var features: [(geometry: Geometry?, values: [AttributeValue])] = []
        var seed: UInt64 = 12345
        func next() -> Double {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Double(seed >> 11) / Double(1 << 53)
        }
        for i in 0..<400 {
            let cx = 380_000 + next() * 10_000, cy = 395_000 + next() * 10_000
            let points = 5 + Int(next() * 9)
            let sliver = i % 17 == 0
            var ring: [Coordinate] = []
            for k in 0..<points {
                let angle = Double(k) / Double(points) * 2 * .pi
                let r = (k % 2 == 0 ? 200.0 : 90.0) * (0.5 + next())
                ring.append(Coordinate(x: cx + r * cos(angle), y: cy + (sliver ? 1e-9 : 1) * r * sin(angle)))
            }
            ring.append(ring[0])
            let holes: [[Coordinate]] = i % 5 == 0
                ? [[Coordinate(x: cx - 10, y: cy - 10), Coordinate(x: cx + 10, y: cy - 10), Coordinate(x: cx + 10, y: cy + 10),
                    Coordinate(x: cx - 10, y: cy + 10), Coordinate(x: cx - 10, y: cy - 10)]]
                : []
            let polygon = try Geometry.polygon(exterior: ring, holes: sliver ? [] : holes)
            features.append((i == 200 ? nil : polygon, [.integer(Int64(i)), .real(next()), .string("area \(i)"), .null]))
        }
        return OutputLayer(name: "areas", kind: .polygon, fields: VectorWriterTests.fields, features: features)
    }

    static func write(_ layer: OutputLayer, format: VectorFormat, threads: Int, batch: Int) throws -> Data {
        let path = TestPaths.temporaryDirectory("parallel-writer").appendingPathComponent("areas.\(format == .geoJSON ? "geojson" : "fgb")").path
        let writer = try VectorWriter(path: path, format: format, crs: VectorWriterTests.bng, threads: threads)
        writer.featureBatch = batch
        try writer.write(layer)
        try writer.close()
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }

    @Test(arguments: [VectorFormat.geoJSON, .flatGeobuf])
    func theSameBytesWithAnyNumberOfThreads(format: VectorFormat) throws {
        let layer = try Self.layer()
        let one = try Self.write(layer, format: format, threads: 1, batch: 65_536)
        #expect(one.count > 10_000)
        for (threads, batch) in [(2, 65_536), (4, 37), (3, 1)] {
            #expect(try Self.write(layer, format: format, threads: threads, batch: batch) == one, "\(threads) threads, batches of \(batch)")
        }
        if format == .geoJSON {
            // Every feature is there, in order, the one without geometry too.
            let json = try #require(try JSONSerialization.jsonObject(with: one) as? [String: Any])
            let features = try #require(json["features"] as? [[String: Any]])
            #expect(features.compactMap { ($0["properties"] as? [String: Any])?["id"] as? Int } == Array(0..<400))
            #expect(features[200]["geometry"] is NSNull)
        }
    }
}

@Suite("ParallelWork and ParallelJobs")
struct ParallelWorkTests {
    @Test func chunksCoverEveryIndexOnceInOrder() throws {
        for count in 0...70 {
            for threads in [1, 2, 3, 8] {
                for minimum in [1, 2, 7, 4096] {
                    let ranges = try ParallelWork.chunks(count: count, threads: threads, minimumChunk: minimum) { $0 }
                    #expect(ranges.flatMap { Array($0) } == Array(0..<count), "count \(count), \(threads) threads, chunks ≥ \(minimum)")
                }
            }
        }
    }

    @Test func theFirstFailingJobInOrderIsReported() {
        struct Failure: Error, Equatable { let job: Int }
        #expect(throws: Failure(job: 1)) {
            try ParallelJobs.run([{}, { throw Failure(job: 1) }, { throw Failure(job: 2) }], threads: 3)
        }
    }
}
