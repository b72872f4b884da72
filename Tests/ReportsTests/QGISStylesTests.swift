import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import GeoIO
import Testing
import TestSupport
@testable import Reports

@Suite("QGIS styles in coverage.gpkg")
struct QGISStylesTests {
    /// The layers of a GeoPackage (feature tables in gpkg_contents).
    static func layers(_ db: GeoPackageSQL) throws -> [String] {
        try db.query("SELECT table_name FROM gpkg_contents WHERE data_type = 'features' ORDER BY table_name").compactMap { $0[0] }
    }

    /// A copy of a run's GeoPackage that a test may change.
    static func copy(_ run: WrittenRun) throws -> String {
        let path = TestPaths.temporaryDirectory("reports-gpkg").appendingPathComponent("coverage.gpkg").path
        try FileManager.default.copyItem(atPath: run.gpkgPath, toPath: path)
        return path
    }

    @Test func layerStylesTableHasQGISsSchema() throws {
        let db = try GeoPackageSQL(path: try Runs.hostile.get().gpkgPath)
        let columns = try db.query("PRAGMA table_info(layer_styles)").map { ($0[1] ?? "", $0[2] ?? "") }
        #expect(columns.map(\.0) == ["id", "f_table_catalog", "f_table_schema", "f_table_name", "f_geometry_column", "styleName",
                                     "styleQML", "styleSLD", "useAsDefault", "description", "owner", "ui", "update_time"])
        #expect(columns.first?.1 == "INTEGER")
        #expect(columns.first { $0.0 == "useAsDefault" }?.1 == "BOOLEAN")
        let contents = try db.query("SELECT data_type, identifier FROM gpkg_contents WHERE table_name = 'layer_styles'")
        #expect(contents.count == 1)
        #expect(contents.first?[0] == "attributes")
    }

    @Test func oneDefaultStylePerLayer() throws {
        for run in [try Runs.hostile.get(), try Runs.cumbria.get(), try Runs.cumbriaBaseline.get()] {
            let db = try GeoPackageSQL(path: run.gpkgPath)
            let layers = try Self.layers(db)
            #expect(layers.contains("authorities") && layers.contains("gaps_superfast") && layers.contains("coverage_gigabit"))
            #expect(layers.contains("build_areas") == (run.result.rollout != nil))
            let rows = try db.query("SELECT f_table_name, COUNT(*), MIN(f_geometry_column), MIN(f_table_schema), MIN(styleName) FROM layer_styles WHERE useAsDefault = 1 GROUP BY f_table_name ORDER BY f_table_name")
            #expect(rows.map { $0[0] ?? "" } == layers)
            for row in rows {
                #expect(row[1] == "1", "\(row[0] ?? ""): \(row[1] ?? "") default styles")
                #expect(row[2] == "geom")
                #expect(row[3] == "")
                #expect(row[4] == QGISStyles.styleName)
            }
            // GDAL's feature count for the table is right.
            let count = try db.query("SELECT feature_count FROM gpkg_ogr_contents WHERE table_name = 'layer_styles'")
            #expect(count.first?.first == String(layers.count))
        }
    }

    @Test func stylesAreWellFormedQML() throws {
        let db = try GeoPackageSQL(path: try Runs.hostile.get().gpkgPath)
        let rows = try db.query("SELECT f_table_name, styleQML FROM layer_styles")
        #expect(!rows.isEmpty)
        for row in rows {
            let layer = try #require(row[0]), qml = try #require(row[1])
            let document = try XMLDocument(xmlString: qml, options: [])
            let root = try #require(document.rootElement())
            #expect(root.name == "qgis")
            let renderer = try #require(root.elements(forName: "renderer-v2").first)
            let type = renderer.attribute(forName: "type")?.stringValue
            let fills = try document.nodes(forXPath: "//layer[@class='SimpleFill']/Option/Option[@name='style']/@value").compactMap(\.stringValue)
            switch QGISStyles.kind(of: layer) {
            case .authorities:
                #expect(type == "graduatedSymbol")
                #expect(renderer.attribute(forName: "attr")?.stringValue == "share_superfast_before")
                let ranges = try document.nodes(forXPath: "//ranges/range")
                #expect(ranges.count == 5)
                let symbols = try document.nodes(forXPath: "//symbols/symbol")
                #expect(symbols.count == 5)
            case .gaps:
                #expect(type == "singleSymbol")
                #expect(fills == ["b_diagonal"])
            case .coverage:
                #expect(type == "singleSymbol")
                #expect(fills == ["solid"])
                let colour = try document.nodes(forXPath: "//Option[@name='color']/@value").first?.stringValue
                let alpha = colour?.split(separator: ",").last.flatMap { Int($0) }
                #expect((alpha ?? 255) < 255, "coverage fill should be translucent: \(colour ?? "")")
            case .buildAreas:
                #expect(type == "categorizedSymbol")
                #expect(renderer.attribute(forName: "attr")?.stringValue == "technology")
                let values = try document.nodes(forXPath: "//categories/category/@value").compactMap(\.stringValue)
                #expect(values == ["fttp", "fwa", "voucher", "satellite", ""])
            case .gapClusters:
                #expect(type == "categorizedSymbol")
                #expect(renderer.attribute(forName: "attr")?.stringValue == "cross_border")
                let values = try document.nodes(forXPath: "//categories/category/@value").compactMap(\.stringValue)
                #expect(values == ["1", "0"])
            case .lots:
                #expect(type == "singleSymbol")
            case .premises:
                #expect(type == "categorizedSymbol")
                #expect(renderer.attribute(forName: "attr")?.stringValue == "nga_class")
            case .other:
                Issue.record("no style planned for layer \(layer)")
            }
        }
    }

    @Test func premisesLayerGetsSmallMarkers() throws {
        let qml = QGISStyles.qml(forLayer: "premises")
        let document = try XMLDocument(xmlString: qml, options: [])
        let markers = try document.nodes(forXPath: "//layer[@class='SimpleMarker']")
        #expect(markers.count == 3)
        let sizes = try document.nodes(forXPath: "//layer[@class='SimpleMarker']/Option/Option[@name='size']/@value").compactMap { Double($0.stringValue ?? "") }
        #expect(sizes.count == 3 && sizes.allSatisfy { $0 <= 2 })
        let values = try document.nodes(forXPath: "//categories/category/@value").compactMap(\.stringValue)
        #expect(values == ["white", "grey", "black"])
    }

    @Test(.enabled(if: Tools.validateGpkg != nil && FileManager.default.isExecutableFile(atPath: Tools.python),
                   "GDAL's validate_gpkg.py is not installed (apt-get install python3-gdal); skipped"))
    func styledGeoPackagePassesGDALsValidator() throws {
        for run in [try Runs.hostile.get(), try Runs.cumbriaBaseline.get()] {
            let result = try Tools.run(Tools.python, [try #require(Tools.validateGpkg), "--extra", "--warning-as-error", run.gpkgPath])
            #expect(result.status == 0, "validate_gpkg.py: \(result.output)")
            let db = try GeoPackageSQL(path: run.gpkgPath)
            #expect(try db.query("PRAGMA integrity_check").first?.first == "ok")
            #expect(try db.query("PRAGMA foreign_key_check").isEmpty)
        }
    }

    @Test func addingAgainReplacesBBPlansStyleAndKeepsOthers() throws {
        let path = try Self.copy(try Runs.cumbria.get())
        do {
            let db = try GeoPackageSQL(path: path, update: true)
            try db.execute("INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, styleName, styleQML, useAsDefault) VALUES ('', '', 'authorities', 'geom', 'mine', '<qgis/>', 1)")
            try db.close()
        }
        try QGISStyles.add(to: path, layers: ["authorities", "build_areas"])
        let db = try GeoPackageSQL(path: path)
        let authorities = try db.query("SELECT styleName, useAsDefault FROM layer_styles WHERE f_table_name = 'authorities' ORDER BY styleName")
        #expect(authorities.map { [$0[0] ?? "", $0[1] ?? ""] } == [["bbplan", "1"], ["mine", "0"]])
        let total = try db.query("SELECT COUNT(*) FROM layer_styles WHERE styleName = 'bbplan'").first?.first
        #expect(total == String(try Self.layers(db).count))
        #expect(try db.query("SELECT feature_count FROM gpkg_ogr_contents WHERE table_name = 'layer_styles'").first?.first
                == (try db.query("SELECT COUNT(*) FROM layer_styles").first?.first))
    }

    @Test func aFileThatIsNotAGeoPackageIsAnError() throws {
        let path = TestPaths.temporaryDirectory("reports-gpkg").appendingPathComponent("not.gpkg").path
        try Data("not a database".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: GeoIOError.self) { try QGISStyles.add(to: path, layers: ["authorities"]) }
    }
}
