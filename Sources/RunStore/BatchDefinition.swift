import Foundation
import GRDB

/// What a batch folder's catalogue says it ran: every variant of the `bbplan batch` command
/// (folder name and settings hash, in the batch's stable order), a hash of that list, and the
/// shard of it this folder ran (nil for the whole batch). Shards of one command share the
/// definition; `bbplan batch merge` refuses catalogues whose definitions differ.
public struct BatchDefinition: Sendable, Equatable {
    public struct Variant: Sendable, Equatable {
        public let safeName: String
        public let scenarioHash: String

        public init(safeName: String, scenarioHash: String) {
            self.safeName = safeName
            self.scenarioHash = scenarioHash
        }
    }

    /// Hex SHA-256 of the variant list (see `hash(of:digest:)`).
    public let hash: String
    public let variants: [Variant]
    public let toolVersion: String
    /// The shard this folder ran, or nil when it ran every variant (or is a merge).
    public let shard: (index: Int, count: Int)?

    public init(variants: [Variant], toolVersion: String, shard: (index: Int, count: Int)?, digest: (Data) -> String) {
        self.variants = variants
        self.toolVersion = toolVersion
        self.shard = shard
        hash = Self.hash(of: variants, digest: digest)
    }

    init(hash: String, variants: [Variant], toolVersion: String, shard: (index: Int, count: Int)?) {
        self.hash = hash
        self.variants = variants
        self.toolVersion = toolVersion
        self.shard = shard
    }

    /// SHA-256 of one line per variant, `safe_name TAB scenario_hash`, in the given order.
    /// Each scenario hash already covers the variant's settings and the bbplan version.
    public static func hash(of variants: [Variant], digest: (Data) -> String) -> String {
        digest(Data(variants.map { "\($0.safeName)\t\($0.scenarioHash)\n" }.joined().utf8))
    }

    /// The same definition with another shard (or none).
    public func with(shard: (index: Int, count: Int)?) -> BatchDefinition {
        BatchDefinition(hash: hash, variants: variants, toolVersion: toolVersion, shard: shard)
    }

    public static func == (a: BatchDefinition, b: BatchDefinition) -> Bool {
        a.hash == b.hash && a.variants == b.variants && a.toolVersion == b.toolVersion
            && a.shard?.index == b.shard?.index && a.shard?.count == b.shard?.count
    }
}

extension RunCatalogue {
    /// The batch definition recorded in the catalogue, or nil when none is (a catalogue of
    /// schema version 1, or one no batch has finished planning in).
    public func definition() throws -> BatchDefinition? {
        try read { db in
            guard try db.tableExists("batch_definition"), let row = try Row.fetchOne(db, sql:
                "SELECT definition_hash, tool_version, shard_index, shard_count FROM batch_definition WHERE id = 1")
            else { return nil }
            let variants = try Row.fetchAll(db, sql: "SELECT safe_name, scenario_hash FROM batch_variants ORDER BY position")
                .map { BatchDefinition.Variant(safeName: $0[0], scenarioHash: $0[1]) }
            let index: Int? = row[2], count: Int? = row[3]
            let shard = index.flatMap { i in count.map { (index: i, count: $0) } }
            return BatchDefinition(hash: row[0], variants: variants, toolVersion: row[1], shard: shard)
        }
    }

    /// Records `definition` (replacing the one recorded), in one transaction.
    public func setDefinition(_ definition: BatchDefinition) throws {
        try write { db in
            try db.execute(sql: "DELETE FROM batch_variants")
            try db.execute(sql: "DELETE FROM batch_definition")
            try db.execute(sql: """
                INSERT INTO batch_definition (id, definition_hash, tool_version, shard_index, shard_count)
                VALUES (1, ?, ?, ?, ?)
                """, arguments: [definition.hash, definition.toolVersion, definition.shard?.index, definition.shard?.count])
            for (position, variant) in definition.variants.enumerated() {
                try db.execute(sql: "INSERT INTO batch_variants (position, safe_name, scenario_hash) VALUES (?, ?, ?)",
                               arguments: [position, variant.safeName, variant.scenarioHash])
            }
        }
    }

    /// Copies a run from another catalogue (a shard's) with its inputs and authorities, in
    /// one transaction, replacing any run recorded for the same folder. Returns the new row.
    @discardableResult
    public func importRun(_ run: RunRecord, inputs: [RunInputRecord], authorities: [RunAuthorityRecord]) throws -> RunRecord {
        var row = run
        row.id = nil
        try write { db in
            try RunRecord.filter(RunRecord.Columns.safeName == run.safeName).deleteAll(db)
            try row.insert(db)
            guard let id = row.id else { throw CatalogueError.unknownRun(id: 0, reason: "was not inserted") }
            for var input in inputs {
                input.runID = id
                try input.insert(db)
            }
            for var authority in authorities {
                authority.runID = id
                try authority.insert(db)
            }
        }
        return row
    }

    /// Opens an existing catalogue only to read it (a shard being merged): checked as `open`
    /// checks it, never migrated or written.
    public static func openReadOnly(path: String, busyTimeout: TimeInterval = 30) throws -> RunCatalogue {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw CatalogueError.unusablePath(path: path, reason: "no run catalogue here (bbplan batch writes one)")
        }
        try inspect(path)
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(busyTimeout)
        do {
            return RunCatalogue(path: path, queue: try DatabaseQueue(path: path, configuration: configuration))
        } catch let error as DatabaseError where isLock(error) {
            throw CatalogueError.locked(path: path)
        } catch let error as DatabaseError {
            throw CatalogueError.database(path: path, reason: "cannot open the run catalogue: \(error.message ?? error.description)")
        }
    }
}
