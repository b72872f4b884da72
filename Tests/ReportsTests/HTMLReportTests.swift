import Foundation
import Testing
import TestSupport
@testable import Reports
import RunSummary
import Scenario

@Suite("report.html")
struct HTMLReportTests {
    /// Nothing on the page may come from elsewhere: no URL, no script, no external resource.
    static func expectSelfContained(_ html: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let lower = html.lowercased()
        for forbidden in ["http://", "https://", "<script", "<link", "<iframe", "<object", "<embed", "<img", "@import", "url("] {
            #expect(!lower.contains(forbidden), "the page contains \(forbidden)", sourceLocation: sourceLocation)
        }
        // No tag loads or runs anything: no src, href or event-handler attributes.
        let pattern = try? NSRegularExpression(pattern: "\\s(on[a-z]+|src|srcset|href|xlink:href)\\s*=", options: [.caseInsensitive])
        for tag in HTMLScan.tags(html) {
            let range = NSRange(tag.startIndex..., in: tag)
            #expect(pattern?.firstMatch(in: tag, range: range) == nil, "tag \(tag.prefix(80)) loads or runs something", sourceLocation: sourceLocation)
        }
    }

    @Test func reportIsSelfContained() throws {
        for run in [try Runs.hostile.get(), try Runs.cumbria.get(), try Runs.cumbriaBaseline.get()] {
            let html = try run.report()
            #expect(html.hasPrefix("<!DOCTYPE html>"))
            Self.expectSelfContained(html)
            #expect(html.contains("@media print"))
        }
    }

    @Test func namesFromUserFilesAreEscaped() throws {
        let html = try Runs.hostile.get().report()
        for name in Runs.hostileNames.values {
            #expect(!html.contains(name), "raw name on the page: \(name)")
            #expect(html.contains(Markup.escape(name)))
        }
        #expect(!html.contains(Runs.hostileScenarioName))
        #expect(html.contains("<h1>Test &lt;b&gt;bold &lt;i&gt; &amp; &quot;quoted&quot; &#39;run&#39;</h1>"))
        #expect(html.contains("&lt;img src=x onerror=alert(1)&gt;"))
        #expect(!html.contains("<img"))
        #expect(!html.contains("<b>"))
        #expect(!html.contains("<svg onload"))
        // Tags balance: every table and svg that opens closes.
        #expect(HTMLScan.count("<table", in: html) == HTMLScan.count("</table>", in: html))
        #expect(HTMLScan.count("<svg", in: html) == HTMLScan.count("</svg>", in: html))
    }

    @Test func oneSVGPathPerAuthorityPerMap() throws {
        // One map per requested tier and phase: the hostile run asks for superfast and gigabit
        // (before and after); both Cumbria scenarios for decent, superfast and gigabit.
        for (run, mapsExpected) in [(try Runs.hostile.get(), 4), (try Runs.cumbria.get(), 6), (try Runs.cumbriaBaseline.get(), 3)] {
            let html = try run.report()
            let codes = run.result.inputs.selected.map { run.result.inputs.authorities[$0].code }
            let maps = HTMLScan.blocks(html, from: "<svg class=\"map\"", to: "</svg>")
            #expect(maps.count == mapsExpected)
            for map in maps {
                let paths = HTMLScan.blocks(map, from: "<path class=\"area\"", to: "</path>")
                #expect(paths.count == codes.count)
                #expect(paths.compactMap { HTMLScan.attribute("data-code", in: $0) } == codes)
                // Each path has a hover title and a fill from the legend's classes.
                for path in paths {
                    #expect(path.contains("<title>"))
                    let fill = try #require(HTMLScan.attribute("fill", in: path))
                    #expect(ShareClasses.colours.contains(fill) || fill == ShareClasses.noData)
                }
                #expect(map.contains("viewBox=\"0 0 "))
            }
        }
    }

    @Test func mapsAreSimplifiedAndSmall() throws {
        let run = try Runs.hostile.get()
        let html = try run.report()
        let maps = HTMLScan.blocks(html, from: "<svg class=\"map\"", to: "</svg>")
        let vertices = run.result.inputs.selected.reduce(0) { $0 + run.result.inputs.authorities[$1].geometry.vertexCount }
        for map in maps {
            let drawn = HTMLScan.count("L", in: map) + HTMLScan.count("M", in: map)
            #expect(drawn < vertices, "the map draws \(drawn) vertices of \(vertices): not simplified")
            #expect(map.utf8.count < 60_000)
        }
    }

    @Test func tableFiguresEqualSummaryJSON() throws {
        for run in [try Runs.hostile.get(), try Runs.cumbria.get(), try Runs.cumbriaBaseline.get()] {
            let html = try run.report()
            let summary = try run.summary()
            let totals = try #require(summary["totals"] as? [String: Any])
            let authorities = try #require(summary["authorities"] as? [[String: Any]])
            let byCode = Dictionary(uniqueKeysWithValues: authorities.map { ($0["code"] as? String ?? "", $0) })
            var checked = 0
            for table in ["coverage-table", "gaps-table"] {
                let block = try #require(HTMLScan.blocks(html, from: "id=\"\(table)\"", to: "</table>").first)
                let rows = HTMLScan.blocks(block, from: "<tr data-code=", to: "</tr>")
                #expect(rows.count == authorities.count + 1, "\(table): one row per authority and a total")
                for row in rows {
                    let code = try #require(HTMLScan.attribute("data-code", in: row))
                    let source: [String: Any]
                    if code == "totals" {
                        source = totals
                    } else {
                        source = try #require(byCode[code.replacingOccurrences(of: "&amp;", with: "&")])
                    }
                    for cell in HTMLScan.numericCells(row) {
                        var key = cell.key
                        if code == "totals" && key == "households" { key = "planned_households" }
                        let expected = try #require(lookup(source, key), "\(table) \(code): \(key) is not in summary.json")
                        #expect(abs(cell.value - expected) <= 1e-9 * max(1, abs(expected)), "\(table) \(code) \(key): \(cell.value) ≠ \(expected)")
                        #expect(cell.text == formatted(cell.key, expected), "\(table) \(code) \(key) shows \(cell.text)")
                        checked += 1
                    }
                }
            }
            #expect(checked >= 9 * (authorities.count + 1))
            // The years table, for rollouts.
            if let years = summary["years"] as? [[String: Any]], !years.isEmpty {
                let block = try #require(HTMLScan.blocks(html, from: "id=\"years-table\"", to: "</table>").first)
                let rows = HTMLScan.blocks(block, from: "<tr data-year=", to: "</tr>")
                #expect(rows.count == years.count)
                for (row, year) in zip(rows, years) {
                    for cell in HTMLScan.numericCells(row) {
                        let expected = try #require(lookup(year, cell.key))
                        #expect(abs(cell.value - expected) <= 1e-9 * max(1, abs(expected)))
                        #expect(cell.text == formatted(cell.key, expected))
                    }
                }
            } else {
                #expect(!html.contains("id=\"years-table\""))
            }
        }
    }

    @Test func headlineFiguresAndMetadata() throws {
        let run = try Runs.hostile.get()
        let html = try run.report()
        let summary = try run.summary()
        let totals = try #require(summary["totals"] as? [String: Any])
        let households = try #require(lookup(totals, "planned_households"))
        #expect(html.contains(Format.count(households)))
        for tier in ["superfast", "gigabit"] {
            let before = try #require(lookup(totals, "before.share_by_tier.\(tier)"))
            let after = try #require(lookup(totals, "after.share_by_tier.\(tier)"))
            #expect(html.contains("\(Format.percent(before)) → \(Format.percent(after))"))
        }
        #expect(html.contains(Format.millions(try #require(lookup(totals, "cost_gbp")))))
        #expect(html.contains(Format.millions(try #require(lookup(totals, "public_cost_gbp")))))
        #expect(html.contains(Format.count(try #require(lookup(totals, "households_passed")))))
        let uncertainty = try #require(summary["uncertainty"] as? [String: Any])
        for p in ["p10", "p50", "p90"] {
            #expect(html.contains("\(p.uppercased()) \(Format.millions(try #require(lookup(uncertainty, "cost_gbp.\(p)"))))"))
            #expect(html.contains("\(p.uppercased()) \(Format.count(try #require(lookup(uncertainty, "households_passed.\(p)"))))"))
        }
        // Run metadata: version, CRS and the datum shift.
        #expect(html.contains("bbplan 0.0.0-test"))
        #expect(html.contains("EPSG:27700"))
        #expect(html.contains("OSTN15 grid used"))
        // Charts of a rollout.
        #expect(html.contains("aria-label=\"Cost curve"))
        #expect(html.contains("aria-label=\"Households passed per year"))
        #expect(html.contains("aria-label=\"Uncertainty"))
        // Provenance: each input with its hash prefix, and the attribution.
        let inputs = try #require(summary["inputs"] as? [[String: Any]])
        for input in inputs {
            let sha = try #require(input["sha256"] as? String)
            #expect(html.contains(String(sha.prefix(16))))
            let path = try #require(input["path"] as? String)
            #expect(html.contains(Markup.escape(URL(fileURLWithPath: path).lastPathComponent)))
        }
        for line in SampleDataAttribution.lines { #expect(html.contains(Markup.escape(line))) }
        #expect(html.contains("MODELLED"))
    }

    @Test func coverageOnlyRunHasNoProgramme() throws {
        let html = try Runs.cumbriaBaseline.get().report()
        #expect(html.contains("bbplan coverage report"))
        #expect(!html.contains("id=\"rollout\""))
        #expect(!html.contains("Public cost"))
        #expect(!html.contains("aria-label=\"Cost curve"))
        #expect(html.contains("Today"))
    }

    @Test func costCurveFollowsBuildOrder() throws {
        let run = try Runs.cumbria.get()
        let rollout = try #require(run.result.rollout)
        let html = try run.report()
        let chart = try #require(HTMLScan.blocks(html, from: "aria-label=\"Cost curve", to: "</svg>").first)
        let line = try #require(HTMLScan.blocks(chart, from: "<polyline", to: ">").first)
        let points = try #require(HTMLScan.attribute("points", in: line)).split(separator: " ")
        #expect(points.count == rollout.selection.buildOrder.count + 1)
        // Households rise (y falls in SVG) along the build order.
        let ys = points.compactMap { $0.split(separator: ",").last.flatMap { Double($0) } }
        #expect(zip(ys, ys.dropFirst()).allSatisfy { $0.0 >= $0.1 })
    }

    /// summary.json is exactly the rendering of the run's summary in memory, and the summary
    /// read back from the folder is that text decoded (so the page built from either shows
    /// the same figures), and stays the same through another rendering.
    @Test func folderSummaryMatchesRunInMemory() throws {
        for run in [try Runs.hostile.get(), try Runs.cumbria.get()] {
            let loaded = try ReportedRun.load(runFolder: run.folder)
            let direct = try ReportedRun(run.result)
            let written = try String(contentsOf: run.folder.appendingPathComponent("summary.json"), encoding: .utf8)
            let inMemory = RunSummary(run.result)
            let rendered = try inMemory.rendered()
            // The file adds the writing steps' timings (known only once the files are
            // written); everything else is the summary in memory.
            var fromFile = try RunSummary.decode(Data(written.utf8), source: "file")
            let writingSteps = fromFile.timingsS.keys.filter { inMemory.timingsS[$0] == nil }
            #expect(!writingSteps.isEmpty && writingSteps.allSatisfy { $0.hasPrefix("writing ") || $0.hasPrefix("preparing ") })
            for step in writingSteps { fromFile.timingsS[step] = nil }
            #expect(try fromFile.rendered().count == rendered.count)
            let decoded = try RunSummary.decode(Data(rendered.utf8), source: "memory")
            #expect(fromFile == decoded)
            var loadedSummary = loaded.summary
            for step in writingSteps { loadedSummary.timingsS[step] = nil }
            #expect(loadedSummary == decoded && direct.summary == decoded)
            #expect(try RunSummary.decode(Data(try decoded.rendered().utf8), source: "again") == decoded)
            #expect(loaded.summary.authorities.map(\.code) == direct.summary.authorities.map(\.code))
            #expect(loaded.summary.totals.plannedHouseholds == direct.summary.totals.plannedHouseholds)
            #expect(loaded.shapes.map(\.code) == direct.summary.authorities.map(\.code))
            #expect(loaded.shapes.allSatisfy { !$0.rings.isEmpty })
            // The cost curve from build_areas.csv (costs rounded to pence) against the run's.
            let rollout = try #require(run.result.rollout)
            #expect(loaded.costCurve.count == rollout.selection.buildOrder.count + 1)
            if let last = loaded.costCurve.last {
                #expect(abs(last.publicCostGBP - rollout.selection.publicCostGBP) < 0.01 * Double(rollout.selection.buildOrder.count) + 1e-6)
                #expect(abs(last.householdsPassed - rollout.selection.householdsPassed) < 1e-6)
            }
        }
    }
}

@Suite("figures for people")
struct FormatTests {
    @Test func counts() {
        #expect(Format.count(0) == "0")
        #expect(Format.count(999) == "999")
        #expect(Format.count(1000) == "1,000")
        #expect(Format.count(1_128_066) == "1,128,066")
        #expect(Format.count(59_992.6) == "59,993")
        #expect(Format.count(-1234) == "−1,234")
    }

    @Test func money() {
        #expect(Format.millions(33_360_000) == "£33.36m")
        #expect(Format.millions(6_898_765.4) == "£6.90m")
        #expect(Format.millions(0) == "£0.00m")
        #expect(Format.millions(1_234_500_000) == "£1,234.50m")
    }

    @Test func percentages() {
        #expect(Format.percent(0.851) == "85.1%")
        #expect(Format.percent(1) == "100.0%")
        #expect(Format.percent(0) == "0.0%")
        #expect(Format.percent(0.99949) == "99.9%")
    }

    @Test func escaping() {
        #expect(Markup.escape("a & b < c > d \"e\" 'f'") == "a &amp; b &lt; c &gt; d &quot;e&quot; &#39;f&#39;")
        #expect(Markup.escape("Ynys Môn") == "Ynys Môn")
    }

    @Test func shareClasses() {
        #expect(ShareClasses.index(0) == 0)
        #expect(ShareClasses.index(0.0999) == 0)
        #expect(ShareClasses.index(0.10) == 1)
        #expect(ShareClasses.index(0.989) == 6)
        #expect(ShareClasses.index(0.99) == 7)
        #expect(ShareClasses.index(1) == 7)
        #expect(ShareClasses.breaks.count == ShareClasses.colours.count + 1)
    }

    @Test func chartTicksAreRoundNumbers() {
        #expect(SVGCharts.ticks(from: 0, to: 6.9, count: 6) == [0, 2, 4, 6, 8])
        #expect(SVGCharts.ticks(from: 0, to: 12, count: 6) == [0, 2, 4, 6, 8, 10, 12])
        #expect(SVGCharts.ticks(from: 0, to: 59_993, count: 5) == [0, 20_000, 40_000, 60_000])
        #expect(SVGCharts.ticks(from: 0, to: 0).count >= 2)
        #expect(SVGCharts.tickLabel(2, step: 2) == "2")
        #expect(SVGCharts.tickLabel(7.5, step: 2.5) == "7.5")
        #expect(SVGCharts.tickLabel(0.4, step: 0.2) == "0.4")
        #expect(SVGCharts.tickLabel(40_000, step: 20_000) == "40,000")
    }
}
