import Foundation
import GRDB
import Testing
import TestSupport
@testable import RunStore
import RunSummary

/// The run catalogue: schema and migrations, constraints, cascades, one transaction per run,
/// and refusal of catalogues this build must not touch.
@Suite("Run catalogue")
struct RunCatalogueTests {
    static func freshPath() -> String {
        TestPaths.temporaryDirectory("bbplan-runstore").appendingPathComponent(RunCatalogue.fileName).path
    }

    static func startedRun(_ safeName: String = "gm-budget-8m") -> RunRecord {
        RunRecord(scenarioName: "GM [budget=8m]", safeName: safeName, scenarioFile: "/s/gm.yaml",
                  scenarioHash: String(repeating: "a", count: 64), settingsJSON: #"{"name":"GM"}"#,
                  toolVersion: "0.1.0", outputDir: "/out/\(safeName)", startedAt: Date(timeIntervalSince1970: 1_800_000_000))
    }

    /// A run's summary as summary.json states it (hand-written: the catalogue's columns are
    /// checked against these figures).
    static func results(authorityCodes: [String] = ["E08000001", "E08000002"]) throws -> RunSummary {
        func state(_ superfast: Double, _ gigabit: Double, households: Double, gap: Double) -> String {
            """
            {"households_by_tier": {"superfast": \(superfast), "gigabit": \(gigabit)},
             "share_by_tier": {"superfast": \(superfast / households), "gigabit": \(gigabit / households)},
             "nga_households": {"white": 50, "grey": 300, "black": 145},
             "gap_area_km2": {"superfast": \(gap)}, "coverage_area_km2": {"superfast": 1}}
            """
        }
        let authorities = authorityCodes.map { code in
            """
            {"code": "\(code)", "name": "Authority \(code)", "premises": 250, "households": 495, "area_km2": 20,
             "before": \(state(400, 0, households: 495, gap: 12.5)), "after": \(state(450, 0, households: 495, gap: 10)),
             "cost_gbp": 125000, "public_cost_gbp": 100000, "households_passed": 60, "build_areas": 3}
            """
        }
        let json = """
            {"scenario": "GM", "description": "", "version": "0.1.0", "scenario_file": "/s/gm.yaml", "variant": {},
             "started_at": "2026-01-01T00:00:00Z", "finished_at": "2026-01-01T00:01:00Z",
             "crs": {"working": "EPSG:27700", "name": "OSGB36 / British National Grid", "ostn15_grid": null,
                     "ostn15_grid_found": false, "transformations": {}},
             "tiers_mbps": {"superfast": 30, "gigabit": 1000}, "nga_threshold_mbps": 30,
             "target_tier": "superfast", "strategy": "least_cost_per_household",
             "inputs": [{"role": "authorities", "path": "/d/a.gpkg", "sha256": "\(String(repeating: "1", count: 64))", "features": 2},
                        {"role": "premises", "path": "/d/p.csv", "sha256": "\(String(repeating: "2", count: 64))", "features": 500}],
             "repairs": {"count": 0, "items": []}, "authority_overlaps": {"count": 0, "tolerance_m2": 1, "items": []},
             "totals": {"premises": 505, "households": 1000, "unassigned_premises": 5, "unassigned_households": 10,
                        "excluded_premises": 0, "excluded_households": 0, "planned_households": 990, "area_km2": 40,
                        "before": {"households_by_tier": {"superfast": 792, "gigabit": 99}, "share_by_tier": {"superfast": 0.8, "gigabit": 0.1},
                                   "nga_households": {"white": 100, "grey": 600, "black": 290}, "gap_area_km2": {}, "coverage_area_km2": {}},
                        "after": {"households_by_tier": {"superfast": 891, "gigabit": 198}, "share_by_tier": {"superfast": 0.9, "gigabit": 0.2},
                                  "nga_households": {"white": 100, "grey": 600, "black": 290}, "gap_area_km2": {}, "coverage_area_km2": {}},
                        "cost_gbp": 250000, "public_cost_gbp": 200000, "households_passed": 120, "build_areas": 6},
             "authorities": [\(authorities.joined(separator: ","))],
             "years": [], "uncertainty": {"runs": 0, "cost_gbp": {"p10": 250000, "p50": 250000, "p90": 250000},
                                          "public_cost_gbp": {"p10": 200000, "p50": 200000, "p90": 200000},
                                          "households_passed": {"p10": 120, "p50": 120, "p90": 120}},
             "timings_s": {}, "settings": {"name": "GM"}}
            """
        return try RunSummary.decode(Data(json.utf8), source: "test")
    }

    /// The catalogue's columns hold the summary's figures (households: planned, outside
    /// every authority and in authorities not planned together).
    @Test func finishedRunHoldsTheSummaryFigures() throws {
        let catalogue = try RunCatalogue.open(path: Self.freshPath())
        let id = try #require(try catalogue.beginRun(Self.startedRun()).id)
        try catalogue.finishRun(id: id, summary: try Self.results(authorityCodes: ["E1"]), finishedAt: Date())
        let run = try #require(try catalogue.runs().first)
        #expect(run.households == 1000 && run.plannedHouseholds == 990 && run.householdsPassed == 120)
        #expect(run.costGBP == 250_000 && run.publicCostGBP == 200_000)
        #expect(run.superfastShareBefore == 0.8 && run.superfastShareAfter == 0.9)
        #expect(run.gigabitShareBefore == 0.1 && run.gigabitShareAfter == 0.2)
        let a = try #require(try catalogue.authorities(runID: id).first)
        #expect(a.code == "E1" && a.premises == 250 && a.households == 495)
        #expect(a.superfastHouseholdsBefore == 400 && a.superfastHouseholdsAfter == 450)
        #expect(a.gigabitHouseholdsBefore == 0 && a.gigabitHouseholdsAfter == 0)
        #expect(a.whiteHouseholdsBefore == 50 && a.greyHouseholdsBefore == 300 && a.blackHouseholdsBefore == 145)
        #expect(a.superfastGapKm2Before == 12.5 && a.superfastGapKm2After == 10)
        #expect(a.gigabitGapKm2Before == nil && a.gigabitGapKm2After == nil)
        #expect(a.costGBP == 125_000 && a.publicCostGBP == 100_000 && a.householdsPassed == 60)
        let inputs = try catalogue.inputs(runID: id)
        #expect(inputs.map(\.role) == ["authorities", "premises"] && inputs.map(\.features) == [2, 500])
    }

    static func count(_ catalogue: RunCatalogue, _ table: String) throws -> Int {
        try catalogue.queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? -1 }
    }

    // MARK: - Schema

    @Test func migrationsCreateTheSchemaOnAFreshFile() throws {
        let path = Self.freshPath()
        let catalogue = try RunCatalogue.open(path: path)
        try catalogue.queue.read { db in
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            #expect(Set(tables).isSuperset(of: ["runs", "run_inputs", "run_authorities", "grdb_migrations"]))
            #expect(try Int.fetchOne(db, sql: "PRAGMA user_version") == RunCatalogue.schemaVersion)
            #expect(try Int.fetchOne(db, sql: "PRAGMA foreign_keys") == 1)
            #expect(try String.fetchOne(db, sql: "PRAGMA journal_mode") == "wal")
            #expect(try CatalogueSchema.migrator.appliedIdentifiers(db)
                    == ["v1-create-runs", "v1-create-run-inputs", "v1-create-run-authorities", "v2-create-batch-definition"])
            let columns = try db.columns(in: "runs").map(\.name)
            for column in ["scenario_name", "safe_name", "scenario_hash", "settings_json", "status", "error",
                           "households", "households_passed", "cost_gbp", "public_cost_gbp",
                           "superfast_share_before", "gigabit_share_after"] {
                #expect(columns.contains(column), "runs.\(column)")
            }
        }
    }

    @Test func reopeningKeepsRunsAndAppliesNothingTwice() throws {
        let path = Self.freshPath()
        do {
            let catalogue = try RunCatalogue.open(path: path)
            let run = try catalogue.beginRun(Self.startedRun())
            try catalogue.finishRun(id: try #require(run.id), summary: Self.results(), finishedAt: Date())
        }
        let again = try RunCatalogue.open(path: path)
        let runs = try again.runs()
        #expect(runs.count == 1)
        #expect(runs.first?.status == .finished)
        #expect(runs.first?.costGBP == 250_000)
        #expect(try again.authorities(runID: try #require(runs.first?.id)).count == 2)
    }

    @Test func anEmptyFileBecomesAFreshCatalogue() throws {
        let path = Self.freshPath()
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        let catalogue = try RunCatalogue.open(path: path)
        #expect(try catalogue.runs().isEmpty)
    }

    @Test func openingWithoutCreateNeedsAFile() throws {
        let path = Self.freshPath()
        #expect(throws: CatalogueError.self) { try RunCatalogue.open(path: path, create: false) }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    // MARK: - Constraints

    /// Rows the schema itself must refuse, whatever code writes them.
    static let badRows: [(String, String, String)] = [
        ("status outside the three", "status IN", "INSERT INTO runs (scenario_name, safe_name, scenario_file, scenario_hash, settings_json, tool_version, output_dir, started_at, finished_at, status) VALUES ('x', 'x', 'f', '\(String(repeating: "a", count: 64))', '{}', '0.1.0', '/o', '2026-01-01', '2026-01-01', 'done')"),
        ("no scenario name", "NOT NULL constraint failed: runs.scenario_name", "INSERT INTO runs (scenario_name, safe_name, scenario_file, scenario_hash, settings_json, tool_version, output_dir, started_at, status) VALUES (NULL, 'x', 'f', '\(String(repeating: "a", count: 64))', '{}', '0.1.0', '/o', '2026-01-01', 'running')"),
        ("hash not 64 hex digits", "scenario_hash", "INSERT INTO runs (scenario_name, safe_name, scenario_file, scenario_hash, settings_json, tool_version, output_dir, started_at, status) VALUES ('x', 'x', 'f', 'abc', '{}', '0.1.0', '/o', '2026-01-01', 'running')"),
        ("safe name with a separator", "safe_name", "INSERT INTO runs (scenario_name, safe_name, scenario_file, scenario_hash, settings_json, tool_version, output_dir, started_at, status) VALUES ('x', 'a/b', 'f', '\(String(repeating: "a", count: 64))', '{}', '0.1.0', '/o', '2026-01-01', 'running')"),
        ("settings not JSON", "json_valid", "INSERT INTO runs (scenario_name, safe_name, scenario_file, scenario_hash, settings_json, tool_version, output_dir, started_at, status) VALUES ('x', 'x', 'f', '\(String(repeating: "a", count: 64))', '{', '0.1.0', '/o', '2026-01-01', 'running')"),
        ("finished without totals", "households IS NOT NULL", "INSERT INTO runs (scenario_name, safe_name, scenario_file, scenario_hash, settings_json, tool_version, output_dir, started_at, finished_at, status) VALUES ('x', 'x', 'f', '\(String(repeating: "a", count: 64))', '{}', '0.1.0', '/o', '2026-01-01', '2026-01-01', 'finished')"),
        ("failed without a reason", "error IS NOT NULL", "INSERT INTO runs (scenario_name, safe_name, scenario_file, scenario_hash, settings_json, tool_version, output_dir, started_at, finished_at, status) VALUES ('x', 'x', 'f', '\(String(repeating: "a", count: 64))', '{}', '0.1.0', '/o', '2026-01-01', '2026-01-01', 'failed')"),
        ("share above one", "superfast_share_after BETWEEN", "UPDATE runs SET superfast_share_after = 1.5"),
        ("negative cost", "cost_gbp >= 0", "UPDATE runs SET cost_gbp = -1"),
        ("a second row for one folder", "UNIQUE constraint failed: runs.safe_name", "INSERT INTO runs (scenario_name, safe_name, scenario_file, scenario_hash, settings_json, tool_version, output_dir, started_at, status) VALUES ('x', 'gm-budget-8m', 'f', '\(String(repeating: "a", count: 64))', '{}', '0.1.0', '/o', '2026-01-01', 'running')"),
        ("input of no run", "FOREIGN KEY constraint failed", "INSERT INTO run_inputs (run_id, role, path, sha256, features) VALUES (999, 'premises', '/p', '\(String(repeating: "b", count: 64))', 1)"),
        ("input hash not hex", "sha256", "INSERT INTO run_inputs (run_id, role, path, sha256, features) VALUES (1, 'premises', '/p', '\(String(repeating: "z", count: 64))', 1)"),
        ("negative feature count", "features >= 0", "INSERT INTO run_inputs (run_id, role, path, sha256, features) VALUES (1, 'premises', '/p', '\(String(repeating: "b", count: 64))', -1)"),
        ("authority of no run", "FOREIGN KEY constraint failed", "INSERT INTO run_authorities (run_id, code, name, premises, households, white_households_before, grey_households_before, black_households_before, cost_gbp, public_cost_gbp, households_passed) VALUES (999, 'E1', 'A', 1, 1, 0, 0, 0, 0, 0, 0)"),
        ("authority without households", "NOT NULL constraint failed: run_authorities.households", "INSERT INTO run_authorities (run_id, code, name, premises, households, white_households_before, grey_households_before, black_households_before, cost_gbp, public_cost_gbp, households_passed) VALUES (1, 'E1', 'A', 1, NULL, 0, 0, 0, 0, 0, 0)"),
    ]

    @Test(arguments: badRows)
    func constraintsRejectBadRows(_ name: String, _ constraint: String, _ sql: String) throws {
        let catalogue = try RunCatalogue.open(path: Self.freshPath())
        let run = try catalogue.beginRun(Self.startedRun())
        #expect(run.id == 1)
        let before = try catalogue.runs()
        let error = try #require(throws: DatabaseError.self, "\(name)") {
            try catalogue.queue.write { db in try db.execute(sql: sql) }
        }
        // Refused by the constraint meant, not by another one that happens to apply.
        #expect(error.resultCode == .SQLITE_CONSTRAINT, "\(name)")
        #expect((error.message ?? "").contains(constraint), "\(name): \(error.message ?? "")")
        #expect(try catalogue.runs() == before)
    }

    @Test func aGoodRowPassesTheSameConstraints() throws {
        // The bad rows above fail for their own reason, not because the SQL is wrong.
        let catalogue = try RunCatalogue.open(path: Self.freshPath())
        _ = try catalogue.beginRun(Self.startedRun())
        try catalogue.queue.write { db in
            try db.execute(sql: "INSERT INTO runs (scenario_name, safe_name, scenario_file, scenario_hash, settings_json, tool_version, output_dir, started_at, status) VALUES ('x', 'x', 'f', '\(String(repeating: "a", count: 64))', '{}', '0.1.0', '/o', '2026-01-01', 'running')")
            try db.execute(sql: "INSERT INTO run_inputs (run_id, role, path, sha256, features) VALUES (1, 'premises', '/p', '\(String(repeating: "b", count: 64))', 1)")
            try db.execute(sql: "INSERT INTO run_authorities (run_id, code, name, premises, households, white_households_before, grey_households_before, black_households_before, cost_gbp, public_cost_gbp, households_passed) VALUES (1, 'E1', 'A', 1, 1, 0, 0, 0, 0, 0, 0)")
        }
        #expect(try catalogue.runs().count == 2)
    }

    // MARK: - Cascades and transactions

    @Test func deletingARunCascadesToItsInputsAndAuthorities() throws {
        let catalogue = try RunCatalogue.open(path: Self.freshPath())
        let keep = try catalogue.beginRun(Self.startedRun("keep"))
        let drop = try catalogue.beginRun(Self.startedRun("drop"))
        try catalogue.finishRun(id: try #require(keep.id), summary: Self.results(), finishedAt: Date())
        try catalogue.finishRun(id: try #require(drop.id), summary: Self.results(), finishedAt: Date())
        #expect(try Self.count(catalogue, "run_authorities") == 4)
        try catalogue.queue.write { db in try db.execute(sql: "DELETE FROM runs WHERE safe_name = 'drop'") }
        #expect(try Self.count(catalogue, "run_authorities") == 2)
        #expect(try Self.count(catalogue, "run_inputs") == 2)
        #expect(try catalogue.authorities(runID: try #require(keep.id)).count == 2)
    }

    @Test func rerunningAFolderReplacesItsRow() throws {
        let catalogue = try RunCatalogue.open(path: Self.freshPath())
        let first = try catalogue.beginRun(Self.startedRun())
        try catalogue.finishRun(id: try #require(first.id), summary: Self.results(), finishedAt: Date())
        let second = try catalogue.beginRun(Self.startedRun())
        #expect(second.id != first.id)
        #expect(try catalogue.runs().map(\.id) == [second.id])
        #expect(try catalogue.run(safeName: "gm-budget-8m")?.status == .running)
        #expect(try Self.count(catalogue, "run_authorities") == 0)
        #expect(try Self.count(catalogue, "run_inputs") == 0)
    }

    @Test func aFailureMidwayLeavesNoPartialResults() throws {
        let catalogue = try RunCatalogue.open(path: Self.freshPath())
        let run = try catalogue.beginRun(Self.startedRun())
        let id = try #require(run.id)
        // The second authority repeats the first's code: its insert fails after the totals,
        // the inputs and the first authority were written in the same transaction.
        #expect(throws: CatalogueError.self) {
            try catalogue.finishRun(id: id, summary: Self.results(authorityCodes: ["E08000001", "E08000001"]), finishedAt: Date())
        }
        #expect(try Self.count(catalogue, "run_authorities") == 0)
        #expect(try Self.count(catalogue, "run_inputs") == 0)
        let row = try #require(try catalogue.run(safeName: run.safeName))
        #expect(row.status == .running)
        #expect(row.costGBP == nil)
        #expect(row.finishedAt == nil)

        try catalogue.finishRun(id: id, summary: Self.results(), finishedAt: Date())
        #expect(try catalogue.run(safeName: run.safeName)?.status == .finished)
        #expect(try Self.count(catalogue, "run_authorities") == 2)
    }

    @Test func aRunFinishesOnlyOnce() throws {
        let catalogue = try RunCatalogue.open(path: Self.freshPath())
        let id = try #require(try catalogue.beginRun(Self.startedRun()).id)
        try catalogue.finishRun(id: id, summary: Self.results(), finishedAt: Date())
        #expect(throws: CatalogueError.self) { try catalogue.finishRun(id: id, summary: Self.results(), finishedAt: Date()) }
        #expect(try Self.count(catalogue, "run_authorities") == 2)
    }

    @Test func failedRunsKeepTheirReasonAndInterruptedRunsAreMarked() throws {
        let catalogue = try RunCatalogue.open(path: Self.freshPath())
        let failed = try #require(try catalogue.beginRun(Self.startedRun("bad")).id)
        try catalogue.failRun(id: failed, error: "premises: file not found", exitCode: 2, finishedAt: Date())
        _ = try catalogue.beginRun(Self.startedRun("killed"))
        #expect(try catalogue.markInterrupted(at: Date()) == 1)
        let bad = try #require(try catalogue.run(safeName: "bad"))
        #expect(bad.status == .failed && bad.error == "premises: file not found" && bad.exitCode == 2)
        let killed = try #require(try catalogue.run(safeName: "killed"))
        #expect(killed.status == .failed)
        #expect(killed.error?.contains("interrupted") == true)
    }

    // MARK: - Catalogues this build must not touch

    /// A catalogue file, closed, with `sql` applied to it.
    static func catalogue(applying sql: String) throws -> String {
        let path = freshPath()
        do {
            let catalogue = try RunCatalogue.open(path: path)
            _ = try catalogue.beginRun(startedRun())
            try catalogue.queue.write { db in try db.execute(sql: sql) }
            try catalogue.close()
        }
        return path
    }

    static func snapshot(_ path: String) throws -> (Data, [String]) {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return (try Data(contentsOf: URL(fileURLWithPath: path)),
                try FileManager.default.contentsOfDirectory(atPath: folder).sorted())
    }

    @Test func aHigherSchemaVersionIsRefused() throws {
        let path = try Self.catalogue(applying: "PRAGMA user_version = \(RunCatalogue.schemaVersion + 1)")
        let before = try Self.snapshot(path)
        let error = try #require(throws: CatalogueError.self) { try RunCatalogue.open(path: path) }
        guard case .newerVersion = error else { Issue.record("got \(error)"); return }
        #expect(error.isBadInput)
        #expect(error.description.contains("newer bbplan"))
        #expect(try Self.snapshot(path) == before)
    }

    @Test func anUnknownMigrationIsRefused() throws {
        let path = try Self.catalogue(applying: "INSERT INTO grdb_migrations (identifier) VALUES ('v2-add-scenario-tags')")
        let before = try Self.snapshot(path)
        let error = try #require(throws: CatalogueError.self) { try RunCatalogue.open(path: path) }
        guard case .newerVersion(_, let reason) = error else { Issue.record("got \(error)"); return }
        #expect(reason.contains("v2-add-scenario-tags"))
        #expect(try Self.snapshot(path) == before)
    }

    @Test func anotherProgramsDatabaseIsRefused() throws {
        let path = Self.freshPath()
        do {
            let queue = try DatabaseQueue(path: path)
            try queue.write { db in try db.execute(sql: "CREATE TABLE runs (id INTEGER PRIMARY KEY, what TEXT)") }
            try queue.close()
        }
        let before = try Self.snapshot(path)
        let error = try #require(throws: CatalogueError.self) { try RunCatalogue.open(path: path) }
        #expect(error == .notACatalogue(path: path))
        #expect(try Self.snapshot(path) == before)
    }

    /// Damaged files: not SQLite at all, cut short, or with every page after the header scrambled.
    static let damage: [(String, @Sendable (Data) -> Data)] = [
        ("random bytes", { _ in Data((0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 7919 &+ 13) }) }),
        ("a text file", { _ in Data("name,households\nA,1\n".utf8) }),
        ("a few bytes", { _ in Data("SQLite".utf8) }),
        ("cut short", { $0.prefix(6000) }),
        ("scrambled pages", { d in d.prefix(4096) + Data(d.dropFirst(4096).map { $0 ^ 0x5A }) }),
    ]

    @Test(arguments: damage)
    func aCorruptFileIsRefusedAndLeftUntouched(_ name: String, _ damage: @Sendable (Data) -> Data) throws {
        let good = try Self.catalogue(applying: "SELECT 1")
        let path = Self.freshPath()
        try damage(try Data(contentsOf: URL(fileURLWithPath: good))).write(to: URL(fileURLWithPath: path))
        let before = try Self.snapshot(path)
        let error = try #require(throws: CatalogueError.self, "\(name)") { try RunCatalogue.open(path: path) }
        guard case .corrupt = error else { Issue.record("\(name): got \(error)"); return }
        #expect(error.isBadInput)
        #expect(error.description.contains("damaged"))
        #expect(try Self.snapshot(path) == before, "\(name): the file or its folder changed")
    }

    @Test func aFolderIsNotACatalogue() throws {
        let path = Self.freshPath()
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let error = try #require(throws: CatalogueError.self) { try RunCatalogue.open(path: path) }
        guard case .unusablePath = error else { Issue.record("got \(error)"); return }
    }
}
