import Foundation
import Testing
import TestSupport

/// Baseline reuse in `bbplan batch` (docs/BATCH.md, "Baseline reuse"): variants sharing a
/// baseline compute it once, through the batch folder's `.baseline-cache`, with the same
/// results as computing it in every variant; a damaged cache entry is detected and recomputed.
@Suite("bbplan batch baseline reuse")
struct BaselineReuseTests {
    /// Budgets x strategies: six variants, one baseline.
    static let sweep = "rollout.budget_gbp: [500000, 1000000, 2000000]\n  rollout.strategy: [least_cost_per_household, coverage_target]\n  rollout.target_share: [0.99]"

    static func batch(_ w: BatchTests.Workspace, into folder: URL, _ extra: [String] = []) throws -> CommandResult {
        let r = try BBPlanBinary.run(["batch", w.path("small.yaml"), "--out", folder.path, "--jobs", "2"] + extra)
        #expect(r.status == 0, "batch: \(r.stderr)")
        return r
    }

    static func variants(_ folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix("small-") }.sorted()
    }

    static func entries(_ folder: URL) -> [String] {
        let cache = folder.appendingPathComponent(".baseline-cache").path
        return ((try? FileManager.default.contentsOfDirectory(atPath: cache)) ?? []).filter { $0.hasSuffix(".baseline") }.sorted()
    }

    /// summary.json without what describes one execution (timings, clock times), as sorted JSON.
    static func summary(_ run: URL) throws -> String {
        var json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: run.appendingPathComponent("summary.json"))) as? [String: Any])
        for key in ["timings_s", "started_at", "finished_at"] { json[key] = nil }
        return String(decoding: try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]), as: UTF8.self)
    }

    /// Every variant's summary (timings and clock times aside) and every CSV byte for byte.
    static func expectSameResults(_ a: URL, _ b: URL) throws {
        let names = try variants(a)
        #expect(names == (try variants(b)))
        #expect(names.count == 6)
        for name in names {
            let ra = a.appendingPathComponent(name), rb = b.appendingPathComponent(name)
            #expect(try summary(ra) == (try summary(rb)), "\(name): summary.json")
            let csvs = try FileManager.default.contentsOfDirectory(atPath: ra.path).filter { $0.hasSuffix(".csv") }.sorted()
            #expect(!csvs.isEmpty)
            #expect(csvs == (try FileManager.default.contentsOfDirectory(atPath: rb.path).filter { $0.hasSuffix(".csv") }.sorted()))
            for csv in csvs {
                #expect(try Data(contentsOf: ra.appendingPathComponent(csv)) == (try Data(contentsOf: rb.appendingPathComponent(csv))), "\(name)/\(csv)")
            }
        }
    }

    /// Variants whose summary records the baseline read from the cache rather than computed.
    static func reused(_ folder: URL) throws -> Int {
        try variants(folder).filter { name in
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent(name).appendingPathComponent("summary.json"))) as? [String: Any]
            return (json?["timings_s"] as? [String: Any])?["reading the shared baseline"] != nil
        }.count
    }

    @Test func reuseGivesTheResultsOfComputingEveryVariantAlone() throws {
        let w = try BatchTests.workspace(sweep: Self.sweep)
        let shared = w.root.appendingPathComponent("shared"), alone = w.root.appendingPathComponent("alone")
        _ = try Self.batch(w, into: shared)
        _ = try Self.batch(w, into: alone, ["--no-baseline-reuse"])
        try Self.expectSameResults(shared, alone)
        // One baseline for the six variants: computed by one worker, read by the five others.
        #expect(Self.entries(shared).count == 1)
        #expect(try Self.reused(shared) == 5)
        #expect(Self.entries(alone).isEmpty)
        #expect(try Self.reused(alone) == 0)
    }

    @Test func aDamagedEntryIsReportedAndRecomputedNotTrusted() throws {
        let w = try BatchTests.workspace(sweep: Self.sweep)
        let first = w.root.appendingPathComponent("first"), alone = w.root.appendingPathComponent("alone")
        _ = try Self.batch(w, into: first)
        _ = try Self.batch(w, into: alone, ["--no-baseline-reuse"])
        let entry = try #require(Self.entries(first).first)
        let good = try Data(contentsOf: first.appendingPathComponent(".baseline-cache/\(entry)"))
        // Damage: one payload byte flipped (length intact), and cut short.
        var flipped = good
        flipped[flipped.count - 9] ^= 0x40
        for damaged in [flipped, good.prefix(good.count / 2)] {
            // A copy of the first batch with its run folders gone (so every variant runs again)
            // and the damaged entry in its cache.
            let second = w.root.appendingPathComponent("second-\(damaged.count)")
            try FileManager.default.copyItem(at: first, to: second)
            for name in try Self.variants(second) { try FileManager.default.removeItem(at: second.appendingPathComponent(name)) }
            try damaged.write(to: second.appendingPathComponent(".baseline-cache/\(entry)"))
            let r = try Self.batch(w, into: second)
            #expect(r.stderr.contains("1 shared baseline cache entry was damaged"), "\(r.stderr)")
            try Self.expectSameResults(second, alone)
            // Recomputed once, then shared; the damaged file replaced by a whole entry and gone.
            #expect(try Self.reused(second) == 5)
            #expect(try Data(contentsOf: second.appendingPathComponent(".baseline-cache/\(entry)")).count == good.count)
            #expect(!(try FileManager.default.contentsOfDirectory(atPath: second.appendingPathComponent(".baseline-cache").path)).contains { $0.hasSuffix(".corrupt") })
        }
    }
}
