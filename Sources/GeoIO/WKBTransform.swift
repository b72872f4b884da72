import Projection

/// Finds and rewrites the coordinates of a little- or big-endian ISO WKB buffer in place, so
/// a whole geometry is reprojected with one bulk PROJ call and no intermediate objects.
enum WKBCoordinates {
    struct Malformed: Error {}

    /// An ISO WKB type code split into the geometry type (1 point ... 7 collection) and the
    /// number of ordinates per coordinate (Z and M codes add 1000, 2000, 3000).
    static func typeAndDimensions(_ code: UInt32) throws(Malformed) -> (type: UInt32, dimensions: Int) {
        switch code / 1000 {
        case 0: return (code % 1000, 2)
        case 1, 2: return (code % 1000, 3)
        case 3: return (code % 1000, 4)
        default: throw Malformed()
        }
    }

    /// Calls `body(x, y)` for every coordinate, letting it replace them.
    static func rewrite(_ bytes: inout [UInt8], _ body: (inout Double, inout Double) -> Void) throws {
        var offsets: [Int] = []
        var littleEndian = true
        try collect(bytes, at: 0, &offsets, &littleEndian)
        bytes.withUnsafeMutableBytes { raw in
            for o in offsets {
                var x = read(raw, o, littleEndian), y = read(raw, o + 8, littleEndian)
                body(&x, &y)
                write(raw, o, x, littleEndian)
                write(raw, o + 8, y, littleEndian)
            }
        }
    }

    /// Every (x, y) in order.
    static func coordinates(_ bytes: [UInt8]) throws -> [(Double, Double)] {
        var offsets: [Int] = []
        var littleEndian = true
        try collect(bytes, at: 0, &offsets, &littleEndian)
        return bytes.withUnsafeBytes { raw in offsets.map { (read(raw, $0, littleEndian), read(raw, $0 + 8, littleEndian)) } }
    }

    /// Reprojects every coordinate with a bulk transform. Returns false if any point failed.
    static func transform(_ bytes: inout [UInt8], with transform: CoordinateTransform) throws -> Bool {
        var xs: [Double] = [], ys: [Double] = []
        try rewrite(&bytes) { x, y in xs.append(x); ys.append(y) }
        let failed = transform.transform(xs: &xs, ys: &ys)
        var i = 0
        try rewrite(&bytes) { x, y in
            x = xs[i]
            y = ys[i]
            i += 1
        }
        return failed.isEmpty
    }

    @discardableResult
    private static func collect(_ b: [UInt8], at start: Int, _ out: inout [Int], _ le: inout Bool) throws -> Int {
        var p = start
        guard p + 5 <= b.count else { throw Malformed() }
        le = b[p] == 1
        p += 1
        let rawType = readUInt32(b, p, le)
        p += 4
        let (base, dims) = try typeAndDimensions(rawType)
        func points(_ n: Int) throws {
            guard n >= 0, p + n * dims * 8 <= b.count else { throw Malformed() }
            for i in 0..<n { out.append(p + i * dims * 8) }
            p += n * dims * 8
        }
        func count() throws -> Int {
            guard p + 4 <= b.count else { throw Malformed() }
            let n = Int(readUInt32(b, p, le))
            p += 4
            return n
        }
        switch base {
        case 1: try points(1)
        case 2: try points(count())
        case 3:
            for _ in 0..<(try count()) { try points(count()) }
        case 4, 5, 6, 7:
            for _ in 0..<(try count()) { p = try collect(b, at: p, &out, &le) }
        default: throw Malformed()
        }
        return p
    }

    private static func readUInt32(_ b: [UInt8], _ p: Int, _ le: Bool) -> UInt32 {
        let v = UInt32(b[p]) | UInt32(b[p + 1]) << 8 | UInt32(b[p + 2]) << 16 | UInt32(b[p + 3]) << 24
        return le ? v : v.byteSwapped
    }

    private static func read(_ raw: UnsafeRawBufferPointer, _ o: Int, _ le: Bool) -> Double {
        let bits = raw.loadUnaligned(fromByteOffset: o, as: UInt64.self)
        return Double(bitPattern: le ? UInt64(littleEndian: bits) : UInt64(bigEndian: bits))
    }

    private static func read(_ raw: UnsafeMutableRawBufferPointer, _ o: Int, _ le: Bool) -> Double {
        read(UnsafeRawBufferPointer(raw), o, le)
    }

    private static func write(_ raw: UnsafeMutableRawBufferPointer, _ o: Int, _ v: Double, _ le: Bool) {
        let bits = le ? v.bitPattern.littleEndian : v.bitPattern.bigEndian
        raw.storeBytes(of: bits, toByteOffset: o, as: UInt64.self)
    }
}
