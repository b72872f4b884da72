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
    ///
    /// - Parameter shard: run only this shard's slice of the variants (`BatchShard.select` on
    ///   the stable order); nil runs every variant in the order the files name them.
    /// - Parameter reuseBaseline: share the baseline between variants through the batch
    ///   folder's `.baseline-cache` (docs/BATCH.md, "Baseline reuse").
    public static func run(files: [String], out: String, jobs: Int, variantTimeout: Double?, shard: BatchShard? = nil,
                           reuseBaseline: Bool = true) throws -> Outcome {
        let all = try BatchPlan.load(files: files)
        let definition = BatchPlan.definition(all, shard: shard)
        let variants = shard.map { $0.select(BatchPlan.stableOrder(all)) } ?? all
        if let shard { try checkShardFolder(out, definition: definition, shard: shard) }
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
        if let shard, let recorded = try BatchRunner.waitForCatalogue({ try catalogue.definition() }) {
            try checkShard(recorded, catalogue: catalogue.path, definition: definition, shard: shard)
        }
        try BatchRunner.waitForCatalogue { try catalogue.markInterrupted(at: Date()) }
        try BatchRunner.waitForCatalogue { try catalogue.setDefinition(definition) }

        let cache = reuseBaseline ? BaselineCache(folder: folder.appendingPathComponent(BaselineCache.folderName).path) : nil
        cache?.removeLeftovers()
        let runner = BatchRunner(variants: variants, catalogue: catalogue, folder: folder, jobs: jobs, variantTimeout: variantTimeout,
                                 baselineCache: cache)
        let outcomes = try runner.run()
        // Damaged entries were moved aside by the workers that found them, and recomputed.
        let corrupt = cache?.takeCorrupt() ?? []
        if !corrupt.isEmpty {
            Pipeline.note(["\(corrupt.count) shared baseline cache entr\(corrupt.count == 1 ? "y was" : "ies were") damaged (\(BaselineCache.folderName)/\(corrupt.joined(separator: ", "))); recomputed, not used"])
        }
        let report = try BatchReport.write(catalogue: catalogue, folder: folder)

        var lines: [String] = []
        if let shard {
            lines.append("shard \(shard) (\(shard.source)): \(variants.count) of the batch's \(all.count) variants")
        }
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

    /// Refuses a shard into a folder holding another shard of the same batch (each shard
    /// needs its own folder), reading the catalogue only, before anything is written.
    /// Only a bbplan batch folder's catalogue is opened (a folder of other files is refused
    /// later, without bbplan having opened anything in it).
    static func checkShardFolder(_ out: String, definition: BatchDefinition, shard: BatchShard) throws {
        let folder = URL(fileURLWithPath: out)
        let path = folder.appendingPathComponent(RunCatalogue.fileName).path
        guard Manifest.read(folder: OutputLocation.real(folder.path))?.kind == .batch,
              FileManager.default.fileExists(atPath: path) else { return }
        let catalogue = try RunCatalogue.openReadOnly(path: path)
        defer { try? catalogue.close() }
        if let recorded = try catalogue.definition() {
            try checkShard(recorded, catalogue: path, definition: definition, shard: shard)
        }
    }

    static func checkShard(_ recorded: BatchDefinition, catalogue: String, definition: BatchDefinition, shard: BatchShard) throws {
        guard recorded.hash == definition.hash, let other = recorded.shard,
              other.index != shard.index || other.count != shard.count else { return }
        throw CommandFailure(
            message: "\(catalogue): this folder holds shard \(other.index)/\(other.count) of the same batch, not \(shard); give each shard its own --out",
            code: 2)
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
