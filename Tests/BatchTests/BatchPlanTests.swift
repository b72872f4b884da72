import Foundation
import Locking
import Testing
@testable import Batch

@Suite("batch plan")
struct BatchPlanTests {
    @Test func aSweepExpandsIntoVariantsWithTheirOwnHashes() throws {
        let w = try Workspace("batch-plan")
        let file = try w.scenario("s.yaml", name: "Plan", extra: "sweep:\n  nga_threshold_mbps: [24, 30]")
        let variants = try w.variants([file])
        #expect(variants.map(\.safeName) == ["plan-nga-threshold-mbps-24", "plan-nga-threshold-mbps-30"])
        #expect(Set(variants.map(\.scenarioHash)).count == 2)
        #expect(variants.allSatisfy { $0.file == file && $0.scenarioHash.count == 64 })
        // The settings as canonical JSON: sorted keys, the swept value in place.
        #expect(variants[0].settingsJSON.contains(#""nga_threshold_mbps":24"#))
    }

    @Test func theSameFileTwiceIsOneSetOfRuns() throws {
        let w = try Workspace("batch-plan")
        let file = try w.scenario("s.yaml", name: "Twice")
        let variants = try w.variants([file, w.root.appendingPathComponent("./s.yaml").path, file])
        #expect(variants.map(\.safeName) == ["twice"])
    }

    /// Two files whose names give the same folder: refused, naming both files and the folder.
    @Test func twoScenariosForOneFolderAreRefused() throws {
        let w = try Workspace("batch-plan")
        let a = try w.scenario("a.yaml", name: "Same name")
        let b = try w.scenario("b.yaml", name: "same NAME!")
        let error = #expect(throws: CommandFailure.self) { try w.variants([a, b]) }
        #expect(error?.code == 2)
        #expect(error?.message.hasPrefix(b) == true)
        #expect(error?.message.contains("in \(a)") == true && error?.message.contains("'same-name'") == true)
    }

    @Test func aNameWithoutLettersOrDigitsIsRefused() throws {
        let w = try Workspace("batch-plan")
        let file = try w.scenario("s.yaml", name: "!!!")
        #expect(throws: Error.self) { try w.variants([file]) }
    }
}

@Suite("batch progress")
struct BatchProgressTests {
    @Test func plainLinesCountTheVariantsAsTheyEnd() {
        let out = LockedBox("")
        let progress = BatchProgress(total: 3, longestName: 4, interactive: false, output: { text in out.withLock { $0 += text } })
        progress.started("abcd", note: "rerun: settings changed")
        progress.ended("abcd", .finished, seconds: 12.34)
        progress.ended("b", .failed("boom"), seconds: 1)
        progress.ended("c", .skipped, detail: "finished earlier", seconds: nil)
        #expect(out.current == """
            [1/3] finished abcd          12.3s  rerun: settings changed
            [2/3] failed   b              1.0s  boom
            [3/3] skipped  c           finished earlier

            """)
        #expect(progress.bar() == "[####################] 3/3  1 failed")
    }

    @Test func theBarFillsInProportion() {
        let progress = BatchProgress(total: 8, longestName: 10, interactive: false, output: { _ in })
        #expect(progress.bar() == "[....................] 0/8")
        for k in 0..<3 { progress.ended("v\(k)", .finished, seconds: 1) }
        #expect(progress.bar() == "[#######.............] 3/8")
    }

    @Test func timeLimitText() {
        #expect(BatchRunner.timedOut(nil) == "timed out")
        #expect(BatchRunner.timedOut(30) == "timed out after 30 s")
        #expect(BatchRunner.timedOut(2.5) == "timed out after 2.5 s")
    }

    @Test func theWorkersOwnErrorLineIsChosen() {
        #expect(BatchRunner.lastLine("progress\nbbplan: premises.csv:3: bad\nmore\n") == "premises.csv:3: bad")
        #expect(BatchRunner.lastLine("x\nFatal error: index out of range\ny") == "Fatal error: index out of range")
        #expect(BatchRunner.lastLine("a\n  last  \n\n") == "last")
        #expect(BatchRunner.lastLine("\n") == nil)
    }
}

/// Sweep variants that differ only in a `budget_gbp` that can never bind are the same
/// programme, and the batch says so (issue 11, item 2).
@Suite("Same-programme variants")
struct SameProgrammeTests {
    @Test func variantsWhoseTotalNeverBindsAreNamed() throws {
        let w = try Workspace("same-programme")
        // Yearly budgets sum to £2m: £2.5m and £3m never bind (the same programme); £1.5m does.
        let file = try w.scenario("s.yaml", name: "S", extra: """
            rollout:
              target_tier: superfast
              options: { fwa: { per_mast_gbp: 1, per_premises_gbp: 1 } }
              years: [{ year: 2027, budget_gbp: 1000000 }, { year: 2028, budget_gbp: 1000000 }]
            sweep:
              rollout.budget_gbp: [2500000, 1500000, 3000000]
            """)
        let variants = try w.variants([file])
        #expect(variants.count == 3)
        let warnings = BatchPlan.sameProgrammeWarnings(variants.map(\.scenario))
        #expect(warnings.count == 1)
        let names = variants.map(\.name)
        #expect(warnings.first == "variants '\(names[0])', '\(names[2])' are the same programme: rollout.budget_gbp (£2,500,000, £3,000,000) exceeds the sum of the yearly budgets (£2,000,000) in each, so it never binds")
        // Varying something else as well keeps them apart.
        let other = try w.scenario("t.yaml", name: "T", extra: """
            rollout:
              target_tier: superfast
              options: { fwa: { per_mast_gbp: 1, per_premises_gbp: 1 } }
              years: [{ year: 2027, budget_gbp: 1000000 }, { year: 2028, budget_gbp: 1000000 }]
            sweep:
              rollout.budget_gbp: [2500000, 3000000]
              rollout.grid_m: [500, 1000]
            """)
        let apart = try w.variants([other])
        #expect(BatchPlan.sameProgrammeWarnings(apart.map(\.scenario)).count == 2, "each grid's pair is one programme")
    }
}
