import Foundation
import GeoIO
import Testing
import TestSupport
@testable import Reports

/// authorities.csv and the GeoPackage's `authorities` layer are one table written twice, and
/// so are build_areas.csv and the `build_areas` layer: the same column names in the same
/// order, and the same values (the CSV rounded to its decimals, NULL as an empty cell). Before
/// they shared one list, the authorities layer said `hh_<tier>`, `<class>_hh` and left the
/// baseline's columns unsuffixed in a rollout where the CSV said `..._before`, and the build
/// areas layer said `area_id` for the CSV's `id`.
@Suite("Output tables: one column list for the CSV and the layer")
struct OutputTableTests {
    static func compare(_ run: WrittenRun, table: String = "authorities", expecting names: [String]) throws {
        let file = run.folder.appendingPathComponent("\(table).csv")
        let rows = try readSimpleCSV(file.path)
        let header = try #require(try String(contentsOf: file, encoding: .utf8)
            .split(separator: "\n").first).split(separator: ",").map(String.init)
        let db = try GeoPackageSQL(path: run.gpkgPath)
        // The layer's attribute columns, in order (fid and geom are the GeoPackage's own).
        let fields = try db.query("SELECT name FROM pragma_table_info('\(table)') ORDER BY cid").compactMap { $0[0] }
            .filter { $0 != "fid" && $0 != "geom" }
        #expect(fields == header)
        for name in names { #expect(header.contains(name), "no column \(name)") }
        let quoted = header.map { "\"\($0)\"" }.joined(separator: ", ")
        let features = try db.query("SELECT \(quoted) FROM \(table) ORDER BY fid")
        #expect(features.count == rows.count && !rows.isEmpty)
        for (row, feature) in zip(rows, features) {
            for (k, name) in header.enumerated() {
                let csv = try #require(row[name]), layer = feature[k] ?? ""
                if let a = Double(csv), let b = Double(layer) {
                    // The CSV keeps 1 to 6 decimals; the layer the full double.
                    #expect(abs(a - b) <= 0.05 + 1e-9 * abs(b), "\(name): CSV \(csv), layer \(layer)")
                } else {
                    #expect(csv == layer, "\(name): CSV \(csv), layer \(layer)")
                }
            }
        }
    }

    @Test func rolloutRunHasBeforeAndAfterInBoth() throws {
        try Self.compare(try Runs.cumbria.get(), expecting: [
            "households_superfast_before", "share_superfast_before", "white_households_before", "gap_km2_superfast_before",
            "households_superfast_after", "black_households_after", "cost_gbp", "households_passed", "build_areas",
        ])
    }

    @Test func buildAreasHaveTheSameColumnsInBoth() throws {
        try Self.compare(try Runs.cumbria.get(), table: "build_areas", expecting: [
            "id", "authority", "technology", "fttp_cost_gbp", "cost_gbp", "status", "year", "rank",
        ])
    }

    @Test func baselineRunHasUnsuffixedColumnsInBoth() throws {
        try Self.compare(try Runs.cumbriaBaseline.get(), expecting: [
            "households_superfast", "share_superfast", "white_households", "grey_households", "black_households",
        ])
    }
}

/// No silent fallbacks in the layers: every premises is a feature (none dropped on a GEOS
/// failure) and every coverage and gap feature carries its polygon's own area (never a 0
/// standing in for a failed measurement).
@Suite("Layers: one feature per premises, real areas")
struct LayerCompletenessTests {
    @Test func premisesLayerHoldsEveryPlannedPremisesAtItsPoint() throws {
        let r = try Runs.cumbriaBaseline.get().result
        let layer = Layers.premises(r)
        let p = r.inputs.premises
        let c = r.baseline.classification
        let planned = Set(r.inputs.selected)
        // Every premises in a planned authority, in row order, by its fid (row + 1).
        let expected = (0..<p.count).filter { c.authority[$0] >= 0 && planned.contains(Int(c.authority[$0])) }
        #expect(expected.count > 1000)
        #expect(layer.features.count == expected.count)
        #expect(layer.fids == expected.map { Int64($0 + 1) })
        let points = try #require(layer.points)
        var misplaced = 0
        for (k, i) in expected.enumerated() where points.xs[k] != p.xs[i] || points.ys[k] != p.ys[i] { misplaced += 1 }
        #expect(misplaced == 0)
    }

    @Test func coverageAndGapFeaturesCarryTheirAreas() throws {
        let r = try Runs.cumbria.get().result
        let layers = try Layers.all(r).filter { $0.name.hasPrefix("coverage_") || $0.name.hasPrefix("gaps_") }
        #expect(!layers.isEmpty)
        var positive = 0
        for layer in layers {
            for feature in layer.features {
                guard case .real(let km2) = feature.values[2] else { Issue.record("\(layer.name): area_km2 is not a number"); continue }
                let expected = try feature.geometry.map { try $0.area() / 1e6 } ?? 0
                #expect(abs(km2 - expected) <= 1e-9 * max(1, expected), "\(layer.name): \(km2) km² for a polygon of \(expected) km²")
                if km2 > 0 { positive += 1 }
            }
        }
        #expect(positive > 0)
    }
}
