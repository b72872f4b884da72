import Foundation
import RunStore
import Testing
import TestSupport
@testable import Batch

/// Which shard a process runs: `--shard`, each scheduler's variables, and every way they can
/// disagree; and the slice of the variants each shard takes.
@Suite("batch shards")
struct BatchShardTests {
    static func resolve(_ flag: String? = nil, count: Int? = nil, _ env: [String: String] = [:]) throws -> BatchShard? {
        try BatchShard.resolve(flag: flag, shardCount: count, environment: env)
    }

    /// The message of the bad-input failure `body` throws (exit 2), or nil when it throws none.
    static func refusal(_ body: () throws -> BatchShard?) -> String? {
        do {
            _ = try body()
            return nil
        } catch let failure as CommandFailure {
            #expect(failure.code == 2)
            #expect(!failure.message.contains("\n"))
            return failure.message
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    @Test func noFlagAndNoSchedulerRunsEverything() throws {
        #expect(try Self.resolve() == nil)
        // Unrelated Slurm variables (a plain sbatch job, not an array) do not shard.
        #expect(try Self.resolve(nil, ["SLURM_JOB_ID": "42", "SLURM_NTASKS": "1"]) == nil)
    }

    @Test func theFlag() throws {
        let shard = try #require(try Self.resolve("2/4"))
        #expect((shard.index, shard.count) == (2, 4))
        #expect(try Self.resolve("0/1").map { [$0.index, $0.count] } == [0, 1])
        // The flag wins over the scheduler's variables.
        let overriding = try #require(try Self.resolve("1/3", ["SLURM_ARRAY_TASK_ID": "0", "SLURM_ARRAY_TASK_COUNT": "4"]))
        #expect((overriding.index, overriding.count) == (1, 3))
        #expect(try Self.resolve("1/3", count: 3)?.count == 3)
    }

    @Test func badFlags() {
        for text in ["4/4", "-1/4", "1", "1/", "/4", "a/b", "1/0", "1/2/3", " 1/2"] {
            let message = Self.refusal { try Self.resolve(text) }
            #expect(message?.contains("--shard") == true, "\(text): \(message ?? "accepted")")
        }
        #expect(Self.refusal { try Self.resolve("1/3", count: 4) }?.contains("disagree") == true)
        #expect(Self.refusal { try Self.resolve("1/3", count: 0) }?.contains("--shard-count") == true)
    }

    @Test func slurmArrays() throws {
        let plain = try #require(try Self.resolve(nil, ["SLURM_ARRAY_TASK_ID": "3", "SLURM_ARRAY_TASK_COUNT": "4",
                                                         "SLURM_ARRAY_TASK_MIN": "0", "SLURM_ARRAY_TASK_MAX": "3"]))
        #expect((plain.index, plain.count) == (3, 4))
        #expect(plain.source.contains("SLURM_ARRAY_TASK_ID=3"))
        // --array=1-4: ids 1..4 are shards 0..3.
        let fromOne = try #require(try Self.resolve(nil, ["SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_TASK_COUNT": "4", "SLURM_ARRAY_TASK_MIN": "1"]))
        #expect((fromOne.index, fromOne.count) == (0, 4))
        // --array=10-16:2: ids 10, 12, 14, 16; 14 is shard 2.
        let stepped = try #require(try Self.resolve(nil, ["SLURM_ARRAY_TASK_ID": "14", "SLURM_ARRAY_TASK_COUNT": "4",
                                                           "SLURM_ARRAY_TASK_MIN": "10", "SLURM_ARRAY_TASK_STEP": "2"]))
        #expect((stepped.index, stepped.count) == (2, 4))
        // The count from --shard-count when the variable is missing (an older Slurm).
        #expect(try Self.resolve(nil, count: 5, ["SLURM_ARRAY_TASK_ID": "4"]).map { [$0.index, $0.count] } == [4, 5])
    }

    @Test func slurmErrors() {
        #expect(Self.refusal { try Self.resolve(nil, ["SLURM_ARRAY_TASK_ID": "4", "SLURM_ARRAY_TASK_COUNT": "4"]) }?
            .contains("outside 0 to 3") == true)
        #expect(Self.refusal { try Self.resolve(nil, ["SLURM_ARRAY_TASK_ID": "x", "SLURM_ARRAY_TASK_COUNT": "4"]) }?
            .contains("SLURM_ARRAY_TASK_ID='x'") == true)
        #expect(Self.refusal { try Self.resolve(nil, ["SLURM_ARRAY_TASK_ID": "1"]) }?.contains("--shard-count") == true)
        #expect(Self.refusal { try Self.resolve(nil, count: 3, ["SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_TASK_COUNT": "4"]) }?
            .contains("disagree") == true)
        // An id off the MIN, MIN+STEP, ... grid (a list like --array=1,4,7 with STEP 2): no index.
        #expect(Self.refusal { try Self.resolve(nil, ["SLURM_ARRAY_TASK_ID": "4", "SLURM_ARRAY_TASK_COUNT": "3",
                                                      "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_STEP": "2"]) }?
            .contains("--shard I/N") == true)
    }

    @Test func kubernetesIndexedJobs() throws {
        let shard = try #require(try Self.resolve(nil, count: 8, ["JOB_COMPLETION_INDEX": "7"]))
        #expect((shard.index, shard.count) == (7, 8))
        // Kubernetes gives no count: without --shard-count it is refused.
        #expect(Self.refusal { try Self.resolve(nil, ["JOB_COMPLETION_INDEX": "0"]) }?.contains("--shard-count") == true)
        #expect(Self.refusal { try Self.resolve(nil, count: 8, ["JOB_COMPLETION_INDEX": "8"]) }?.contains("outside") == true)
    }

    @Test func awsBatchArrays() throws {
        let shard = try #require(try Self.resolve(nil, ["AWS_BATCH_JOB_ARRAY_INDEX": "0", "AWS_BATCH_JOB_ARRAY_SIZE": "10"]))
        #expect((shard.index, shard.count) == (0, 10))
        #expect(Self.refusal { try Self.resolve(nil, ["AWS_BATCH_JOB_ARRAY_INDEX": "10", "AWS_BATCH_JOB_ARRAY_SIZE": "10"]) } != nil)
        #expect(Self.refusal { try Self.resolve(nil, ["AWS_BATCH_JOB_ARRAY_INDEX": "1", "AWS_BATCH_JOB_ARRAY_SIZE": "1.5"]) } != nil)
    }

    @Test func cloudRunJobs() throws {
        let shard = try #require(try Self.resolve(nil, ["CLOUD_RUN_TASK_INDEX": "2", "CLOUD_RUN_TASK_COUNT": "3"]))
        #expect((shard.index, shard.count) == (2, 3))
        #expect(Self.refusal { try Self.resolve(nil, ["CLOUD_RUN_TASK_INDEX": "2", "CLOUD_RUN_TASK_COUNT": "0"]) } != nil)
    }

    @Test func twoSchedulersAtOnceAreRefused() {
        let message = Self.refusal {
            try Self.resolve(nil, count: 4, ["SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_TASK_COUNT": "4", "JOB_COMPLETION_INDEX": "1"])
        }
        #expect(message?.contains("more than one scheduler") == true)
        #expect(Self.refusal { try Self.resolve(nil, count: 4) }?.contains("needs a shard index") == true)
    }

    @Test func theTestRunnerStripsEveryVariableBbplanReads() {
        #expect(Set(TestEnvironment.schedulerKeys) == Set(BatchShard.environmentKeys))
        #expect(BatchShard.environmentKeys.allSatisfy { TestEnvironment.unsharded[$0] == nil })
    }

    // MARK: - Slices

    @Test(arguments: [1, 2, 3, 4, 7, 13])
    func shardsPartitionTheVariants(count: Int) throws {
        let items = Array(0..<11)
        var seen: [Int] = []
        for index in 0..<count {
            let slice = BatchShard(index: index, count: count, source: "test").select(items)
            // Positions index, index + count, ...: worked by hand for each.
            #expect(slice == Array(stride(from: index, to: items.count, by: count)))
            seen += slice
        }
        #expect(seen.sorted() == items, "the union is every variant, each once")
        #expect(Set(seen).count == seen.count)
    }

    @Test func theStableOrderIgnoresTheOrderFilesAreNamedIn() throws {
        let w = try Workspace()
        let a = try w.scenario("a.yaml", name: "Zeta", extra: "sweep:\n  nga_threshold_mbps: [24, 30]\n")
        let b = try w.scenario("b.yaml", name: "Alpha")
        let one = try w.variants([a, b]), two = try w.variants([b, a])
        #expect(one.map(\.safeName) != two.map(\.safeName))
        #expect(BatchPlan.stableOrder(one).map(\.safeName) == BatchPlan.stableOrder(two).map(\.safeName))
        #expect(BatchPlan.stableOrder(one).map(\.safeName) == BatchPlan.stableOrder(one).map(\.safeName).sorted())
        let d1 = BatchPlan.definition(one, shard: nil), d2 = BatchPlan.definition(two, shard: BatchShard(index: 0, count: 2, source: ""))
        #expect(d1.hash == d2.hash, "the same batch, however the files are ordered or sharded")
        let other = try w.variants([b])
        #expect(BatchPlan.definition(other, shard: nil).hash != d1.hash)
    }
}
