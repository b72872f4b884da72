import Foundation
import Geometry
import Testing
import TestSupport
@testable import Reports
import RunSummary
import Scenario

/// Issue 11 item 6: the built areas mapped by year and technology, authority labels, a legend
/// for every map, a scale bar and a north arrow, every requested tier.
@Suite("report.html maps: built areas, legends, scale bar")
struct MapFurnitureTests {
    /// The SVG maps of a page (every `<svg class="map...">`).
    static func maps(_ html: String) -> [String] {
        HTMLScan.blocks(html, from: "<svg class=\"map", to: "</svg>")
    }

    static func scaleBar(_ map: String) throws -> (km: Double, length: Double) {
        let tag = try #require(HTMLScan.blocks(map, from: "<g class=\"scale-bar\"", to: ">").first)
        return (try #require(Double(HTMLScan.attribute("data-km", in: tag) ?? "")), try #require(Double(HTMLScan.attribute("data-length", in: tag) ?? "")))
    }

    static func viewBox(_ map: String) throws -> (w: Double, h: Double) {
        let box = try #require(HTMLScan.attribute("viewBox", in: map)).split(separator: " ").compactMap { Double($0) }
        try #require(box.count == 4)
        return (box[2], box[3])
    }

    /// Built areas of the run, by year and by technology and year, counted from the run itself.
    static func builtCounts(_ r: RunResult) throws -> (years: [String: Int], technologies: [String: Int]) {
        let rollout = try #require(r.rollout)
        var years: [String: Int] = [:], technologies: [String: Int] = [:]
        for k in rollout.areas.indices where rollout.selection.status[k] == .built {
            years[String(try #require(rollout.selection.year[k])), default: 0] += 1
            // The technology map's classes are the QGIS style's: `<technology> <year>`.
            let key = "\(try #require(rollout.priced[k].technology).rawValue) \(try #require(rollout.selection.year[k]))"
            technologies[key, default: 0] += 1
        }
        return (years, technologies)
    }

    static func classCounts(_ map: String) -> [String: Int] {
        var out: [String: Int] = [:]
        for path in HTMLScan.blocks(map, from: "<path class=\"built\"", to: ">") {
            out[HTMLScan.attribute("data-class", in: path) ?? "?"] = Int(HTMLScan.attribute("data-areas", in: path) ?? "")
        }
        return out
    }

    @Test func builtAreasAreMappedByYearAndTechnology() throws {
        let run = try Runs.cumbria.get()
        let expected = try Self.builtCounts(run.result)
        #expect(!expected.years.isEmpty)
        // The page written by the run (in memory) and the page rebuilt from the folder's files.
        let fromFolder = HTMLReport.page(try ReportedRun.load(runFolder: run.folder))
        for html in [try run.report(), fromFolder] {
            let built = HTMLScan.blocks(html, from: "<svg class=\"map built\"", to: "</svg>")
            try #require(built.count == 2)
            #expect(Self.classCounts(built[0]) == expected.years)
            #expect(Self.classCounts(built[1]) == expected.technologies)
            // Legends: the authority outline plus one entry per class, in the same figure.
            let figure = try #require(HTMLScan.blocks(html, from: "<figure class=\"map-group\" id=\"built-maps\"", to: "</figure>").first)
            let legends = HTMLScan.blocks(figure, from: "<svg class=\"legend\"", to: "</svg>")
            try #require(legends.count == 2)
            #expect(HTMLScan.count("class=\"legend-entry\"", in: legends[0]) == 1 + expected.years.count)
            #expect(HTMLScan.count("class=\"legend-entry\"", in: legends[1]) == 1 + expected.technologies.count)
            for year in expected.years.keys { #expect(legends[0].contains(">Built in \(year)</text>")) }
        }
        // A coverage-only run has no built-area map.
        #expect(!(try Runs.cumbriaBaseline.get().report()).contains("class=\"map built\""))
    }

    @Test func everyMapHasALegendLabelsScaleBarAndNorthArrow() throws {
        for run in [try Runs.cumbria.get(), try Runs.cumbriaBaseline.get(), try Runs.hostile.get()] {
            let html = try run.report()
            let codes = run.result.inputs.selected.map { run.result.inputs.authorities[$0].code }
            let groups = HTMLScan.blocks(html, from: "<figure class=\"map-group\"", to: "</figure>")
            #expect(!groups.isEmpty)
            var mapsInGroups = 0
            for group in groups {
                let maps = Self.maps(group)
                mapsInGroups += maps.count
                #expect(!maps.isEmpty)
                // Every figure of maps carries its legend.
                #expect(HTMLScan.count("class=\"legend-entry\"", in: group) >= 2, "a map without a legend: \(group.prefix(120))")
            }
            // Every map on the page is in such a figure.
            #expect(mapsInGroups == Self.maps(html).count)
            for map in Self.maps(html) {
                let labels = HTMLScan.blocks(map, from: "<text class=\"label\"", to: "</text>")
                #expect(labels.compactMap { HTMLScan.attribute("data-code", in: $0) } == codes)
                #expect(HTMLScan.count("class=\"north-arrow\"", in: map) == 1)
                #expect(HTMLScan.count("class=\"scale-bar\"", in: map) == 1)
            }
            // The share legend has one entry per class.
            let shareLegend = try #require(HTMLScan.blocks(html, from: "aria-label=\"Legend: share of households\"", to: "</svg>").first)
            #expect(HTMLScan.count("class=\"legend-entry\"", in: shareLegend) == ShareClasses.colours.count)
        }
    }

    /// The scale bar of the page written from memory (maps in British National Grid metres):
    /// the bar's length in SVG units ÷ the map's scale (SVG units per metre, from the width
    /// and the authorities' extent) ÷ BNG's point scale factor is the stated km.
    @Test func scaleBarMatchesTheMapsScaleInBNG() throws {
        let run = try Runs.cumbria.get()
        #expect(run.result.scenario.crs.epsg == 27700)
        let authorities = run.result.inputs.selected.map { run.result.inputs.authorities[$0] }
        var minX = Double.infinity, maxX = -Double.infinity, minY = Double.infinity, maxY = -Double.infinity
        for a in authorities {
            let e = a.geometry.envelope
            minX = min(minX, e.minX); maxX = max(maxX, e.maxX); minY = min(minY, e.minY); maxY = max(maxY, e.maxY)
        }
        // Report maps are 480 units wide at most 560 high, 4 units of padding each side.
        let scale = min((480 - 8) / (maxX - minX), (560 - 8) / (maxY - minY))
        // BNG point scale factor at the central easting: k0 (1 + E'² / 2R²).
        let e = (minX + maxX) / 2 - 400_000
        let k = 0.9996012717 * (1 + e * e / (2 * 6_381_000.0 * 6_381_000.0))
        let maps = Self.maps(try run.report())
        #expect(maps.count >= 4)
        for map in maps {
            let bar = try Self.scaleBar(map)
            let km = bar.length / scale / k / 1000
            #expect(abs(km - bar.km) / bar.km < 0.005, "bar \(bar.length) units says \(bar.km) km, the map's scale gives \(km) km")
            // A round length (1, 2 or 5 × 10ⁿ km) up to 30% of the map's width.
            let mantissa = bar.km / pow(10, log10(bar.km).rounded(.down))
            #expect([1.0, 2, 5].contains { abs($0 - mantissa) < 1e-9 })
            let width = try Self.viewBox(map).w
            #expect(bar.length <= 0.3 * (width - 8) + 1e-6 && bar.length > 0.12 * (width - 8))
        }
    }

    /// The scale bar of a page rebuilt from the run folder (maps of WGS 84 longitude and
    /// latitude, x scaled by the cosine of the mean latitude): one unit is 111,195 m.
    @Test func scaleBarMatchesTheMapsScaleFromGeoJSON() throws {
        let run = try Runs.cumbria.get()
        let data = try Data(contentsOf: run.folder.appendingPathComponent("authorities.geojson"))
        let features = try #require((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["features"] as? [[String: Any]])
        var lons: [Double] = [], lats: [Double] = []
        func walk(_ any: Any) {
            if let xy = any as? [Double], xy.count >= 2 { lons.append(xy[0]); lats.append(xy[1]); return }
            if let items = any as? [Any] { items.forEach(walk) }
        }
        let planned = Set(run.result.inputs.selected.map { run.result.inputs.authorities[$0].code })
        for f in features where planned.contains((f["properties"] as? [String: Any])?["code"] as? String ?? "") {
            walk((f["geometry"] as? [String: Any])?["coordinates"] as Any)
        }
        try #require(!lons.isEmpty)
        // The projection is fitted to every feature of the file; here all are planned.
        #expect(features.count == planned.count)
        let cosLat = cos((lats.min()! + lats.max()!) / 2 * .pi / 180)
        let scale = min((480 - 8) / ((lons.max()! - lons.min()!) * cosLat), (560 - 8) / (lats.max()! - lats.min()!))
        let html = HTMLReport.page(try ReportedRun.load(runFolder: run.folder))
        for map in Self.maps(html) {
            let bar = try Self.scaleBar(map)
            let km = bar.length / scale * 111_195 / 1000
            #expect(abs(km - bar.km) / bar.km < 0.005, "bar says \(bar.km) km, the map's scale gives \(km) km")
        }
    }

    @Test func scaleBarLengthsAreRound() {
        // 472 units for 100 km: 30% is 30 km, so 20 km (94.4 units).
        let bar = ScaleBar(mapWidth: 472, unitsPerMapUnit: 472.0 / 100_000, metresPerMapUnit: 1)
        #expect(bar?.km == 20)
        #expect(abs((bar?.length ?? 0) - 94.4) < 1e-9)
        // 300 units for 7 km: 30% is 2.1 km, so 2 km.
        #expect(ScaleBar(mapWidth: 300, unitsPerMapUnit: 300.0 / 7_000, metresPerMapUnit: 1)?.km == 2)
        // 10 SVG units per 100 m map unit: 0.01 km per SVG unit, 0.3 × 500 × 0.01 = 1.5 km: 1 km.
        #expect(ScaleBar(mapWidth: 500, unitsPerMapUnit: 10, metresPerMapUnit: 100)?.km == 1)
        #expect(ScaleBar(mapWidth: 500, unitsPerMapUnit: 10, metresPerMapUnit: nil) == nil)
    }

    @Test func everyRequestedTierIsShown() throws {
        // Scenarios/cumbria-baseline.yaml asks for decent, superfast and gigabit (not ultrafast).
        let baseline = try Runs.cumbriaBaseline.get()
        #expect(baseline.result.scenario.coverage.tiers.contains("decent"))
        let html = try baseline.report()
        #expect(html.contains("<figcaption>Decent: share of households at or above the tier</figcaption>"))
        #expect(html.contains("data-key=\"share_decent\""))
        #expect(html.contains("data-key=\"before.share_by_tier.decent\""))
        #expect(!html.contains("<figcaption>Ultrafast"))
        // One map per requested tier (coverage only: today).
        let tiers = Set(baseline.result.scenario.coverage.tiers + RunSummary.contractTiers)
        #expect(HTMLScan.blocks(html, from: "<svg class=\"map\"", to: "</svg>").count == tiers.count)
        // The hostile run asks for no decent tier: none is shown.
        let hostile = try Runs.hostile.get()
        #expect(!hostile.result.scenario.coverage.tiers.contains("decent"))
        #expect(!(try hostile.report()).contains("<figcaption>Decent"))
    }

    @Test func labelPointIsTheAreaCentroid() throws {
        // An L shape: squares [0,2]×[0,1] and [0,1]×[1,2]; centroid (5/6, 5/6).
        let ring = [Coordinate(x: 0, y: 0), Coordinate(x: 2, y: 0), Coordinate(x: 2, y: 1), Coordinate(x: 1, y: 1),
                    Coordinate(x: 1, y: 2), Coordinate(x: 0, y: 2), Coordinate(x: 0, y: 0)]
        let small = [Coordinate(x: 10, y: 10), Coordinate(x: 10.1, y: 10), Coordinate(x: 10.1, y: 10.1), Coordinate(x: 10, y: 10)]
        let c = try #require(MapShape.labelPoint([small, ring]))
        #expect(abs(c.x - 5.0 / 6) < 1e-12 && abs(c.y - 5.0 / 6) < 1e-12)
    }

    /// Issue 11 item 5: a limit that held households passed in every uncertainty run is named
    /// beside the band, in the page as in summary.json's `households_passed_limited_by`.
    @Test func aPinnedBandIsNamed() throws {
        var run = try ReportedRun.load(runFolder: try Runs.cumbria.get().folder)
        run.summary.uncertainty.runs = 20
        run.summary.uncertainty.householdsPassedLimitedBy = []
        let free = HTMLReport.page(run)
        #expect(!free.contains("data-key=\"households_passed_limited_by\""))
        run.summary.uncertainty.householdsPassedLimitedBy = ["capacity"]
        run.summary.uncertainty.takeUpSpread = 0.2
        let pinned = HTMLReport.page(run)
        #expect(pinned.contains("data-key=\"households_passed_limited_by\""))
        #expect(pinned.contains("Households passed is limited by the yearly capacity in every run"))
        #expect(pinned.contains("every unit cost and take-up (±20.0%)"))
        // The summary round-trips the new keys.
        let json = try run.summary.rendered()
        #expect(json.contains("\"households_passed_limited_by\": [\n") || json.contains("\"households_passed_limited_by\": [\"capacity\"]"))
        #expect(json.contains("\"take_up_spread\": 0.2"))
    }
}
