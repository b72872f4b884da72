import GeoIO
import Geometry
import RunSummary
import Foundation

/// The classes of the share maps, and of the `authorities` layer's QGIS style (QGISStyles,
/// MapClasses.swift): fixed breaks, the same on every map, so before and after and different
/// scenarios compare at a glance. Finer near 100%, where superfast shares sit,
/// and near 0%, where gigabit shares start.
struct ShareClasses {
    /// Class limits as shares; a value v is in class i when breaks[i] ≤ v < breaks[i + 1]
    /// (the last class includes 100%).
    static let breaks: [Double] = [0, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95, 0.99, 1.0]
    /// ColorBrewer RdYlGn, 8 classes: red (low) to green (high).
    static let colours = ["#d73027", "#f46d43", "#fdae61", "#fee08b", "#d9ef8b", "#a6d96a", "#66bd63", "#1a9850"]
    /// For authorities without households (no share to show).
    static let noData = "#e0e0e0"

    static func index(_ share: Double) -> Int {
        for i in (0..<colours.count).reversed() where share >= breaks[i] - 1e-12 { return i }
        return 0
    }

    static func colour(_ share: Double?) -> String {
        guard let share, share.isFinite else { return noData }
        return colours[index(share)]
    }

    static func label(_ i: Int) -> String {
        func pct(_ v: Double) -> String { String(format: "%g", v * 100) }
        if i == 0 { return "under \(pct(breaks[1]))%" }
        return "\(pct(breaks[i]))–\(pct(breaks[i + 1]))%"
    }
}

/// What a map draws besides its shapes: authority labels, and a scale bar and north arrow in
/// a strip below the shapes. `metresPerUnit` is the ground length of one map coordinate unit
/// (nil: no scale bar).
struct MapFurniture: Sendable, Equatable {
    var metresPerUnit: Double?
    var labels: Bool = true
}

/// A scale bar: a round length (1, 2 or 5 × 10ⁿ km) at most 30% of the map's width.
struct ScaleBar: Equatable {
    /// The length it stands for, km.
    var km: Double
    /// Its length in SVG user units.
    var length: Double

    /// `unitsPerMapUnit`: SVG units per map coordinate unit (the frame's scale);
    /// `metresPerMapUnit`: ground metres per map coordinate unit.
    init?(mapWidth: Double, unitsPerMapUnit: Double, metresPerMapUnit: Double?) {
        guard let m = metresPerMapUnit, m > 0, unitsPerMapUnit > 0, mapWidth > 0 else { return nil }
        let kmPerUnit = m / unitsPerMapUnit / 1000
        let target = 0.3 * mapWidth * kmPerUnit
        guard target.isFinite, target > 0 else { return nil }
        let magnitude = pow(10, (log10(target)).rounded(.down))
        let nice = [5.0, 2, 1].map { $0 * magnitude }.first { $0 <= target * (1 + 1e-12) } ?? magnitude
        km = nice
        length = nice / kmPerUnit
    }
}

/// Choropleth maps of authority shares as inline SVG.
enum SVGMap {
    /// A map of `shapes` filled by `values` (share 0–1 by authority code; nil for no data),
    /// `width` user units wide with the height following the shapes' proportions. Every
    /// authority is one `<path class="area">` with a `<title>` for hover.
    static func choropleth(
        _ shapes: [MapShape], values: [String: Double?], caption: String, width: Double = 480, maxHeight: Double = 560,
        furniture: MapFurniture? = nil
    ) -> String {
        guard let frame = Frame(shapes, width: width, maxHeight: maxHeight, furniture: furniture) else {
            return "<p class=\"note\">No authority outlines to map.</p>"
        }
        var svg = frame.open(caption)
        for shape in shapes {
            let value = values[shape.code] ?? nil
            let shown = value.map { Format.percent($0) } ?? "no households"
            svg += "<path class=\"area\" data-code=\"\(Markup.escape(shape.code))\" fill=\"\(ShareClasses.colour(value))\" d=\"\(frame.path(shape.rings))\">"
            svg += "<title>\(Markup.escape(shape.name)) (\(Markup.escape(shape.code))): \(shown)</title></path>"
        }
        return svg + frame.furniture(shapes) + "</svg>"
    }

    /// The authority outlines in grey with the overlays on top: cross-border gap clusters
    /// filled purple, lots outlined. Each overlay shape is a `<path>` with its id and a title.
    static func overlayMap(_ shapes: [MapShape], overlays: [MapOverlay], caption: String, width: Double = 480, maxHeight: Double = 560,
                           furniture: MapFurniture? = nil) -> String {
        guard let frame = Frame(shapes, width: width, maxHeight: maxHeight, furniture: furniture) else {
            return "<p class=\"note\">No authority outlines to map.</p>"
        }
        var svg = frame.open(caption, kind: "map overlay") + frame.outlines(shapes, fill: "#f0f0f0", stroke: "#666")
        for overlay in overlays {
            let style = overlay.kind == .lots ? "fill=\"none\" stroke=\"#54278f\" stroke-width=\"1.2\"" : "fill=\"#756bb1\" fill-opacity=\"0.7\" stroke=\"#54278f\" stroke-width=\"0.4\""
            let noun = overlay.kind == .lots ? "Lot" : "Cross-border gap cluster"
            for shape in overlay.shapes where !shape.rings.isEmpty {
                svg += "<path class=\"\(overlay.kind.rawValue)\" data-id=\"\(Markup.escape(shape.code))\" \(style) d=\"\(frame.path(shape.rings))\"><title>\(noun) \(Markup.escape(shape.code)): \(Markup.escape(shape.name))</title></path>"
            }
        }
        return svg + frame.furniture(shapes) + "</svg>"
    }

    /// The legend entries of `overlayMap` for the overlays it draws.
    static func overlayLegend(_ overlays: [MapOverlay]) -> String {
        var entries: [LegendEntry] = [LegendEntry(label: "Planned authority", fill: "#f0f0f0", stroke: "#666")]
        if overlays.contains(where: { $0.kind == .crossBorderClusters && !$0.shapes.isEmpty }) {
            entries.append(LegendEntry(label: "Gap shared across a border", fill: "#756bb1", stroke: "#54278f"))
        }
        if overlays.contains(where: { $0.kind == .lots && !$0.shapes.isEmpty }) {
            entries.append(LegendEntry(label: "Procurement lot (outline)", fill: "none", stroke: "#54278f"))
        }
        return categoryLegend(entries, title: "Shared gaps and lots")
    }

    /// The built build areas over the authority outlines, one `<path class="built">` per
    /// class (all areas of one year, or of one technology) so the page stays small however
    /// many areas were built.
    static func builtMap(_ shapes: [MapShape], built: [BuiltAreaShape], classes: [BuiltClass], classOf: (BuiltAreaShape) -> String,
                         caption: String, width: Double = 480, maxHeight: Double = 560, furniture: MapFurniture? = nil) -> String {
        guard let frame = Frame(shapes, width: width, maxHeight: maxHeight, furniture: furniture) else {
            return "<p class=\"note\">No authority outlines to map.</p>"
        }
        var svg = frame.open(caption, kind: "map built") + frame.outlines(shapes, fill: "#f4f4f4", stroke: "#999")
        for c in classes {
            let members = built.filter { classOf($0) == c.key }
            guard !members.isEmpty else { continue }
            let d = members.map { frame.path($0.shape.rings) }.joined()
            svg += "<path class=\"built\" data-class=\"\(Markup.escape(c.key))\" data-areas=\"\(members.count)\" fill=\"\(c.colour)\" d=\"\(d)\"><title>\(Markup.escape(c.label)): \(Noun("build area").counted(members.count))</title></path>"
        }
        return svg + frame.furniture(shapes) + "</svg>"
    }

    /// One class of the built-area maps: a year or a technology, its label and colour.
    struct BuiltClass: Sendable, Equatable {
        var key: String
        var label: String
        var colour: String
    }

    /// Colours of the build years, early to late (ColorBrewer YlGnBu 7, darkest last; more
    /// years than colours reuse the darkest).
    static let yearColours = ["#41b6c4", "#1d91c0", "#225ea8", "#253494", "#081d58", "#7fcdbb", "#c7e9b4"]

    static func yearClasses(_ built: [BuiltAreaShape]) -> [BuiltClass] {
        let years = Set(built.map(\.year)).sorted()
        return years.enumerated().map { k, y in BuiltClass(key: String(y), label: "Built in \(y)", colour: yearColours[min(k, yearColours.count - 1)]) }
    }

    /// The built classes of the QGIS `build_areas` style (`BuildAreaClasses`: one per
    /// technology and year, keyed `<technology> <year>`), so the report's map and QGIS show the
    /// same classes in the same colours (issue 11 item 9).
    static func technologyYearClasses(_ built: [BuiltAreaShape]) -> [BuiltClass] {
        let keys = Set(built.map { BuildAreaClasses.BuiltKey(technology: $0.technology, year: $0.year) })
        return BuildAreaClasses.classes(built: keys).filter { $0.opacity == BuildAreaClasses.builtOpacity }
            .map { BuiltClass(key: $0.value, label: $0.label, colour: $0.colour) }
    }

    /// A legend of the built-area classes (plus the authority outline).
    static func builtLegend(_ classes: [BuiltClass], title: String) -> String {
        categoryLegend([LegendEntry(label: "Planned authority", fill: "#f4f4f4", stroke: "#999")]
            + classes.map { LegendEntry(label: $0.label, fill: $0.colour, stroke: "#555") }, title: title)
    }

    struct LegendEntry {
        var label: String
        var fill: String
        var stroke: String
    }

    /// A legend of swatches, one `<g class="legend-entry">` each, in rows of three (room for
    /// about 30 characters of label each).
    static func categoryLegend(_ entries: [LegendEntry], title: String) -> String {
        let itemWidth = 240.0, perRow = 3
        let rows = (entries.count + perRow - 1) / perRow
        var svg = "<div class=\"legend-block\"><p class=\"legend-title\">\(Markup.escape(title))</p>"
        svg += "<svg class=\"legend\" viewBox=\"0 0 \(Int(itemWidth) * perRow) \(rows * 20 + 2)\" role=\"img\" aria-label=\"Legend: \(Markup.escape(title))\">"
        for (k, e) in entries.enumerated() {
            let x = Double(k % perRow) * itemWidth, y = Double(k / perRow) * 20 + 2
            svg += "<g class=\"legend-entry\"><rect x=\"\(Markup.coordinate(x))\" y=\"\(Markup.coordinate(y))\" width=\"22\" height=\"12\" fill=\"\(e.fill)\" stroke=\"\(e.stroke)\" stroke-width=\"\(e.fill == "none" ? "1.5" : "0.6")\"/>"
            svg += "<text x=\"\(Markup.coordinate(x + 28))\" y=\"\(Markup.coordinate(y + 11))\">\(Markup.escape(e.label))</text></g>"
        }
        return svg + "</svg></div>"
    }

    /// Fits shapes into a box `width` wide (at most `maxHeight` high), y up to y down.
    struct Frame {
        let minX: Double, maxY: Double, scale: Double, pad = 4.0, w: Double, h: Double
        /// Height of the drawn shapes (the strip below holds the scale bar and north arrow).
        let mapH: Double
        let furnitureSpec: MapFurniture?
        /// Height of the strip below the shapes for the scale bar and the north arrow.
        static let stripHeight = 34.0

        init?(_ shapes: [MapShape], width: Double, maxHeight: Double, furniture: MapFurniture? = nil) {
            var minX = Double.infinity, minY = Double.infinity, maxX = -Double.infinity, maxY = -Double.infinity
            for shape in shapes {
                for ring in shape.rings {
                    for p in ring {
                        minX = min(minX, p.x); maxX = max(maxX, p.x)
                        minY = min(minY, p.y); maxY = max(maxY, p.y)
                    }
                }
            }
            guard minX <= maxX, minY <= maxY else { return nil }
            let pad = 4.0
            let spanX = max(maxX - minX, 1e-9), spanY = max(maxY - minY, 1e-9)
            var scale = (width - 2 * pad) / spanX
            if spanY * scale > maxHeight - 2 * pad { scale = (maxHeight - 2 * pad) / spanY }
            self.minX = minX
            self.maxY = maxY
            self.scale = scale
            w = (spanX * scale + 2 * pad).rounded(.up)
            mapH = (spanY * scale + 2 * pad).rounded(.up)
            h = mapH + (furniture == nil ? 0 : Self.stripHeight)
            furnitureSpec = furniture
        }

        /// Authority labels, the scale bar and the north arrow, as `furniture` asks.
        func furniture(_ shapes: [MapShape]) -> String {
            guard let f = furnitureSpec else { return "" }
            var svg = ""
            if f.labels {
                let size = max(7, min(11, w / 45))
                svg += "<g class=\"labels\" font-size=\"\(Markup.coordinate(size))\">"
                for shape in shapes {
                    guard let c = MapShape.labelPoint(shape.rings) else { continue }
                    svg += "<text class=\"label\" data-code=\"\(Markup.escape(shape.code))\" x=\"\(Markup.coordinate((c.x - minX) * scale + pad))\" y=\"\(Markup.coordinate((maxY - c.y) * scale + pad))\" text-anchor=\"middle\">\(Markup.escape(shape.name))</text>"
                }
                svg += "</g>"
            }
            let top = mapH + 6
            if let bar = ScaleBar(mapWidth: w - 2 * pad, unitsPerMapUnit: scale, metresPerMapUnit: f.metresPerUnit) {
                let x0 = pad, half = bar.length / 2
                svg += "<g class=\"scale-bar\" data-km=\"\(String(format: "%g", bar.km))\" data-length=\"\(Markup.coordinate(bar.length, decimals: 3))\">"
                svg += "<rect x=\"\(Markup.coordinate(x0))\" y=\"\(Markup.coordinate(top))\" width=\"\(Markup.coordinate(half, decimals: 3))\" height=\"5\" fill=\"#333\" stroke=\"#333\" stroke-width=\"0.6\"/>"
                svg += "<rect x=\"\(Markup.coordinate(x0 + half, decimals: 3))\" y=\"\(Markup.coordinate(top))\" width=\"\(Markup.coordinate(half, decimals: 3))\" height=\"5\" fill=\"#fff\" stroke=\"#333\" stroke-width=\"0.6\"/>"
                svg += "<text class=\"scale-text\" x=\"\(Markup.coordinate(x0))\" y=\"\(Markup.coordinate(top + 17))\">0</text>"
                svg += "<text class=\"scale-text\" x=\"\(Markup.coordinate(x0 + bar.length, decimals: 3))\" y=\"\(Markup.coordinate(top + 17))\" text-anchor=\"middle\">\(String(format: "%g", bar.km)) km</text></g>"
            }
            // North arrow: grid north is up on every map (BNG, or longitude/latitude).
            let ax = w - pad - 10
            svg += "<g class=\"north-arrow\"><path d=\"M\(Markup.coordinate(ax)) \(Markup.coordinate(top - 2))L\(Markup.coordinate(ax + 6)) \(Markup.coordinate(top + 14))L\(Markup.coordinate(ax)) \(Markup.coordinate(top + 10))L\(Markup.coordinate(ax - 6)) \(Markup.coordinate(top + 14))Z\" fill=\"#333\"/>"
            svg += "<text class=\"scale-text\" x=\"\(Markup.coordinate(ax - 16))\" y=\"\(Markup.coordinate(top + 12))\" text-anchor=\"middle\">N</text></g>"
            return svg
        }

        /// The authorities as plain outlines under a map's overlays, each a `<path class="area">`
        /// with its code and a title.
        func outlines(_ shapes: [MapShape], fill: String, stroke: String) -> String {
            shapes.map { shape in
                "<path class=\"area\" data-code=\"\(Markup.escape(shape.code))\" fill=\"\(fill)\" stroke=\"\(stroke)\" d=\"\(path(shape.rings))\"><title>\(Markup.escape(shape.name)) (\(Markup.escape(shape.code)))</title></path>"
            }.joined()
        }

        func open(_ caption: String, kind: String = "map") -> String {
            "<svg class=\"\(kind)\" viewBox=\"0 0 \(Markup.coordinate(w, decimals: 0)) \(Markup.coordinate(h, decimals: 0))\" role=\"img\" aria-label=\"\(Markup.escape(caption))\"><title>\(Markup.escape(caption))</title>"
        }

        /// An SVG path of rings (even-odd fill handles holes).
        func path(_ rings: [[Coordinate]]) -> String {
            var d = ""
            for ring in rings where ring.count >= 3 {
                var previous = ""
                // The closing point repeats the first; "Z" closes the path instead.
                let open = ring.first == ring.last ? ring.dropLast() : ring[...]
                for (i, p) in open.enumerated() {
                    let x = Markup.coordinate((p.x - minX) * scale + pad)
                    let y = Markup.coordinate((maxY - p.y) * scale + pad)
                    let point = "\(x) \(y)"
                    if i > 0 && point == previous { continue }
                    d += (i == 0 ? "M" : "L") + point
                    previous = point
                }
                d += "Z"
            }
            return d
        }
    }

    /// The legend of the share classes, as a small SVG (fills print without background
    /// graphics).
    static func legend() -> String {
        let n = ShareClasses.colours.count
        let itemWidth = 92.0
        var svg = "<svg class=\"legend\" viewBox=\"0 0 \(Int(itemWidth) * n) 34\" role=\"img\" aria-label=\"Legend: share of households\">"
        for i in 0..<n {
            let x = Double(i) * itemWidth
            svg += "<g class=\"legend-entry\"><rect x=\"\(Markup.coordinate(x))\" y=\"2\" width=\"\(Markup.coordinate(itemWidth - 4))\" height=\"12\" fill=\"\(ShareClasses.colours[i])\" stroke=\"#888\" stroke-width=\"0.5\"/>"
            svg += "<text x=\"\(Markup.coordinate(x))\" y=\"29\">\(Markup.escape(ShareClasses.label(i)))</text></g>"
        }
        return svg + "</svg>"
    }
}
