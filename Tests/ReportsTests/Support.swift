import Foundation
import Testing
import TestSupport
@testable import Reports
import Scenario
import RunSummary

/// Runs of the real pipeline that the report tests share: each is computed once (lazily, on
/// first use) and written to a temporary folder with `RunWriter`, as `bbplan run` does.
enum Runs {
    /// Authority names from a user's file that must reach the page escaped.
    static let hostileNames = [
        "E08000003": "<script>alert(\"M&S\")</script>",
        "E08000006": "Salford & 'Eccles' \"Quays\" <b>",
        "E08000009": "Trafford </td></tr></table><svg onload=alert(1)>",
    ]
    static let hostileScenarioName = "Test <b>bold <i> & \"quoted\" 'run'"

    /// A rollout on the three fixture districts (Manchester, Salford, Trafford) with hostile
    /// names, Greater Manchester's postcodes, cabinets and Altnet A's footprint.
    static let hostile: Result<WrittenRun, Error> = Result { try makeHostile() }
    /// Names and codes that a spreadsheet would run as formulas or that would drive a terminal
    /// (clear the screen, start a new line), keyed by the district's real code.
    static let injectedNames = [
        "E08000003": "=HYPERLINK(\"http://x\",\"y\")",
        "E08000006": "Salford\u{1B}[2J\nEccles",
        "E08000009": "@SUM(1+1)",
    ]
    static let injectedCodes = ["E08000003": "+1"]
    /// The hostile run with those names and codes.
    static let injection: Result<WrittenRun, Error> = Result {
        try makeHostile(names: injectedNames, codes: injectedCodes, label: "reports-injection")
    }
    /// Scenarios/cumbria-superfast.yaml as it is (FTTP and fixed wireless, three years).
    static let cumbria: Result<WrittenRun, Error> = Result { try run(TestPaths.repo("Scenarios/cumbria-superfast.yaml"), rollout: true) }
    /// Scenarios/cumbria-baseline.yaml: coverage only (written with every format).
    static let cumbriaBaseline: Result<WrittenRun, Error> = Result {
        try run(TestPaths.repo("Scenarios/cumbria-baseline.yaml"), rollout: false)
    }

    static func makeHostile(names: [String: String] = hostileNames, codes: [String: String] = [:],
                            label: String = "reports-hostile") throws -> WrittenRun {
        let dir = TestPaths.temporaryDirectory(label)
        // The fixture districts with their names replaced.
        let source = try Data(contentsOf: URL(fileURLWithPath: TestPaths.fixture("districts.geojson")))
        var collection = try #require(try JSONSerialization.jsonObject(with: source) as? [String: Any])
        var features = try #require(collection["features"] as? [[String: Any]])
        for k in features.indices {
            var properties = try #require(features[k]["properties"] as? [String: Any])
            let code = try #require(properties["LAD23CD"] as? String)
            properties["LAD23NM"] = names[code]
            properties["LAD23CD"] = codes[code] ?? code
            features[k]["properties"] = properties
        }
        collection["features"] = features
        try JSONSerialization.data(withJSONObject: collection).write(to: dir.appendingPathComponent("authorities.geojson"))
        let yaml = """
            name: '\(hostileScenarioName.replacingOccurrences(of: "'", with: "''"))'
            description: 'Escaping check: <img src=x onerror=alert(1)> & friends.'
            authorities:
              source: authorities.geojson
              code: LAD23CD
              name: LAD23NM
            premises:
              source: \(TestPaths.repo("GeoData/premises/greater-manchester-postcodes.csv"))
              x: easting
              y: northing
              crs: EPSG:27700
              households: households_est
              id: postcode
            networks:
              - name: Openreach FTTC
                operator: Openreach
                technology: fttc
                source: \(TestPaths.repo("GeoData/network/greater-manchester-cabinets.csv"))
                x: easting
                y: northing
                crs: EPSG:27700
              - name: Altnet A
                operator: Altnet A
                technology: fttp
                source: \(TestPaths.repo("GeoData/network/greater-manchester-altnet-a.gpkg"))
                layer: footprint
                down_mbps: 1000
            rollout:
              target_tier: gigabit
              eligible: [white, grey]
              grid_m: 1000
              fibre_nodes: \(TestPaths.fixture("exchanges.csv"))
              options:
                fttp: { per_area_gbp: 15000, per_premises_gbp: 550, per_km_gbp: 40000, route_factor: 1.3, down_mbps: 1000 }
              strategy: least_cost_per_household
              years:
                - { year: 2027, budget_gbp: 3000000 }
                - { year: 2028, budget_gbp: 3000000 }
              take_up_curve: [0.2, 0.4, 0.6]
            uncertainty: { runs: 20, cost_spread: 0.2, seed: 3 }
            outputs:
              formats: [gpkg, geojson, csv, html, mbtiles]
            """
        let file = dir.appendingPathComponent("hostile.yaml")
        try Data(yaml.utf8).write(to: file)
        return try run(file.path, rollout: true)
    }

    /// Loads, runs and writes a scenario into a fresh temporary folder, with every format.
    static func run(_ path: String, rollout: Bool) throws -> WrittenRun {
        var scenario = try ScenarioFile.load(path: path)
        scenario.outputs.formats = OutputFormat.allCases
        let started = Date()
        let inputs = try InputLoader.load(scenario)
        let baseline = try CoverageAnalysis.run(scenario, inputs: inputs)
        let result = RunResult(
            scenario: scenario, inputs: inputs, baseline: baseline,
            rollout: rollout ? try Simulator.run(scenario, inputs: inputs, baseline: baseline) : nil,
            startedAt: started, finishedAt: Date(), toolVersion: "0.0.0-test")
        let folder = TestPaths.temporaryDirectory("reports-run").appendingPathComponent(scenario.safeName)
        try RunWriter.write(result, to: folder.path)
        return WrittenRun(result: result, folder: folder)
    }
}

/// A run in memory and the folder its outputs were written to.
struct WrittenRun: Sendable {
    let result: RunResult
    let folder: URL

    var reportPath: String { folder.appendingPathComponent("report.html").path }
    var gpkgPath: String { folder.appendingPathComponent("coverage.gpkg").path }

    func report() throws -> String { try String(contentsOfFile: reportPath, encoding: .utf8) }

    func summary() throws -> [String: Any] {
        let data = try Data(contentsOf: folder.appendingPathComponent("summary.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }
}

/// Small readers for the generated HTML: the reports have a fixed shape, so plain string
/// scanning is enough and keeps the tests free of an HTML parser.
enum HTMLScan {
    /// Every substring from an occurrence of `open` up to and including the next `close`.
    static func blocks(_ html: String, from open: String, to close: String) -> [String] {
        var result: [String] = []
        var rest = html[...]
        while let start = rest.range(of: open) {
            guard let end = rest[start.upperBound...].range(of: close) else { break }
            result.append(String(rest[start.lowerBound..<end.upperBound]))
            rest = rest[end.upperBound...]
        }
        return result
    }

    static func count(_ needle: String, in haystack: String) -> Int {
        haystack.components(separatedBy: needle).count - 1
    }

    /// The value of `attribute="..."` in a tag, unescaped of nothing (values are plain here).
    static func attribute(_ name: String, in tag: String) -> String? {
        guard let start = tag.range(of: " \(name)=\"") else { return nil }
        guard let end = tag[start.upperBound...].firstIndex(of: "\"") else { return nil }
        return String(tag[start.upperBound..<end])
    }

    /// The numeric cells of a table row: key, raw value and the text shown.
    static func numericCells(_ row: String) -> [(key: String, value: Double, text: String)] {
        blocks(row, from: "<td class=\"num\" data-key=", to: "</td>").compactMap { cell in
            guard let key = attribute("data-key", in: cell), let raw = attribute("data-value", in: cell),
                  let value = Double(raw), let gt = cell.firstIndex(of: ">") else { return nil }
            let text = cell[cell.index(after: gt)...].dropLast("</td>".count)
            return (key, value, String(text))
        }
    }

    /// Every start tag of the document (escaped text holds no raw `<`, so these are real tags).
    static func tags(_ html: String) -> [String] {
        blocks(html, from: "<", to: ">").filter { tag in
            guard let c = tag.dropFirst().first else { return false }
            return c.isLetter
        }
    }
}

/// Follows a dotted key path ("before.share_by_tier.superfast") through summary.json.
func lookup(_ object: [String: Any], _ path: String) -> Double? {
    var current: Any? = object
    for key in path.split(separator: ".") {
        current = (current as? [String: Any])?[String(key)]
    }
    switch current {
    case let d as Double: return d
    case let i as Int: return Double(i)
    case let n as NSNumber: return n.doubleValue
    default: return nil
    }
}

/// How the report formats the figure under each key.
func formatted(_ key: String, _ value: Double) -> String {
    if key.contains("share_by_tier") { return Format.percent(value) }
    if key.contains("gap_area_km2") { return Format.decimal(value, decimals: 2) }
    if key == "area_km2" { return Format.decimal(value) }
    if key.hasSuffix("per_premises_gbp") { return "£" + Format.count(value) }
    if key.hasSuffix("cost_gbp") { return Format.millions(value) }
    return Format.count(value)
}

/// Tools the tests use when installed.
enum Tools {
    static let python = "/usr/bin/python3"
    static let validateGpkg = [
        "/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py",
        "/usr/share/doc/python3-gdal/examples/validate_gpkg.py",
    ].first { FileManager.default.fileExists(atPath: $0) }
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Runs a program; returns its exit status and its standard output and error together.
    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        guard let result = try runTool(executable, arguments) else {
            return (127, "\(executable): not installed")
        }
        return result
    }
}
