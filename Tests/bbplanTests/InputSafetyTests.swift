import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Inputs bounded by what is read, overlaps reported, and text from inputs neutralised, as
/// the built executable behaves (docs/RELIABILITY.md). Each command runs with a time limit:
/// before these checks, /dev/zero and FIFOs made bbplan run or block for ever.
@Suite("bbplan: unsafe inputs")
struct InputSafetyTests {
    static let geo = TestPaths.repo("GeoData")

    /// A Cumbria scenario with its authorities and premises sources replaced.
    static func scenario(authorities: String = "\(geo)/boundaries/cumbria.gpkg", layer: String? = "districts",
                         code: String = "LAD_CD", name: String = "LAD_NM",
                         premises: String = "\(geo)/premises/cumbria-postcodes.csv", crs: String? = nil) -> String {
        """
        name: Unsafe input
        authorities:
          source: \(authorities)
        \(layer.map { "  layer: \($0)" } ?? "")
          code: \(code)
          name: \(name)
        \(crs.map { "  crs: \($0)" } ?? "")
        premises:
          source: \(premises)
          x: easting
          y: northing
          crs: EPSG:27700
          households: households_est
        networks:
          - name: FTTC
            operator: Openreach
            technology: fttc
            source: \(geo)/network/cumbria-cabinets.csv
            x: easting
            y: northing
            crs: EPSG:27700
        """
    }

    static func write(_ text: String, in dir: URL = TestPaths.temporaryDirectory("unsafe")) throws -> String {
        let path = dir.appendingPathComponent("s.yaml").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// The line of the first line of `text` containing `needle` (1-based).
    static func line(of needle: String, in text: String) -> Int {
        (text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains(needle) } ?? -1) + 1
    }

    /// `bbplan validate` refuses the scenario with one line naming the file, line, key and path.
    static func expectRefused(_ text: String, key: String, path: String, _ expected: String,
                              sourceLocation: SourceLocation = #_sourceLocation) throws {
        let file = try write(text)
        let result = try BBPlanBinary.run(["validate", file], timeoutSeconds: 30)
        #expect(result.status == 2, "exit \(result.status): \(result.stderr)", sourceLocation: sourceLocation)
        let line = Self.line(of: "source: \(path)", in: text)
        #expect(result.stderr == "bbplan: \(file):\(line): \(key): \(path): \(expected)\n", sourceLocation: sourceLocation)
        #expect(result.stdout.isEmpty, sourceLocation: sourceLocation)
    }

    @Test func devZeroAsSourceIsRefusedAtOnce() throws {
        try Self.expectRefused(Self.scenario(premises: "/dev/zero"), key: "premises", path: "/dev/zero",
                               "is a character device (such as /dev/zero), not a regular file; bbplan reads only regular files")
    }

    @Test func fifoAsSourceIsRefusedAtOnce() throws {
        let fifo = TestPaths.temporaryDirectory("fifo").appendingPathComponent("districts.gpkg").path
        #expect(mkfifo(fifo, 0o600) == 0)
        try Self.expectRefused(Self.scenario(authorities: fifo), key: "authorities", path: fifo,
                               "is a FIFO (named pipe), not a regular file; bbplan reads only regular files")
    }

    @Test func procFileAsSourceIsRefused() throws {
        try Self.expectRefused(Self.scenario(premises: "/proc/self/status"), key: "premises", path: "/proc/self/status",
                               "is on the proc pseudo-file system, not a data file")
    }

    /// A folder where a CSV is read is refused; a folder GDAL does not read is refused by GDAL
    /// (both one line, where the hash crashed with `try!` before).
    @Test func folderAsSourceIsOneLine() throws {
        let folder = TestPaths.temporaryDirectory("folder")
        try Data("not data\n".utf8).write(to: folder.appendingPathComponent("notes.txt"))
        try Self.expectRefused(Self.scenario(premises: folder.path), key: "premises", path: folder.path, "is a folder, not a file")
        let file = try Self.write(Self.scenario(authorities: folder.path, layer: nil))
        let result = try BBPlanBinary.run(["validate", file], timeoutSeconds: 30)
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("bbplan: \(file):3: authorities: \(folder.path): cannot open:"), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(!result.stderr.contains("Fatal error"))
    }

    /// A Shapefile folder is read as GDAL reads it, and recorded with the SHA-256 of its
    /// regular files in name order (sha256sum of their concatenation, made by hand).
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sha256sum")))
    func shapefileFolderIsReadAndHashed() throws {
        let dir = TestPaths.temporaryDirectory("shape-folder")
        let folder = dir.appendingPathComponent("districts")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
        let names = ["districts-no-prj.cpg", "districts-no-prj.dbf", "districts-no-prj.shp", "districts-no-prj.shx"]
        var joined = Data()
        for name in names {
            try FileManager.default.copyItem(atPath: TestPaths.fixture(name), toPath: folder.appendingPathComponent(name).path)
            joined += try Data(contentsOf: folder.appendingPathComponent(name))
        }
        let concatenation = dir.appendingPathComponent("all.bin")
        try joined.write(to: concatenation)
        let expected = String(try #require(try runTool("/usr/bin/sha256sum", [concatenation.path])).output.prefix(64))

        let text = Self.scenario(authorities: folder.path, layer: nil, code: "LAD23CD", name: "LAD23NM",
                                 premises: "\(Self.geo)/premises/greater-manchester-postcodes.csv", crs: "EPSG:27700")
            .replacingOccurrences(of: "cumbria-cabinets.csv", with: "greater-manchester-cabinets.csv")
        let file = try Self.write(text, in: dir)
        let out = dir.appendingPathComponent("out").path
        let result = try BBPlanBinary.run(["coverage", file, "--out", out], timeoutSeconds: 120)
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(out)/summary.json"))) as? [String: Any])
        let inputs = try #require(summary["inputs"] as? [[String: Any]])
        let authorities = try #require(inputs.first { $0["role"] as? String == "authorities" })
        #expect(authorities["sha256"] as? String == expected)
        #expect(authorities["features"] as? Int == 3)
    }

    @Test("network sources are refused in a scenario", arguments: [
        ("/vsicurl/http://127.0.0.1:9/districts.gpkg", "GDAL's /vsicurl/ reads over the network; bbplan reads only local files"),
        ("http://127.0.0.1:9/districts.gpkg", "is a network address; bbplan reads only local files (GDAL's network access is switched off)"),
    ])
    func networkSourcesInAScenario(path: String, expected: String) throws {
        try Self.expectRefused(Self.scenario(authorities: path), key: "authorities", path: path, expected)
    }

    @Test("network sources are refused by inspect", arguments: [
        ("/vsicurl/http://127.0.0.1:9/districts.gpkg", "GDAL's /vsicurl/ reads over the network"),
        ("http://127.0.0.1:9/districts.gpkg", "is a network address"),
        ("/vsizip//vsicurl/http://127.0.0.1:9/d.zip/d.shp", "GDAL's /vsicurl/ reads over the network"),
    ])
    func networkSourcesInInspect(path: String, expected: String) throws {
        let result = try BBPlanBinary.run(["inspect", path], timeoutSeconds: 30)
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("bbplan: \(path): \(expected)"), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    /// Two hand-made squares in Manchester overlapping in [384000, 385000] × [396000, 400000]
    /// (4 km²) and a third that only touches the second: summary.json and the terminal report
    /// the one pair with its area.
    @Test func overlappingAuthoritiesAreReported() throws {
        let dir = TestPaths.temporaryDirectory("overlap")
        func square(_ code: String, _ x: Double, _ y: Double, _ side: Double) -> String {
            let ring = [(x, y), (x + side, y), (x + side, y + side), (x, y + side), (x, y)].map { "[\($0.0), \($0.1)]" }.joined(separator: ", ")
            return "{\"type\": \"Feature\", \"properties\": {\"code\": \"\(code)\", \"name\": \"\(code)\"}, \"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[\(ring)]]}}"
        }
        let geojson = """
            {"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::27700"}},
             "features": [\(square("A", 380_000, 395_000, 5000)), \(square("B", 384_000, 396_000, 5000)), \(square("C", 389_000, 396_000, 3000))]}
            """
        try Data(geojson.utf8).write(to: dir.appendingPathComponent("squares.geojson"))
        let text = Self.scenario(authorities: dir.appendingPathComponent("squares.geojson").path, layer: nil, code: "code", name: "name",
                                 premises: "\(Self.geo)/premises/greater-manchester-postcodes.csv")
            .replacingOccurrences(of: "cumbria-cabinets.csv", with: "greater-manchester-cabinets.csv")
        let file = try Self.write(text, in: dir)
        let out = dir.appendingPathComponent("out").path
        let result = try BBPlanBinary.run(["coverage", file, "--out", out], timeoutSeconds: 120)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("  note: 1 pair of authorities overlap, the common area counted in both: A/B 4.00 km²\n"), "\(result.stdout)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(out)/summary.json"))) as? [String: Any])
        let overlaps = try #require(summary["authority_overlaps"] as? [String: Any])
        #expect(overlaps["count"] as? Int == 1)
        #expect((overlaps["tolerance_m2"] as? NSNumber)?.doubleValue == 1)
        let items = try #require(overlaps["items"] as? [[String: Any]])
        #expect(items.first?["codes"] as? [String] == ["A", "B"])
        #expect((items.first?["area_km2"] as? NSNumber)?.doubleValue == 4)
        // The area really is in both authorities: A 25 km² + B 25 km² + C 9 km².
        let totals = try #require(summary["totals"] as? [String: Any])
        #expect((totals["area_km2"] as? NSNumber)?.doubleValue == 59)
    }
}
