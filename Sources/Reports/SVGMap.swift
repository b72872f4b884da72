import Foundation

/// The classes of the share maps: fixed breaks, the same on every map, so before and after
/// and different scenarios compare at a glance. Finer near 100%, where superfast shares sit,
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
        var minX = Double.infinity, minY = Double.infinity, maxX = -Double.infinity, maxY = -Double.infinity
        for shape in shapes {
            for ring in shape.rings {
                for p in ring {
                    minX = min(minX, p.x); maxX = max(maxX, p.x)
                    minY = min(minY, p.y); maxY = max(maxY, p.y)
                }
            }
        }
        let pad = 4.0
        guard minX <= maxX, minY <= maxY else {
            return "<p class=\"note\">No authority outlines to map.</p>"
        }
        let spanX = max(maxX - minX, 1e-9), spanY = max(maxY - minY, 1e-9)
        var scale = (width - 2 * pad) / spanX
        if spanY * scale > maxHeight - 2 * pad { scale = (maxHeight - 2 * pad) / spanY }
        let w = (spanX * scale + 2 * pad).rounded(.up)
        let h = (spanY * scale + 2 * pad).rounded(.up)
        var svg = "<svg class=\"map\" viewBox=\"0 0 \(Markup.coordinate(w, decimals: 0)) \(Markup.coordinate(h, decimals: 0))\" role=\"img\" aria-label=\"\(Markup.escape(caption))\">"
        svg += "<title>\(Markup.escape(caption))</title>"
        for shape in shapes {
            var d = ""
            for ring in shape.rings where ring.count >= 3 {
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
            let value = values[shape.code] ?? nil
            let shown = value.map { Format.percent($0) } ?? "no households"
            svg += "<path class=\"area\" data-code=\"\(Markup.escape(shape.code))\" fill=\"\(ShareClasses.colour(value))\" d=\"\(d)\">"
            svg += "<title>\(Markup.escape(shape.name)) (\(Markup.escape(shape.code))): \(shown)</title></path>"
        }
        return svg + "</svg>"
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
