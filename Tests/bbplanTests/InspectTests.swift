import Foundation
import Testing
import TestSupport

/// `bbplan inspect`, run as the built executable. Expected counts and CRSs are those ogrinfo
/// reports for the fixtures (see scripts/make-fixtures and Tests/Fixtures/README.md).
@Suite("bbplan inspect")
struct InspectTests {
    static func inspect(_ arguments: [String]) throws -> CommandResult {
        try BBPlanBinary.run(["inspect"] + arguments)
    }

    /// Runs inspect with --json and parses what it prints.
    static func inspectJSON(_ arguments: [String]) throws -> [String: Any] {
        let result = try inspect(arguments + ["--json"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
        return try #require(object as? [String: Any])
    }

    static func layers(_ json: [String: Any]) throws -> [[String: Any]] {
        try #require(json["layers"] as? [[String: Any]])
    }

    // MARK: - Good sources

    @Test func wgs84Shapefile() throws {
        let path = TestPaths.fixture("districts-wgs84.shp")
        let result = try Self.inspect([path])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        #expect(result.stdout.contains("driver: ESRI Shapefile"))
        #expect(result.stdout.contains("layer 'districts-wgs84': Polygon, 3 features"))
        #expect(result.stdout.contains("CRS: EPSG:4326 (WGS 84)"))
        #expect(result.stdout.contains("extent: -2.489714, 53.340122, -2.146863, 53.544609"))
        #expect(result.stdout.contains("[OSTN15 grid]"))
        #expect(result.stdout.contains("fields: LAD23CD (String), LAD23NM (String)"))

        let layer = try #require(try Self.layers(try Self.inspectJSON([path])).first)
        #expect(layer["epsg"] as? Int == 4326)
        #expect(layer["crs"] as? String == "EPSG:4326")
        #expect(layer["feature_count"] as? Int == 3)
        #expect(layer["uses_ostn15"] as? Bool == true)
    }

    @Test func geoPackageInBNGWithTwoLayers() throws {
        let path = TestPaths.fixture("boundaries-bng.gpkg")
        let result = try Self.inspect([path])
        #expect(result.status == 0)
        #expect(result.stdout.contains("driver: GPKG"))
        #expect(result.stdout.contains("layer 'districts': Polygon, 3 features"))
        #expect(result.stdout.contains("layer 'exchanges': Point, 34 features"))
        #expect(result.stdout.components(separatedBy: "CRS: EPSG:27700 (OSGB36 / British National Grid)").count == 3)
        #expect(result.stdout.contains("to working CRS: none needed (already EPSG:27700)"))

        let json = try Self.inspectJSON([path])
        #expect(json["driver"] as? String == "GPKG")
        let layers = try Self.layers(json)
        #expect(layers.map { $0["name"] as? String } == ["districts", "exchanges"])
        #expect(layers.map { $0["feature_count"] as? Int } == [3, 34])
        #expect(layers.map { $0["epsg"] as? Int } == [27700, 27700])
        #expect(layers.map { $0["geometry_type"] as? String } == ["Polygon", "Point"])
        #expect(layers[0]["extent"] as? [Double] == [367_582.2, 382_620.64, 390_347.84, 405_357.65])

        let one = try Self.layers(try Self.inspectJSON([path, "--layer", "exchanges"]))
        #expect(one.map { $0["name"] as? String } == ["exchanges"])
        #expect(one.first?["feature_count"] as? Int == 34)
        let text = try Self.inspect([path, "--layer", "districts"])
        #expect(text.status == 0 && text.stdout.contains("layer 'districts'") && !text.stdout.contains("exchanges"))
    }

    @Test func geoJSON() throws {
        let path = TestPaths.fixture("districts.geojson")
        let json = try Self.inspectJSON([path])
        #expect(json["driver"] as? String == "GeoJSON")
        let layer = try #require(try Self.layers(json).first)
        #expect(layer["name"] as? String == "districts")
        #expect(layer["feature_count"] as? Int == 3)
        #expect(layer["epsg"] as? Int == 4326)
        #expect(layer["geometry_type"] as? String == "Polygon")
    }

    @Test(arguments: ["exchanges.csv", "exchanges.csv.gz"])
    func csvPoints(file: String) throws {
        let path = TestPaths.fixture(file)
        // Data rows, counted by hand: lines minus the header.
        let rows = try String(contentsOfFile: TestPaths.fixture("exchanges.csv"), encoding: .utf8)
            .split(separator: "\n").count - 1
        #expect(rows == 34)
        let json = try Self.inspectJSON([path])
        #expect(json["driver"] as? String == "CSV")
        #expect(json["source"] as? String == path)
        let layer = try #require(try Self.layers(json).first)
        #expect(layer["feature_count"] as? Int == rows)
        #expect(layer["geometry_type"] as? String == "Point")
        #expect(layer["crs"] == nil && layer["epsg"] == nil)
        #expect(layer["extent"] as? [Double] == [342_541, 372_581, 408_601, 427_074])
        let fields = try #require(layer["fields"] as? [[String: String]])
        #expect(fields.map { $0["name"] } == ["exchange_id", "easting", "northing", "households"])

        let text = try Self.inspect([path])
        #expect(text.stdout.contains("CRS: none declared in the file"))
    }

    @Test func nonFiniteExtentIsReportedNotEncoded() throws {
        // GDAL reads 1e400 as infinity; JSON cannot hold it.
        let path = TestPaths.fixture("bad/huge-coordinates.geojson")
        let text = try Self.inspect([path])
        #expect(text.status == 0)
        #expect(text.stdout.contains("extent: not finite"))
        let layer = try #require(try Self.layers(try Self.inspectJSON([path])).first)
        #expect(layer["extent"] == nil)
        #expect((layer["extent_problem"] as? String)?.contains("not finite") == true)
    }

    @Test func inspectDescribesWithoutReadingValues() throws {
        // Inspect reads no attribute values, so a Latin-1 name passes here; FeatureReader
        // rejects it when a scenario reads the field (see FeatureReaderTests).
        let result = try Self.inspect([TestPaths.fixture("bad/invalid-utf8.geojson")])
        #expect(result.status == 0)
        #expect(result.stdout.contains("Polygon, 1 feature"))
    }

    // MARK: - Bad input

    /// Checks the bad-input contract: exit 2, nothing on stdout, one line on stderr that
    /// starts with "bbplan: " and names the file, and no crash report.
    static func expectBadInput(_ result: CommandResult, naming path: String, _ fragment: String,
                               sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status == 2, "status \(result.status), stderr: \(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stdout.isEmpty, "stdout: \(result.stdout)", sourceLocation: sourceLocation)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "stderr: \(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.hasPrefix("bbplan: \(path): "), "stderr: \(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains(fragment), "stderr lacks '\(fragment)': \(result.stderr)", sourceLocation: sourceLocation)
        #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("Stack dump"), sourceLocation: sourceLocation)
    }

    @Test("unreadable sources", arguments: [
        ("no-such-file.gpkg", "file not found"),
        ("bad/truncated.geojson", "cannot open"),
        ("bad/corrupt.gpkg", "cannot open"),
        ("bad/truncated.gpkg", "cannot open"),
        ("bad/truncated.csv.gz", "gzip data is corrupt or truncated"),
        ("bad/empty.csv", "file is empty"),
        ("bad/districts-no-shx.shp", "districts-no-shx.shx"),
        ("bad", "holds no vector layers"),
    ])
    func unreadableSource(file: String, fragment: String) throws {
        let path = TestPaths.fixture(file)
        Self.expectBadInput(try Self.inspect([path]), naming: path, fragment)
    }

    @Test func unknownLayerListsTheLayers() throws {
        let path = TestPaths.fixture("boundaries-bng.gpkg")
        Self.expectBadInput(try Self.inspect([path, "--layer", "premises"]), naming: path,
                            "no layer 'premises'; layers: districts, exchanges")
    }

    @Test func sqlLookingLayerNameIsJustAName() throws {
        let path = TestPaths.fixture("boundaries-bng.gpkg")
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let name = "x'; DROP TABLE districts;--"
        Self.expectBadInput(try Self.inspect([path, "--layer", name]), naming: path, "no layer '\(name)'; layers: districts, exchanges")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        #expect(try Self.inspect([path, "--layer", "districts"]).stdout.contains("Polygon, 3 features"))
    }

    @Test func unknownCRSOption() throws {
        let result = try Self.inspect([TestPaths.fixture("districts.geojson"), "--crs", "EPSG:999999"])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("bbplan: ") && result.stderr.contains("EPSG:999999"))
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    @Test("usage errors exit 2 without a crash", arguments: [
        ["inspect"],
        ["inspect", "--bogus", "x"],
        ["inspect", "--layer"],
        ["no-such-command"],
    ])
    func usageErrors(arguments: [String]) throws {
        let result = try BBPlanBinary.run(arguments)
        #expect(result.status == 2, "status \(result.status) for \(arguments)")
        #expect(result.stderr.contains("Usage") || result.stderr.contains("Error"), "stderr: \(result.stderr)")
        #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("Stack dump"))
    }
}
