import ArgumentParser
import Foundation
import Batch

/// `bbplan batch`: `run` (the default, so `bbplan batch SCENARIO...` runs a batch) and
/// `merge` (shard folders into one batch folder).
struct BatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "Run many scenarios and sweep variants, resumably, and compare them in one report.",
        discussion: """
            bbplan batch SCENARIO... is bbplan batch run SCENARIO...; bbplan batch merge OUT SHARD_DIR... merges the folders of a sharded batch. See docs/BATCH.md.
            """,
        subcommands: [BatchRunCommand.self, BatchMergeCommand.self],
        defaultSubcommand: BatchRunCommand.self)
}

/// `bbplan batch [run] SCENARIO... [--out DIR] [--jobs N] [--shard I/N]`: every variant of
/// every scenario file (or one shard's slice of them), each in its own folder, recorded in a
/// run catalogue so a rerun skips what has finished.
struct BatchRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run every variant of the scenario files (or one shard of them) into a batch folder.",
        discussion: """
            Each variant runs as its own bbplan process into DIR/<name>. DIR/runs.sqlite records every run with its settings hash, the SHA-256 of its inputs and its results; DIR/report.html compares them. Run the same command again to resume: variants that finished with the same settings and unchanged inputs are skipped.

            Shards: with --shard I/N, or under a Slurm job array, a Kubernetes Indexed Job, an AWS Batch array job or a Cloud Run job (their index variables), only the variants at positions I, I+N, ... of the batch (ordered by folder name) run; give each shard its own --out and combine them with bbplan batch merge.

            Exit codes: 0 all finished, 1 some run failed (the others still ran), 2 bad input. See docs/BATCH.md.
            """)

    @Argument(help: "Scenario files (YAML); a sweep expands into its variants.")
    var scenarios: [String]

    @Option(help: "Batch folder: a folder per variant, runs.sqlite and report.html.")
    var out: String = BatchSession.defaultFolder

    @Option(help: "Variants run at the same time (default: the number of cores).")
    var jobs: Int?

    @Option(help: ArgumentHelp("Stop a variant that runs longer than this many seconds and record it failed.", valueName: "seconds"))
    var variantTimeout: Double?

    @Option(help: ArgumentHelp("Run only shard I of N (I from 0): the variants at positions I, I+N, ... (default: from the scheduler's variables, if any).", valueName: "I/N"))
    var shard: String?

    @Option(help: ArgumentHelp("The number of shards, where the scheduler gives only the index (Kubernetes Indexed Jobs: the Job's completions).", valueName: "N"))
    var shardCount: Int?

    @Flag(help: "Compute every variant's baseline itself instead of sharing it between variants with the same baseline inputs and settings (docs/BATCH.md, \"Baseline reuse\").")
    var noBaselineReuse = false

    func validate() throws {
        guard !scenarios.isEmpty else { throw ValidationError("give at least one scenario file") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if let variantTimeout, !(variantTimeout > 0 && variantTimeout <= 1e9) {
            throw ValidationError("--variant-timeout must be a number of seconds above 0")
        }
    }

    func run() throws {
        let shard = try BatchShard.resolve(flag: shard, shardCount: shardCount, environment: ProcessInfo.processInfo.environment)
        let outcome = try BatchSession.run(files: scenarios, out: out, jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount,
                                           variantTimeout: variantTimeout, shard: shard, reuseBaseline: !noBaselineReuse)
        for line in outcome.lines { print(line) }
        if let failure = outcome.failure { throw failure }
    }
}

/// `bbplan batch merge OUT SHARD_DIR...`: the shard folders of one batch merged into one
/// batch folder with one catalogue and report.
struct BatchMergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge the folders of a sharded batch into one batch folder.",
        discussion: """
            Every SHARD_DIR must be a batch folder written by bbplan batch --shard (or a scheduler's array task) for the same batch: the same scenario files and settings. Each variant's run is copied into OUT/<name> (checked against the shard's manifest) and recorded in OUT/runs.sqlite; OUT/report.html compares them. Merging again updates only what changed.

            Exit codes: 0 every variant merged, 1 some variant has no finished run in the shards (the others are merged), 2 bad input (shards of different batches, a folder that is not a shard). See docs/BATCH.md.
            """)

    @Argument(help: "The merged batch folder (created if needed; empty, or a batch folder bbplan wrote).")
    var out: String

    @Argument(help: "The shards' batch folders.")
    var shards: [String]

    func validate() throws {
        guard !shards.isEmpty else { throw ValidationError("give at least one shard folder after OUT") }
    }

    func run() throws {
        let outcome = try BatchMerge.run(out: out, shardFolders: shards)
        for line in outcome.lines { print(line) }
        if let failure = outcome.failure { throw failure }
    }
}
