import Geometry
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

/// Choropleth maps of authority shares as inline SVG.
enum SVGMap {
    /// A map of `shapes` filled by `values` (share 0–1 by authority code; nil for no data),
    /// `width` user units wide with the height following the shapes' proportions. Every
    /// authority is one `<path class="area">` with a `<title>` for hover.
    static func choropleth(
        _ shapes: [MapShape], values: [String: Double?], caption: String, width: Double = 480, maxHeight: Double = 560
    ) -> String {
        guard let frame = Frame(shapes, width: width, maxHeight: maxHeight) else {
            return "<p class=\"note\">No authority outlines to map.</p>"
        }
        var svg = frame.open(caption)
        for shape in shapes {
            let value = values[shape.code] ?? nil
            let shown = value.map { Format.percent($0) } ?? "no households"
            svg += "<path class=\"area\" data-code=\"\(Markup.escape(shape.code))\" fill=\"\(ShareClasses.colour(value))\" d=\"\(frame.path(shape.rings))\">"
            svg += "<title>\(Markup.escape(shape.name)) (\(Markup.escape(shape.code))): \(shown)</title></path>"
        }
        return svg + "</svg>"
    }

    /// The authority outlines in grey with the overlays on top: cross-border gap clusters
    /// filled purple, lots outlined. Each overlay shape is a `<path>` with its id and a title.
    static func overlayMap(_ shapes: [MapShape], overlays: [MapOverlay], caption: String, width: Double = 480, maxHeight: Double = 560) -> String {
        guard let frame = Frame(shapes, width: width, maxHeight: maxHeight) else {
            return "<p class=\"note\">No authority outlines to map.</p>"
        }
        var svg = frame.open(caption, kind: "map overlay")
        for shape in shapes {
            svg += "<path class=\"area\" data-code=\"\(Markup.escape(shape.code))\" fill=\"#f0f0f0\" stroke=\"#666\" d=\"\(frame.path(shape.rings))\"><title>\(Markup.escape(shape.name)) (\(Markup.escape(shape.code)))</title></path>"
        }
        for overlay in overlays {
            let style = overlay.kind == .lots ? "fill=\"none\" stroke=\"#54278f\" stroke-width=\"1.2\"" : "fill=\"#756bb1\" fill-opacity=\"0.7\" stroke=\"#54278f\" stroke-width=\"0.4\""
            let noun = overlay.kind == .lots ? "Lot" : "Cross-border gap cluster"
            for shape in overlay.shapes where !shape.rings.isEmpty {
                svg += "<path class=\"\(overlay.kind.rawValue)\" data-id=\"\(Markup.escape(shape.code))\" \(style) d=\"\(frame.path(shape.rings))\"><title>\(noun) \(Markup.escape(shape.code)): \(Markup.escape(shape.name))</title></path>"
            }
        }
        return svg + "</svg>"
    }

    /// Fits shapes into a box `width` wide (at most `maxHeight` high), y up to y down.
    struct Frame {
        let minX: Double, maxY: Double, scale: Double, pad = 4.0, w: Double, h: Double

        init?(_ shapes: [MapShape], width: Double, maxHeight: Double) {
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
            h = (spanY * scale + 2 * pad).rounded(.up)
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
            svg += "<rect x=\"\(Markup.coordinate(x))\" y=\"2\" width=\"\(Markup.coordinate(itemWidth - 4))\" height=\"12\" fill=\"\(ShareClasses.colours[i])\" stroke=\"#888\" stroke-width=\"0.5\"/>"
            svg += "<text x=\"\(Markup.coordinate(x))\" y=\"29\">\(Markup.escape(ShareClasses.label(i)))</text>"
        }
        return svg + "</svg>"
    }
}
