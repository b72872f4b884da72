import CGDAL
import Foundation

/// A source of bytes read chunk by chunk.
protocol ChunkReading: AnyObject {
    /// Reads up to `count` bytes to `pointer`; returns how many were read (0 at the end).
    /// (Not called `read(into:)`: `&array` would silently convert to the pointer.)
    func fill(_ pointer: UnsafeMutablePointer<UInt8>, count: Int) throws -> Int
    /// How many bytes the stream will give, when known (an estimate: see `ByteSource`).
    var expectedBytes: Int64? { get }
}

extension ChunkReading {
    /// Appends up to `count` bytes to `buffer`; returns how many were read (0 at the end).
    func read(into buffer: inout [UInt8], count: Int) throws -> Int {
        let start = buffer.count
        // An Array, not repeatElement: the generic append of a Repeated collection is not
        // specialised in debug builds and took 0.8 s per 4 MiB chunk there.
        buffer.append(contentsOf: [UInt8](repeating: 0, count: count))
        let got = try buffer.withUnsafeMutableBufferPointer { b in
            try fill(b.baseAddress! + start, count: count)
        }
        buffer.removeLast(count - got)
        return got
    }
}

/// Bytes already in memory, served in chunks.
final class MemoryChunks: ChunkReading {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var expectedBytes: Int64? { Int64(bytes.count) }

    func fill(_ pointer: UnsafeMutablePointer<UInt8>, count: Int) throws -> Int {
        let n = min(count, bytes.count - offset)
        bytes.withUnsafeBufferPointer { b in
            if n > 0 { pointer.update(from: b.baseAddress! + offset, count: n) }
        }
        offset += n
        return n
    }
}

/// Reads a file's bytes in chunks through GDAL's virtual file system, decompressing gzip
/// transparently (detected by its magic bytes, whatever the file is called).
final class ByteSource: ChunkReading {
    /// The name used in messages: the file's path, or `archive.zip/member` for a zip member.
    let path: String
    private let file: UnsafeMutablePointer<VSILFILE>
    /// Whether the file is gzip-compressed.
    let isGzip: Bool

    init(path: String) throws {
        GDAL.ensureReady()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw GeoIOError(path: path, "file not found")
        }
        guard !isDirectory.boolValue else { throw GeoIOError(path: path, "is a folder, not a file") }
        try Limits.checkSize(path)
        (file, isGzip) = try Self.open(virtualPath: path, name: path)
        self.path = path
        expectedBytes = Self.expectedSize(path: path, gzip: isGzip)
    }

    /// A member of a zip archive, read through GDAL's `/vsizip/` (a gzip-compressed member is
    /// decompressed too). The archive's size is checked against `Limits.maxFileBytes`.
    init(archive: String, member: String) throws {
        GDAL.ensureReady()
        let name = archive + "/" + member
        guard FileManager.default.fileExists(atPath: archive) else {
            throw GeoIOError(path: archive, "file not found")
        }
        try Limits.checkSize(archive)
        (file, isGzip) = try Self.open(virtualPath: ZipArchive.virtualPath(archive, member), name: name)
        self.path = name
        expectedBytes = nil
    }

    /// The bytes the stream will give: a plain file's size; for gzip the size its trailer
    /// states (ISIZE, the uncompressed size modulo 4 GiB: taken as is when it is at least the
    /// compressed size, so a stream over 4 GiB may be underestimated). Nil when unreadable.
    let expectedBytes: Int64?

    private static func expectedSize(path: String, gzip: Bool) -> Int64? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let size = (attributes[.size] as? NSNumber)?.int64Value else { return nil }
        guard gzip else { return size }
        guard size >= 18, let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard (try? handle.seek(toOffset: UInt64(size - 4))) != nil, let tail = try? handle.read(upToCount: 4), tail.count == 4 else {
            return nil
        }
        let isize = tail.reversed().reduce(Int64(0)) { $0 << 8 | Int64($1) }
        return isize >= size ? isize : nil
    }

    /// Opens a GDAL virtual path, and again through `/vsigzip/` when its first bytes are gzip's.
    private static func open(virtualPath: String, name: String) throws -> (UnsafeMutablePointer<VSILFILE>, Bool) {
        CPLErrorReset()
        guard let raw = VSIFOpenL(virtualPath, "rb") else {
            throw GeoIOError(path: name, "cannot open: \(GDAL.lastError("permission denied"))")
        }
        var magic = [UInt8](repeating: 0, count: 2)
        let n = VSIFReadL(&magic, 1, 2, raw)
        guard n == 2 && magic[0] == 0x1f && magic[1] == 0x8b else {
            VSIFSeekL(raw, 0, SEEK_SET)
            return (raw, false)
        }
        VSIFCloseL(raw)
        CPLErrorReset()
        guard let gz = VSIFOpenL("/vsigzip/" + virtualPath, "rb") else {
            throw GeoIOError(path: name, "cannot open gzip stream: \(GDAL.lastError())")
        }
        return (gz, true)
    }

    deinit { VSIFCloseL(file) }

    /// Reads up to `count` bytes to `pointer`; returns how many were read (0 at the end).
    /// - Throws: when the stream is corrupt or truncated (gzip data that ends early).
    func fill(_ pointer: UnsafeMutablePointer<UInt8>, count: Int) throws -> Int {
        CPLErrorReset()
        let got = VSIFReadL(pointer, 1, count, file)
        if got < count {
            if CPLGetLastErrorType() == CE_Failure {
                throw GeoIOError(path: path, isGzip ? "gzip data is corrupt or truncated" : "read error: \(GDAL.lastError())")
            }
            if isGzip && VSIFEofL(file) == 0 && got == 0 {
                throw GeoIOError(path: path, "gzip data is corrupt or truncated")
            }
        }
        return got
    }
}
