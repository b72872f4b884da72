import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One entry of a content-addressed cache inside a folder bbplan owns (the batch's shared
/// baseline, docs/BATCH.md): a header line `bbplan-cache 1 <payload bytes> <payload SHA-256>`
/// and the payload. Written to a new temporary file (every write, the flush and the size
/// checked), renamed into place and the folder flushed, so a reader sees no entry or a whole
/// one; read back only when the length and the SHA-256 match.
public enum CacheEntryFile {
    public enum Read {
        case absent
        case valid(Data)
        /// Present but truncated, damaged or not an entry: never to be trusted.
        case corrupt
    }

    static let magic = "bbplan-cache 1"

    /// Writes `payload` as the entry at `path` (replacing an existing entry atomically).
    /// - Parameter digest: hex SHA-256 of bytes.
    public static func write(_ payload: Data, to path: String, digest: (Data) -> String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        let header = "\(magic) \(payload.count) \(digest(payload))\n"
        var data = Data(header.utf8)
        data.append(payload)
        let temporary = folder + "/.tmp-\(getpid())-\(UUID().uuidString.prefix(8))"
        do {
            try FileSystem.writeNew(data, to: temporary)
            try FileSystem.rename(temporary, path)
        } catch {
            FileSystem.removeFileQuietly(temporary)
            throw OutputFailure(.refused, "\(path): cannot write the cache entry: \(error)")
        }
        FileSystem.syncAfterRename(folder)
    }

    /// Reads and verifies the entry at `path`.
    public static func read(_ path: String, digest: (Data) -> String) -> Read {
        guard FileSystem.kind(path) != .absent else { return .absent }
        guard let data = FileManager.default.contents(atPath: path),
              let newline = data.firstIndex(of: 0x0A) else { return .corrupt }
        let fields = String(decoding: data[data.startIndex..<newline], as: UTF8.self).split(separator: " ")
        guard fields.count == 4, "\(fields[0]) \(fields[1])" == magic, let length = Int(fields[2]) else { return .corrupt }
        let payload = data[(newline + 1)...]
        guard payload.count == length, digest(Data(payload)) == fields[3] else { return .corrupt }
        return .valid(Data(payload))
    }

    /// Creates `folder` (one level) if absent.
    public static func makeFolder(_ folder: String) throws {
        guard FileSystem.kind(folder) != .directory else { return }
        do { try FileSystem.makeDirectory(folder) } catch {
            if FileSystem.kind(folder) == .directory { return }
            throw OutputFailure(.refused, "\(folder): cannot create the cache folder: \(error)")
        }
    }

    /// Removes temporary files a killed writer left in `folder` (call only while no writer
    /// can be running: the batch holds its folder's lock and has started no worker).
    public static func removeLeftovers(_ folder: String) {
        for name in FileSystem.entries(folder) ?? [] where name.hasPrefix(".tmp-") {
            FileSystem.removeFileQuietly(folder + "/" + name)
        }
    }
}
