import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// `bbplan batch` and `bbplan report`, run as the built executable on small scenarios built
/// in a temporary folder from the Cumbria sample data (2,000 postcodes, few uncertainty runs).
@Suite("bbplan batch")
struct BatchTests {
    /// A temporary folder holding copies of the inputs and a scenario file.
    struct Workspace {
        let root: URL
        var batch: URL { root.appendingPathComponent("batch") }
        func path(_ name: String) -> String { root.appendingPathComponent(name).path }

        /// Writes a scenario file and returns its path.
        @discardableResult
        func scenario(_ name: String, _ text: String) throws -> String {
            try Data(text.utf8).write(to: root.appendingPathComponent(name))
            return path(name)
        }
    }

    static func workspace(sweep: String = "rollout.budget_gbp: [500000, 1000000, 2000000]", name: String = "Small") throws -> Workspace {
        let root = TestPaths.temporaryDirectory("bbplan-batch")
        let data = TestPaths.root.appendingPathComponent("GeoData")
        for (from, to) in [("boundaries/cumbria.gpkg", "cumbria.gpkg"), ("network/cumbria-cabinets.csv", "cabinets.csv"),
                           ("network/cumbria-exchanges.csv", "exchanges.csv")] {
            try FileManager.default.copyItem(at: data.appendingPathComponent(from), to: root.appendingPathComponent(to))
        }
        let premises = try String(contentsOf: data.appendingPathComponent("premises/cumbria-postcodes.csv"), encoding: .utf8)
        let lines = premises.split(separator: "\n", omittingEmptySubsequences: true).prefix(2000)
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: root.appendingPathComponent("premises.csv"))
        let w = Workspace(root: root)
        try w.scenario("small.yaml", scenario(name: name, sweep: sweep))
        return w
    }

    static func scenario(name: String, sweep: String?) -> String {
        """
        name: "\(name)"
        crs: EPSG:27700
        authorities: { source: cumbria.gpkg, layer: districts, code: LAD_CD, name: LAD_NM }
        premises: { source: premises.csv, x: easting, y: northing, crs: EPSG:27700, households: households_est }
        networks:
          - { name: FTTC, operator: Openreach, technology: fttc, source: cabinets.csv, x: easting, y: northing, crs: EPSG:27700 }
        coverage: { tiers: [superfast] }
        rollout:
          target_tier: superfast
          eligible: [white]
          grid_m: 2000
          fibre_nodes: exchanges.csv
          options:
            fttp: { per_area_gbp: 15000, per_premises_gbp: 650, per_km_gbp: 40000, route_factor: 1.3, down_mbps: 1000 }
          strategy: least_cost_per_household
          years:
            - { year: 2027, budget_gbp: 1000000 }
        uncertainty: { runs: 5, cost_spread: 0.2, seed: 1 }
        outputs: { formats: [csv] }

        """ + (sweep.map { "sweep:\n  \($0)\n" } ?? "")
    }

    static let variants = ["small-budget-gbp-500000", "small-budget-gbp-1000000", "small-budget-gbp-2000000"]

    static func batch(_ w: Workspace, _ extra: [String] = [], files: [String]? = nil) throws -> CommandResult {
        try BBPlanBinary.run(["batch"] + (files ?? [w.path("small.yaml")]) + ["--out", w.batch.path, "--jobs", "2"] + extra)
    }

    /// The catalogue's runs by folder name, through `bbplan report --json`.
    static func catalogue(_ w: Workspace) throws -> [String: [String: Any]] {
        let result = try BBPlanBinary.run(["report", w.batch.path, "--json"])
        #expect(result.status == 0, "report: \(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let runs = try #require(json["runs"] as? [[String: Any]])
        return Dictionary(uniqueKeysWithValues: runs.compactMap { run in (run["safe_name"] as? String).map { ($0, run) } })
    }

    /// Lines of stdout naming `word` for each variant, e.g. "  skipped  small-budget-gbp-500000".
    static func outcomes(_ stdout: String) -> [String: String] {
        var result: [String: String] = [:]
        for line in stdout.split(separator: "\n") {
            let words = line.split(separator: " ")
            if words.count >= 2, ["finished", "skipped", "failed"].contains(String(words[0])) {
                result[String(words[1]).trimmingCharacters(in: CharacterSet(charactersIn: ":"))] = String(words[0])
            }
        }
        return result
    }

    // MARK: - Running and resuming

    @Test func aSweepRunsEveryVariantIntoItsOwnFolder() throws {
        let w = try Self.workspace()
        let result = try Self.batch(w)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(Self.outcomes(result.stdout) == Dictionary(uniqueKeysWithValues: Self.variants.map { ($0, "finished") }))
        // Not a terminal: one plain line per finished variant.
        #expect(result.stderr.split(separator: "\n").filter { $0.contains(" finished ") }.count == 3, "\(result.stderr)")
        for name in Self.variants {
            let folder = w.batch.appendingPathComponent(name)
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("summary.json").path), "\(name)")
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("authorities.csv").path), "\(name)")
        }
        #expect(FileManager.default.fileExists(atPath: w.batch.appendingPathComponent("runs.sqlite").path))
        let report = try String(contentsOf: w.batch.appendingPathComponent("report.html"), encoding: .utf8)
        for name in ["Small [budget_gbp=500000]", "Small [budget_gbp=2000000]"] { #expect(report.contains(name)) }
        // No temporary folders left behind.
        let entries = try FileManager.default.contentsOfDirectory(atPath: w.batch.path)
        #expect(entries.filter { $0.hasPrefix(".") }.sorted() == [".baseline-cache", ".bbplan-manifest.json"], "\(entries)")

        let runs = try Self.catalogue(w)
        #expect(Set(runs.keys) == Set(Self.variants))
        for (name, run) in runs {
            #expect(run["status"] as? String == "finished", "\(name)")
            let summary = try #require(try JSONSerialization.jsonObject(
                with: Data(contentsOf: w.batch.appendingPathComponent(name).appendingPathComponent("summary.json"))) as? [String: Any])
            let totals = try #require(summary["totals"] as? [String: Any])
            let cost = try #require(run["cost_gbp"] as? Double)
            #expect(abs(cost - (totals["cost_gbp"] as? Double ?? -1)) < 0.01, "\(name): catalogue and summary.json agree")
            let before = try #require(totals["before"] as? [String: Any])
            let shares = try #require(before["share_by_tier"] as? [String: Any])
            #expect(abs((run["superfast_share_before"] as? Double ?? -1) - (shares["superfast"] as? Double ?? -2)) < 1e-9, "\(name)")
            #expect(abs((run["planned_households"] as? Double ?? -1) - (totals["planned_households"] as? Double ?? -2)) < 0.01)
            #expect(abs((run["households"] as? Double ?? -1) - (totals["households"] as? Double ?? -2)) < 0.01)
            // One row per planned authority, with the summary's figures.
            let authorities = try #require(run["authorities"] as? [[String: Any]])
            let expected = try #require(summary["authorities"] as? [[String: Any]])
            #expect(authorities.count == expected.count && !expected.isEmpty)
            for a in expected {
                let code = try #require(a["code"] as? String)
                let row = try #require(authorities.first { $0["code"] as? String == code }, "\(name): \(code)")
                #expect(row["premises"] as? Int == a["premises"] as? Int)
                #expect(abs((row["cost_gbp"] as? Double ?? -1) - (a["cost_gbp"] as? Double ?? -2)) < 0.01)
                let nga = try #require((a["before"] as? [String: Any])?["nga_households"] as? [String: Any])
                #expect(abs((row["white_households_before"] as? Double ?? -1) - (nga["white"] as? Double ?? -2)) < 0.01)
                let gaps = try #require((a["after"] as? [String: Any])?["gap_area_km2"] as? [String: Any])
                #expect(abs((row["superfast_gap_km2_after"] as? Double ?? -1) - (gaps["superfast"] as? Double ?? -2)) < 1e-6)
                // A tier without polygons has no gap area: absent in both, never zero in one.
                #expect((row["gigabit_gap_km2_after"] as? Double) == (gaps["gigabit"] as? Double))
                let gapsBefore = try #require((a["before"] as? [String: Any])?["gap_area_km2"] as? [String: Any])
                #expect((row["gigabit_gap_km2_before"] as? Double) == (gapsBefore["gigabit"] as? Double))
            }
            let inputs = try #require(run["inputs"] as? [[String: Any]])
            #expect(Set(inputs.compactMap { $0["role"] as? String }) == ["authorities", "premises", "networks[0]", "rollout.fibre_nodes"])
            #expect(inputs.allSatisfy { ($0["sha256"] as? String)?.count == 64 })
            #expect((run["scenario_hash"] as? String)?.count == 64)
        }
        // A bigger budget buys at least as much.
        let small = try #require(runs["small-budget-gbp-500000"]?["households_passed"] as? Double)
        let large = try #require(runs["small-budget-gbp-2000000"]?["households_passed"] as? Double)
        #expect(large >= small)
    }

    @Test func aRerunSkipsEverythingThatFinished() throws {
        let w = try Self.workspace()
        #expect(try Self.batch(w).status == 0)
        let before = try Self.catalogue(w)
        let again = try Self.batch(w)
        #expect(again.status == 0, "stderr: \(again.stderr)")
        #expect(Self.outcomes(again.stdout) == Dictionary(uniqueKeysWithValues: Self.variants.map { ($0, "skipped") }))
        let after = try Self.catalogue(w)
        for name in Self.variants {
            #expect(after[name]?["id"] as? Int == before[name]?["id"] as? Int, "\(name)")
            #expect(after[name]?["finished_at"] as? String == before[name]?["finished_at"] as? String, "\(name)")
        }
    }

    @Test func aChangedInputFileMakesEveryVariantRunAgain() throws {
        let w = try Self.workspace()
        #expect(try Self.batch(w).status == 0)
        let before = try Self.catalogue(w)
        // Drop the last cabinet: same format, different data.
        let cabinets = try String(contentsOfFile: w.path("cabinets.csv"), encoding: .utf8)
        let lines = cabinets.split(separator: "\n", omittingEmptySubsequences: true)
        try Data((lines.dropLast().joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: w.path("cabinets.csv")))

        let again = try Self.batch(w)
        #expect(again.status == 0, "stderr: \(again.stderr)")
        #expect(Self.outcomes(again.stdout) == Dictionary(uniqueKeysWithValues: Self.variants.map { ($0, "finished") }))
        #expect(again.stderr.contains("networks[0] changed"), "\(again.stderr)")
        let after = try Self.catalogue(w)
        for name in Self.variants {
            #expect(after[name]?["id"] as? Int != before[name]?["id"] as? Int, "\(name)")
            let sha = { (run: [String: Any]?) in
                (run?["inputs"] as? [[String: Any]])?.first { $0["role"] as? String == "networks[0]" }?["sha256"] as? String
            }
            #expect(sha(after[name]) != nil && sha(after[name]) != sha(before[name]), "\(name)")
        }
        // Unchanged again: all skipped.
        #expect(Self.outcomes(try Self.batch(w).stdout).values.allSatisfy { $0 == "skipped" })
    }

    @Test func changedSettingsRunOnlyTheVariantsThatChanged() throws {
        let w = try Self.workspace()
        #expect(try Self.batch(w).status == 0)
        try w.scenario("small.yaml", Self.scenario(name: "Small", sweep: "rollout.budget_gbp: [500000, 1000000, 3000000]"))
        let again = try Self.batch(w)
        #expect(again.status == 0, "stderr: \(again.stderr)")
        #expect(Self.outcomes(again.stdout) == ["small-budget-gbp-500000": "skipped", "small-budget-gbp-1000000": "skipped",
                                                "small-budget-gbp-3000000": "finished"])
        // The catalogue keeps the earlier variant's results; the report shows all four.
        #expect(try Self.catalogue(w).count == 4)
    }

    @Test func aFailedVariantExits1AndTheOthersStillFinish() throws {
        let w = try Self.workspace(sweep: "premises.source: [premises.csv, missing.csv]")
        let result = try Self.batch(w)
        #expect(result.status == 1)
        #expect(Self.outcomes(result.stdout) == ["small-source-premises-csv": "finished", "small-source-missing-csv": "failed"])
        #expect(result.stderr.split(separator: "\n").last?.hasPrefix("bbplan: 1 of 2 runs failed") == true, "\(result.stderr)")
        let runs = try Self.catalogue(w)
        let failed = try #require(runs["small-source-missing-csv"])
        #expect(failed["status"] as? String == "failed")
        #expect((failed["error"] as? String)?.contains("missing.csv") == true, "\(failed)")
        #expect(failed["exit_code"] as? Int == 2)
        let html = try String(contentsOf: w.batch.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("Runs without results") && html.contains("missing.csv"))
        // A rerun tries the failed one again and skips the finished one.
        let again = try Self.batch(w)
        #expect(Self.outcomes(again.stdout) == ["small-source-premises-csv": "skipped", "small-source-missing-csv": "failed"])
    }

    @Test func aBatchKilledPartWayResumesWithoutRedoingFinishedRuns() throws {
        // The first variant is quick, the others slow enough to be killed while running.
        let w = try Self.workspace(sweep: "uncertainty.runs: [5, 3000, 3001]")
        let stderrPath = w.path("batch.stderr")
        let batch = try GroupProcess.spawn(
            BBPlanBinary.path,
            ["batch", w.path("small.yaml"), "--out", w.batch.path, "--jobs", "1"],
            stdout: w.path("batch.stdout"), stderr: stderrPath)
        // Not a terminal: a line per variant once it is recorded in the catalogue.
        let deadline = Date().addingTimeInterval(120)
        var log = ""
        while Date() < deadline {
            log = (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
            if log.contains("finished small-runs-5") || batch.hasExited { break }
            usleep(50_000)
        }
        #expect(log.contains("finished small-runs-5"), "\(log)")
        batch.killGroup()
        #expect(!log.contains("finished small-runs-3001"), "killed after the batch had already ended: \(log)")

        let killed = try Self.catalogue(w)
        let first = try #require(killed["small-runs-5"])
        #expect(first["status"] as? String == "finished")

        let resumed = try BBPlanBinary.run(["batch", w.path("small.yaml"), "--out", w.batch.path, "--jobs", "1"])
        #expect(resumed.status == 0, "stderr: \(resumed.stderr)")
        #expect(Self.outcomes(resumed.stdout) == ["small-runs-5": "skipped", "small-runs-3000": "finished", "small-runs-3001": "finished"])
        let after = try Self.catalogue(w)
        #expect(after["small-runs-5"]?["id"] as? Int == first["id"] as? Int)
        #expect(after["small-runs-5"]?["finished_at"] as? String == first["finished_at"] as? String)
        #expect(after.values.allSatisfy { $0["status"] as? String == "finished" })
        let entries = try FileManager.default.contentsOfDirectory(atPath: w.batch.path)
        #expect(entries.filter { $0.hasPrefix(".") }.sorted() == [".baseline-cache", ".bbplan-manifest.json"], "leftovers: \(entries)")
        // The shared baseline cache holds one entry and its lock, no temporary file of the killed batch.
        let cache = try FileManager.default.contentsOfDirectory(atPath: w.batch.appendingPathComponent(".baseline-cache").path)
        #expect(cache.filter { !$0.hasSuffix(".baseline") && !$0.hasSuffix(".lock") }.isEmpty, "\(cache)")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
    func onATerminalProgressIsRedrawnWithABar() throws {
        // script(1) gives the batch a pseudo-terminal, so stderr is a TTY.
        let w = try Self.workspace()
        let command = [BBPlanBinary.path, "batch", w.path("small.yaml"), "--out", w.batch.path, "--jobs", "1"]
            .map { "'\($0)'" }.joined(separator: " ")
        let (status, text) = try #require(try runTool("/usr/bin/script", ["-qec", command, "/dev/null"]))
        #expect(status == 0, "\(text)")
        #expect(text.contains("[####################] 3/3"), "\(text)")
        #expect(text.contains("running  small-budget-gbp-500000"), "\(text)")
        #expect(text.contains("\u{1B}[J"), "redrawn in place")
        #expect(!text.contains("[1/3]"), "no plain log lines on a terminal")
    }

    // MARK: - report

    @Test func reportRebuildsTheReportFromTheCatalogue() throws {
        let w = try Self.workspace()
        #expect(try Self.batch(w).status == 0)
        let report = w.batch.appendingPathComponent("report.html")
        try FileManager.default.removeItem(at: report)
        let result = try BBPlanBinary.run(["report", w.batch.path])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("report: \(report.path) (3 runs)"))
        let html = try String(contentsOf: report, encoding: .utf8)
        for name in ["Small [budget_gbp=500000]", "Small [budget_gbp=1000000]", "Small [budget_gbp=2000000]"] {
            #expect(html.contains(name), "\(name)")
        }
        #expect(!html.contains("Runs without results"))
    }

    @Test func reportNeedsACatalogue() throws {
        let w = try Self.workspace()
        try FileManager.default.createDirectory(at: w.batch, withIntermediateDirectories: true)
        let result = try BBPlanBinary.run(["report", w.batch.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("runs.sqlite"), "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: w.batch.path).isEmpty)
    }

    // MARK: - Bad input: exit 2, one line, nothing written

    static func expectBadInput(_ result: CommandResult, mentioning words: [String], _ comment: String) {
        #expect(result.status == 2, "\(comment): exit \(result.status), stderr: \(result.stderr)")
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(comment): one line: \(result.stderr)")
        for word in words { #expect(result.stderr.contains(word), "\(comment): '\(word)' in \(result.stderr)") }
        #expect(result.stdout.isEmpty, "\(comment): \(result.stdout)")
    }

    /// Scenario names that cannot name a run folder (the scenario parser or batch refuses them).
    static let badNames = ["north/west", #"north\\west"#, "..", ".", "!!!", #"a\0b"#]

    @Test(arguments: badNames)
    func aNameThatCannotNameAFolderIsRefused(_ name: String) throws {
        let w = try Self.workspace(name: name)
        let result = try Self.batch(w)
        Self.expectBadInput(result, mentioning: ["small.yaml:1:", "name"], name)
        #expect(!FileManager.default.fileExists(atPath: w.batch.path), "\(name): nothing written")
    }

    @Test func twoScenariosWritingToOneFolderAreRefused() throws {
        let w = try Self.workspace()
        // "small!" and "Small" make the same folder names.
        try w.scenario("other.yaml", Self.scenario(name: "small!", sweep: "rollout.budget_gbp: [1000000]"))
        let result = try Self.batch(w, files: [w.path("small.yaml"), w.path("other.yaml")])
        Self.expectBadInput(result, mentioning: ["other.yaml", "small.yaml", "small-budget-gbp-1000000"], "collision")
        #expect(!FileManager.default.fileExists(atPath: w.batch.path))
    }

    @Test func theSameFileTwiceIsOneSetOfRuns() throws {
        let w = try Self.workspace(sweep: "rollout.budget_gbp: [500000]")
        let result = try Self.batch(w, files: [w.path("small.yaml"), w.path("./small.yaml")])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Self.outcomes(result.stdout) == ["small-budget-gbp-500000": "finished"])
    }

    @Test func anOutputFolderThatIsAFileIsRefused() throws {
        let w = try Self.workspace()
        try Data("not a folder".utf8).write(to: w.batch)
        let result = try Self.batch(w)
        Self.expectBadInput(result, mentioning: [w.batch.path, "is a file"], "--out file")
        #expect(try String(contentsOf: w.batch, encoding: .utf8) == "not a folder")
    }

    /// A finished batch whose catalogue is then damaged by `damage`; the batch must refuse it
    /// and leave the catalogue and the finished results exactly as they were.
    func refusesDamagedCatalogue(_ damage: (inout Data) -> Void, mentioning words: [String], _ comment: String) throws {
        let w = try Self.workspace(sweep: "rollout.budget_gbp: [500000]")
        #expect(try Self.batch(w).status == 0)
        let catalogue = w.batch.appendingPathComponent("runs.sqlite")
        var bytes = try Data(contentsOf: catalogue)
        damage(&bytes)
        try bytes.write(to: catalogue)
        let summary = w.batch.appendingPathComponent("small-budget-gbp-500000/summary.json")
        let results = try Data(contentsOf: summary)
        let entries = try FileManager.default.contentsOfDirectory(atPath: w.batch.path).sorted()

        let result = try Self.batch(w)
        Self.expectBadInput(result, mentioning: [catalogue.path] + words, comment)
        #expect(try Data(contentsOf: catalogue) == bytes, "\(comment): catalogue untouched")
        #expect(try Data(contentsOf: summary) == results, "\(comment): finished results kept")
        #expect(try FileManager.default.contentsOfDirectory(atPath: w.batch.path).sorted() == entries, "\(comment): nothing added")
        let report = try BBPlanBinary.run(["report", w.batch.path])
        #expect(report.status == 2, "\(comment): report refuses it too")
    }

    @Test func aCatalogueFromANewerBbplanIsRefused() throws {
        // PRAGMA user_version is the big-endian integer at offset 60 of the SQLite header.
        try refusesDamagedCatalogue({ bytes in
            bytes.replaceSubrange(60..<64, with: [0, 0, 0, 99])
        }, mentioning: ["newer bbplan", "schema version 99"], "newer catalogue")
    }

    @Test func aCorruptCatalogueIsRefused() throws {
        try refusesDamagedCatalogue({ bytes in
            bytes = Data("this is not a database\n".utf8) + bytes.dropFirst(23)
        }, mentioning: ["damaged"], "not SQLite")
        try refusesDamagedCatalogue({ bytes in
            bytes = bytes.prefix(4096) + Data(bytes.dropFirst(4096).map { $0 ^ 0xA5 })
        }, mentioning: ["damaged"], "scrambled pages")
    }

    @Test func jobsMustBePositive() throws {
        let w = try Self.workspace()
        let result = try Self.batch(w, ["--jobs", "0"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--jobs"))
        #expect(!FileManager.default.fileExists(atPath: w.batch.path))
    }
}

/// A process started in its own process group, so a test can kill it and its workers at once.
final class GroupProcess {
    let pid: pid_t
    private var status: Int32?

    private init(pid: pid_t) { self.pid = pid }

    static func spawn(_ executable: String, _ arguments: [String], stdout: String, stderr: String) throws -> GroupProcess {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid: pid_t = 0
        let rc = argv.withUnsafeBufferPointer {
            posix_spawn(&pid, executable, &actions, &attributes, UnsafeMutablePointer(mutating: $0.baseAddress!), environ)
        }
        guard rc == 0 else { throw POSIXError(POSIXErrorCode(rawValue: rc) ?? .EINVAL) }
        return GroupProcess(pid: pid)
    }

    var hasExited: Bool {
        if status != nil { return true }
        var s: Int32 = 0
        if waitpid(pid, &s, WNOHANG) == pid { status = s }
        return status != nil
    }

    /// SIGKILL to the whole group (the batch and its workers), then reaps the batch.
    func killGroup() {
        kill(-pid, SIGKILL)
        if status == nil {
            var s: Int32 = 0
            while waitpid(pid, &s, 0) < 0 && errno == EINTR {}
            status = s
        }
        // Workers are the batch's children (now orphans reaped by init): wait until none is left.
        let deadline = Date().addingTimeInterval(10)
        while kill(-pid, 0) == 0 && Date() < deadline { usleep(20_000) }
    }
}
