import Foundation
import Locking
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One run's output folder, written as a transaction: checked and prepared before any work
/// (`begin`), written into a temporary folder, verified, then put in place (`commit`), so the
/// previous complete results survive any failure and are replaced only when the new ones are
/// complete. bbplan replaces a folder only when it is absent, empty, or carries bbplan's
/// manifest and nothing besides the files it lists; it deletes only files a manifest of its
/// own lists, and its own temporary folders (docs/RELIABILITY.md).
///
/// Normally the temporary folder is a sibling (`.NAME.bbplan-tmp-PID-ID`) renamed into place,
/// the old folder first renamed aside (`.NAME.bbplan-old-PID-ID`) and deleted after. A
/// folder that is a mount point cannot be renamed: then the temporary folder is inside it and
/// the files are swapped one by one under a journal (`.bbplan-journal.json`).
public final class OutputFolder {
    public let location: OutputLocation
    /// The run that writes the folder (recorded in the manifest).
    public let runID: UUID
    public let toolVersion: String
    /// Where files are written until `commit` puts them in place.
    public let staging: String
    /// The folder is a mount point: files are swapped inside it, the folder is never renamed.
    public let inPlace: Bool

    private var sizes: [String: Int64] = [:]
    private var reserved: Set<String> = []
    private var finished = false
    private let createdFolders: [String]

    var target: String { location.real }
    var parent: String { Self.parent(of: location.real) }
    var name: String { Self.lastComponent(location.real) }
    var token: String { Self.token(runID) }

    private init(location: OutputLocation, runID: UUID, toolVersion: String, staging: String, inPlace: Bool,
                 createdFolders: [String]) {
        self.location = location
        self.runID = runID
        self.toolVersion = toolVersion
        self.staging = staging
        self.inPlace = inPlace
        self.createdFolders = createdFolders
    }

    deinit { abandon() }

    // MARK: - Before any work

    /// Prepares `location` for a run: creates its parent folders, repairs what a killed run
    /// left (`recover`), refuses a folder holding anything bbplan did not write, and creates
    /// the temporary folder with its marker, which also proves the folder writable. Call it
    /// before the computation, so a refusal or an unwritable folder costs nothing.
    ///
    /// - Returns: the open folder, and notes for the user (results restored after a kill).
    public static func begin(_ location: OutputLocation, toolVersion: String) throws -> (OutputFolder, notes: [String]) {
        let target = location.real
        switch FileSystem.kind(target) {
        case .file, .other: throw OutputFailure(.refused, "\(location.display): is a file, not a folder")
        case .absent, .directory: break
        }
        let created = try makeFolders(parent(of: target), display: location.display)
        let notes = recover(location)
        switch contents(of: target) {
        case .foreign: throw OutputFailure.foreignFiles(location.display)
        case .notAFolder: throw OutputFailure(.refused, "\(location.display): is a file, not a folder")
        case .absent, .empty, .bbplan: break
        }
        let inPlace = FileSystem.kind(target) == .directory && FileSystem.isMountPoint(target)
        let runID = UUID()
        let staging = inPlace
            ? target + "/" + Leftover.name(.staging, prefix: "", token: token(runID))
            : parent(of: target) + "/" + Leftover.name(.staging, prefix: lastComponent(target), token: token(runID))
        do {
            try FileSystem.makeDirectory(staging)
            try Manifest(kind: .run, runID: runID, version: toolVersion, state: .writing).write(folder: staging)
        } catch {
            FileSystem.removeTree(staging)
            for folder in created.reversed() { FileSystem.removeEmptyDirectory(folder) }
            throw error.failure(OutputLocation.folderLabel(location.display))
        }
        return (OutputFolder(location: location, runID: runID, toolVersion: toolVersion, staging: staging,
                             inPlace: inPlace, createdFolders: created), notes)
    }

    /// The checks `begin` makes, without writing anything (for `bbplan validate`): the folder
    /// and every existing folder above it are folders, not files; the folder holds nothing
    /// bbplan did not write; and the folder bbplan would create things in (the nearest
    /// existing one) accepts writes. `access(W_OK)` reports a read-only file system even to
    /// root, and a folder without write permission to anyone else.
    public static func checkWritable(_ location: OutputLocation) throws {
        let target = location.real
        switch FileSystem.kind(target) {
        case .file, .other: throw OutputFailure(.refused, "\(location.display): is a file, not a folder")
        case .absent, .directory: break
        }
        if contents(of: target) == .foreign { throw OutputFailure.foreignFiles(location.display) }
        // The folder that receives the new entries: the parent of the folder (bbplan writes a
        // sibling and renames it), or the first folder above it that exists; a mount point
        // is written inside.
        var current = FileSystem.kind(target) == .directory && FileSystem.isMountPoint(target) ? target : parent(of: target)
        while FileSystem.kind(current) == .absent && current != "/" { current = parent(of: current) }
        if FileSystem.kind(current) != .directory {
            throw OutputFailure(.refused, "\(location.display): \(current) is a file, not a folder")
        }
        if access(current, W_OK) != 0 {
            let code = errno
            throw OutputFailure.system(OutputLocation.folderLabel(location.display), code)
        }
    }

    /// Creates `folder` and its missing parents; returns the ones it created, outermost first.
    static func makeFolders(_ folder: String, display: String) throws -> [String] {
        var missing: [String] = []
        var current = folder
        while FileSystem.kind(current) == .absent && current != "/" {
            missing.append(current)
            current = parent(of: current)
        }
        if FileSystem.kind(current) != .directory {
            throw OutputFailure(.refused, "\(display): \(current) is a file, not a folder")
        }
        var created: [String] = []
        for path in missing.reversed() {
            do {
                try FileSystem.makeDirectory(path)
            } catch where error.code == EEXIST && FileSystem.kind(path) == .directory {
                // Another process made it in the meantime (the tasks of a job array writing
                // into sibling folders of one new parent): it is there, and not ours to remove.
                continue
            } catch {
                for folder in created.reversed() { FileSystem.removeEmptyDirectory(folder) }
                throw error.failure(OutputLocation.folderLabel(path))
            }
            created.append(path)
        }
        return created
    }

    /// What a folder holds, as far as replacing it goes.
    public enum Contents: Equatable {
        case absent
        case notAFolder
        case empty
        /// bbplan's complete run folder: its manifest, the files it lists and nothing else.
        case bbplan(Manifest)
        /// Anything else: files bbplan did not write, or an old-format folder without a manifest.
        case foreign
    }

    /// Classifies a run folder (after `recover`). bbplan's own temporary folders and journal
    /// inside a mount point, from a run still going on, do not count.
    public static func contents(of folder: String) -> Contents {
        switch FileSystem.kind(folder) {
        case .absent: return .absent
        case .file, .other: return .notAFolder
        case .directory: break
        }
        guard let all = FileSystem.entries(folder) else { return .foreign }
        let entries = all.filter { !isOwnEntry($0, in: folder) }
        if entries.isEmpty { return .empty }
        guard let manifest = Manifest.read(folder: folder), manifest.kind == .run, manifest.state == .complete else {
            return .foreign
        }
        let listed = manifest.names
        for entry in entries where entry != Manifest.fileName {
            guard listed.contains(entry), FileSystem.kind(folder + "/" + entry) == .file else { return .foreign }
        }
        return .bbplan(manifest)
    }

    /// A temporary or set-aside folder or a journal of bbplan's inside a mount point.
    static func isOwnEntry(_ entry: String, in folder: String) -> Bool {
        if entry == Journal.fileName { return Journal.read(folder: folder) != nil }
        guard Leftover.parse(entry, prefix: "") != nil else { return false }
        return Manifest.read(folder: folder + "/" + entry) != nil
    }

    // MARK: - Writing

    /// Writes a file into the temporary folder, checking every write, the flush and the close.
    public func write(_ data: Data, to file: String) throws {
        precondition(Manifest.isPlainName(file) && file != Manifest.fileName, "not a plain file name: \(file)")
        do {
            try FileSystem.writeNew(data, to: path(file))
        } catch {
            throw error.failure(finalPath(file))
        }
        sizes[file] = Int64(data.count)
    }

    /// The path where another library (GDAL) writes `file`; it becomes part of the results,
    /// checked by the caller's `verify` in `commit`.
    public func reserve(_ file: String) -> String {
        precondition(Manifest.isPlainName(file) && file != Manifest.fileName, "not a plain file name: \(file)")
        reserved.insert(file)
        return path(file)
    }

    func path(_ file: String) -> String { staging + "/" + file }

    /// Where `file` will be once the results are in place (for messages).
    public func finalPath(_ file: String) -> String {
        OutputLocation.folderLabel(location.display) + file
    }

    /// An error from writing into the temporary folder, as the user should see it: naming the
    /// final path, and the environment's cause when that is the reason (disk full, read-only,
    /// file size limit) even when the library that failed (GDAL, SQLite) did not say so.
    public func failure(_ error: Error) -> OutputFailure {
        if let failure = error as? OutputFailure, failure.kind != .failed { return failure }
        let text = String(describing: error)
        let file = (Array(sizes.keys) + reserved.sorted()).first { text.contains(path($0)) }
        if let code = FileSystem.diagnose(folder: staging, file: file.map(path)) {
            return OutputFailure.system(file.map(finalPath) ?? OutputLocation.folderLabel(location.display), code)
        }
        if text.contains("disk is full") || text.contains("No space left") {
            return OutputFailure.system(file.map(finalPath) ?? OutputLocation.folderLabel(location.display), ENOSPC)
        }
        return OutputFailure(.failed, text.replacingOccurrences(of: staging, with: location.display))
    }

    // MARK: - Putting the results in place

    /// Verifies what was written and puts it in place: every file's size on disk is what was
    /// written, `verify` (the caller's check: files parse back, layers reopen with the
    /// expected feature counts) passes, every file is flushed to disk and listed in the
    /// manifest with its size and SHA-256; then the folder (or, for a mount point, each file)
    /// is swapped in. The previous results stay until the new ones are in place.
    ///
    /// - Parameters:
    ///   - verify: called with the temporary folder; throws when something is wrong.
    ///   - digest: hex SHA-256 of a file.
    /// - Returns: notes for the user (an old folder kept because it held foreign files).
    @discardableResult
    public func commit(verify: (String) throws -> Void, digest: @escaping @Sendable (String) throws -> String) throws -> [String] {
        precondition(!finished, "commit after commit or abandon")
        do {
            try seal(verify: verify, digest: digest)
        } catch {
            let failure = self.failure(error)
            abandon()
            throw failure
        }
        // The folder was checked in `begin`; the user may have saved a file into it since.
        switch Self.contents(of: target) {
        case .foreign:
            abandon()
            throw OutputFailure.foreignFiles(location.display)
        case .notAFolder:
            abandon()
            throw OutputFailure(.refused, "\(location.display): is a file, not a folder")
        case .absent, .empty, .bbplan: break
        }
        do {
            let notes = try inPlace ? swapInside(staging) : swapFolder()
            finished = true
            return notes
        } catch {
            abandon()
            throw error
        }
    }

    /// Checks sizes, runs `verify` (while other threads hash the files), drops side files the
    /// libraries left, flushes every file and writes the complete manifest.
    private func seal(verify: (String) throws -> Void, digest: @escaping @Sendable (String) throws -> String) throws {
        for (file, bytes) in sizes {
            let found = FileSystem.size(path(file))
            guard found == bytes else {
                throw OutputFailure(.failed, "\(finalPath(file)): \(bytes) bytes were written but \(found.map(String.init) ?? "none") are on disk")
            }
        }
        for file in reserved where FileSystem.kind(path(file)) != .file {
            throw OutputFailure(.failed, "\(finalPath(file)): was not written")
        }
        let files = Set(sizes.keys).union(reserved)
        // SHA-256 of the files on other threads while the verification reopens them.
        let digests = BackgroundResults(keys: files.map(path), work: digest)
        try verify(staging)
        // A journal or lock file a library left behind is not a result.
        for entry in FileSystem.entries(staging) ?? [] where entry != Manifest.fileName && !files.contains(entry) {
            FileSystem.removeTree(path(entry))
        }
        var entries: [Manifest.Entry] = []
        for file in files.sorted() {
            do { try FileSystem.sync(path(file)) } catch { throw error.failure(finalPath(file)) }
            guard let sha256 = try digests.value(for: path(file)) else { throw OutputFailure(.failed, "\(path(file)): not hashed") }
            entries.append(Manifest.Entry(path: file, bytes: FileSystem.size(path(file)) ?? 0, sha256: sha256))
        }
        do {
            try Manifest(kind: .run, runID: runID, version: toolVersion, state: .complete, files: entries).write(folder: staging)
            try FileSystem.sync(staging)
        } catch {
            throw error.failure(finalPath(Manifest.fileName))
        }
    }

    /// Renames the temporary folder into place, the old folder aside first (deleted after).
    private func swapFolder() throws -> [String] {
        let display = OutputLocation.folderLabel(location.display)
        if FileSystem.kind(target) == .directory {
            if FileSystem.isMountPoint(target) { return try copyInsideAndSwap() }
            // An empty folder (bbplan's manifest absent) is simply removed: rmdir removes
            // nothing but an empty folder.
            if FileSystem.entries(target)?.isEmpty == true && FileSystem.removeEmptyDirectory(target) {
                do { try FileSystem.rename(staging, target) } catch { throw error.failure(display) }
                FileSystem.syncAfterRename(parent)
                return []
            }
            let old = parent + "/" + Leftover.name(.old, prefix: name, token: token)
            do {
                try FileSystem.rename(target, old)
            } catch where error.code == EBUSY || error.code == EXDEV {
                return try copyInsideAndSwap()
            } catch {
                throw error.failure(display)
            }
            TestHook.reached("between-renames")
            do {
                try FileSystem.rename(staging, target)
            } catch {
                let failure = error.failure(display)
                // Put the previous results back; if even that fails, the next run's recovery
                // does (the folder is missing and they are complete).
                do { try FileSystem.rename(old, target) } catch {
                    throw OutputFailure(failure.kind, failure.description + "; the previous results are in \(old) until the next run puts them back")
                }
                throw failure
            }
            FileSystem.syncAfterRename(parent)
            return Self.removeListed(old) ? [] : ["kept \(old): it holds files bbplan did not write"]
        }
        do { try FileSystem.rename(staging, target) } catch { throw error.failure(display) }
        FileSystem.syncAfterRename(parent)
        return []
    }

    /// For a folder found to be a mount point only when renaming it: copies the results into
    /// a temporary folder inside it, then swaps the files there.
    private func copyInsideAndSwap() throws -> [String] {
        let inside = target + "/" + Leftover.name(.staging, prefix: "", token: token)
        do {
            try FileSystem.makeDirectory(inside)
            try Manifest(kind: .run, runID: runID, version: toolVersion, state: .writing).write(folder: inside)
            for file in Set(sizes.keys).union(reserved) {
                try FileSystem.copy(path(file), to: inside + "/" + file)
            }
            try FileSystem.rename(path(Manifest.fileName), inside + "/" + Manifest.fileName)
            try FileSystem.sync(inside)
        } catch {
            FileSystem.removeTree(inside)
            throw self.failure(error)
        }
        FileSystem.removeTree(staging)
        return try swapInside(inside)
    }

    /// Swaps the files of `source` (a temporary folder inside the target) into the target
    /// under a journal: old files aside into `.bbplan-old-*`, new files in, the new manifest
    /// last. A kill at any point is undone by `recover` (the journal says what moved).
    private func swapInside(_ source: String) throws -> [String] {
        let display = OutputLocation.folderLabel(location.display)
        let oldManifest = Manifest.read(folder: target)
        let oldFolder = target + "/" + Leftover.name(.old, prefix: "", token: token)
        let newFiles = Set(sizes.keys).union(reserved).sorted()
        let journal = Journal(pid: getpid(), runID: runID.uuidString.lowercased(), staging: Self.lastComponent(source),
                              old: Self.lastComponent(oldFolder), newFiles: newFiles,
                              oldFiles: (oldManifest?.files.map(\.path) ?? []) + (oldManifest == nil ? [] : [Manifest.fileName]))
        do {
            try journal.write(folder: target, scratch: source)
            if !journal.oldFiles.isEmpty { try FileSystem.makeDirectory(oldFolder) }
            for file in journal.oldFiles where FileSystem.kind(target + "/" + file) == .file {
                try FileSystem.rename(target + "/" + file, oldFolder + "/" + file)
            }
            for (i, file) in newFiles.enumerated() {
                if i == newFiles.count / 2 { TestHook.reached("mid-swap") }
                try FileSystem.rename(source + "/" + file, target + "/" + file)
            }
            try FileSystem.rename(source + "/" + Manifest.fileName, target + "/" + Manifest.fileName)
            try FileSystem.sync(target)
        } catch {
            // Put the old files back; the journal makes this repeatable if it fails too.
            journal.recover(in: target)
            throw error.failure(display)
        }
        FileSystem.removeFileQuietly(target + "/" + Journal.fileName)
        FileSystem.syncAfterRename(target)
        FileSystem.removeTree(source)
        if journal.oldFiles.isEmpty || Self.removeListed(oldFolder) { return [] }
        return ["kept \(oldFolder): it holds files bbplan did not write"]
    }

    /// Removes the temporary folder (a failed run), and parent folders `begin` created if
    /// they are empty again.
    public func abandon() {
        guard !finished else { return }
        finished = true
        FileSystem.removeTree(staging)
        for folder in createdFolders.reversed() { FileSystem.removeEmptyDirectory(folder) }
    }

    // MARK: - Names

    static func token(_ runID: UUID) -> String {
        "\(getpid())-" + runID.uuidString.lowercased().prefix(8)
    }

    static func parent(of path: String) -> String {
        let p = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return p.isEmpty ? "/" : p
    }

    static func lastComponent(_ path: String) -> String {
        URL(fileURLWithPath: path).lastPathComponent
    }

    /// Deletes the files a folder's manifest lists and the manifest, then the folder if that
    /// left it empty. Returns whether the folder is gone.
    @discardableResult
    static func removeListed(_ folder: String) -> Bool {
        guard let manifest = Manifest.read(folder: folder) else { return false }
        for entry in manifest.files where FileSystem.kind(folder + "/" + entry.path) == .file {
            FileSystem.removeFileQuietly(folder + "/" + entry.path)
        }
        FileSystem.removeFileQuietly(folder + "/" + Manifest.fileName)
        return FileSystem.removeEmptyDirectory(folder)
    }
}

extension Error {
    /// A system error on `path` as the user sees it; other errors as they are.
    func failure(_ path: String) -> OutputFailure {
        if let system = self as? SystemError { return system.failure(path) }
        if let failure = self as? OutputFailure { return failure }
        return OutputFailure(.failed, "\(path): \(self)")
    }
}

/// Test hook: `BBPLAN_TEST_KILL_AT=<point>` makes bbplan kill itself (SIGKILL) at that point
/// of replacing an output folder, so the tests can check what a kill there leaves
/// (`between-renames`, `mid-swap`). Documented in docs/RELIABILITY.md; never set it otherwise.
enum TestHook {
    static func reached(_ point: String) {
        if ProcessInfo.processInfo.environment["BBPLAN_TEST_KILL_AT"] == point {
            kill(getpid(), SIGKILL)
        }
    }
}
