import ArgumentParser
import Foundation
import Batch

/// `bbplan batch SCENARIO... [--out DIR] [--jobs N]`: every variant of every scenario file,
/// each in its own folder, recorded in a run catalogue so a rerun skips what has finished.
struct BatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "Run many scenarios and sweep variants, resumably, and compare them in one report.",
        discussion: """
            Each variant runs as its own bbplan process into DIR/<name>. DIR/runs.sqlite records every run with its settings hash, the SHA-256 of its inputs and its results; DIR/report.html compares them. Run the same command again to resume: variants that finished with the same settings and unchanged inputs are skipped.

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

    func validate() throws {
        guard !scenarios.isEmpty else { throw ValidationError("give at least one scenario file") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if let variantTimeout, !(variantTimeout > 0 && variantTimeout <= 1e9) {
            throw ValidationError("--variant-timeout must be a number of seconds above 0")
        }
    }

    func run() throws {
        let outcome = try BatchSession.run(files: scenarios, out: out, jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount,
                                           variantTimeout: variantTimeout)
        for line in outcome.lines { print(line) }
        if let failure = outcome.failure { throw failure }
    }
}
