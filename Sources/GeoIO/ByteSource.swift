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
///
/// Only what `InputFile.check` accepts is opened (a regular file, or an archive path over one),
/// and the bytes actually read are capped: `maxBytes` for a plain file (it may grow while it is
/// read), `maxUncompressedBytes` once decompressed (a small gzip can expand without bound).
final class ByteSource: ChunkReading {
    /// The name used in messages: the path, or `archive.zip/member` for a zip member.
    let path: String
    private let file: UnsafeMutablePointer<VSILFILE>
    /// Whether the file is gzip-compressed.
    let isGzip: Bool
    /// Whether the bytes delivered are decompressed (gzip, or read from an archive).
    private let decompresses: Bool
    /// The most bytes `read` delivers before it throws.
    private let limit: Int64
    private var delivered: Int64 = 0
    /// The bytes the stream will give: a plain file's size; for gzip the size its trailer
    /// states (ISIZE, the uncompressed size modulo 4 GiB: taken as is when it is at least the
    /// compressed size, so a stream over 4 GiB may be underestimated); nil for archive members
    /// and when unreadable. Used only to reserve memory.
    let expectedBytes: Int64?

    /// - Parameters:
    ///   - path: a file, or a GDAL archive path (`/vsizip/{archive.zip}/member.csv`).
    ///   - name: how messages name it, when not `path` (`archive.zip/member.csv`).
    init(path: String, name: String? = nil, maxBytes: Int64 = Limits.maxFileBytes,
         maxUncompressedBytes: Int64 = Limits.maxUncompressedBytes) throws {
        GDAL.ensureReady()
        let shown = name ?? path
        self.path = shown
        let kind: InputFile.Kind
        do {
            kind = try InputFile.check(path)
        } catch let error as GeoIOError where name != nil {
            throw GeoIOError(path: shown, location: error.location, error.message)
        }
        guard kind != .folder else { throw GeoIOError(path: shown, "is a folder, not a file") }
        CPLErrorReset()
        guard let raw = VSIFOpenL(path, "rb") else {
            throw GeoIOError(path: shown, "cannot open: \(GDAL.lastError("permission denied"))")
        }
        var magic = [UInt8](repeating: 0, count: 2)
        let n = VSIFReadL(&magic, 1, 2, raw)
        isGzip = n == 2 && magic[0] == 0x1f && magic[1] == 0x8b
        if isGzip {
            VSIFCloseL(raw)
            CPLErrorReset()
            guard let gz = VSIFOpenL("/vsigzip/" + path, "rb") else {
                throw GeoIOError(path: shown, "cannot open gzip stream: \(GDAL.lastError())")
            }
            file = gz
        } else {
            VSIFSeekL(raw, 0, SEEK_SET)
            file = raw
        }
        decompresses = isGzip || kind != .file
        limit = decompresses ? maxUncompressedBytes : maxBytes
        expectedBytes = kind == .file ? Self.expectedSize(path: path, gzip: isGzip) : nil
    }

    /// A member of a zip archive, read through GDAL's `/vsizip/` (a gzip-compressed member is
    /// decompressed too); messages name it `archive.zip/member`.
    convenience init(archive: String, member: String) throws {
        try self.init(path: ZipArchive.virtualPath(archive, member), name: archive + "/" + member)
    }

    deinit { VSIFCloseL(file) }

    /// Reads up to `count` bytes to `pointer`; returns how many were read (0 at the end).
    /// - Throws: when the stream is corrupt or truncated (gzip data that ends early), or more
    ///   than the limit has been read.
    func fill(_ pointer: UnsafeMutablePointer<UInt8>, count: Int) throws -> Int {
        CPLErrorReset()
        let got = VSIFReadL(pointer, 1, count, file)
        delivered += Int64(got)
        if delivered > limit {
            throw GeoIOError(path: path, "more than \(Limits.describe(bytes: limit))\(decompresses ? " once decompressed" : " read"); inputs are limited to that (see docs/RELIABILITY.md)")
        }
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
}
