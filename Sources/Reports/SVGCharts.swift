import Foundation
import RunSummary

/// One line of a line chart.
struct ChartSeries {
    var name: String
    var colour: String
    var points: [(x: Double, y: Double)]
}

/// Line, bar and range charts as inline SVG: axes with round-number ticks, labelled, no
/// script. Text is styled by the page's CSS.
enum SVGCharts {
    /// A categorical palette for several series (ColorBrewer Dark2), readable in print.
    static let palette = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666"]

    /// ColorBrewer Paired, 12 classes: for 9 to 12 series.
    static let paired = ["#a6cee3", "#1f78b4", "#b2df8a", "#33a02c", "#fb9a99", "#e31a1c", "#fdbf6f", "#ff7f00", "#cab2d6", "#6a3d9a", "#ffff99", "#b15928"]

    /// `count` distinct colours, one per series: Dark2 up to 8, Paired up to 12 (its pale
    /// yellow swapped for a darker gold, readable on white), beyond that hues spaced by the
    /// golden angle at alternating lightness (HSL), so no two series share a colour.
    static func colours(count: Int) -> [String] {
        if count <= palette.count { return Array(palette.prefix(count)) }
        if count <= paired.count { return Array(paired.map { $0 == "#ffff99" ? "#bfa300" : $0 }.prefix(count)) }
        return (0..<count).map { k in
            let hue = (Double(k) * 137.508).truncatingRemainder(dividingBy: 360)
            let lightness = [0.38, 0.52, 0.30][k % 3]
            return hsl(hue, 0.70, lightness)
        }
    }

    /// An HSL colour as #rrggbb.
    static func hsl(_ h: Double, _ s: Double, _ l: Double) -> String {
        let c = (1 - abs(2 * l - 1)) * s
        let x = c * (1 - abs((h / 60).truncatingRemainder(dividingBy: 2) - 1))
        let m = l - c / 2
        let (r, g, b): (Double, Double, Double)
        switch h {
        case ..<60: (r, g, b) = (c, x, 0)
        case ..<120: (r, g, b) = (x, c, 0)
        case ..<180: (r, g, b) = (0, c, x)
        case ..<240: (r, g, b) = (0, x, c)
        case ..<300: (r, g, b) = (x, 0, c)
        default: (r, g, b) = (c, 0, x)
        }
        func hex(_ v: Double) -> String { String(format: "%02x", Int(((v + m) * 255).rounded())) }
        return "#" + hex(r) + hex(g) + hex(b)
    }

    /// Round-number ticks covering [low, high]: steps of 1, 2 or 5 × 10^n, about `count` of
    /// them.
    static func ticks(from low: Double, to high: Double, count: Int = 5) -> [Double] {
        guard low.isFinite, high.isFinite else { return [0, 1] }
        var lo = low, hi = high
        if !(hi > lo) { hi = lo + max(1, abs(lo)) }
        let raw = (hi - lo) / Double(max(1, count))
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        lo = (lo / step).rounded(.down) * step
        hi = (hi / step).rounded(.up) * step
        let n = Int(((hi - lo) / step).rounded())
        return (0...max(1, n)).map { lo + Double($0) * step }
    }

    /// A tick value with as many decimals as its step needs (2.5 → "2.5", 2 → "2").
    static func tickLabel(_ v: Double, step: Double) -> String {
        let decimals = (0...3).first { d in
            let scaled = step * pow(10, Double(d))
            return abs(scaled - scaled.rounded()) < 1e-6 * max(1, scaled)
        } ?? 3
        return Format.decimal(v, decimals: decimals)
    }

    struct Frame {
        let width: Double, height: Double
        let left: Double, right: Double, top: Double, bottom: Double
        var plotWidth: Double { width - left - right }
        var plotHeight: Double { height - top - bottom }
    }

    /// Axes, grid lines, tick labels and axis titles for a plot with the given tick values.
    static func axes(_ f: Frame, xTicks: [(value: Double, label: String)], xRange: ClosedRange<Double>,
                     yTicks: [Double], yFormat: (Double) -> String, xTitle: String, yTitle: String) -> String {
        var svg = ""
        let yMin = yTicks.first ?? 0, yMax = yTicks.last ?? 1
        for t in yTicks {
            let y = f.top + f.plotHeight * (1 - (t - yMin) / (yMax - yMin))
            svg += "<line class=\"grid\" x1=\"\(c(f.left))\" y1=\"\(c(y))\" x2=\"\(c(f.width - f.right))\" y2=\"\(c(y))\"/>"
            svg += "<text class=\"tick\" x=\"\(c(f.left - 6))\" y=\"\(c(y + 4))\" text-anchor=\"end\">\(Markup.escape(yFormat(t)))</text>"
        }
        let span = xRange.upperBound - xRange.lowerBound
        for t in xTicks {
            let x = f.left + f.plotWidth * (span > 0 ? (t.value - xRange.lowerBound) / span : 0.5)
            svg += "<line class=\"tickmark\" x1=\"\(c(x))\" y1=\"\(c(f.height - f.bottom))\" x2=\"\(c(x))\" y2=\"\(c(f.height - f.bottom + 5))\"/>"
            svg += "<text class=\"tick\" x=\"\(c(x))\" y=\"\(c(f.height - f.bottom + 18))\" text-anchor=\"middle\">\(Markup.escape(t.label))</text>"
        }
        svg += "<line class=\"axis\" x1=\"\(c(f.left))\" y1=\"\(c(f.height - f.bottom))\" x2=\"\(c(f.width - f.right))\" y2=\"\(c(f.height - f.bottom))\"/>"
        svg += "<line class=\"axis\" x1=\"\(c(f.left))\" y1=\"\(c(f.top))\" x2=\"\(c(f.left))\" y2=\"\(c(f.height - f.bottom))\"/>"
        svg += "<text class=\"axis-title\" x=\"\(c(f.left + f.plotWidth / 2))\" y=\"\(c(f.height - 6))\" text-anchor=\"middle\">\(Markup.escape(xTitle))</text>"
        svg += "<text class=\"axis-title\" transform=\"translate(14 \(c(f.top + f.plotHeight / 2))) rotate(-90)\" text-anchor=\"middle\">\(Markup.escape(yTitle))</text>"
        return svg
    }

    /// A line chart of one or more series from the origin; a legend when there are several.
    /// Axis labels follow the ticks; `xFormat` and `yFormat` word the points' hover titles.
    static func line(
        _ series: [ChartSeries], xTitle: String, yTitle: String, xFormat: (Double) -> String, yFormat: (Double) -> String,
        caption: String, width: Double = 720, height: Double = 340
    ) -> String {
        let legendRows = series.count > 1 ? Double(series.count) : 0
        let f = Frame(width: width, height: height + legendRows * 16, left: 78, right: 24, top: 14 + legendRows * 16 + (series.count > 1 ? 6 : 0), bottom: 46)
        let maxX = series.flatMap { $0.points.map(\.x) }.max() ?? 1
        let maxY = series.flatMap { $0.points.map(\.y) }.max() ?? 1
        let xTicks = ticks(from: 0, to: max(maxX, 0), count: 6)
        let yTicks = ticks(from: 0, to: max(maxY, 0), count: 5)
        let xMax = xTicks.last ?? 1, yMax = yTicks.last ?? 1
        var svg = "<svg class=\"chart\" viewBox=\"0 0 \(c(f.width)) \(c(f.height))\" role=\"img\" aria-label=\"\(Markup.escape(caption))\">"
        svg += "<title>\(Markup.escape(caption))</title>"
        let xStep = xTicks.count > 1 ? xTicks[1] - xTicks[0] : 1
        let yStep = yTicks.count > 1 ? yTicks[1] - yTicks[0] : 1
        svg += axes(f, xTicks: xTicks.map { ($0, tickLabel($0, step: xStep)) }, xRange: 0...xMax, yTicks: yTicks,
                    yFormat: { tickLabel($0, step: yStep) }, xTitle: xTitle, yTitle: yTitle)
        for (k, s) in series.enumerated() {
            let points = s.points.map { p in
                "\(c(f.left + f.plotWidth * p.x / xMax)),\(c(f.top + f.plotHeight * (1 - p.y / yMax)))"
            }
            svg += "<polyline class=\"series\" fill=\"none\" stroke=\"\(s.colour)\" points=\"\(points.joined(separator: " "))\"><title>\(Markup.escape(s.name))</title></polyline>"
            if s.points.count <= 60 {
                for p in s.points.dropFirst() {
                    svg += "<circle cx=\"\(c(f.left + f.plotWidth * p.x / xMax))\" cy=\"\(c(f.top + f.plotHeight * (1 - p.y / yMax)))\" r=\"2.5\" fill=\"\(s.colour)\"><title>\(Markup.escape(xFormat(p.x))): \(Markup.escape(yFormat(p.y)))</title></circle>"
                }
            }
            if series.count > 1 {
                let y = 16 + Double(k) * 16
                svg += "<rect x=\"\(c(f.left))\" y=\"\(c(y - 8))\" width=\"18\" height=\"4\" fill=\"\(s.colour)\"/>"
                svg += "<text class=\"legend-text\" x=\"\(c(f.left + 24))\" y=\"\(c(y - 2))\">\(Markup.escape(s.name))</text>"
            }
        }
        return svg + "</svg>"
    }

    /// Households passed per year (bars) and households connected by the end of each year
    /// (line, cumulative).
    static func years(_ years: [RunSummary.Year], caption: String, width: Double = 720, height: Double = 320) -> String {
        let f = Frame(width: width, height: height, left: 78, right: 24, top: 34, bottom: 46)
        let maxY = years.map { max($0.householdsPassed, $0.householdsConnected) }.max() ?? 1
        let yTicks = ticks(from: 0, to: max(maxY, 0), count: 5)
        let yMax = yTicks.last ?? 1
        let slot = f.plotWidth / Double(max(1, years.count))
        func centre(_ i: Int) -> Double { f.left + slot * (Double(i) + 0.5) }
        func y(_ v: Double) -> Double { f.top + f.plotHeight * (1 - v / yMax) }
        var svg = "<svg class=\"chart\" viewBox=\"0 0 \(c(f.width)) \(c(f.height))\" role=\"img\" aria-label=\"\(Markup.escape(caption))\">"
        svg += "<title>\(Markup.escape(caption))</title>"
        // x ticks are categories: put them at the bar centres.
        let xTicks = years.enumerated().map { (value: Double($0.offset) + 0.5, label: String($0.element.year)) }
        svg += axes(f, xTicks: xTicks, xRange: 0...Double(max(1, years.count)), yTicks: yTicks, yFormat: Format.count,
                    xTitle: "Year", yTitle: "Households")
        let barWidth = min(60, slot * 0.6)
        for (i, year) in years.enumerated() {
            let top = y(year.householdsPassed)
            svg += "<rect class=\"bar\" x=\"\(c(centre(i) - barWidth / 2))\" y=\"\(c(top))\" width=\"\(c(barWidth))\" height=\"\(c(f.top + f.plotHeight - top))\" fill=\"\(palette[2])\"><title>\(year.year): \(Format.count(year.householdsPassed)) households passed</title></rect>"
        }
        let points = years.enumerated().map { "\(c(centre($0.offset))),\(c(y($0.element.householdsConnected)))" }
        svg += "<polyline class=\"series\" fill=\"none\" stroke=\"\(palette[1])\" points=\"\(points.joined(separator: " "))\"/>"
        for (i, year) in years.enumerated() {
            svg += "<circle cx=\"\(c(centre(i)))\" cy=\"\(c(y(year.householdsConnected)))\" r=\"3\" fill=\"\(palette[1])\"><title>\(year.year): \(Format.count(year.householdsConnected)) households connected</title></circle>"
        }
        svg += "<rect x=\"\(c(f.left))\" y=\"8\" width=\"12\" height=\"12\" fill=\"\(palette[2])\"/>"
        svg += "<text class=\"legend-text\" x=\"\(c(f.left + 18))\" y=\"18\">Households passed in the year</text>"
        svg += "<rect x=\"\(c(f.left + 230))\" y=\"12\" width=\"18\" height=\"4\" fill=\"\(palette[1])\"/>"
        svg += "<text class=\"legend-text\" x=\"\(c(f.left + 254))\" y=\"18\">Households connected by the end of the year (cumulative)</text>"
        return svg + "</svg>"
    }

    /// One row of an uncertainty chart.
    struct Band {
        var label: String
        var spread: RunSummary.Spread
        /// The central estimate (unit costs as given).
        var central: Double
        var format: (Double) -> String
    }

    /// P10–P90 ranges as bars with a P50 tick and the central estimate as a diamond, one row
    /// per quantity, each on its own scale.
    static func bands(_ rows: [Band], caption: String, width: Double = 720) -> String {
        let rowHeight = 74.0
        let left = 150.0, right = 24.0
        let height = rowHeight * Double(rows.count) + 8
        var svg = "<svg class=\"chart\" viewBox=\"0 0 \(c(width)) \(c(height))\" role=\"img\" aria-label=\"\(Markup.escape(caption))\">"
        svg += "<title>\(Markup.escape(caption))</title>"
        for (k, row) in rows.enumerated() {
            let top = 8 + rowHeight * Double(k)
            let values = [row.spread.p10, row.spread.p50, row.spread.p90, row.central]
            let lo = values.min() ?? 0, hi = values.max() ?? 1
            let margin = max((hi - lo) * 0.15, abs(hi) * 0.02, 1e-9)
            let t = ticks(from: max(0, lo - margin), to: hi + margin, count: 5)
            let a = t.first ?? 0, b = t.last ?? 1
            func x(_ v: Double) -> Double { left + (width - left - right) * (v - a) / (b - a) }
            let mid = top + 20
            svg += "<text class=\"band-label\" x=\"0\" y=\"\(c(mid + 4))\">\(Markup.escape(row.label))</text>"
            svg += "<line class=\"axis\" x1=\"\(c(left))\" y1=\"\(c(mid + 16))\" x2=\"\(c(width - right))\" y2=\"\(c(mid + 16))\"/>"
            for v in t {
                svg += "<line class=\"tickmark\" x1=\"\(c(x(v)))\" y1=\"\(c(mid + 16))\" x2=\"\(c(x(v)))\" y2=\"\(c(mid + 20))\"/>"
                svg += "<text class=\"tick\" x=\"\(c(x(v)))\" y=\"\(c(mid + 32))\" text-anchor=\"middle\">\(Markup.escape(row.format(v)))</text>"
            }
            let x10 = x(row.spread.p10), x90 = x(row.spread.p90)
            svg += "<rect class=\"band\" x=\"\(c(x10))\" y=\"\(c(mid - 8))\" width=\"\(c(max(2, x90 - x10)))\" height=\"16\" fill=\"#9ecae1\" stroke=\"#3182bd\"><title>\(Markup.escape(row.label)): P10 \(Markup.escape(row.format(row.spread.p10))), P90 \(Markup.escape(row.format(row.spread.p90)))</title></rect>"
            let x50 = x(row.spread.p50)
            svg += "<line class=\"p50\" x1=\"\(c(x50))\" y1=\"\(c(mid - 10))\" x2=\"\(c(x50))\" y2=\"\(c(mid + 10))\" stroke=\"#08306b\" stroke-width=\"3\"><title>P50 \(Markup.escape(row.format(row.spread.p50)))</title></line>"
            let xc = x(row.central)
            svg += "<path d=\"M\(c(xc)) \(c(mid - 6))L\(c(xc + 6)) \(c(mid))L\(c(xc)) \(c(mid + 6))L\(c(xc - 6)) \(c(mid))Z\" fill=\"#d95f02\"><title>central estimate \(Markup.escape(row.format(row.central)))</title></path>"
            let labelAbove = "P10 \(row.format(row.spread.p10)) · P50 \(row.format(row.spread.p50)) · P90 \(row.format(row.spread.p90))"
            svg += "<text class=\"tick\" x=\"\(c(left))\" y=\"\(c(mid - 13))\">\(Markup.escape(labelAbove))</text>"
        }
        return svg + "</svg>"
    }

    private static func c(_ v: Double) -> String { Markup.coordinate(v) }
}
