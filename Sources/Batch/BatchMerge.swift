import Foundation
import GeoIO
import OutputSafety
import Reports
import RunStore

/// `bbplan batch merge OUT SHARD_DIR...`: the shard folders of one batch (each written by
/// `bbplan batch --shard I/N` or a scheduler's array task) merged into one batch folder, with
/// one catalogue and one report, as if the batch had run on one machine (docs/BATCH.md).
///
/// Every shard must record the same batch definition (the same variants with the same
/// settings hashes); a merge refuses anything else before it writes. For each variant of
/// the definition it takes the shard run that finished last; it copies that run's folder
/// into OUT the way a run writes its outputs (into a temporary folder, verified, then put in
/// place), checking every file against the SHA-256 in the shard's run manifest. A variant
/// OUT already holds from the same shard run is left as it is, so merging again (after a
/// retried shard, or just twice) changes only what changed.
public enum BatchMerge {
    struct Shard {
        let folder: URL
        let catalogue: RunCatalogue
        let definition: BatchDefinition
        let lock: BatchFolderLock
    }

    /// A run of a shard chosen for a variant.
    struct Source {
        let shard: Shard
        let run: RunRecord
    }

    public static func run(out: String, shardFolders: [String]) throws -> BatchSession.Outcome {
        let shards = try openShards(shardFolders)
        let definition = shards[0].definition.with(shard: nil)

        // OUT: refused locations (the shards' catalogues are protected), another batch's merge.
        let protected = shards.map { OutputLocation.Protected(path: $0.catalogue.path, role: .input) }
        let location = try OutputLocation.check(out, origin: .option("OUT"), protecting: protected)
        let catalogueFile = URL(fileURLWithPath: location.display).appendingPathComponent(RunCatalogue.fileName).path
        // Only a bbplan batch folder's catalogue is read here; a folder of other files is
        // refused by `BatchFolder.prepare` below.
        if Manifest.read(folder: location.real)?.kind == .batch, FileManager.default.fileExists(atPath: catalogueFile) {
            let existing = try RunCatalogue.openReadOnly(path: catalogueFile)
            let recorded = try existing.definition()
            try existing.close()
            if let recorded, recorded.hash != definition.hash {
                throw CommandFailure(
                    message: "\(catalogueFile): holds batch definition \(recorded.hash.prefix(12)), not the shards' \(definition.hash.prefix(12)); merge into another folder",
                    code: 2)
            }
        }
        let notes = try BatchFolder.prepare(location, runFolders: definition.variants.map(\.safeName),
                                            toolVersion: BBPlanVersion.current, digest: FileDigest.sha256(path:))
        Pipeline.note(notes)
        let folder = URL(fileURLWithPath: location.display)
        let lock = try BatchFolderLock(folder)
        defer { withExtendedLifetime(lock) {} }
        let catalogue = try BatchRunner.waitForCatalogue {
            try RunCatalogue.open(path: catalogueFile, busyTimeout: BatchRunner.catalogueBusyTimeout)
        }
        try BatchRunner.waitForCatalogue { try catalogue.setDefinition(definition) }

        var lines: [String] = []
        var counts: [String: Int] = [:]
        var incomplete: [String] = []
        var failure: CommandFailure?
        for variant in definition.variants {
            let (word, detail) = try merge(variant, shards: shards, into: folder, catalogue: catalogue)
            counts[word, default: 0] += 1
            if word == "failed" || word == "missing" { incomplete.append(variant.safeName) }
            lines.append("  \(word.padding(toLength: 9, withPad: " ", startingAt: 0)) \(variant.safeName)\(detail.map { ": \($0)" } ?? "")")
        }
        let ignored = try shards.reduce(0) { total, shard in
            let names = Set(definition.variants.map { "\($0.safeName)\t\($0.scenarioHash)" })
            return total + (try shard.catalogue.runs().filter { !names.contains("\($0.safeName)\t\($0.scenarioHash)") }.count)
        }
        let report = try BatchReport.write(catalogue: catalogue, folder: folder)
        let total = definition.variants.count
        lines.append("merge: \(shards.count) shard folder\(shards.count == 1 ? "" : "s"), \(total) variant\(total == 1 ? "" : "s"): "
                     + "\(counts["merged"] ?? 0) merged, \(counts["unchanged"] ?? 0) unchanged (merged earlier), "
                     + "\(counts["failed"] ?? 0) failed, \(counts["missing"] ?? 0) missing")
        if ignored > 0 {
            lines.append("ignored \(ignored) shard run\(ignored == 1 ? "" : "s") not in the batch definition (from an earlier batch in the same folder)")
        }
        lines.append("catalogue: \(catalogue.path)")
        lines.append("report: \(report.path)")
        if !incomplete.isEmpty {
            let shown = incomplete.prefix(5).joined(separator: ", ") + (incomplete.count > 5 ? ", ..." : "")
            failure = CommandFailure(
                message: "\(incomplete.count) of \(total) variants have no finished run in the shards (\(shown)); rerun their shards (they resume), then merge again",
                code: 1)
        }
        return BatchSession.Outcome(lines: lines, failure: failure)
    }

    /// Opens every shard folder (locked, so no shard runs while it is merged; the catalogue
    /// read only) and checks they record one batch definition.
    static func openShards(_ paths: [String]) throws -> [Shard] {
        guard !paths.isEmpty else { throw CommandFailure(message: "give at least one shard folder", code: 2) }
        var shards: [Shard] = []
        var seen: Set<String> = []
        for path in paths {
            let real = OutputLocation.real(URL(fileURLWithPath: path).path)
            guard seen.insert(real).inserted else { continue }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw CommandFailure(message: "\(path): no such folder (a shard's batch folder)", code: 2)
            }
            guard Manifest.read(folder: real)?.kind == .batch else {
                throw CommandFailure(message: "\(path): not a bbplan batch folder (no batch manifest)", code: 2)
            }
            let folder = URL(fileURLWithPath: path)
            let lock = try BatchFolderLock(folder)
            let catalogue = try RunCatalogue.openReadOnly(path: folder.appendingPathComponent(RunCatalogue.fileName).path)
            guard let definition = try catalogue.definition() else {
                throw CommandFailure(
                    message: "\(catalogue.path): records no batch definition (written by an older bbplan); run that shard again with this bbplan (it resumes), then merge",
                    code: 2)
            }
            if let first = shards.first, first.definition.hash != definition.hash {
                throw CommandFailure(
                    message: "\(catalogue.path): a shard of another batch definition (\(definition.hash.prefix(12)), not \(first.definition.hash.prefix(12)) of \(first.folder.path)); merge only the shards of one batch command",
                    code: 2)
            }
            shards.append(Shard(folder: folder, catalogue: catalogue, definition: definition, lock: lock))
        }
        return shards
    }

    /// Merges one variant; returns the word for its line and a detail.
    static func merge(_ variant: BatchDefinition.Variant, shards: [Shard], into folder: URL,
                      catalogue: RunCatalogue) throws -> (String, String?) {
        var finished: [Source] = []
        var failed: [Source] = []
        for shard in shards {
            guard let run = try shard.catalogue.run(safeName: variant.safeName), run.scenarioHash == variant.scenarioHash else { continue }
            switch run.status {
            case .finished: finished.append(Source(shard: shard, run: run))
            case .failed: failed.append(Source(shard: shard, run: run))
            case .running: break
            }
        }
        let existing = try catalogue.run(safeName: variant.safeName)
        let keptFinished = existing.map { $0.status == .finished && $0.scenarioHash == variant.scenarioHash } ?? false
        let target = folder.appendingPathComponent(variant.safeName)

        // The shard run that finished last, if its folder is sound.
        var problems: [String] = []
        for source in finished.sorted(by: { ($0.run.finishedAt ?? .distantPast) > ($1.run.finishedAt ?? .distantPast) }) {
            let runFolder = source.shard.folder.appendingPathComponent(variant.safeName)
            if let existing, keptFinished, existing.startedAt == source.run.startedAt, existing.finishedAt == source.run.finishedAt,
               sameFiles(runFolder.path, target.path) {
                return ("unchanged", nil)
            }
            do {
                try copyRunFolder(runFolder, to: target)
            } catch let error as MergeProblem {
                problems.append(error.message)
                continue
            }
            var row = source.run
            row.outputDir = target.path
            guard let id = source.run.id else { continue }
            try BatchRunner.waitForCatalogue {
                try catalogue.importRun(row, inputs: try source.shard.catalogue.inputs(runID: id),
                                        authorities: try source.shard.catalogue.authorities(runID: id))
            }
            return ("merged", "from \(source.shard.folder.path)")
        }
        if keptFinished { return ("unchanged", problems.first.map { "kept the earlier merge; \($0)" }) }
        if let problem = problems.first {
            return ("failed", problem)
        }
        if let source = failed.max(by: { ($0.run.finishedAt ?? .distantPast) < ($1.run.finishedAt ?? .distantPast) }) {
            var row = source.run
            row.outputDir = target.path
            try BatchRunner.waitForCatalogue { try catalogue.importRun(row, inputs: [], authorities: []) }
            return ("failed", "in \(source.shard.folder.path): \(source.run.error ?? "failed")")
        }
        return ("missing", "no shard ran it (or it is still running)")
    }

    struct MergeProblem: Error {
        let message: String
    }

    /// Whether two run folders hold the same files by their manifests (names and SHA-256).
    static func sameFiles(_ a: String, _ b: String) -> Bool {
        guard let ma = Manifest.read(folder: a), let mb = Manifest.read(folder: b), ma.state == .complete, mb.state == .complete
        else { return false }
        return Set(ma.files.map { "\($0.path)\t\($0.sha256)" }) == Set(mb.files.map { "\($0.path)\t\($0.sha256)" })
    }

    /// Copies a shard's run folder into OUT as a run writes its outputs: into a temporary
    /// folder, then put in place, replacing only a folder bbplan wrote. Every file is checked
    /// against the shard's run manifest first (size and SHA-256): a damaged shard folder is
    /// reported, never merged.
    static func copyRunFolder(_ source: URL, to target: URL) throws {
        guard let manifest = Manifest.read(folder: source.path), manifest.kind == .run, manifest.state == .complete,
              manifest.names.contains("summary.json") else {
            throw MergeProblem(message: "\(source.path): not a complete bbplan run folder (no manifest listing summary.json)")
        }
        for entry in manifest.files {
            let path = source.appendingPathComponent(entry.path).path
            guard (try? FileDigest.sha256(path: path)) == entry.sha256 else {
                throw MergeProblem(message: "\(path): missing or changed since the run wrote it (SHA-256 differs from its manifest)")
            }
        }
        let location = OutputLocation(display: target.path, real: OutputLocation.real(target.path))
        let (output, notes) = try OutputFolder.begin(location, toolVersion: BBPlanVersion.current)
        defer { output.abandon() }
        Pipeline.note(notes)
        for entry in manifest.files {
            do {
                try FileManager.default.copyItem(atPath: source.appendingPathComponent(entry.path).path, toPath: output.reserve(entry.path))
            } catch {
                throw output.failure(error)
            }
        }
        try output.commit(verify: { staging in
            for entry in manifest.files {
                let copied = staging + "/" + entry.path
                guard (try? FileDigest.sha256(path: copied)) == entry.sha256 else {
                    throw OutputFailure(.failed, "\(target.path)/\(entry.path): the copy differs from \(source.path)/\(entry.path)")
                }
            }
        }, digest: FileDigest.sha256(path:))
    }
}
