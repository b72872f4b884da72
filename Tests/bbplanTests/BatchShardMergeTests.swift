import Foundation
import Testing
import TestSupport

/// `bbplan batch --shard` and `bbplan batch merge`, run as the built executable: shards of a
/// three-variant sweep merged back must equal the same batch run on one machine.
@Suite("bbplan batch shards and merge")
struct BatchShardMergeTests {
    typealias W = BatchTests.Workspace

    static func shard(_ w: W, _ folder: String, _ extra: [String], environment: [String: String] = [:],
                      file: String = "small.yaml") throws -> CommandResult {
        try BBPlanBinary.run(["batch", w.path(file), "--out", w.path(folder), "--jobs", "2"] + extra, environment: environment)
    }

    static func merge(_ w: W, _ out: String, _ shards: [String]) throws -> CommandResult {
        try BBPlanBinary.run(["batch", "merge", w.path(out)] + shards.map { w.path($0) })
    }

    /// `bbplan report DIR --json`: the runs by folder name.
    static func runs(_ folder: String) throws -> [String: [String: Any]] {
        let result = try BBPlanBinary.run(["report", folder, "--json"])
        #expect(result.status == 0, "report: \(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let runs = try #require(json["runs"] as? [[String: Any]])
        return Dictionary(uniqueKeysWithValues: runs.compactMap { run in (run["safe_name"] as? String).map { ($0, run) } })
    }

    /// Words at the start of the merge's per-variant lines, by variant.
    static func words(_ stdout: String) -> [String: String] {
        var result: [String: String] = [:]
        for line in stdout.split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count >= 2, ["merged", "unchanged", "failed", "missing"].contains(String(parts[0])) {
                result[String(parts[1]).trimmingCharacters(in: CharacterSet(charactersIn: ":"))] = String(parts[0])
            }
        }
        return result
    }

    /// Settings hash and key figures of a catalogue's run, as compared between batches.
    static func key(_ run: [String: Any]) -> [String] {
        ["scenario_hash", "status", "households", "planned_households", "households_passed", "cost_gbp", "public_cost_gbp",
         "superfast_share_before", "superfast_share_after"].map { "\($0)=\(run[$0] ?? "nil")" }
            + ((run["authorities"] as? [[String: Any]]) ?? []).map { "\($0["code"] ?? "")=\($0["households_passed"] ?? "")/\($0["cost_gbp"] ?? "")" }
            + ((run["inputs"] as? [[String: Any]]) ?? []).map { "\($0["role"] ?? "")=\($0["sha256"] ?? "")" }
    }

    @Test func shardsMergedEqualTheBatchRunWhole() throws {
        let w = try BatchTests.workspace()
        // Shard 0 from the flag, shard 1 from a Slurm array task's variables.
        let s0 = try Self.shard(w, "shard-0", ["--shard", "0/2"])
        #expect(s0.status == 0, "\(s0.stderr)")
        #expect(s0.stdout.contains("shard 0/2 (--shard 0/2): 2 of the batch's 3 variants"), "\(s0.stdout)")
        let s1 = try Self.shard(w, "shard-1", [], environment: ["SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_TASK_COUNT": "2",
                                                                "SLURM_ARRAY_TASK_MIN": "0", "SLURM_ARRAY_TASK_STEP": "1"])
        #expect(s1.status == 0, "\(s1.stderr)")
        #expect(s1.stdout.contains("shard 1/2 (SLURM_ARRAY_TASK_ID=1 SLURM_ARRAY_TASK_COUNT=2): 1 of the batch's 3 variants"), "\(s1.stdout)")
        // The slices by hand: folder names sorted, positions 0 and 2 in shard 0, 1 in shard 1.
        let sorted = BatchTests.variants.sorted()
        #expect(Set(try Self.runs(w.path("shard-0")).keys) == [sorted[0], sorted[2]])
        #expect(Set(try Self.runs(w.path("shard-1")).keys) == [sorted[1]])

        let merged = try Self.merge(w, "merged", ["shard-0", "shard-1"])
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(Self.words(merged.stdout) == Dictionary(uniqueKeysWithValues: sorted.map { ($0, "merged") }), "\(merged.stdout)")

        let whole = try BatchTests.batch(w)
        #expect(whole.status == 0, "\(whole.stderr)")
        let one = try Self.runs(w.batch.path), many = try Self.runs(w.path("merged"))
        #expect(Set(many.keys) == Set(BatchTests.variants))
        for name in BatchTests.variants {
            let a = try #require(one[name]), b = try #require(many[name])
            #expect(Self.key(a) == Self.key(b), "\(name)")
            #expect(b["output_dir"] as? String == w.path("merged/\(name)"))
            // The run folder's results are the shard's, byte for byte where no clock is involved.
            let csvOne = try Data(contentsOf: w.batch.appendingPathComponent("\(name)/authorities.csv"))
            let csvMerged = try Data(contentsOf: URL(fileURLWithPath: w.path("merged/\(name)/authorities.csv")))
            #expect(csvOne == csvMerged, "\(name)")
        }
        let report = try String(contentsOfFile: w.path("merged/report.html"), encoding: .utf8)
        #expect(report.contains("Small [budget_gbp=500000]") && report.contains("Small [budget_gbp=2000000]"))
        // The merged folder is a batch folder like any: a later merge or report may use it.
        let entries = try FileManager.default.contentsOfDirectory(atPath: w.path("merged"))
        #expect(entries.filter { $0.hasPrefix(".") } == [".bbplan-manifest.json"], "\(entries)")

        // Merging again changes nothing: every variant unchanged, the same rows (ids too).
        let before = try BBPlanBinary.run(["report", w.path("merged"), "--json"]).stdout
        let again = try Self.merge(w, "merged", ["shard-1", "shard-0", "shard-0"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(Self.words(again.stdout).values.allSatisfy { $0 == "unchanged" } && Self.words(again.stdout).count == 3, "\(again.stdout)")
        #expect(try BBPlanBinary.run(["report", w.path("merged"), "--json"]).stdout == before)

        // A retried shard resumes: everything it finished is skipped.
        let retried = try Self.shard(w, "shard-0", ["--shard", "0/2"])
        #expect(retried.status == 0)
        #expect(BatchTests.outcomes(retried.stdout).values.allSatisfy { $0 == "skipped" } && BatchTests.outcomes(retried.stdout).count == 2,
                "\(retried.stdout)")
    }

    @Test func mergeRefusesShardsOfAnotherBatchAndCountsMissingVariants() throws {
        let w = try BatchTests.workspace()
        #expect(try Self.shard(w, "shard-0", ["--shard", "0/2"]).status == 0)
        // Another definition: the same file with one budget changed.
        try w.scenario("other.yaml", BatchTests.scenario(name: "Small", sweep: "rollout.budget_gbp: [500000, 1000000, 3000000]"))
        #expect(try Self.shard(w, "other-1", ["--shard", "1/2"], file: "other.yaml").status == 0)

        let refused = try Self.merge(w, "merged", ["shard-0", "other-1"])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("a shard of another batch definition"), "\(refused.stderr)")
        #expect(refused.stderr.split(separator: "\n").count == 1)
        #expect(!FileManager.default.fileExists(atPath: w.path("merged")), "nothing written")

        // Shard 1 never ran: its variant is missing, the rest merged, exit 1.
        let partial = try Self.merge(w, "merged", ["shard-0"])
        #expect(partial.status == 1, "\(partial.stderr)")
        let sorted = BatchTests.variants.sorted()
        #expect(Self.words(partial.stdout) == [sorted[0]: "merged", sorted[1]: "missing", sorted[2]: "merged"], "\(partial.stdout)")
        #expect(partial.stderr.contains("1 of 3 variants have no finished run in the shards (\(sorted[1]))"), "\(partial.stderr)")

        // Relative paths, from the working folder.
        let relative = try BBPlanBinary.run(["batch", "merge", "merged-here", "shard-0"], in: w.root.path)
        #expect(relative.status == 1 && Self.words(relative.stdout)[sorted[0]] == "merged", "\(relative.stderr)")

        // The merged folder belongs to this batch: the other batch's shards cannot be merged into it.
        let intoOther = try Self.merge(w, "merged", ["other-1"])
        #expect(intoOther.status == 2)
        #expect(intoOther.stderr.contains("holds batch definition"), "\(intoOther.stderr)")

        // Two shards of one batch in one folder: refused before anything runs.
        let twice = try Self.shard(w, "shard-0", ["--shard", "1/2"])
        #expect(twice.status == 2)
        #expect(twice.stderr.contains("holds shard 0/2 of the same batch"), "\(twice.stderr)")

        // A folder that is not a shard.
        try FileManager.default.createDirectory(atPath: w.path("plain"), withIntermediateDirectories: true)
        let plain = try Self.merge(w, "merged", ["plain"])
        #expect(plain.status == 2 && plain.stderr.contains("not a bbplan batch folder"), "\(plain.stderr)")
    }

    @Test func badShardSettingsAreOneLineExitTwo() throws {
        let w = try BatchTests.workspace()
        for (args, env, text) in [
            (["--shard", "2/2"], [String: String](), "outside 0 to 1"),
            ([], ["JOB_COMPLETION_INDEX": "0"], "--shard-count"),
            (["--shard-count", "3"], ["SLURM_ARRAY_TASK_ID": "0", "SLURM_ARRAY_TASK_COUNT": "2"], "disagree"),
        ] {
            let result = try Self.shard(w, "s", args, environment: env)
            #expect(result.status == 2, "\(args) \(env)")
            #expect(result.stderr.contains(text) && result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: w.path("s")))
    }
}
