import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The marker in every folder bbplan writes (`.bbplan-manifest.json`): which bbplan wrote it,
/// for which run, and every file it wrote with its size and SHA-256. A folder without one
/// (or with one that does not parse as bbplan's) holds the user's files, which bbplan never
/// deletes. See docs/RELIABILITY.md.
public struct Manifest: Codable, Sendable, Equatable {
    public static let fileName = ".bbplan-manifest.json"
    /// The `tool` value bbplan writes; a manifest naming another tool is not bbplan's.
    public static let toolName = "bbplan"
    /// The manifest format this build reads and writes.
    public static let formatVersion = 1
    /// A manifest larger than this is not one bbplan wrote (it lists a few dozen files).
    static let maxBytes = 1 << 20

    public enum Kind: String, Codable, Sendable {
        /// A run folder (`bbplan run`, `coverage`, a batch variant): replaced as a whole.
        case run
        /// A batch folder: holds the catalogue, the report and run folders; never replaced.
        case batch
    }

    public enum State: String, Codable, Sendable {
        /// A temporary folder being written: not results.
        case writing
        /// Everything listed is written and verified.
        case complete
    }

    /// One file bbplan wrote.
    public struct Entry: Codable, Sendable, Equatable {
        /// The file's name inside the folder (no folders, no `..`).
        public var path: String
        public var bytes: Int64
        /// Hex SHA-256 of the file's contents.
        public var sha256: String

        public init(path: String, bytes: Int64, sha256: String) {
            self.path = path
            self.bytes = bytes
            self.sha256 = sha256
        }
    }

    public var tool: String
    public var version: String
    public var format: Int
    public var kind: Kind
    /// The run (or batch) that wrote the folder, a UUID.
    public var runID: String
    public var state: State
    /// When it was written, ISO 8601 UTC.
    public var writtenAt: String
    public var files: [Entry]

    enum CodingKeys: String, CodingKey {
        case tool, version, format, kind, state, files
        case runID = "run_id", writtenAt = "written_at"
    }

    public init(kind: Kind, runID: UUID, version: String, state: State, files: [Entry] = [], at date: Date = Date()) {
        tool = Self.toolName
        self.version = version
        format = Self.formatVersion
        self.kind = kind
        self.runID = runID.uuidString.lowercased()
        self.state = state
        writtenAt = ISO8601DateFormatter().string(from: date)
        self.files = files
    }

    /// The manifest in `folder`, or nil when there is none or it is not one bbplan wrote (does
    /// not parse, another tool or format, or lists a name that is not a plain file name).
    public static func read(folder: String) -> Manifest? {
        let path = folder + "/" + fileName
        guard FileSystem.kind(path) == .file, let size = FileSystem.size(path), size <= maxBytes,
              let data = FileManager.default.contents(atPath: path),
              let manifest = try? JSONDecoder().decode(Manifest.self, from: data),
              manifest.tool == toolName, manifest.format == formatVersion,
              manifest.files.allSatisfy({ isPlainName($0.path) && $0.path != fileName })
        else { return nil }
        return manifest
    }

    /// Writes the manifest into `folder` atomically (a temporary file in `scratch`, by default
    /// the folder itself, flushed to disk, then renamed over the old one), so a kill leaves
    /// the old manifest or the new one.
    func write(folder: String, scratch: String? = nil) throws(SystemError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data: Data
        do { data = try encoder.encode(self) + Data("\n".utf8) } catch { throw SystemError(EINVAL, "encode the manifest") }
        let temporary = (scratch ?? folder) + "/" + Self.temporaryName(pid: getpid())
        FileSystem.removeFileQuietly(temporary)
        do {
            try FileSystem.writeNew(data, to: temporary)
            try FileSystem.rename(temporary, folder + "/" + Self.fileName)
        } catch {
            FileSystem.removeFileQuietly(temporary)
            throw error
        }
    }

    /// The temporary file process `pid` writes a manifest through.
    static func temporaryName(pid: Int32) -> String { ".bbplan-manifest-\(pid).tmp" }

    /// The names bbplan may delete from a folder carrying this manifest.
    public var names: Set<String> { Set(files.map(\.path)) }

    /// A single path component that names an entry in the folder itself.
    static func isPlainName(_ name: String) -> Bool {
        !name.isEmpty && name != "." && name != ".." && !name.contains("/") && !name.contains("\u{0}")
    }
}
