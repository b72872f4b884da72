import Foundation
import GRDB
import RunSummary

/// The SQLite run catalogue of a batch folder (`runs.sqlite`): every run with its settings
/// hash, the inputs it read (with SHA-256) and its per-authority results, so a batch can be
/// resumed and results compared without rerunning.
///
/// Opening checks the file before anything writes to it: a file that is not SQLite, fails
/// `PRAGMA quick_check`, belongs to another program or was written by a newer bbplan is
/// refused and left byte for byte as it was.
public final class RunCatalogue: Sendable {
    /// The catalogue's file name inside a batch folder.
    public static let fileName = "runs.sqlite"
    /// The schema version this build writes (`PRAGMA user_version`).
    public static var schemaVersion: Int { CatalogueSchema.version }

    public let path: String
    let queue: DatabaseQueue

    init(path: String, queue: DatabaseQueue) {
        self.path = path
        self.queue = queue
    }

    /// Opens the catalogue at `path`, creating it (when `create`) or upgrading an older one.
    ///
    /// - Parameter busyTimeout: seconds a read or write waits for another process's lock
    ///   before failing with `CatalogueError.locked` (a batch keeps it short and retries).
    public static func open(path: String, create: Bool = true, busyTimeout: TimeInterval = 30) throws -> RunCatalogue {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        if exists && isDirectory.boolValue {
            throw CatalogueError.unusablePath(path: path, reason: "is a folder, not a run catalogue")
        }
        if !exists && !create {
            throw CatalogueError.unusablePath(path: path, reason: "no run catalogue here (bbplan batch writes one)")
        }
        if exists { try inspect(path) }

        var configuration = Configuration()
        configuration.journalMode = .wal
        configuration.busyMode = .timeout(busyTimeout)
        configuration.foreignKeysEnabled = true
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            try CatalogueSchema.migrator.migrate(queue)
            return RunCatalogue(path: path, queue: queue)
        } catch let error as DatabaseError where isLock(error) {
            throw CatalogueError.locked(path: path)
        } catch let error as DatabaseError {
            throw CatalogueError.database(path: path, reason: "cannot open the run catalogue: \(error.message ?? error.description)")
        }
    }

    /// Refuses a file that is not a sound catalogue this build can write, reading it only.
    static func inspect(_ path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CatalogueError.unusablePath(path: path, reason: "cannot read the run catalogue")
        }
        let header = handle.readData(ofLength: 100)
        try? handle.close()
        // An empty file is an empty database to SQLite: it becomes a fresh catalogue.
        if header.isEmpty { return }
        guard header.count == 100, header.starts(with: Data("SQLite format 3\u{0}".utf8)) else {
            throw CatalogueError.corrupt(path: path, reason: "not an SQLite database")
        }
        // A read-only connection to a WAL database makes empty -wal and -shm files. When the
        // file is refused, nothing will use them: remove the ones this check made.
        let companions = ["-wal", "-shm"].map { path + $0 }.filter { !FileManager.default.fileExists(atPath: $0) }
        do {
            try inspectDatabase(path)
        } catch {
            for companion in companions {
                let size = (try? FileManager.default.attributesOfItem(atPath: companion)[.size] as? Int) ?? nil
                if companion.hasSuffix("-shm") || size == 0 { try? FileManager.default.removeItem(atPath: companion) }
            }
            throw error
        }
    }

    /// `PRAGMA quick_check`, the schema version and the applied migrations, read only.
    static func inspectDatabase(_ path: String) throws {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(30)
        do {
            let reader = try DatabaseQueue(path: path, configuration: configuration)
            defer { try? reader.close() }
            try reader.read { db in
                let check = try String.fetchAll(db, sql: "PRAGMA quick_check")
                guard check == ["ok"] else {
                    throw CatalogueError.corrupt(path: path, reason: "quick_check: \(check.first ?? "no answer")")
                }
                let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
                if version > CatalogueSchema.version {
                    throw CatalogueError.newerVersion(path: path, reason: "schema version \(version); this bbplan knows up to \(CatalogueSchema.version)")
                }
                let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
                if tables.isEmpty { return }
                guard tables.contains("grdb_migrations") else { throw CatalogueError.notACatalogue(path: path) }
                let migrator = CatalogueSchema.migrator
                let unknown = try migrator.appliedIdentifiers(db).subtracting(migrator.migrations).sorted()
                if !unknown.isEmpty {
                    throw CatalogueError.newerVersion(path: path, reason: "unknown migration \(unknown.joined(separator: ", "))")
                }
                if let problem = try CatalogueValues.firstProblem(db) {
                    throw CatalogueError.corrupt(path: path, reason: problem)
                }
            }
        } catch let error as DatabaseError where isLock(error) {
            throw CatalogueError.locked(path: path)
        } catch let error as DatabaseError {
            let reason = error.message ?? error.description
            switch error.resultCode {
            case .SQLITE_CORRUPT, .SQLITE_NOTADB, .SQLITE_FORMAT:
                throw CatalogueError.corrupt(path: path, reason: reason)
            case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_AUTH:
                throw CatalogueError.unusablePath(path: path, reason: "cannot open the run catalogue: \(reason)")
            default:
                throw CatalogueError.database(path: path, reason: "cannot check the run catalogue: \(reason)")
            }
        }
    }

    /// Records a run as started, replacing any earlier row for the same output folder (its
    /// inputs and authorities go with it). Returns the row with its id.
    public func beginRun(_ run: RunRecord) throws -> RunRecord {
        var row = run
        row.id = nil
        row.status = .running
        row.finishedAt = nil
        try write { db in
            try RunRecord.filter(RunRecord.Columns.safeName == run.safeName).deleteAll(db)
            try row.insert(db)
        }
        return row
    }

    /// Records a finished run's results, from its summary, in one transaction: the totals,
    /// every input and every authority, or nothing at all.
    public func finishRun(id: Int64, summary: RunSummary, finishedAt: Date) throws {
        try write { db in
            guard var row = try RunRecord.fetchOne(db, key: id) else {
                throw CatalogueError.unknownRun(id: id, reason: "not in the catalogue")
            }
            guard row.status == .running else {
                throw CatalogueError.unknownRun(id: id, reason: "is \(row.status.rawValue), not running")
            }
            row.status = .finished
            row.finishedAt = finishedAt
            row.setResults(summary)
            try row.update(db)
            for input in summary.inputs { try RunInputRecord(runID: id, input).insert(db) }
            for authority in summary.authorities { try RunAuthorityRecord(runID: id, authority).insert(db) }
        }
    }

    /// Records a run as failed with a one-line reason and the worker's exit code.
    public func failRun(id: Int64, error message: String, exitCode: Int?, finishedAt: Date) throws {
        try write { db in
            guard var row = try RunRecord.fetchOne(db, key: id) else {
                throw CatalogueError.unknownRun(id: id, reason: "not in the catalogue")
            }
            row.status = .failed
            row.error = message.isEmpty ? "failed" : message
            row.exitCode = exitCode
            row.finishedAt = finishedAt
            try row.update(db)
        }
    }

    /// Marks every run still 'running' as failed: called by a batch that holds the folder's
    /// lock, so those runs were stopped (killed) before they finished. Returns how many.
    @discardableResult
    public func markInterrupted(at date: Date) throws -> Int {
        try write { db in
            try RunRecord.filter(RunRecord.Columns.status == RunStatus.running)
                .updateAll(db, [
                    RunRecord.Columns.status.set(to: RunStatus.failed),
                    RunRecord.Columns.error.set(to: "interrupted: the batch stopped before this run finished"),
                    RunRecord.Columns.finishedAt.set(to: date),
                ])
        }
    }

    /// The run recorded for an output folder, if any.
    public func run(safeName: String) throws -> RunRecord? {
        try read { db in try RunRecord.filter(RunRecord.Columns.safeName == safeName).fetchOne(db) }
    }

    /// Every run, oldest first.
    public func runs() throws -> [RunRecord] {
        try read { db in try RunRecord.order(RunRecord.Columns.id).fetchAll(db) }
    }

    public func inputs(runID: Int64) throws -> [RunInputRecord] {
        try read { db in
            try RunInputRecord.filter(RunInputRecord.Columns.runID == runID).order(RunInputRecord.Columns.role).fetchAll(db)
        }
    }

    public func authorities(runID: Int64) throws -> [RunAuthorityRecord] {
        try read { db in
            try RunAuthorityRecord.filter(RunAuthorityRecord.Columns.runID == runID).order(RunAuthorityRecord.Columns.code).fetchAll(db)
        }
    }

    /// Closes the database (also done when the catalogue is released).
    public func close() throws {
        try queue.close()
    }

    /// One transaction; SQLite errors become catalogue errors naming the file: another
    /// process's lock held past the busy timeout is `locked`, a value that cannot be decoded
    /// is `corrupt` (in one short line, not the decoder's dump of the row).
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try queue.write(body)
        } catch {
            throw catalogueError(error)
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try queue.read(body)
        } catch {
            throw catalogueError(error)
        }
    }

    private func catalogueError(_ error: Error) -> Error {
        switch error {
        case is CatalogueError: return error
        case let error as DatabaseError where Self.isLock(error): return CatalogueError.locked(path: path)
        case let error as DatabaseError: return CatalogueError.database(path: path, reason: error.message ?? error.description)
        default:
            let first = String(describing: error).split(separator: "\n").first.map(String.init) ?? "unreadable value"
            return CatalogueError.corrupt(path: path, reason: "a row cannot be read: \(CatalogueValues.excerpt(String(first.prefix(80))))")
        }
    }

    static func isLock(_ error: DatabaseError) -> Bool {
        error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED
    }
}

extension RunCatalogue {
    /// Hex SHA-256 identifying a run's settings: the canonical JSON of the expanded scenario
    /// and the tool version, so a new bbplan version reruns rather than trusting old results.
    public static func scenarioHash(settingsJSON: String, toolVersion: String, digest: (Data) -> String) -> String {
        digest(Data((settingsJSON + "\n" + toolVersion).utf8))
    }
}
