import Foundation
import GeoIO
import OutputSafety
import RunStore
import RunSummary
import Testing
import TestSupport
@testable import Batch

/// `BatchMerge` on shard folders built by hand (a batch folder, a catalogue with the
/// definition, run folders written through `OutputFolder`), without running anything: the
/// merge's decisions, its idempotence, its refusals and a damaged shard.
@Suite("batch merge")
struct BatchMergeTests {
    struct Setup {
        let workspace: Workspace
        let variants: [BatchVariant]
        var root: URL { workspace.root }
        func path(_ name: String) -> String { root.appendingPathComponent(name).path }
    }

    static func setup() throws -> Setup {
        let w = try Workspace("batch-merge")
        let file = try w.scenario("s.yaml", name: "Plan", extra: "sweep:\n  nga_threshold_mbps: [24, 30, 40]")
        return Setup(workspace: w, variants: try w.variants([file]))
    }

    /// A shard folder as `bbplan batch --shard index/count` leaves it, each of its variants
    /// finished with `summary.json` written by `OutputFolder`.
    @discardableResult
    static func shard(_ s: Setup, _ name: String, index: Int, count: Int, variants: [BatchVariant]? = nil,
                      finishedAt: Date = Date(timeIntervalSince1970: 1_900_000_000)) throws -> String {
        let all = variants ?? s.variants
        let folder = s.path(name)
        let location = OutputLocation(display: folder, real: OutputLocation.real(folder))
        let shard = BatchShard(index: index, count: count, source: "test")
        let mine = shard.select(BatchPlan.stableOrder(all))
        _ = try BatchFolder.prepare(location, runFolders: mine.map(\.safeName), toolVersion: BBPlanVersion.current,
                                    digest: FileDigest.sha256(path:))
        let catalogue = try RunCatalogue.open(path: folder + "/" + RunCatalogue.fileName)
        try catalogue.setDefinition(BatchPlan.definition(all, shard: shard))
        for variant in mine {
            let runFolder = URL(fileURLWithPath: folder).appendingPathComponent(variant.safeName)
            let row = try catalogue.beginRun(.started(variant, folder: runFolder))
            let summary = Summaries.with(inputs: [])
            let (output, _) = try OutputFolder.begin(OutputLocation(display: runFolder.path, real: OutputLocation.real(runFolder.path)),
                                                     toolVersion: BBPlanVersion.current)
            try output.write(Data(try summary.rendered().utf8), to: RunSummary.fileName)
            try output.write(Data("code,value\n\(variant.safeName),1\n".utf8), to: "authorities.csv")
            try output.commit(verify: { _ in }, digest: FileDigest.sha256(path:))
            try catalogue.finishRun(id: try #require(row.id), summary: summary, finishedAt: finishedAt)
        }
        try catalogue.close()
        return folder
    }

    static func words(_ lines: [String]) -> [String: String] {
        var result: [String: String] = [:]
        for line in lines {
            let parts = line.split(separator: " ")
            if parts.count >= 2, ["merged", "unchanged", "failed", "missing"].contains(String(parts[0])) {
                result[String(parts[1]).trimmingCharacters(in: CharacterSet(charactersIn: ":"))] = String(parts[0])
            }
        }
        return result
    }

    @Test func shardsMergeIntoOneBatchAndMergingAgainChangesNothing() throws {
        let s = try Self.setup()
        let a = try Self.shard(s, "a", index: 0, count: 2), b = try Self.shard(s, "b", index: 1, count: 2)
        let names = BatchPlan.stableOrder(s.variants).map(\.safeName)
        let out = s.path("merged")
        let first = try BatchMerge.run(out: out, shardFolders: [a, b])
        #expect(first.failure == nil)
        #expect(Self.words(first.lines) == Dictionary(uniqueKeysWithValues: names.map { ($0, "merged") }), "\(first.lines)")
        let catalogue = try RunCatalogue.openReadOnly(path: out + "/runs.sqlite")
        let rows = try catalogue.runs()
        #expect(rows.map(\.safeName).sorted() == names)
        #expect(rows.allSatisfy { $0.status == .finished && $0.outputDir == out + "/" + $0.safeName })
        let definition = try #require(try catalogue.definition())
        #expect(definition.hash == BatchPlan.definition(s.variants, shard: nil).hash && definition.shard == nil)
        for name in names {
            // The run folder is the shard's, byte for byte, with a complete run manifest.
            let shardFolder = BatchPlan.stableOrder(s.variants).firstIndex { $0.safeName == name }! % 2 == 0 ? a : b
            #expect(try Data(contentsOf: URL(fileURLWithPath: "\(out)/\(name)/authorities.csv"))
                    == Data(contentsOf: URL(fileURLWithPath: "\(shardFolder)/\(name)/authorities.csv")))
            #expect(Manifest.read(folder: "\(out)/\(name)")?.state == .complete)
        }
        try catalogue.close()

        let manifestBefore = try Data(contentsOf: URL(fileURLWithPath: "\(out)/\(names[0])/.bbplan-manifest.json"))
        let again = try BatchMerge.run(out: out, shardFolders: [b, a])
        #expect(again.failure == nil)
        #expect(Self.words(again.lines) == Dictionary(uniqueKeysWithValues: names.map { ($0, "unchanged") }), "\(again.lines)")
        let after = try RunCatalogue.openReadOnly(path: out + "/runs.sqlite")
        #expect(try after.runs() == rows, "the same rows, ids and all")
        #expect(try Data(contentsOf: URL(fileURLWithPath: "\(out)/\(names[0])/.bbplan-manifest.json")) == manifestBefore,
                "the run folder was not rewritten")
    }

    @Test func aRetriedShardReplacesOnlyItsVariants() throws {
        let s = try Self.setup()
        let a = try Self.shard(s, "a", index: 0, count: 2), b = try Self.shard(s, "b", index: 1, count: 2)
        let out = s.path("merged")
        _ = try BatchMerge.run(out: out, shardFolders: [a, b])
        // Shard b runs again (a later end time): its variant is merged again, a's are unchanged.
        try FileManager.default.removeItem(atPath: b)
        try Self.shard(s, "b", index: 1, count: 2, finishedAt: Date(timeIntervalSince1970: 1_900_000_500))
        let names = BatchPlan.stableOrder(s.variants).map(\.safeName)
        let result = try BatchMerge.run(out: out, shardFolders: [a, b])
        #expect(Self.words(result.lines) == [names[0]: "unchanged", names[1]: "merged", names[2]: "unchanged"], "\(result.lines)")
    }

    @Test func shardsOfAnotherDefinitionAreRefusedBeforeAnythingIsWritten() throws {
        let s = try Self.setup()
        let a = try Self.shard(s, "a", index: 0, count: 2)
        let otherFile = try s.workspace.scenario("o.yaml", name: "Plan", extra: "sweep:\n  nga_threshold_mbps: [24, 30, 50]")
        let other = try Self.shard(s, "other", index: 1, count: 2, variants: try s.workspace.variants([otherFile]))
        let out = s.path("merged")
        let error = try #require(throws: CommandFailure.self) { try BatchMerge.run(out: out, shardFolders: [a, other]) }
        #expect(error.code == 2)
        #expect(error.message.contains("a shard of another batch definition"), "\(error.message)")
        #expect(!FileManager.default.fileExists(atPath: out))

        // And OUT, once it holds one batch's merge, refuses another's shards.
        _ = try BatchMerge.run(out: out, shardFolders: [a])
        let into = try #require(throws: CommandFailure.self) { try BatchMerge.run(out: out, shardFolders: [other]) }
        #expect(into.code == 2 && into.message.contains("holds batch definition"), "\(into.message)")
    }

    @Test func aCatalogueWithoutADefinitionIsRefused() throws {
        let s = try Self.setup()
        let a = try Self.shard(s, "a", index: 0, count: 2)
        // A batch folder whose catalogue records no definition (as one of schema version 1,
        // upgraded by `bbplan report`, would).
        let old = s.path("old")
        _ = try BatchFolder.prepare(OutputLocation(display: old, real: OutputLocation.real(old)), runFolders: [],
                                    toolVersion: BBPlanVersion.current, digest: FileDigest.sha256(path:))
        try RunCatalogue.open(path: old + "/" + RunCatalogue.fileName).close()
        let error = try #require(throws: CommandFailure.self) { try BatchMerge.run(out: s.path("merged"), shardFolders: [a, old]) }
        #expect(error.code == 2)
        #expect(error.message == "\(old)/runs.sqlite: records no batch definition (written by an older bbplan); run that shard again with this bbplan (it resumes), then merge")
        #expect(!FileManager.default.fileExists(atPath: s.path("merged")))
    }

    @Test func aChangedShardFileIsNotMerged() throws {
        let s = try Self.setup()
        let a = try Self.shard(s, "a", index: 0, count: 1)
        let name = BatchPlan.stableOrder(s.variants)[1].safeName
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: "\(a)/\(name)/authorities.csv"))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("x".utf8))
        try handle.close()
        let out = s.path("merged")
        let result = try BatchMerge.run(out: out, shardFolders: [a])
        #expect(result.failure?.code == 1)
        #expect(Self.words(result.lines)[name] == "failed")
        #expect(result.lines.contains { $0.contains("SHA-256 differs from its manifest") }, "\(result.lines)")
        #expect(!FileManager.default.fileExists(atPath: "\(out)/\(name)"), "nothing of the damaged run is copied")
        #expect(try RunCatalogue.openReadOnly(path: out + "/runs.sqlite").run(safeName: name) == nil)
    }
}
