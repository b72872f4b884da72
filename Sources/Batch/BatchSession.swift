import Foundation
import GeoIO
import OutputSafety
import Reports
import RunStore

/// `bbplan batch`: every variant of every scenario file, each in its own folder, recorded in
/// a run catalogue so a rerun skips what has finished (docs/BATCH.md).
public enum BatchSession {
    /// The batch folder when --out is not given (also named by `bbplan validate`).
    public static let defaultFolder = "out/batch"

    /// What a batch did: the lines to print (one per variant, then the totals and where the
    /// catalogue and report are), and the failure to exit with, if any.
    public struct Outcome {
        public let lines: [String]
        public let failure: CommandFailure?
    }

    /// Runs the batch. Everything that can be bad input is checked before anything is
    /// written; the batch folder is locked while it runs.
    public static func run(files: [String], out: String, jobs: Int, variantTimeout: Double?) throws -> Outcome {
        let variants = try BatchPlan.load(files: files)
        let folder = try prepareFolder(out, variants: variants)
        let lock = try BatchFolderLock(folder)
        defer { withExtendedLifetime(lock) {} }
        // After every refusal, so bad input still gets its one line.
        var seen: Set<String> = []
        Pipeline.warn(variants.flatMap { v in v.scenario.warnings.map { "\(v.name): \($0)" } }.filter { seen.insert($0).inserted })
        Pipeline.warn(BatchPlan.sameProgrammeWarnings(variants.map(\.scenario)))
        let catalogue = try BatchRunner.waitForCatalogue {
            try RunCatalogue.open(path: folder.appendingPathComponent(RunCatalogue.fileName).path,
                                  busyTimeout: BatchRunner.catalogueBusyTimeout)
        }
        try BatchRunner.waitForCatalogue { try catalogue.markInterrupted(at: Date()) }

        let runner = BatchRunner(variants: variants, catalogue: catalogue, folder: folder, jobs: jobs, variantTimeout: variantTimeout)
        let outcomes = try runner.run()
        let report = try BatchReport.write(catalogue: catalogue, folder: folder)

        var lines: [String] = []
        var counts: [String: Int] = [:]
        for (variant, outcome) in zip(variants, outcomes) {
            counts[outcome.word, default: 0] += 1
            var line = "  \(outcome.word.padding(toLength: 8, withPad: " ", startingAt: 0)) \(variant.safeName)"
            if case .failed(let message) = outcome { line += ": \(message)" }
            lines.append(line)
        }
        let failed = counts["failed"] ?? 0
        lines.append("batch: \(variants.count) variant\(variants.count == 1 ? "" : "s"): \(counts["finished"] ?? 0) finished, "
                     + "\(counts["skipped"] ?? 0) skipped (already finished), \(failed) failed")
        lines.append("catalogue: \(catalogue.path)")
        lines.append("report: \(report.path)")
        var failure: CommandFailure?
        if runner.unrecorded > 0 {
            failure = CommandFailure(
                message: "\(catalogue.path): locked by another process for over \(Int(BatchRunner.catalogueWaitLimit)) s; "
                    + "\(runner.unrecorded) run results could not be recorded (they are in their folders; run the batch again)",
                code: 1)
        } else if failed > 0 {
            failure = CommandFailure(message: "\(failed) of \(variants.count) runs failed; see \(catalogue.path)", code: 1)
        }
        return Outcome(lines: lines, failure: failure)
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
public enum BatchOutcome: Equatable, Sendable {
    case finished
    case skipped
    case failed(String)

    public var word: String {
        switch self {
        case .finished: return "finished"
        case .skipped: return "skipped"
        case .failed: return "failed"
        }
    }
}
