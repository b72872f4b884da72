import Foundation

/// Why a run catalogue cannot be used. Every case but `database` is the user's file (bad
/// input): the catalogue is left exactly as it was.
public enum CatalogueError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file is not an SQLite database, or SQLite finds it damaged.
    case corrupt(path: String, reason: String)
    /// Written by a newer bbplan: a schema version or migrations this build does not know.
    case newerVersion(path: String, reason: String)
    /// An SQLite database, but not a bbplan run catalogue.
    case notACatalogue(path: String)
    /// The path is a folder, or (when not creating) no catalogue is there.
    case unusablePath(path: String, reason: String)
    /// A run to update is not in the catalogue, or not in the state the update needs.
    case unknownRun(id: Int64, reason: String)
    /// SQLite failed while reading or writing a sound catalogue.
    case database(path: String, reason: String)
    /// Another process held the catalogue's lock for longer than the busy timeout.
    case locked(path: String)

    public var description: String {
        switch self {
        case .corrupt(let path, let reason):
            return "\(path): the run catalogue is damaged (\(reason)); it was left untouched: move it aside to start a new catalogue"
        case .newerVersion(let path, let reason):
            return "\(path): the run catalogue was written by a newer bbplan (\(reason)); use that version or another --out folder"
        case .notACatalogue(let path):
            return "\(path): an SQLite database but not a bbplan run catalogue; it was left untouched"
        case .unusablePath(let path, let reason):
            return "\(path): \(reason)"
        case .unknownRun(let id, let reason):
            return "run \(id): \(reason)"
        case .database(let path, let reason):
            return "\(path): \(reason)"
        case .locked(let path):
            return "\(path): the run catalogue is locked by another process"
        }
    }

    /// Whether the user can fix it (exit 2) rather than a failure of a run (exit 1).
    public var isBadInput: Bool {
        switch self {
        case .corrupt, .newerVersion, .notACatalogue, .unusablePath: return true
        case .unknownRun, .database, .locked: return false
        }
    }
}
