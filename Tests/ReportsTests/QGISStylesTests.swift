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
                // The report's share classes, limit for limit and colour for colour.
                let lowers = try document.nodes(forXPath: "//ranges/range/@lower").compactMap { Double($0.stringValue ?? "") }
                let uppers = try document.nodes(forXPath: "//ranges/range/@upper").compactMap { Double($0.stringValue ?? "") }
                #expect(lowers == Array(ShareClasses.breaks.dropLast()))
                #expect(uppers == Array(ShareClasses.breaks.dropFirst()))
                let colours = try document.nodes(forXPath: "//symbols/symbol/layer/Option/Option[@name='color']/@value").compactMap(\.stringValue)
                // #d73027 is 215,48,39: a hand conversion of the first class's colour.
                #expect(colours.first == "215,48,39,255")
                #expect(colours == ShareClasses.colours.map { MapClass.qgis($0) })
                let labels = try document.nodes(forXPath: "//ranges/range/@label").compactMap(\.stringValue)
                #expect(labels == ShareClasses.colours.indices.map(ShareClasses.label))
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
                #expect(renderer.attribute(forName: "attr")?.stringValue == BuildAreaClasses.expression)
                let values = try document.nodes(forXPath: "//categories/category/@value").compactMap(\.stringValue)
                #expect(Array(values.suffix(BuildAreaClasses.notBuilt.count)) == BuildAreaClasses.notBuilt.map(\.status))
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

    /// Every build area of the Cumbria run falls in a class of its style: the class value
    /// worked out here from the layer's own columns (as the QGIS expression does), built areas
    /// in a technology-and-year class drawn nearly opaque, the rest in faint classes.
    @Test func buildAreaStyleHasAClassForEveryArea() throws {
        let run = try Runs.cumbria.get()
        let db = try GeoPackageSQL(path: run.gpkgPath)
        let qml = try #require(try db.query("SELECT styleQML FROM layer_styles WHERE f_table_name = 'build_areas' AND useAsDefault = 1").first?.first ?? nil)
        let document = try XMLDocument(xmlString: qml, options: [])
        let values = try document.nodes(forXPath: "//categories/category/@value").compactMap(\.stringValue)
        let colours = try document.nodes(forXPath: "//symbols/symbol/layer/Option/Option[@name='color']/@value").compactMap(\.stringValue)
        #expect(values.count == colours.count)
        let alpha = Dictionary(uniqueKeysWithValues: zip(values, colours.map { Int($0.split(separator: ",").last ?? "") ?? -1 }))
        let rows = try db.query("SELECT status, technology, year FROM build_areas")
        var built = 0
        var builtKeys = Set<String>()
        for row in rows {
            let status = row[0] ?? ""
            let value = status == "built" ? "\(row[1] ?? "") \(row[2] ?? "")" : status
            #expect(values.contains(value), "no class for \(value)")
            if status == "built" {
                built += 1
                builtKeys.insert(value)
                #expect(alpha[value] == 217, "built class \(value) alpha \(alpha[value] ?? -1)")
            } else {
                #expect(alpha[value] == 64, "not-built class \(value) alpha \(alpha[value] ?? -1)")
            }
        }
        #expect(built > 0)
        // One class per technology and year built: no more, no fewer.
        #expect(Set(values.filter { !BuildAreaClasses.notBuilt.map(\.status).contains($0) }) == builtKeys)
        // Cumbria builds in 2026-2028: FTTP's earliest year takes the darkest blue.
        let fttp = builtKeys.filter { $0.hasPrefix("fttp ") }.sorted()
        if let first = fttp.first, let k = values.firstIndex(of: first) {
            #expect(colours[k] == MapClass.qgis("#08519c", opacity: 0.85))
        }
        try db.close()
    }

    @Test func classValueMatchesTheQGISExpression() {
        #expect(BuildAreaClasses.value(status: "built", technology: "fwa", year: 2027) == "fwa 2027")
        #expect(BuildAreaClasses.value(status: "over_budget", technology: "fttp", year: nil) == "over_budget")
        let classes = BuildAreaClasses.classes(built: [.init(technology: "fwa", year: 2028), .init(technology: "fwa", year: 2026),
                                                       .init(technology: "fttp", year: 2027)])
        #expect(classes.prefix(3).map(\.value) == ["fttp 2027", "fwa 2026", "fwa 2028"])
        #expect(classes.prefix(3).map(\.colour) == ["#08519c", "#a63603", "#e6550d"])
        #expect(MapClass.qgis("#1a9850", opacity: 0.25) == "26,152,80,64")
    }
}

@Suite("QGIS project (project.qgz)")
struct QGISProjectTests {
    /// The standard CRC-32 check value (the CRC of "123456789").
    @Test func crc32CheckValue() {
        #expect(Zip.crc32(Data("123456789".utf8)) == 0xCBF4_3926)
        #expect(Zip.crc32(Data()) == 0)
    }

    /// The archive reads back with Python's zipfile (an independent zip reader), CRC checked.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")))
    func archiveReadsBackWithPythonsZipfile() throws {
        let run = try Runs.cumbria.get()
        let path = run.folder.appendingPathComponent("project.qgz").path
        let script = "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print(z.namelist()); sys.stdout.write(z.read('project.qgs').decode()[:60])"
        let result = try Tools.run("/usr/bin/python3", ["-c", script, path])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("['project.qgs']"))
        #expect(result.output.contains("<!DOCTYPE qgis"))
    }

    static func qgs(_ run: WrittenRun) throws -> XMLDocument {
        let data = try Data(contentsOf: run.folder.appendingPathComponent("project.qgz"))
        // A stored zip: the .qgs follows the 30-byte local header and its name.
        let nameLength = Int(data[26]) | Int(data[27]) << 8
        let size = Int(data[18]) | Int(data[19]) << 8 | Int(data[20]) << 16 | Int(data[21]) << 24
        let start = 30 + nameLength
        return try XMLDocument(data: data.subdata(in: start..<(start + size)), options: [])
    }

    /// Every layer of the GeoPackage, relative sources, bbplan's order, EPSG:27700, and the
    /// extent: the authorities layer's bounds (from gpkg_contents, written by GDAL) plus 2%.
    @Test func projectHoldsEveryLayerInOrderOnTheAuthorities() throws {
        for run in [try Runs.cumbria.get(), try Runs.cumbriaBaseline.get()] {
            let doc = try Self.qgs(run)
            let db = try GeoPackageSQL(path: run.gpkgPath)
            let layers = try QGISStylesTests.layers(db)
            let tree = try doc.nodes(forXPath: "//layer-tree-group/layer-tree-layer/@name").compactMap(\.stringValue)
            #expect(Set(tree) == Set(layers))
            #expect(tree.count == layers.count)
            let ranks = tree.map(QGISProject.drawingRank)
            #expect(ranks == ranks.sorted())
            #expect(tree.last == "authorities")
            if run.result.rollout != nil { #expect(tree.first == "build_areas") }
            let sources = try doc.nodes(forXPath: "//maplayer/datasource").compactMap(\.stringValue)
            #expect(sources.sorted() == layers.map { "./coverage.gpkg|layername=\($0)" }.sorted())
            #expect(try doc.nodes(forXPath: "//projectCrs/spatialrefsys/authid").first?.stringValue == "EPSG:27700")
            // Every map layer carries a renderer (its style).
            #expect(try doc.nodes(forXPath: "//maplayer/renderer-v2").count == layers.count)
            let bounds = try #require(try db.query("SELECT min_x, min_y, max_x, max_y FROM gpkg_contents WHERE table_name = 'authorities'").first)
            let b = bounds.map { Double($0 ?? "") ?? .nan }
            let extent = try #require(try doc.nodes(forXPath: "//DefaultViewExtent").first as? XMLElement)
            let e = ["xmin", "ymin", "xmax", "ymax"].map { Double(extent.attribute(forName: $0)?.stringValue ?? "") ?? .nan }
            let mx = (b[2] - b[0]) * 0.02, my = (b[3] - b[1]) * 0.02
            for (got, want) in zip(e, [b[0] - mx, b[1] - my, b[2] + mx, b[3] + my]) {
                #expect(abs(got - want) < 0.01, "extent \(e) against authorities \(b)")
            }
            // One tier's gaps shown: the target tier after the programme, or superfast.
            let shown = try doc.nodes(forXPath: "//layer-tree-layer[@checked='Qt::Checked']/@name").compactMap(\.stringValue)
            let gapsShown = shown.filter { $0.hasPrefix("gaps_") }
            #expect(gapsShown == [run.result.rollout != nil ? "gaps_\(run.result.scenario.rollout?.targetTier ?? "")_after" : "gaps_superfast"])
            try db.close()
        }
    }
}

@Suite("Vector MBTiles")
struct WebTilesTests {
    /// The hostile-names run (three Greater Manchester districts) lists mbtiles:
    /// coverage.mbtiles holds its coverage, gap and build-area layers (those with a geometry),
    /// read back by GDAL with features, and nothing else.
    @Test func tilesHoldTheTiledLayers() throws {
        let run = try Runs.hostile.get()
        let path = run.folder.appendingPathComponent(WebTiles.fileName).path
        let found = try VectorSource(path: path).describe()
        let db = try GeoPackageSQL(path: run.gpkgPath)
        var expected: [String] = []
        for layer in try QGISStylesTests.layers(db) where ["coverage_", "gaps_"].contains(where: layer.hasPrefix) || layer == "build_areas" {
            let n = try db.query("SELECT COUNT(*) FROM \"\(layer)\" WHERE geom IS NOT NULL").first?.first ?? "0"
            if n != "0" { expected.append(layer) }
        }
        try db.close()
        #expect(expected.contains("build_areas") && expected.contains("coverage_superfast_after"))
        #expect(Set(found.map(\.name)) == Set(expected))
        for layer in found { #expect(layer.featureCount > 0, "\(layer.name)") }
        // The MBTiles metadata table, read with Python's sqlite3.
        let script = "import sqlite3, sys; print(dict(sqlite3.connect(sys.argv[1]).execute('SELECT name, value FROM metadata')))"
        let meta = try Tools.run(Tools.python, ["-c", script, path])
        #expect(meta.status == 0)
        #expect(meta.output.contains("'minzoom': '6'") && meta.output.contains("'maxzoom': '12'") && meta.output.contains("'format': 'pbf'"), "\(meta.output)")
    }
}
