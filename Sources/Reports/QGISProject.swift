import Foundation
import Geometry
import Projection
import GeoIO
import Scenario
import Coverage

/// `project.qgz`, the QGIS project written beside coverage.gpkg: every layer of the GeoPackage
/// with the style of `QGISStyles`, in a fixed order (points on top, then build areas, lots,
/// gap clusters, gaps, coverage, authorities at the bottom), the map extent on the planned
/// authorities, the run's working CRS as the project CRS. The data sources are relative
/// (`./coverage.gpkg|layername=...`), so the run folder can be moved or copied whole.
/// A .qgz is a zip archive holding one .qgs XML document (QGIS's own format).
enum QGISProject {
    static let fileName = "project.qgz"

    struct Layer {
        let name: String
        let isPoint: Bool
        /// Shown when the project opens.
        let visible: Bool
    }

    /// The position of a layer in the project, top (0) to bottom.
    static func drawingRank(_ name: String) -> Int {
        switch QGISStyles.kind(of: name) {
        case .premises: 0
        case .buildAreas: 1
        case .lots: 2
        case .gapClusters: 3
        case .gaps: 4
        case .coverage: 5
        case .other: 6
        case .authorities: 7
        }
    }

    /// The layers in drawing order, top first. Within one kind the GeoPackage's order holds,
    /// except that a tier's after-programme layer sits above its baseline layer.
    static func ordered(_ names: [String]) -> [String] {
        names.enumerated().sorted { a, b in
            let ra = drawingRank(a.element), rb = drawingRank(b.element)
            if ra != rb { return ra < rb }
            let afterA = a.element.hasSuffix("_after"), afterB = b.element.hasSuffix("_after")
            if afterA != afterB { return afterA }
            return a.offset < b.offset
        }.map(\.element)
    }

    /// The .qgs document. `layers` in any order; `extent` in the CRS.
    static func document(title: String, gpkg: String, layers: [Layer], crs: CRS, extent: Envelope,
                         authoritiesShare: String, buildClasses: [MapClass]) -> String {
        let byName = Dictionary(uniqueKeysWithValues: layers.map { ($0.name, $0) })
        let order = ordered(layers.map(\.name))
        func id(_ name: String) -> String { "bbplan_" + name }
        func source(_ name: String) -> String { Markup.escape("./\(gpkg)|layername=\(name)") }
        let srs = spatialRefSys(crs)
        // A margin of 2% around the authorities.
        let mx = (extent.maxX - extent.minX) * 0.02, my = (extent.maxY - extent.minY) * 0.02
        let box = """
            <xmin>\(number(extent.minX - mx))</xmin><ymin>\(number(extent.minY - my))</ymin><xmax>\(number(extent.maxX + mx))</xmax><ymax>\(number(extent.maxY + my))</ymax>
            """
        var tree = "", maplayers = "", layerOrder = ""
        for name in order {
            guard let layer = byName[name] else { continue }
            tree += "<layer-tree-layer id=\"\(id(name))\" name=\"\(Markup.escape(name))\" checked=\"\(layer.visible ? "Qt::Checked" : "Qt::Unchecked")\" expanded=\"0\" source=\"\(source(name))\" providerKey=\"ogr\"><customproperties/></layer-tree-layer>\n"
            layerOrder += "<layer id=\"\(id(name))\"/>"
            let geometry = layer.isPoint ? "Point" : "Polygon"
            let wkb = layer.isPoint ? "Point" : "MultiPolygon"
            maplayers += """
                <maplayer type="vector" geometry="\(geometry)" wkbType="\(wkb)" autoRefreshEnabled="0" simplifyDrawingHints="1" simplifyAlgorithm="0" simplifyDrawingTol="1" simplifyLocal="1" simplifyMaxScale="1" hasScaleBasedVisibilityFlag="0" minScale="100000000" maxScale="0" labelsEnabled="0" readOnly="0" refreshOnNotifyEnabled="0" styleCategories="AllStyleCategories">
                  <extent>\(box)</extent>
                  <id>\(id(name))</id>
                  <datasource>\(source(name))</datasource>
                  <layername>\(Markup.escape(name))</layername>
                  <srs>\(srs)</srs>
                  <provider encoding="UTF-8">ogr</provider>
                  <abstract>\(Markup.escape(QGISStyles.description(forLayer: name)))</abstract>
                  \(QGISStyles.symbology(forLayer: name, authoritiesShare: authoritiesShare, buildClasses: buildClasses))
                </maplayer>

                """
        }
        return """
            <!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
            <qgis projectname="\(Markup.escape(title))" version="3.22.0-Białowieża">
              <homePath path=""/>
              <title>\(Markup.escape(title))</title>
              <autotransaction active="0"/>
              <evaluateDefaultValues active="0"/>
              <trust active="0"/>
              <projectCrs>\(srs)</projectCrs>
              <layer-tree-group>
                <customproperties/>
                \(tree)
              </layer-tree-group>
              <mapcanvas name="theMapCanvas" annotationsVisible="1">
                <units>meters</units>
                <extent>\(box)</extent>
                <rotation>0</rotation>
                <destinationsrs>\(srs)</destinationsrs>
                <rendermaptile>0</rendermaptile>
                <expressionContextScope/>
              </mapcanvas>
              <projectlayers>
            \(maplayers)  </projectlayers>
              <layerorder>\(layerOrder)</layerorder>
              <ProjectViewSettings UseProjectScales="0">
                <Scales/>
                <DefaultViewExtent xmin="\(number(extent.minX - mx))" ymin="\(number(extent.minY - my))" xmax="\(number(extent.maxX + mx))" ymax="\(number(extent.maxY + my))">\(srs)</DefaultViewExtent>
              </ProjectViewSettings>
              <properties>
                <Paths><Absolute type="bool">false</Absolute></Paths>
                <SpatialRefSys><ProjectionsEnabled type="int">1</ProjectionsEnabled></SpatialRefSys>
                <Measurement><DistanceUnits type="QString">meters</DistanceUnits><AreaUnits type="QString">km2</AreaUnits></Measurement>
              </properties>
            </qgis>

            """
    }

    /// The CRS as QGIS's `<spatialrefsys>`: QGIS resolves it from `authid` (EPSG:n); the WKT
    /// stands for a CRS without an EPSG code.
    static func spatialRefSys(_ crs: CRS) -> String {
        "<spatialrefsys><wkt>\(Markup.escape(crs.wkt))</wkt><authid>\(crs.epsg.map { "EPSG:\($0)" } ?? "")</authid><description>\(Markup.escape(crs.name))</description><geographicflag>\(crs.isGeographic ? "true" : "false")</geographicflag></spatialrefsys>"
    }

    static func number(_ v: Double) -> String { String(format: "%.3f", v) }

    /// The .qgz archive: a zip holding `project.qgs`.
    static func archive(_ qgs: String) -> Data { Zip.stored([("project.qgs", Data(qgs.utf8))]) }
}

/// A minimal zip writer: entries stored uncompressed (method 0), which every zip reader
/// (QGIS uses libzip) accepts; enough for a project file of a few hundred kilobytes.
enum Zip {
    static func stored(_ entries: [(name: String, data: Data)]) -> Data {
        var out = Data(), central = Data()
        func u16(_ v: Int, _ d: inout Data) { d.append(contentsOf: [UInt8(v & 0xff), UInt8((v >> 8) & 0xff)]) }
        func u32(_ v: UInt32, _ d: inout Data) { for s in stride(from: 0, to: 32, by: 8) { d.append(UInt8((v >> UInt32(s)) & 0xff)) } }
        // 1 January 2026 00:00 in MS-DOS time: a fixed time keeps the archive reproducible.
        let dosTime = 0, dosDate = ((2026 - 1980) << 9) | (1 << 5) | 1
        for (name, data) in entries {
            let nameBytes = Data(name.utf8)
            let crc = crc32(data)
            let offset = UInt32(out.count)
            u32(0x0403_4b50, &out); u16(20, &out); u16(0x0800, &out); u16(0, &out); u16(dosTime, &out); u16(dosDate, &out)
            u32(crc, &out); u32(UInt32(data.count), &out); u32(UInt32(data.count), &out)
            u16(nameBytes.count, &out); u16(0, &out)
            out.append(nameBytes); out.append(data)
            u32(0x0201_4b50, &central); u16(20, &central); u16(20, &central); u16(0x0800, &central); u16(0, &central)
            u16(dosTime, &central); u16(dosDate, &central); u32(crc, &central)
            u32(UInt32(data.count), &central); u32(UInt32(data.count), &central)
            u16(nameBytes.count, &central); u16(0, &central); u16(0, &central); u16(0, &central); u16(0, &central)
            u32(0, &central); u32(offset, &central)
            central.append(nameBytes)
        }
        let centralOffset = UInt32(out.count)
        out.append(central)
        u32(0x0605_4b50, &out); u16(0, &out); u16(0, &out); u16(entries.count, &out); u16(entries.count, &out)
        u32(UInt32(central.count), &out); u32(centralOffset, &out); u16(0, &out)
        return out
    }

    /// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as zip requires.
    static func crc32(_ data: Data) -> UInt32 {
        var table = [UInt32](repeating: 0, count: 256)
        for i in 0..<256 {
            var c = UInt32(i)
            for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
            table[i] = c
        }
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data { crc = table[Int((crc ^ UInt32(byte)) & 0xff)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}

extension QGISProject {
    /// The project of a run's coverage.gpkg: every layer, the extent of the planned authorities.
    /// Shown when it opens: one tier's coverage and gaps (the rollout's target tier, after
    /// the programme; in a baseline superfast, or the first polygon tier without it), the
    /// authorities, build areas, lots and premises; the other tiers' layers and the gap
    /// clusters are there to switch on (several tiers' hatching drawn together hides the map).
    static func document(_ r: RunResult, layers: [OutputLayer], buildClasses: [MapClass]) -> String {
        var extent = Envelope.empty
        for a in r.inputs.selected {
            let e = r.inputs.authorities[a].geometry.envelope
            guard e != .empty else { continue }
            extent = extent == .empty ? e
                : Envelope(minX: min(extent.minX, e.minX), minY: min(extent.minY, e.minY), maxX: max(extent.maxX, e.maxX), maxY: max(extent.maxY, e.maxY))
        }
        let tiers = CoverageAnalysis.polygonTiers(r.scenario).map(\.name)
        let focus = r.scenario.rollout?.targetTier ?? (tiers.contains("superfast") ? "superfast" : tiers.first ?? "")
        let suffix = r.rollout != nil ? "_after" : ""
        let shownTierLayers: Set<String> = ["coverage_\(focus)\(suffix)", "gaps_\(focus)\(suffix)"]
        let described = layers.map { layer in
            let visible: Bool
            switch QGISStyles.kind(of: layer.name) {
            case .gaps, .coverage: visible = shownTierLayers.contains(layer.name)
            case .gapClusters: visible = false
            default: visible = true
            }
            return Layer(name: layer.name, isPoint: layer.kind == .point, visible: visible)
        }
        return document(title: r.scenario.name, gpkg: "coverage.gpkg", layers: described, crs: r.scenario.crs, extent: extent,
                        authoritiesShare: OutputTable.baselineShare(r, tier: "superfast"), buildClasses: buildClasses)
    }
}

extension BuildAreaClasses {
    /// The classes of a run's build areas: one per (technology, year) built, then the faint
    /// statuses (none built without a rollout).
    static func classes(_ r: RunResult) -> [MapClass] {
        guard let rollout = r.rollout else { return classes(built: []) }
        var built = Set<BuiltKey>()
        for k in rollout.areas.indices where rollout.selection.status[k] == .built {
            if let t = rollout.priced[k].technology, let y = rollout.selection.year[k] { built.insert(BuiltKey(technology: t.rawValue, year: y)) }
        }
        return classes(built: built)
    }
}

/// coverage.mbtiles: the coverage, gap and build-area layers as vector tiles for a web map.
enum WebTiles {
    static let fileName = "coverage.mbtiles"
    /// Zoom 6 shows a region of England on a screen; zoom 12 (about 22 m a screen pixel at UK
    /// latitudes, 1.4 m a tile unit: tiles are 4096 units across) draws a 1 km build-area cell
    /// 45 pixels wide and keeps coverage edges to a few metres; a web map overzooms beyond it.
    /// Zoom 6-14 took 51 s to write for the Cumbria superfast example against 11 s for 6-12,
    /// for detail the tile units already hold.
    static let minZoom = 6, maxZoom = 12

    static func isTiled(_ layer: OutputLayer) -> Bool {
        switch QGISStyles.kind(of: layer.name) {
        case .coverage, .gaps, .buildAreas: true
        default: false
        }
    }

    static func options(name: String) -> [String] {
        ["MINZOOM=\(minZoom)", "MAXZOOM=\(maxZoom)", "NAME=\(name)", "TYPE=overlay", "DESCRIPTION=bbplan coverage, gaps and build areas"]
    }
}
