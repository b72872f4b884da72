import ArgumentParser
import Foundation
import GeoIO
import OutputSafety
import Reports
import RunStore

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

    /// The batch folder when --out is not given (also named by `bbplan validate`).
    static let defaultFolder = "out/batch"

    @Option(help: "Batch folder: a folder per variant, runs.sqlite and report.html.")
    var out: String = defaultFolder

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
        // Everything that can be bad input is checked before anything is written.
        let variants = try BatchPlan.load(files: scenarios)
        let folder = try Self.prepareFolder(out, variants: variants)
        let lock = try BatchFolderLock(folder)
        defer { withExtendedLifetime(lock) {} }
        let catalogue = try BatchRunner.waitForCatalogue {
            try RunCatalogue.open(path: folder.appendingPathComponent(RunCatalogue.fileName).path,
                                  busyTimeout: BatchRunner.catalogueBusyTimeout)
        }
        try BatchRunner.waitForCatalogue { try catalogue.markInterrupted(at: Date()) }

        let runner = BatchRunner(variants: variants, catalogue: catalogue, folder: folder,
                                 jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount, variantTimeout: variantTimeout)
        let outcomes = try runner.run()
        let report = try BatchReport.write(catalogue: catalogue, folder: folder)

        var counts: [String: Int] = [:]
        for (variant, outcome) in zip(variants, outcomes) {
            counts[outcome.word, default: 0] += 1
            var line = "  \(outcome.word.padding(toLength: 8, withPad: " ", startingAt: 0)) \(variant.safeName)"
            if case .failed(let message) = outcome { line += ": \(message)" }
            print(line)
        }
        let failed = counts["failed"] ?? 0
        print("batch: \(variants.count) variant\(variants.count == 1 ? "" : "s"): \(counts["finished"] ?? 0) finished, "
              + "\(counts["skipped"] ?? 0) skipped (already finished), \(failed) failed")
        print("catalogue: \(catalogue.path)")
        print("report: \(report.path)")
        if runner.unrecorded > 0 {
            throw CommandFailure(
                message: "\(catalogue.path): locked by another process for over \(Int(BatchRunner.catalogueWaitLimit)) s; "
                    + "\(runner.unrecorded) run results could not be recorded (they are in their folders; run the batch again)",
                code: 1)
        }
        if failed > 0 {
            throw CommandFailure(message: "\(failed) of \(variants.count) runs failed; see \(catalogue.path)", code: 1)
        }
    }

    /// The batch folder, checked and created before anything runs: the location rules (not
    /// the working or home folder, not holding an input or scenario file), then its contents
    /// (empty or a bbplan batch folder; a report and variant folders bbplan wrote), then
    /// writability (docs/BATCH.md, docs/RELIABILITY.md).
    static func prepareFolder(_ path: String, variants: [BatchVariant]) throws -> URL {
        var protected: [OutputLocation.Protected] = []
        for variant in variants { protected += RunOutput.protectedPaths(variant.scenario) }
        let location = try OutputLocation.check(path, origin: .option("--out"), protecting: protected)
        let notes = try BatchFolder.prepare(location, runFolders: variants.map(\.safeName), toolVersion: BBPlanVersion.current,
                                            digest: FileDigest.sha256(path:))
        Pipeline.note(notes)
        return URL(fileURLWithPath: location.display)
    }
}

/// What happened to one variant in this batch.
enum BatchOutcome {
    case finished
    case skipped
    case failed(String)

    var word: String {
        switch self {
        case .finished: return "finished"
        case .skipped: return "skipped"
        case .failed: return "failed"
        }
    }
}
