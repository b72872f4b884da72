import Foundation
import Testing
@testable import Batch

/// The shared baseline's cache key (docs/BATCH.md, "Baseline reuse"): it changes with every
/// setting and input the baseline reads, and with none the rollout alone reads.
@Suite struct BaselineKeyTests {
    static var settings: [String: Any] { [
        "name": "GB", "crs": "EPSG:27700",
        "authorities": ["source": "lad.gpkg", "code": "LAD_CD", "name": "LAD_NM", "snap_m": 0],
        "premises": ["source": "premises.csv", "x": "easting", "y": "northing"],
        "networks": [["name": "FTTC", "technology": "fttc", "source": "cabinets.csv"]],
        "coverage": ["tiers": ["superfast"], "quadrant_segments": 8],
        "tiers_mbps": ["superfast": 30, "gigabit": 1000],
        "rollout": ["target_tier": "superfast", "budget_gbp": 1_000_000, "strategy": "least_cost_per_household"],
        "uncertainty": ["runs": 5], "outputs": ["formats": ["csv"]],
    ] }
    static let inputs: [(role: String, sha256: String)] = [
        ("authorities", "aa"), ("premises", "bb"), ("networks[0]", "cc"), ("rollout.fibre_nodes", "dd"),
    ]

    static func key(_ settings: [String: Any] = settings, _ inputs: [(role: String, sha256: String)] = inputs,
                    datum: [String] = []) throws -> String {
        try BaselineCache.key(settings: settings, inputs: inputs, datumShifts: datum)
    }

    static func with(_ path: [String], _ value: Any) -> [String: Any] {
        func set(_ d: [String: Any], _ p: ArraySlice<String>) -> [String: Any] {
            var d = d
            d[p.first!] = p.count == 1 ? value : set(d[p.first!] as? [String: Any] ?? [:], p.dropFirst())
            return d
        }
        return set(settings, path[...])
    }

    @Test func baselineSettingsAndInputsChangeTheKey() throws {
        let base = try Self.key()
        #expect(base.count == 64)
        #expect(try Self.key() == base)
        for (path, value) in [(["crs"], "EPSG:3857" as Any), (["authorities", "snap_m"], 200), (["coverage", "quadrant_segments"], 16),
                              (["coverage", "tiers"], ["superfast", "gigabit"]), (["tiers_mbps", "superfast"], 24),
                              (["premises", "source"], "other.csv"), (["observed"], [["type": "ofcom_postcode", "path": "x.csv"]])] {
            #expect(try Self.key(Self.with(path, value)) != base, "\(path)")
        }
        var inputs = Self.inputs
        inputs[1].sha256 = "b0"
        #expect(try Self.key(Self.settings, inputs) != base, "premises bytes")
        #expect(try Self.key(datum: ["premises: OSTN15"]) != base, "datum transformation")
    }

    @Test func rolloutOnlySettingsDoNotChangeTheKey() throws {
        let base = try Self.key()
        for (path, value) in [(["rollout", "budget_gbp"], 5_000_000 as Any), (["rollout", "strategy"], "coverage_target"),
                              (["name"], "GB 2"), (["uncertainty", "runs"], 50), (["outputs", "formats"], ["gpkg"])] {
            #expect(try Self.key(Self.with(path, value)) == base, "\(path)")
        }
        var inputs = Self.inputs
        inputs[3].sha256 = "d0"
        #expect(try Self.key(Self.settings, inputs) == base, "fibre nodes bytes")
        #expect(try Self.key(Self.settings, inputs.reversed()) == base, "input order")
    }
}
