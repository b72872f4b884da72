import Foundation
import GeoIO

/// Default QGIS styles for the layers of coverage.gpkg, stored the way QGIS stores them: in a
/// `layer_styles` table inside the GeoPackage (QGIS's own schema), one default style per layer,
/// so the layers open in QGIS already symbolised.
public enum QGISStyles {
    /// The style name bbplan writes (QGIS lists it in the layer's style manager).
    public static let styleName = "bbplan"

    /// QGIS's `layer_styles` table, column for column as QGIS creates it in a GeoPackage.
    static let createTable = """
        CREATE TABLE IF NOT EXISTS "layer_styles" (
          "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
          "f_table_catalog" TEXT(256),
          "f_table_schema" TEXT(256),
          "f_table_name" TEXT(256),
          "f_geometry_column" TEXT(256),
          "styleName" TEXT(30),
          "styleQML" TEXT,
          "styleSLD" TEXT,
          "useAsDefault" BOOLEAN,
          "description" TEXT,
          "owner" TEXT(30),
          "ui" TEXT(30),
          "update_time" DATETIME DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
        )
        """

    /// Adds (or replaces) bbplan's default style of each of `layers` in the GeoPackage at
    /// `gpkgPath`, and registers `layer_styles` in gpkg_contents as an attributes table so the
    /// file stays a valid GeoPackage. Other styles already in the table are kept, no longer as
    /// the default.
    /// `authoritiesShare` is the authorities layer's column the style grades by: the baseline's
    /// superfast share, `share_superfast` (`share_superfast_before` in a rollout).
    /// `buildClasses` are the classes of the `build_areas` style (`BuildAreaClasses.classes`),
    /// the same as the report's build-area legend.
    static func add(to gpkgPath: String, layers: [String], authoritiesShare: String = "share_superfast",
                    buildClasses: [MapClass] = BuildAreaClasses.classes(built: [])) throws {
        let db = try GeoPackageSQL(path: gpkgPath, update: true)
        try db.transaction {
            try db.execute(createTable)
            let names = layers.map { GeoPackageSQL.literal($0) }.joined(separator: ", ")
            if !layers.isEmpty {
                try db.execute("DELETE FROM layer_styles WHERE styleName = \(GeoPackageSQL.literal(styleName)) AND f_table_name IN (\(names))")
                try db.execute("UPDATE layer_styles SET useAsDefault = 0 WHERE f_table_name IN (\(names))")
            }
            for layer in layers {
                try db.execute("""
                    INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, styleName, styleQML, styleSLD, useAsDefault, description, owner, ui)
                    VALUES ('', '', \(GeoPackageSQL.literal(layer)), 'geom', \(GeoPackageSQL.literal(styleName)), \(GeoPackageSQL.literal(qml(forLayer: layer, authoritiesShare: authoritiesShare, buildClasses: buildClasses))), '', 1, \(GeoPackageSQL.literal(description(forLayer: layer))), '', NULL)
                    """)
            }
            try db.execute("""
                INSERT OR REPLACE INTO gpkg_contents (table_name, data_type, identifier, description, last_change)
                VALUES ('layer_styles', 'attributes', 'layer_styles', 'QGIS layer styles', strftime('%Y-%m-%dT%H:%M:%fZ','now'))
                """)
            // GDAL keeps feature counts here; keep it exact for the new table.
            if try db.hasTable("gpkg_ogr_contents") {
                try db.execute("INSERT OR REPLACE INTO gpkg_ogr_contents (table_name, feature_count) SELECT 'layer_styles', COUNT(*) FROM layer_styles")
            }
        }
        try db.close()
    }

    static func description(forLayer name: String) -> String {
        switch kind(of: name) {
        case .authorities: "Authorities graduated by the share of households at or above superfast, before any programme (the report's share classes)"
        case .gaps: "Gap polygons: the authority outside the tier's coverage (hatched)"
        case .coverage: "Coverage polygons of the tier (translucent)"
        case .buildAreas: "Build areas by status: those built by technology and year (earliest darkest), the rest faint"
        case .premises: "Premises by NGA class (white, grey, black)"
        case .gapClusters: "Gap clusters across authority borders: those spanning two or more authorities in purple"
        case .lots: "Procurement lots (outlined)"
        case .other: "bbplan default style"
        }
    }

    enum LayerKind {
        case authorities, gaps, coverage, buildAreas, premises, gapClusters, lots, other
    }

    static func kind(of name: String) -> LayerKind {
        if name == "authorities" { return .authorities }
        if name.hasPrefix("gap_clusters_") { return .gapClusters }
        if name == "lots" { return .lots }
        if name.hasPrefix("gaps_") { return .gaps }
        if name.hasPrefix("coverage_") { return .coverage }
        if name == "build_areas" { return .buildAreas }
        if name == "premises" { return .premises }
        return .other
    }

    /// The QML document of a layer's style.
    static func qml(forLayer name: String, authoritiesShare: String = "share_superfast",
                    buildClasses: [MapClass] = BuildAreaClasses.classes(built: [])) -> String {
        switch kind(of: name) {
        case .authorities:
            // The report's share classes (ShareClasses), limits and colours alike.
            var ranges: [(lower: Double, upper: Double, label: String, symbol: String)] = []
            for i in 0..<ShareClasses.colours.count {
                ranges.append((ShareClasses.breaks[i], ShareClasses.breaks[i + 1], ShareClasses.label(i),
                               fill(name: "\(i)", colour: MapClass.qgis(ShareClasses.colours[i]), outline: "80,80,80,255", outlineWidth: 0.4)))
            }
            return document(renderer: graduated(attribute: authoritiesShare, ranges: ranges), geometryType: 2)
        case .gaps:
            return document(renderer: single(fill(name: "0", colour: "215,48,39,255", style: "b_diagonal", outline: "215,48,39,255", outlineWidth: 0.3)), geometryType: 2)
        case .coverage:
            return document(renderer: single(fill(name: "0", colour: "26,152,80,90", outline: "26,152,80,200", outlineWidth: 0.2)), geometryType: 2)
        case .buildAreas:
            // The report's build-area classes (BuildAreaClasses): built by technology and year,
            // the rest faint; categorised by an expression over `status`, `technology`, `year`.
            let categories = buildClasses.enumerated().map { i, c in
                (value: c.value, label: c.label,
                 symbol: fill(name: "\(i)", colour: c.qgisColour, outline: c.opacity < 0.5 ? "150,150,150,90" : "60,60,60,255",
                              outlineWidth: c.opacity < 0.5 ? 0.05 : 0.15))
            }
            return document(renderer: categorised(attribute: BuildAreaClasses.expression, categories: categories), geometryType: 2)
        case .premises:
            let categories: [(value: String, label: String, symbol: String)] = [
                ("white", "White (no NGA operator)", marker(name: "0", colour: "255,255,255,255", outline: "60,60,60,255")),
                ("grey", "Grey (one NGA operator)", marker(name: "1", colour: "150,150,150,255", outline: "60,60,60,255")),
                ("black", "Black (two or more)", marker(name: "2", colour: "20,20,20,255", outline: "20,20,20,255")),
            ]
            return document(renderer: categorised(attribute: "nga_class", categories: categories), geometryType: 0)
        case .gapClusters:
            let categories: [(value: String, label: String, symbol: String)] = [
                ("1", "Spans two or more authorities", fill(name: "0", colour: "117,107,177,170", outline: "84,39,143,255", outlineWidth: 0.3)),
                ("0", "Within one authority", fill(name: "1", colour: "218,218,235,120", outline: "158,154,200,255", outlineWidth: 0.2)),
            ]
            return document(renderer: categorised(attribute: "cross_border", categories: categories), geometryType: 2)
        case .lots:
            return document(renderer: single(fill(name: "0", colour: "0,0,0,0", outline: "84,39,143,255", outlineWidth: 0.8)), geometryType: 2)
        case .other:
            return document(renderer: single(fill(name: "0", colour: "190,190,190,120", outline: "90,90,90,255", outlineWidth: 0.26)), geometryType: 2)
        }
    }

    static func percent(_ share: Double) -> String { String(format: "%g%%", share * 100) }

    // MARK: - QML pieces (QGIS 3.28 layout; `prop` elements too, for QGIS before 3.26)

    static func document(renderer: String, geometryType: Int) -> String {
        """
        <!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
        <qgis version="3.28.0-Firenze" styleCategories="Symbology">
          \(symbology(renderer: renderer, geometryType: geometryType))
        </qgis>

        """
    }

    /// The symbology elements of a style: what a QML document holds inside `<qgis>`, and what
    /// a project's `<maplayer>` holds (QGISProject).
    static func symbology(renderer: String, geometryType: Int) -> String {
        """
        \(renderer)
          <blendMode>0</blendMode>
          <featureBlendMode>0</featureBlendMode>
          <layerGeometryType>\(geometryType)</layerGeometryType>
        """
    }

    /// The symbology of a layer's style without the QML document around it.
    static func symbology(forLayer name: String, authoritiesShare: String, buildClasses: [MapClass]) -> String {
        let qml = qml(forLayer: name, authoritiesShare: authoritiesShare, buildClasses: buildClasses)
        guard let start = qml.range(of: "<renderer-v2"), let end = qml.range(of: "</qgis>", options: .backwards) else { return "" }
        return String(qml[start.lowerBound..<end.lowerBound])
    }

    static func single(_ symbol: String) -> String {
        """
        <renderer-v2 type="singleSymbol" symbollevels="0" forceraster="0" enableorderby="0" referencescale="-1">
            <symbols>\(symbol)</symbols>
            <rotation/>
            <sizescale/>
          </renderer-v2>
        """
    }

    static func graduated(attribute: String, ranges: [(lower: Double, upper: Double, label: String, symbol: String)]) -> String {
        let rangeElements = ranges.enumerated().map { i, r in
            "<range symbol=\"\(i)\" lower=\"\(String(format: "%.15f", r.lower))\" upper=\"\(String(format: "%.15f", r.upper))\" label=\"\(Markup.escape(r.label))\" render=\"true\"/>"
        }.joined()
        return """
            <renderer-v2 type="graduatedSymbol" attr="\(Markup.escape(attribute))" graduatedMethod="GraduatedColor" symbollevels="0" forceraster="0" enableorderby="0" referencescale="-1">
                <ranges>\(rangeElements)</ranges>
                <symbols>\(ranges.map(\.symbol).joined())</symbols>
                <rotation/>
                <sizescale/>
              </renderer-v2>
            """
    }

    static func categorised(attribute: String, categories: [(value: String, label: String, symbol: String)]) -> String {
        let categoryElements = categories.enumerated().map { i, c in
            "<category symbol=\"\(i)\" value=\"\(Markup.escape(c.value))\" label=\"\(Markup.escape(c.label))\" render=\"true\"/>"
        }.joined()
        return """
            <renderer-v2 type="categorizedSymbol" attr="\(Markup.escape(attribute))" symbollevels="0" forceraster="0" enableorderby="0" referencescale="-1">
                <categories>\(categoryElements)</categories>
                <symbols>\(categories.map(\.symbol).joined())</symbols>
                <rotation/>
                <sizescale/>
              </renderer-v2>
            """
    }

    /// A fill symbol with one SimpleFill layer; `style` is a QGIS brush style ("solid",
    /// "b_diagonal", ...), colours "r,g,b,a".
    static func fill(name: String, colour: String, style: String = "solid", outline: String, outlineWidth: Double) -> String {
        symbol(type: "fill", name: name, layerClass: "SimpleFill", properties: [
            ("border_width_map_unit_scale", "3x:0,0,0,0,0,0"), ("color", colour), ("joinstyle", "bevel"),
            ("offset", "0,0"), ("offset_map_unit_scale", "3x:0,0,0,0,0,0"), ("offset_unit", "MM"),
            ("outline_color", outline), ("outline_style", "solid"), ("outline_width", String(outlineWidth)),
            ("outline_width_unit", "MM"), ("style", style),
        ])
    }

    /// A small circle marker.
    static func marker(name: String, colour: String, outline: String) -> String {
        symbol(type: "marker", name: name, layerClass: "SimpleMarker", properties: [
            ("angle", "0"), ("color", colour), ("horizontal_anchor_point", "1"), ("joinstyle", "bevel"),
            ("name", "circle"), ("offset", "0,0"), ("offset_map_unit_scale", "3x:0,0,0,0,0,0"), ("offset_unit", "MM"),
            ("outline_color", outline), ("outline_style", "solid"), ("outline_width", "0.1"), ("outline_width_unit", "MM"),
            ("scale_method", "diameter"), ("size", "1.4"), ("size_map_unit_scale", "3x:0,0,0,0,0,0"), ("size_unit", "MM"),
            ("vertical_anchor_point", "1"),
        ])
    }

    static func symbol(type: String, name: String, layerClass: String, properties: [(String, String)]) -> String {
        let options = properties.map { "<Option type=\"QString\" name=\"\(Markup.escape($0.0))\" value=\"\(Markup.escape($0.1))\"/>" }.joined()
        let props = properties.map { "<prop k=\"\(Markup.escape($0.0))\" v=\"\(Markup.escape($0.1))\"/>" }.joined()
        return "<symbol type=\"\(type)\" name=\"\(Markup.escape(name))\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">"
            + "<layer class=\"\(layerClass)\" enabled=\"1\" pass=\"0\" locked=\"0\"><Option type=\"Map\">\(options)</Option>\(props)</layer>"
            + "</symbol>"
    }
}
