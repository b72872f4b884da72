import ArgumentParser
import Foundation
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

    func validate() throws {
        guard !scenarios.isEmpty else { throw ValidationError("give at least one scenario file") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    }

    func run() throws {
        // Everything that can be bad input is checked before anything is written.
        let variants = try BatchPlan.load(files: scenarios)
        let folder = try Self.prepareFolder(out)
        let lock = try BatchFolderLock(folder)
        defer { withExtendedLifetime(lock) {} }
        let catalogue = try RunCatalogue.open(path: folder.appendingPathComponent(RunCatalogue.fileName).path)
        try catalogue.markInterrupted(at: Date())

        let runner = BatchRunner(variants: variants, catalogue: catalogue, folder: folder,
                                 jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount)
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
        if failed > 0 {
            throw CommandFailure(message: "\(failed) of \(variants.count) runs failed; see \(catalogue.path)", code: 1)
        }
    }

    /// The batch folder, created if needed; an existing file there is bad input.
    static func prepareFolder(_ path: String) throws -> URL {
        if path.contains("\u{0}") { throw CommandFailure(message: "--out: the folder name contains NUL", code: 2) }
        let folder = URL(fileURLWithPath: path).standardizedFileURL
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw CommandFailure(message: "--out \(folder.path): is a file, not a folder", code: 2)
        }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw CommandFailure(message: "--out \(folder.path): cannot create the batch folder: \(error.localizedDescription)", code: 2)
        }
        return folder
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
