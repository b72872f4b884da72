import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The name of a folder bbplan sets up while replacing an output folder:
/// `.NAME.bbplan-tmp-PID-ID` / `.NAME.bbplan-old-PID-ID` next to it, or `.bbplan-tmp-PID-ID`
/// / `.bbplan-old-PID-ID` inside a mount point or a batch folder. PID is the process that
/// made it (still running: left alone); ID the first 8 hex digits of its run id.
struct Leftover: Equatable {
    enum Kind: String {
        /// A temporary folder being written (results of a run that did not finish).
        case staging = "bbplan-tmp-"
        /// Previous results set aside while the new ones are renamed in.
        case old = "bbplan-old-"
    }

    let kind: Kind
    let pid: Int32

    static func name(_ kind: Kind, prefix: String, token: String) -> String {
        "." + (prefix.isEmpty ? "" : prefix + ".") + kind.rawValue + token
    }

    /// The leftover an entry's name describes, for a folder named `prefix` ("" inside).
    static func parse(_ entry: String, prefix: String) -> Leftover? {
        let lead = "." + (prefix.isEmpty ? "" : prefix + ".")
        guard entry.hasPrefix(lead) else { return nil }
        let rest = entry.dropFirst(lead.count)
        for kind in [Kind.staging, .old] where rest.hasPrefix(kind.rawValue) {
            let token = rest.dropFirst(kind.rawValue.count).split(separator: "-", omittingEmptySubsequences: false)
            guard token.count == 2, let pid = Int32(token[0]), pid > 0, token[1].count == 8,
                  token[1].allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else { return nil }
            return Leftover(kind: kind, pid: pid)
        }
        return nil
    }
}

/// What an in-place swap (inside a mount point) is doing, written before the first file
/// moves, so a later run can undo a swap a kill interrupted.
struct Journal: Codable, Equatable {
    static let fileName = ".bbplan-journal.json"

    let pid: Int32
    /// The new results' run id: once the target's manifest carries it, the swap is done.
    let runID: String
    /// The temporary folder holding the new files (a name inside the target).
    let staging: String
    /// The folder the old files are moved into (a name inside the target).
    let old: String
    let newFiles: [String]
    /// The old files, their manifest last.
    let oldFiles: [String]

    enum CodingKeys: String, CodingKey {
        case pid, staging, old
        case runID = "run_id", newFiles = "new_files", oldFiles = "old_files"
    }

    static func read(folder: String) -> Journal? {
        let path = folder + "/" + fileName
        guard FileSystem.kind(path) == .file, (FileSystem.size(path) ?? .max) <= Manifest.maxBytes,
              let data = FileManager.default.contents(atPath: path),
              let journal = try? JSONDecoder().decode(Journal.self, from: data),
              ([journal.staging, journal.old] + journal.newFiles + journal.oldFiles).allSatisfy(Manifest.isPlainName)
        else { return nil }
        return journal
    }

    /// Writes the journal into `folder` atomically, through a temporary file in `scratch`.
    func write(folder: String, scratch: String) throws {
        let data = try JSONEncoder().encode(self)
        let temporary = scratch + "/.bbplan-journal.tmp"
        FileSystem.removeFileQuietly(temporary)
        try FileSystem.writeNew(data, to: temporary)
        try FileSystem.rename(temporary, folder + "/" + Self.fileName)
        try FileSystem.sync(folder)
    }

    /// Finishes or undoes the swap in `target`: finished when the target's manifest is the new
    /// one (then the old files are deleted), else every new file that moved goes back and every
    /// old file returns. Returns a note for the user.
    /// The journal stays (and the temporary folder with it) until every file is back, so a
    /// repair that fails half-way (a read-only remount) is taken up again by the next run.
    @discardableResult
    func recover(in target: String) -> String {
        let stagingPath = target + "/" + staging
        let oldPath = target + "/" + old
        if Manifest.read(folder: target)?.runID == runID {
            OutputFolder.removeListed(oldPath)
            finish(in: target)
            return "finished replacing the results in \(target) that a killed run had started"
        }
        var complete = true
        func move(_ from: String, _ to: String) {
            do { try FileSystem.rename(from, to) } catch { complete = false }
        }
        for file in newFiles where FileSystem.kind(target + "/" + file) == .file
            && FileSystem.kind(stagingPath + "/" + file) == .absent {
            move(target + "/" + file, stagingPath + "/" + file)
        }
        for file in oldFiles where FileSystem.kind(oldPath + "/" + file) == .file {
            move(oldPath + "/" + file, target + "/" + file)
        }
        guard complete else { return "could not yet restore the previous results in \(target); the next run tries again" }
        FileSystem.removeEmptyDirectory(oldPath)
        finish(in: target)
        return "restored the previous results in \(target) after a killed run"
    }

    /// Removes the temporary folder and the journal once the swap is settled.
    private func finish(in target: String) {
        FileSystem.removeTree(target + "/" + staging)
        FileSystem.removeFileQuietly(target + "/" + Self.fileName)
        FileSystem.syncAfterRename(target)
    }
}

extension OutputFolder {
    /// Puts an output folder back in order after a run was killed while replacing it
    /// (docs/RELIABILITY.md, "Recovery"). Only leftovers of processes that no longer exist,
    /// carrying bbplan's marker, are touched:
    ///
    /// - temporary folders (`bbplan-tmp`) are deleted: a killed run never publishes results;
    /// - when the folder itself is missing, the newest complete set-aside folder
    ///   (`bbplan-old`) is renamed back: a kill between the two renames loses nothing;
    /// - other set-aside folders lose the files their manifest lists (and go when empty);
    /// - inside a mount point, an interrupted swap is undone (or finished) by its journal.
    ///
    /// - Returns: notes for the user (results restored).
    @discardableResult
    public static func recover(_ location: OutputLocation) -> [String] {
        let target = location.real
        let parentFolder = parent(of: target)
        let folderName = lastComponent(target)
        var notes: [String] = []
        var setAside: [(path: String, manifest: Manifest)] = []
        for entry in FileSystem.entries(parentFolder) ?? [] {
            guard let leftover = Leftover.parse(entry, prefix: folderName), !FileSystem.processExists(leftover.pid) else { continue }
            let path = parentFolder + "/" + entry
            if leftover.kind == .staging, removeUnmarkedStaging(path, pid: leftover.pid) { continue }
            guard FileSystem.kind(path) == .directory, let manifest = Manifest.read(folder: path), manifest.kind == .run else { continue }
            switch leftover.kind {
            case .staging: FileSystem.removeTree(path)
            case .old: if manifest.state == .complete { setAside.append((path, manifest)) }
            }
        }
        if FileSystem.kind(target) == .absent,
           let newest = setAside.max(by: { $0.manifest.writtenAt < $1.manifest.writtenAt }) {
            do {
                try FileSystem.rename(newest.path, target)
                setAside.removeAll { $0.path == newest.path }
                FileSystem.syncAfterRename(parentFolder)
                notes.append("restored the previous results in \(location.display) after a killed run")
            } catch {
                // Kept as they are; the next run tries again.
                return ["could not yet restore the previous results in \(location.display): \(OutputFailure.cause(error.code))"]
            }
        }
        for old in setAside { removeListed(old.path) }
        if FileSystem.kind(target) == .directory {
            notes += recoverInside(target)
        }
        return notes
    }

    /// Recovery inside a folder (a mount point, or a batch folder): an interrupted in-place
    /// swap, then temporary and set-aside folders of processes that are gone.
    @discardableResult
    static func recoverInside(_ folder: String) -> [String] {
        var notes: [String] = []
        if let journal = Journal.read(folder: folder), !FileSystem.processExists(journal.pid) {
            notes.append(journal.recover(in: folder))
        }
        for entry in FileSystem.entries(folder) ?? [] {
            guard let leftover = Leftover.parse(entry, prefix: ""), !FileSystem.processExists(leftover.pid) else { continue }
            let path = folder + "/" + entry
            if leftover.kind == .staging, removeUnmarkedStaging(path, pid: leftover.pid) { continue }
            guard FileSystem.kind(path) == .directory, Manifest.read(folder: path) != nil else { continue }
            switch leftover.kind {
            case .staging: FileSystem.removeTree(path)
            case .old: removeListed(path)
            }
        }
        return notes
    }

    /// A run killed between creating its temporary folder and writing the manifest into it
    /// leaves a folder with bbplan's marker name and nothing in it but, at most, the dead
    /// process's own half-written manifest (`.bbplan-manifest-PID.tmp`). Such a folder holds
    /// nothing of the user's, so it is removed; anything else in it keeps it as it is.
    /// - Returns: whether the folder was removed.
    static func removeUnmarkedStaging(_ path: String, pid: Int32) -> Bool {
        guard FileSystem.kind(path) == .directory, let entries = FileSystem.entries(path) else { return false }
        let manifestTemporary = Manifest.temporaryName(pid: pid)
        guard entries.allSatisfy({ $0 == manifestTemporary }) else { return false }
        for entry in entries where FileSystem.kind(path + "/" + entry) == .file {
            FileSystem.removeFileQuietly(path + "/" + entry)
        }
        return FileSystem.removeEmptyDirectory(path)
    }
}
