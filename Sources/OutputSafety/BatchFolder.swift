import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A batch folder (`bbplan batch --out DIR`): the run catalogue, the report and one run
/// folder per variant. It carries bbplan's manifest (kind `batch`) listing the report it
/// wrote with its SHA-256; the folder itself is never replaced or deleted.
///
/// Before anything runs, a batch refuses: a folder that is neither empty nor a bbplan batch
/// folder; a `report.html` bbplan did not write (not the SHA-256 it recorded); a folder or
/// file named like a variant that is not a bbplan run folder (see `OutputFolder.contents`).
public enum BatchFolder {
    public static let reportName = "report.html"

    /// Checks `location` for a batch writing `runFolders`, repairs what killed runs left in
    /// it, creates it and its marker, and proves it writable. Everything that can be refused
    /// is refused before anything is created.
    ///
    /// - Parameters:
    ///   - digest: hex SHA-256 of a file (to recognise the report bbplan wrote).
    /// - Returns: notes for the user (results restored after a kill).
    public static func prepare(_ location: OutputLocation, runFolders: [String], toolVersion: String,
                               digest: (String) throws -> String) throws -> [String] {
        let folder = location.real
        switch FileSystem.kind(folder) {
        case .file, .other: throw OutputFailure(.refused, "\(location.display): is a file, not a folder")
        case .absent: break
        case .directory:
            if FileSystem.entries(folder)?.isEmpty != true {
                guard let manifest = manifest(folder) else { throw OutputFailure.foreignFiles(location.display) }
                try checkReport(location, manifest: manifest, digest: digest)
            }
        }
        var notes: [String] = []
        if FileSystem.kind(folder) == .directory {
            notes += OutputFolder.recoverInside(folder)
            for name in runFolders {
                let run = OutputLocation(display: location.display + "/" + name, real: folder + "/" + name)
                notes += OutputFolder.recover(run)
                switch OutputFolder.contents(of: run.real) {
                case .foreign: throw OutputFailure.foreignFiles(run.display)
                case .notAFolder: throw OutputFailure(.refused, "\(run.display): is a file bbplan did not write, named like a variant; move it or choose another --out")
                case .absent, .empty, .bbplan: break
                }
            }
        }
        let created = try OutputFolder.makeFolders(folder, display: location.display)
        do {
            if manifest(folder) == nil {
                let batch = Manifest(kind: .batch, runID: UUID(), version: toolVersion, state: .complete)
                try withScratch(folder, toolVersion: toolVersion) { scratch in
                    try batch.write(folder: folder, scratch: scratch)
                }
            } else {
                let probe = folder + "/.bbplan-probe-\(getpid())"
                defer { FileSystem.removeFileQuietly(probe) }
                try FileSystem.writeNew(Data("bbplan\n".utf8), to: probe)
            }
        } catch {
            for path in created.reversed() { FileSystem.removeEmptyDirectory(path) }
            throw error.failure(OutputLocation.folderLabel(location.display))
        }
        return notes
    }

    /// Replaces `file` (the report) in the batch folder with `data`, provided the one there is
    /// absent or the one bbplan recorded. The manifest lists the old and the new SHA-256
    /// while the new file is renamed in, so a kill at any moment leaves a report bbplan
    /// recognises as its own.
    public static func replace(_ file: String, with data: Data, in location: OutputLocation, toolVersion: String,
                               digest: (String) throws -> String) throws {
        let folder = location.real
        let target = folder + "/" + file
        var manifest = manifest(folder) ?? Manifest(kind: .batch, runID: UUID(), version: toolVersion, state: .complete)
        try checkReport(location, manifest: manifest, file: file, digest: digest)
        try withScratch(folder, toolVersion: toolVersion) { scratch in
            let staged = scratch + "/" + file
            do { try FileSystem.writeNew(data, to: staged) } catch { throw error.failure(location.display + "/" + file) }
            let entry = Manifest.Entry(path: file, bytes: Int64(data.count), sha256: try digest(staged))
            let others = manifest.files.filter { $0.path != file }
            manifest.files = others + manifest.files.filter { $0.path == file } + [entry]
            try manifest.write(folder: folder, scratch: scratch)
            try FileSystem.rename(staged, target)
            manifest.files = others + [entry]
            try manifest.write(folder: folder, scratch: scratch)
            try FileSystem.sync(folder)
        }
    }

    /// The folder's batch manifest, if it has one.
    static func manifest(_ folder: String) -> Manifest? {
        guard let manifest = Manifest.read(folder: folder), manifest.kind == .batch else { return nil }
        return manifest
    }

    /// Refuses a report bbplan did not write: one whose SHA-256 is not recorded.
    static func checkReport(_ location: OutputLocation, manifest: Manifest, file: String = reportName,
                            digest: (String) throws -> String) throws {
        let path = location.real + "/" + file
        switch FileSystem.kind(path) {
        case .absent: return
        case .file:
            let recorded = manifest.files.filter { $0.path == file }.map(\.sha256)
            if !recorded.isEmpty, let sha = try? digest(path), recorded.contains(sha) { return }
        case .directory, .other: break
        }
        throw OutputFailure(.refused, "\(location.display)/\(file): not written by bbplan (or changed since); move it aside or choose another --out")
    }

    /// Runs `body` with a temporary folder of bbplan's inside `folder` (marked, so a later
    /// batch removes it if this process is killed), removed afterwards.
    static func withScratch(_ folder: String, toolVersion: String, _ body: (String) throws -> Void) throws {
        let runID = UUID()
        let scratch = folder + "/" + Leftover.name(.staging, prefix: "", token: OutputFolder.token(runID))
        try FileSystem.makeDirectory(scratch)
        defer { FileSystem.removeTree(scratch) }
        try Manifest(kind: .batch, runID: runID, version: toolVersion, state: .writing).write(folder: scratch)
        try body(scratch)
    }
}
