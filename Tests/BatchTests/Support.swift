import Foundation
import GeoIO
import RunStore
import RunSummary
import Scenario
import TestSupport
@testable import Batch

/// A temporary folder with small inputs (Cumbria's sample boundaries and cabinets, a few
/// postcodes) and scenario files written by the tests.
struct Workspace {
    let root: URL

    init(_ label: String = "batch-unit") throws {
        root = TestPaths.temporaryDirectory(label)
        let data = TestPaths.root.appendingPathComponent("GeoData")
        try FileManager.default.copyItem(at: data.appendingPathComponent("boundaries/cumbria.gpkg"), to: url("cumbria.gpkg"))
        try FileManager.default.copyItem(at: data.appendingPathComponent("network/cumbria-cabinets.csv"), to: url("cabinets.csv"))
        try Data("postcode,easting,northing,households_est\nCA1 1AA,339557,555539,14\nCA1 1AE,340405,555832,14\n".utf8)
            .write(to: url("premises.csv"))
    }

    func url(_ name: String) -> URL { root.appendingPathComponent(name) }
    func path(_ name: String) -> String { url(name).path }

    /// Writes a scenario file (`extra` lines appended) and returns its path.
    @discardableResult
    func scenario(_ file: String, name: String, premises: String = "premises.csv", extra: String = "") throws -> String {
        let text = """
            name: "\(name)"
            crs: EPSG:27700
            authorities: { source: cumbria.gpkg, layer: districts, code: LAD_CD, name: LAD_NM }
            premises: { source: \(premises), x: easting, y: northing, crs: EPSG:27700, households: households_est }
            networks:
              - { name: FTTC, operator: Openreach, technology: fttc, source: cabinets.csv, x: easting, y: northing, crs: EPSG:27700 }
            \(extra)
            """
        try Data(text.utf8).write(to: url(file))
        return path(file)
    }

    /// The variants of a scenario file as the batch plans them.
    func variants(_ files: [String]) throws -> [BatchVariant] { try BatchPlan.load(files: files) }
}

enum Summaries {
    static func state() -> RunSummary.State {
        RunSummary.State(householdsByTier: OrderedMap([("superfast", 1)]), shareByTier: OrderedMap([("superfast", 1)]),
                         ngaHouseholds: OrderedMap([("white", 0), ("grey", 0), ("black", 1)]),
                         gapAreaKm2: OrderedMap(), coverageAreaKm2: OrderedMap())
    }

    /// A summary whose only meaningful part is its inputs (what the resume decision reads).
    static func with(inputs: [RunSummary.Input]) -> RunSummary {
        let spread = RunSummary.Spread(p10: 0, p50: 0, p90: 0)
        return RunSummary(
            scenario: "s", description: "", version: BBPlanVersion.current, scenarioFile: "/s.yaml", variant: OrderedMap(),
            startedAt: "2026-01-01T00:00:00Z", finishedAt: "2026-01-01T00:00:01Z",
            crs: .init(working: "EPSG:27700", name: "BNG", ostn15Grid: nil, ostn15GridFound: false, transformations: OrderedMap()),
            tiersMbps: OrderedMap([("superfast", 30)]), ngaThresholdMbps: 30, targetTier: nil, strategy: nil, inputs: inputs,
            repairs: .init(items: []), authorityOverlaps: .init(toleranceM2: 1, items: []),
            totals: .init(premises: 1, households: 1, unassignedPremises: 0, unassignedHouseholds: 0, excludedPremises: 0,
                          excludedHouseholds: 0, plannedHouseholds: 1, areaKm2: 1, before: state(), after: state(),
                          costGBP: 0, publicCostGBP: 0, householdsPassed: 0, buildAreas: 0),
            authorities: [], years: [],
            uncertainty: .init(runs: 0, seed: nil, costSpread: nil, costGBP: spread, publicCostGBP: spread, householdsPassed: spread),
            timingsS: OrderedMap(), settings: .object([]))
    }
}

extension RunRecord {
    /// The row the batch writes when it starts `variant` (`hash` and `version` overridable).
    static func started(_ variant: BatchVariant, folder: URL, hash: String? = nil, version: String = BBPlanVersion.current) -> RunRecord {
        RunRecord(scenarioName: variant.name, safeName: variant.safeName, scenarioFile: variant.file,
                  scenarioHash: hash ?? variant.scenarioHash, settingsJSON: variant.settingsJSON, toolVersion: version,
                  outputDir: folder.path, startedAt: Date())
    }
}
