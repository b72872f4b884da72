import Foundation
import GRDB
import Testing
import TestSupport
@testable import RunStore
import RunSummary

/// Schema version 2: the batch definition, catalogues of version 1 upgraded (and still read
/// without upgrading), and runs copied between catalogues for `bbplan batch merge`.
@Suite("Batch definition in the catalogue")
struct BatchDefinitionTests {
    static func sha(_ data: Data) -> String {
        // Not SHA-256, but a stable 64-hex-digit stand-in: the catalogue only stores the digest.
        let sum = data.reduce(UInt64(1469598103934665603)) { ($0 ^ UInt64($1)) &* 1099511628211 }
        return String(repeating: String(format: "%016llx", sum), count: 4)
    }

    static let variants = [
        BatchDefinition.Variant(safeName: "a-1", scenarioHash: String(repeating: "a", count: 64)),
        BatchDefinition.Variant(safeName: "b-2", scenarioHash: String(repeating: "b", count: 64)),
    ]

    /// A catalogue as bbplan 0.1.0 before schema 2 wrote it: only the v1 migrations, one finished run.
    static func versionOneCatalogue() throws -> String {
        let path = RunCatalogueTests.freshPath()
        let queue = try DatabaseQueue(path: path)
        try CatalogueSchema.migrator.migrate(queue, upTo: "v1-create-run-authorities")
        try queue.write { db in
            var run = RunCatalogueTests.startedRun()
            run.status = .failed
            run.error = "boom"
            run.finishedAt = Date(timeIntervalSince1970: 1_800_000_100)
            try run.insert(db)
        }
        try queue.close()
        return path
    }

    static func userVersion(_ path: String) throws -> Int {
        let queue = try DatabaseQueue(path: path, configuration: { var c = Configuration(); c.readonly = true; return c }())
        defer { try? queue.close() }
        return try queue.read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") ?? -1 }
    }

    @Test func theDefinitionRoundTripsAndIsReplacedWhole() throws {
        let catalogue = try RunCatalogue.open(path: RunCatalogueTests.freshPath())
        #expect(try catalogue.definition() == nil)
        let first = BatchDefinition(variants: Self.variants, toolVersion: "0.1.0", shard: (1, 4), digest: Self.sha)
        try catalogue.setDefinition(first)
        #expect(try catalogue.definition() == first)
        #expect(try catalogue.definition()?.shard.map { [$0.index, $0.count] } == [1, 4])
        let second = BatchDefinition(variants: [Self.variants[1]], toolVersion: "0.1.0", shard: nil, digest: Self.sha)
        try catalogue.setDefinition(second)
        #expect(try catalogue.definition() == second)
        #expect(try RunCatalogueTests.count(catalogue, "batch_variants") == 1)
    }

    @Test func theHashCoversNamesHashesAndOrder() {
        let h = BatchDefinition.hash(of: Self.variants, digest: Self.sha)
        #expect(h == BatchDefinition(variants: Self.variants, toolVersion: "x", shard: (0, 2), digest: Self.sha).hash)
        #expect(h != BatchDefinition.hash(of: Self.variants.reversed(), digest: Self.sha))
        #expect(h != BatchDefinition.hash(of: [Self.variants[0], .init(safeName: "b-2", scenarioHash: String(repeating: "c", count: 64))],
                                          digest: Self.sha))
        // The exact text hashed: one line per variant, name TAB hash.
        #expect(h == Self.sha(Data("a-1\t\(String(repeating: "a", count: 64))\nb-2\t\(String(repeating: "b", count: 64))\n".utf8)))
    }

    @Test func aShardIndexOutsideTheCountIsRefusedByTheSchema() throws {
        let catalogue = try RunCatalogue.open(path: RunCatalogueTests.freshPath())
        let bad = BatchDefinition(variants: Self.variants, toolVersion: "0.1.0", shard: (4, 4), digest: Self.sha)
        #expect(throws: CatalogueError.self) { try catalogue.setDefinition(bad) }
        #expect(try catalogue.definition() == nil, "nothing half-written")
    }

    @Test func aVersionOneCatalogueIsReadWithoutUpgradeAndUpgradedByABatch() throws {
        let path = try Self.versionOneCatalogue()
        #expect(try Self.userVersion(path) == 1)
        let reader = try RunCatalogue.openReadOnly(path: path)
        #expect(try reader.runs().map(\.safeName) == ["gm-budget-8m"])
        #expect(try reader.definition() == nil)
        try reader.close()
        #expect(try Self.userVersion(path) == 1, "reading does not migrate")

        let catalogue = try RunCatalogue.open(path: path)
        #expect(try Self.userVersion(path) == 2)
        #expect(try catalogue.runs().map(\.error) == ["boom"], "the runs survive the upgrade")
        #expect(try catalogue.definition() == nil)
        try catalogue.setDefinition(BatchDefinition(variants: Self.variants, toolVersion: "0.1.0", shard: nil, digest: Self.sha))
        #expect(try catalogue.definition()?.variants == Self.variants)
    }

    @Test func aDamagedDefinitionIsRefusedOnOpening() throws {
        let path = RunCatalogueTests.freshPath()
        do {
            let catalogue = try RunCatalogue.open(path: path)
            try catalogue.setDefinition(BatchDefinition(variants: Self.variants, toolVersion: "0.1.0", shard: nil, digest: Self.sha))
            try catalogue.queue.write { db in
                try db.execute(sql: "PRAGMA ignore_check_constraints = ON")
                try db.execute(sql: "UPDATE batch_variants SET scenario_hash = 'lots' WHERE position = 1")
            }
            try catalogue.close()
        }
        let error = try #require(throws: CatalogueError.self) { try RunCatalogue.openReadOnly(path: path) }
        #expect(error.description.contains("batch_variants row 1: scenario_hash holds 'lots'"), "\(error)")
    }

    @Test func importingARunCopiesItsInputsAndAuthoritiesAndReplacesTheFolder() throws {
        let source = try RunCatalogue.open(path: RunCatalogueTests.freshPath())
        let started = try source.beginRun(RunCatalogueTests.startedRun())
        try source.finishRun(id: try #require(started.id), summary: try RunCatalogueTests.results(), finishedAt: Date(timeIntervalSince1970: 1_800_000_060))
        let run = try #require(try source.runs().first)

        let target = try RunCatalogue.open(path: RunCatalogueTests.freshPath())
        _ = try target.beginRun(RunCatalogueTests.startedRun("other"))
        _ = try target.beginRun(RunCatalogueTests.startedRun())   // the same folder, to be replaced
        var moved = run
        moved.outputDir = "/merged/gm-budget-8m"
        let imported = try target.importRun(moved, inputs: try source.inputs(runID: run.id!), authorities: try source.authorities(runID: run.id!))
        let rows = try target.runs()
        #expect(rows.map(\.safeName) == ["other", "gm-budget-8m"])
        let copy = try #require(rows.last)
        #expect(copy.id == imported.id)
        var expected = run
        expected.id = copy.id
        expected.outputDir = "/merged/gm-budget-8m"
        #expect(copy == expected, "every column but the id and folder as in the source")
        #expect(try target.inputs(runID: copy.id!).map { [$0.role, $0.sha256] } == (try source.inputs(runID: run.id!)).map { [$0.role, $0.sha256] })
        let authorities = try target.authorities(runID: copy.id!)
        #expect(authorities.map(\.code) == ["E08000001", "E08000002"])
        #expect(authorities.map(\.householdsPassed) == [60, 60])
        #expect(try RunCatalogueTests.count(target, "run_inputs") == 2)
    }
}
