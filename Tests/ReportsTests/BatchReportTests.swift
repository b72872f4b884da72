import Foundation
import GeoIO
import Testing
import TestSupport
@testable import Reports
import RunSummary

@Suite("batch report")
struct BatchReportTests {
    static func runs() throws -> [WrittenRun] {
        [try Runs.hostile.get(), try Runs.cumbria.get(), try Runs.cumbriaBaseline.get()]
    }

    static func page() throws -> (html: String, runs: [WrittenRun], summaries: [RunSummary]) {
        let runs = try runs()
        let reported = try runs.map { try ReportedRun.load(runFolder: $0.folder) }
        return (HTMLReport.batchPage(reported), runs, reported.map(\.summary))
    }

    @Test func comparesEveryRunWithTheFiguresOfItsSummary() throws {
        let (html, runs, _) = try Self.page()
        HTMLReportTests.expectSelfContained(html)
        let table = try #require(HTMLScan.blocks(html, from: "id=\"comparison-table\"", to: "</table>").first)
        let rows = HTMLScan.blocks(table, from: "<tr data-run=", to: "</tr>")
        #expect(rows.count == runs.count)
        for (row, run) in zip(rows, runs) {
            let summary = try run.summary()
            let totals = try #require(summary["totals"] as? [String: Any])
            let cells = HTMLScan.numericCells(row)
            // Cost and public cost per premises are shown for rollouts (issue 11 item 8).
            #expect(cells.count == (summary["target_tier"] is String ? 10 : 8))
            for cell in cells {
                let key = cell.key == "households" ? "planned_households" : cell.key
                let expected = try #require(lookup(totals, key))
                #expect(abs(cell.value - expected) <= 1e-9 * max(1, abs(expected)))
                #expect(cell.text == formatted(cell.key, expected))
            }
            #expect(row.contains(Markup.escape(try #require(summary["scenario"] as? String))))
        }
    }

    @Test func smallMultiplesShowEveryAuthorityOfEveryRun() throws {
        let (html, runs, _) = try Self.page()
        let maps = HTMLScan.blocks(html, from: "<svg class=\"map\"", to: "</svg>")
        #expect(maps.count == 2 * runs.count)
        for (k, run) in runs.enumerated() {
            let codes = run.result.inputs.selected.map { run.result.inputs.authorities[$0].code }
            for map in maps[(2 * k)..<(2 * k + 2)] {
                let paths = HTMLScan.blocks(map, from: "<path class=\"area\"", to: "</path>")
                #expect(paths.compactMap { HTMLScan.attribute("data-code", in: $0) } == codes)
            }
        }
        #expect(html.contains("class=\"legend\""))
    }

    @Test func escapesNamesAndListsProvenance() throws {
        let (html, _, summaries) = try Self.page()
        for name in Runs.hostileNames.values {
            #expect(!html.contains(name))
            #expect(html.contains(Markup.escape(name)))
        }
        for s in summaries {
            for input in s.inputs { #expect(html.contains(String(input.sha256.prefix(16)))) }
        }
        for line in SampleDataAttribution.lines { #expect(html.contains(Markup.escape(line))) }
        // Two of the three runs have a rollout: their cost curves are drawn together.
        let chart = try #require(HTMLScan.blocks(html, from: "aria-label=\"Cost curves", to: "</svg>").first)
        #expect(HTMLScan.count("<polyline", in: chart) == 2)
    }

    @Test func mapsProjectLongitudeLatitudeWithProportions() throws {
        let shapes = try ReportedRun.load(runFolder: try Runs.cumbria.get().folder).shapes
        let xs = shapes.flatMap { $0.rings.flatMap { $0.map(\.x) } }, ys = shapes.flatMap { $0.rings.flatMap { $0.map(\.y) } }
        let width = try #require(xs.max()) - (try #require(xs.min())), height = try #require(ys.max()) - (try #require(ys.min()))
        // Cumbria in BNG is about 87 km wide and 111 km tall: the projection keeps that shape.
        let run = try Runs.cumbria.get()
        let envelope = run.result.inputs.selected.map { run.result.inputs.authorities[$0].geometry.envelope }
        let bngWidth = (envelope.map(\.maxX).max() ?? 0) - (envelope.map(\.minX).min() ?? 0)
        let bngHeight = (envelope.map(\.maxY).max() ?? 0) - (envelope.map(\.minY).min() ?? 0)
        #expect(abs(width / height - bngWidth / bngHeight) < 0.03 * bngWidth / bngHeight)
    }

    @Test func loadNamesWhatIsMissing() throws {
        let empty = TestPaths.temporaryDirectory("reports-empty")
        let error = #expect(throws: RunSummary.LoadError.self) { try ReportedRun.load(runFolder: empty) }
        #expect(error?.description.contains("summary.json") == true)

        // A summary missing one number deep inside: the error names its key path.
        var summary = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: try Runs.cumbria.get().folder
            .appendingPathComponent("summary.json"))) as? [String: Any])
        var totals = try #require(summary["totals"] as? [String: Any])
        totals["premises"] = nil
        summary["totals"] = totals
        try JSONSerialization.data(withJSONObject: summary).write(to: empty.appendingPathComponent("summary.json"))
        let missing = #expect(throws: RunSummary.LoadError.self) { try ReportedRun.load(runFolder: empty) }
        #expect(missing?.description.hasSuffix("summary.json: totals.premises is missing") == true)

        var authorities = try #require(summary["authorities"] as? [[String: Any]])
        totals["premises"] = 1
        authorities[1]["households"] = "many"
        summary["totals"] = totals
        summary["authorities"] = authorities
        try JSONSerialization.data(withJSONObject: summary).write(to: empty.appendingPathComponent("summary.json"))
        let wrong = #expect(throws: RunSummary.LoadError.self) { try ReportedRun.load(runFolder: empty) }
        #expect(wrong?.description.hasSuffix("summary.json: authorities[1].households is not a number") == true)

        try Data("{not json".utf8).write(to: empty.appendingPathComponent("summary.json"))
        let bad = #expect(throws: RunSummary.LoadError.self) { try ReportedRun.load(runFolder: empty) }
        #expect(bad?.description.contains("not valid JSON") == true)
    }

    /// build_areas.csv is read by the one CSV parser: quoted fields with commas, doubled quotes
    /// and line breaks, rows in any order (by rank), unbuilt rows (no rank) left out, and a
    /// bad number named by its line.
    @Test func builtAreasAreReadInRankOrder() throws {
        let dir = TestPaths.temporaryDirectory("reports-built")
        let csv = dir.appendingPathComponent("build_areas.csv")
        let rows = [
            "id,authority,households,public_cost_gbp,rank\r\n",
            "\"A/1_2\",\"x,\r\ny\",10,100.5,2\r\n",          // a quoted comma and line break
            "B/3_4,\"q \"\"z\"\"\",5,,\r\n",                // doubled quotes; not built
            "C/5_6,c,7,20,1\r\n",
        ]
        try Data(rows.joined().utf8).write(to: csv)
        let built = try ReportedRun.builtAreas(csv: csv)
        #expect(built.map(\.publicCostGBP) == [20, 100.5])
        #expect(built.map(\.households) == [7, 10])
        try Data("rank,public_cost_gbp,households\n1,2,3\n2,lots,4\n".utf8).write(to: csv)
        let error = #expect(throws: RunSummary.LoadError.self) { try ReportedRun.builtAreas(csv: csv) }
        #expect(error?.description == "\(csv.path): line 3: rank, public_cost_gbp or households is not a number")
    }
}

@Suite("rendering in a browser")
struct RenderTests {
    static let script = TestPaths.repo("scripts/check-html-render")

    static func render(_ html: String) throws -> (status: Int32, output: String) {
        let png = TestPaths.temporaryDirectory("reports-render").appendingPathComponent("report.png").path
        return try Tools.run("/bin/bash", [script, html, png])
    }

    @Test(.enabled(if: Tools.chromium != nil, "chromium is not installed (scripts/setup installs it); skipped"))
    func runReportRendersAndIsNotBlank() throws {
        for run in [try Runs.hostile.get(), try Runs.cumbria.get()] {
            let result = try Self.render(run.reportPath)
            #expect(result.status == 0, "check-html-render: \(result.output)")
        }
    }

    @Test(.enabled(if: Tools.chromium != nil, "chromium is not installed (scripts/setup installs it); skipped"))
    func batchReportRendersAndIsNotBlank() throws {
        let page = HTMLReport.batchPage(try BatchReportTests.runs().map { try ReportedRun.load(runFolder: $0.folder) })
        let file = TestPaths.temporaryDirectory("reports-render").appendingPathComponent("batch.html")
        try Data(page.utf8).write(to: file)
        let result = try Self.render(file.path)
        #expect(result.status == 0, "check-html-render: \(result.output)")
    }

    @Test(.enabled(if: Tools.chromium != nil, "chromium is not installed (scripts/setup installs it); skipped"))
    func aBlankPageFailsTheCheck() throws {
        let file = TestPaths.temporaryDirectory("reports-render").appendingPathComponent("blank.html")
        try Data("<!DOCTYPE html><html><body><p>nothing here</p></body></html>".utf8).write(to: file)
        let result = try Self.render(file.path)
        #expect(result.status == 1, "check-html-render: \(result.output)")
        #expect(result.output.contains("blank"))
    }
}

@Suite("bbplan run writes the report")
struct CLIReportTests {
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: BBPlanBinary.path),
                   "the bbplan binary is not built (set BBPLAN_BIN); skipped"))
    func runWritesReportAndStyles() throws {
        let out = TestPaths.temporaryDirectory("reports-cli").appendingPathComponent("cumbria")
        let result = try BBPlanBinary.run(["run", TestPaths.repo("Scenarios/cumbria-superfast.yaml"), "--out", out.path])
        #expect(result.status == 0, "bbplan run: \(result.stderr)")
        let html = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        HTMLReportTests.expectSelfContained(html)
        #expect(html.contains("<h1>Cumbria superfast gap-fill</h1>"))
        let db = try GeoPackageSQL(path: out.appendingPathComponent("coverage.gpkg").path)
        let defaults = try db.query("SELECT COUNT(*) FROM layer_styles WHERE useAsDefault = 1").first?.first
        let layers = try db.query("SELECT COUNT(*) FROM gpkg_contents WHERE data_type = 'features'").first?.first
        #expect(defaults != nil && defaults == layers)
    }

    /// Issue 11 item 8: thirteen variants (the three runs repeated under new names; nine with a
    /// cost curve) stay readable:
    /// the comparison table in a scrolling wrapper, one colour per cost curve, each input
    /// listed once with the runs that read it, cost per premises in the table.
    @Test func readableAtThirteenVariants() throws {
        let runs = try BatchReportTests.runs()
        let loaded = try runs.map { try ReportedRun.load(runFolder: $0.folder) }
        let reported = (0..<13).map { k -> ReportedRun in
            var run = loaded[k % loaded.count]
            run.summary.scenario = "Variant \(k + 1)"
            return run
        }
        let html = HTMLReport.batchPage(reported)
        HTMLReportTests.expectSelfContained(html)
        if Tools.chromium != nil {
            let file = TestPaths.temporaryDirectory("reports-batch-13").appendingPathComponent("batch.html")
            try Data(html.utf8).write(to: file)
            let result = try RenderTests.render(file.path)
            #expect(result.status == 0, "check-html-render: \(result.output)")
        }
        // The table scrolls inside its wrapper rather than being clipped by the page.
        #expect(html.contains("<div class=\"table-wrap\"><table class=\"comparison\" id=\"comparison-table\">"))
        #expect(HTMLReport.css.contains(".table-wrap { overflow-x: auto; }"))
        // One colour per series, all different.
        let curves = try #require(HTMLScan.blocks(html, from: "<section id=\"cost-curves\"", to: "</section>").first)
        let strokes = HTMLScan.blocks(curves, from: "<polyline class=\"series\"", to: ">").compactMap { HTMLScan.attribute("stroke", in: $0) }
        let withCurves = reported.filter { !$0.costCurve.isEmpty }.count
        #expect(withCurves >= 9)
        #expect(strokes.count == withCurves)
        #expect(Set(strokes).count == strokes.count)
        // Provenance once: each distinct input one row, not one per variant.
        let inputs = try #require(HTMLScan.blocks(html, from: "id=\"inputs-table\"", to: "</table>").first)
        var distinct = Set<String>()
        for run in loaded { for i in run.summary.inputs { distinct.insert("\(i.role) \(i.path) \(i.sha256)") } }
        #expect(HTMLScan.count("<tr><td>", in: inputs) == distinct.count)
        #expect(HTMLScan.count("id=\"inputs-table\"", in: html) == 1)
        // Cost per premises per variant, as its summary states it.
        let table = try #require(HTMLScan.blocks(html, from: "id=\"comparison-table\"", to: "</table>").first)
        let rows = HTMLScan.blocks(table, from: "<tr data-run=", to: "</tr>")
        #expect(rows.count == 13)
        for (k, row) in rows.enumerated() {
            let v = reported[k].summary.totals.valueForMoney
            let cell = HTMLScan.numericCells(row).first { $0.key == "value_for_money.cost_per_premises_gbp" }
            #expect(cell?.value == v?.costPerPremisesGBP)
        }
    }

    @Test func seriesColoursAreDistinct() {
        for n in 1...40 {
            let colours = SVGCharts.colours(count: n)
            #expect(colours.count == n)
            #expect(Set(colours).count == n, "\(n) series share a colour")
            #expect(colours.allSatisfy { $0.count == 7 && $0.hasPrefix("#") })
        }
        #expect(SVGCharts.hsl(0, 1, 0.5) == "#ff0000")
        #expect(SVGCharts.hsl(120, 1, 0.25) == "#008000")
    }
}
