import Foundation

/// RFC 7946 GeoJSON text of one feature, written by bbplan itself: GDAL's GeoJSON writer
/// (json-c objects, a formatted double per coordinate) took most of the GeoJSON writing time
/// once the snapping was cheap, and ran on one thread per file; these bytes are made on the
/// writer's threads, feature by feature.
///
/// Coordinates are WGS 84 longitude, latitude with at most 7 decimals (trailing zeros
/// dropped, never "-0"); polygon exteriors counter-clockwise and holes clockwise (RFC 7946
/// §3.1.6); a MultiPolygon or MultiLineString of one part is written as a Polygon or
/// LineString, as GDAL's writer did. Properties: integers as integers, reals in Swift's
/// shortest round-trip form (non-finite ones as null), strings JSON-escaped, nulls as null.
enum GeoJSONText {
    struct Malformed: Error {}

    /// The geometry kinds a layer's features are written as (the layer's declared type):
    /// polygons and lines as their multi types, with one-part multis written as single parts.
    enum LayerKind: Sendable {
        case polygonal, linear, other
    }

    /// `{"type": "Feature", "properties": {...}, "geometry": ...}` (no trailing separator).
    static func feature(
        wkb: [UInt8]?, point: (x: Double, y: Double)? = nil, kind: LayerKind, fields: [String], values: [AttributeValue], into out: inout [UInt8]
    ) throws {
        out.append(contentsOf: Array(#"{"type": "Feature", "properties": {"#.utf8))
        for (i, name) in fields.enumerated() {
            if i > 0 { out.append(contentsOf: [0x2C, 0x20]) }
            string(name, into: &out)
            out.append(contentsOf: [0x3A, 0x20])
            switch i < values.count ? values[i] : .null {
            case .null: out.append(contentsOf: Array("null".utf8))
            case .integer(let v): out.append(contentsOf: Array(String(v).utf8))
            case .real(let v): out.append(contentsOf: Array((v.isFinite ? "\(v)" : "null").utf8))
            case .string(let s): string(s, into: &out)
            }
        }
        out.append(contentsOf: Array(#"}, "geometry": "#.utf8))
        if let point {
            out.append(contentsOf: Array(#"{"type": "Point", "coordinates": "#.utf8))
            coordinate(point.x, point.y, into: &out)
            out.append(0x7D)
        } else if let wkb {
            try geometry(wkb, kind: kind, into: &out)
        } else {
            out.append(contentsOf: Array("null".utf8))
        }
        out.append(0x7D)
    }

    /// A JSON string: `"` and `\` escaped, control characters as `\n`, `\t`, ... or `\u00XX`.
    static func string(_ s: String, into out: inout [UInt8]) {
        out.append(0x22)
        for byte in s.utf8 {
            switch byte {
            case 0x22: out.append(contentsOf: [0x5C, 0x22])
            case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, 0x6E])
            case 0x0D: out.append(contentsOf: [0x5C, 0x72])
            case 0x09: out.append(contentsOf: [0x5C, 0x74])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 15)]])
            default: out.append(byte)
            }
        }
        out.append(0x22)
    }

    /// One coordinate, `[x, y]`, each to 7 decimals.
    static func coordinate(_ x: Double, _ y: Double, into out: inout [UInt8]) {
        out.append(0x5B)
        number(x, into: &out)
        out.append(contentsOf: [0x2C, 0x20])
        number(y, into: &out)
        out.append(0x5D)
    }

    /// A coordinate value to 7 decimals, trailing zeros dropped.
    static func number(_ v: Double, into out: inout [UInt8]) {
        let scaled = (v * 1e7).rounded()
        guard scaled.isFinite, abs(scaled) < 9e18 else {
            out.append(contentsOf: Array((v.isFinite ? String(format: "%.7f", v) : "null").utf8))
            return
        }
        var n = Int64(scaled)
        if n < 0 {
            out.append(0x2D)
            n = -n
        }
        out.append(contentsOf: Array(String(n / 10_000_000).utf8))
        var fraction = n % 10_000_000
        guard fraction != 0 else { return }
        var digits = 7
        while fraction % 10 == 0 {
            fraction /= 10
            digits -= 1
        }
        out.append(0x2E)
        var text = [UInt8](repeating: 0x30, count: digits)
        for k in stride(from: digits - 1, through: 0, by: -1) {
            text[k] = 0x30 + UInt8(fraction % 10)
            fraction /= 10
        }
        out.append(contentsOf: text)
    }

    // MARK: - Geometry from WKB

    /// A parsed WKB geometry: a type code (1-7) with its points, rings or parts.
    private indirect enum Parsed {
        case point([Double]?)
        case line([Double])
        case polygon([[Double]])
        case multi(Int, [Parsed])
    }

    static func geometry(_ wkb: [UInt8], kind: LayerKind, into out: inout [UInt8]) throws {
        var p = 0
        let parsed = try parse(wkb, &p)
        guard p == wkb.count else { throw Malformed() }
        switch kind {
        case .polygonal:
            let polygons = flatten(parsed).compactMap { if case .polygon(let rings) = $0 { rings } else { nil } }
            write(polygons.count == 1 ? .polygon(polygons[0]) : .multi(6, polygons.map { .polygon($0) }), into: &out)
        case .linear:
            let lines = flatten(parsed).compactMap { if case .line(let points) = $0 { points } else { nil } }
            write(lines.count == 1 ? .line(lines[0]) : .multi(5, lines.map { .line($0) }), into: &out)
        case .other:
            write(parsed, into: &out)
        }
    }

    private static func flatten(_ g: Parsed) -> [Parsed] {
        if case .multi(_, let parts) = g { return parts.flatMap(flatten) }
        return [g]
    }

    private static func write(_ g: Parsed, into out: inout [UInt8]) {
        func type(_ name: String) { out.append(contentsOf: Array(#"{"type": "\#(name)", "coordinates": "#.utf8)) }
        switch g {
        case .point(let xy):
            type("Point")
            if let xy { coordinate(xy[0], xy[1], into: &out) } else { out.append(contentsOf: [0x5B, 0x5D]) }
        case .line(let flat):
            type("LineString")
            points(flat, into: &out)
        case .polygon(let rings):
            type("Polygon")
            polygon(rings, into: &out)
        case .multi(7, let parts):
            out.append(contentsOf: Array(#"{"type": "GeometryCollection", "geometries": ["#.utf8))
            for (i, part) in parts.enumerated() {
                if i > 0 { out.append(contentsOf: [0x2C, 0x20]) }
                write(part, into: &out)
            }
            out.append(0x5D)
        case .multi(let code, let parts):
            type(code == 4 ? "MultiPoint" : code == 5 ? "MultiLineString" : "MultiPolygon")
            out.append(0x5B)
            for (i, part) in parts.enumerated() {
                if i > 0 { out.append(contentsOf: [0x2C, 0x20]) }
                switch part {
                case .point(let xy): if let xy { coordinate(xy[0], xy[1], into: &out) }
                case .line(let pts): points(pts, into: &out)
                case .polygon(let rings): polygon(rings, into: &out)
                case .multi: break
                }
            }
            out.append(0x5D)
        }
        out.append(0x7D)
    }

    private static func points(_ flat: [Double], reversed: Bool = false, into out: inout [UInt8]) {
        out.append(0x5B)
        let n = flat.count / 2
        for i in 0..<n {
            if i > 0 { out.append(contentsOf: [0x2C, 0x20]) }
            let k = reversed ? n - 1 - i : i
            coordinate(flat[2 * k], flat[2 * k + 1], into: &out)
        }
        out.append(0x5D)
    }

    /// Rings with the exterior counter-clockwise and holes clockwise.
    private static func polygon(_ rings: [[Double]], into out: inout [UInt8]) {
        out.append(0x5B)
        for (k, ring) in rings.enumerated() {
            if k > 0 { out.append(contentsOf: [0x2C, 0x20]) }
            let area = signedArea(ring)
            points(ring, reversed: k == 0 ? area < 0 : area > 0, into: &out)
        }
        out.append(0x5D)
    }

    /// Twice the signed area of a ring of flat x, y (positive: counter-clockwise), relative to
    /// its first vertex so that large coordinates lose no precision.
    static func signedArea(_ flat: [Double]) -> Double {
        let n = flat.count / 2
        guard n >= 3 else { return 0 }
        let x0 = flat[0], y0 = flat[1]
        var sum = 0.0
        for i in 1..<(n - 1) {
            let ax = flat[2 * i] - x0, ay = flat[2 * i + 1] - y0
            let bx = flat[2 * i + 2] - x0, by = flat[2 * i + 3] - y0
            sum += ax * by - bx * ay
        }
        return sum
    }

    private static func parse(_ b: [UInt8], _ p: inout Int) throws -> Parsed {
        guard p + 5 <= b.count, b[p] <= 1 else { throw Malformed() }
        let le = b[p] == 1
        p += 1
        let raw = try u32(b, &p, le)
        guard let (type, dims) = try? WKBCoordinates.typeAndDimensions(UInt32(raw)) else { throw Malformed() }
        let base = Int(type)
        func coordinates(_ n: Int) throws -> [Double] {
            guard p + n * dims * 8 <= b.count else { throw Malformed() }
            var flat: [Double] = []
            flat.reserveCapacity(2 * n)
            b.withUnsafeBytes { raw in
                for i in 0..<n {
                    for d in 0..<2 {
                        let bits = raw.loadUnaligned(fromByteOffset: p + (i * dims + d) * 8, as: UInt64.self)
                        flat.append(Double(bitPattern: le ? UInt64(littleEndian: bits) : UInt64(bigEndian: bits)))
                    }
                }
            }
            p += n * dims * 8
            return flat
        }
        switch base {
        case 1:
            let xy = try coordinates(1)
            return .point(xy[0].isNaN && xy[1].isNaN ? nil : xy)
        case 2: return .line(try coordinates(try u32(b, &p, le)))
        case 3: return .polygon(try (0..<(try u32(b, &p, le))).map { _ in try coordinates(try u32(b, &p, le)) })
        case 4, 5, 6, 7:
            let count = try u32(b, &p, le)
            guard count <= b.count else { throw Malformed() }
            return .multi(base, try (0..<count).map { _ in try parse(b, &p) })
        default: throw Malformed()
        }
    }

    private static func u32(_ b: [UInt8], _ p: inout Int, _ le: Bool) throws -> Int {
        guard p + 4 <= b.count else { throw Malformed() }
        let v = UInt32(b[p]) | UInt32(b[p + 1]) << 8 | UInt32(b[p + 2]) << 16 | UInt32(b[p + 3]) << 24
        p += 4
        return Int(le ? v : v.byteSwapped)
    }
}

/// A GeoJSON file being written: a file descriptor behind a buffer, every write checked (a
/// full disk or the file size limit is an error naming the file and where it was).
final class GeoJSONFile {
    let path: String
    private var fd: Int32
    private var buffer: [UInt8] = []
    private let flushAt = 1 << 22

    init(path: String) throws {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw GeoIOError(path: path, "cannot create: \(String(cString: strerror(errno)))") }
    }

    deinit { if fd >= 0 { _ = Foundation.close(fd) } }

    func append(_ bytes: [UInt8], at location: String) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= flushAt { try flush(at: location) }
    }

    func flush(at location: String) throws {
        guard fd >= 0 else { throw GeoIOError(path: path, "already closed") }
        var offset = 0
        while offset < buffer.count {
            let n = buffer.withUnsafeBytes { raw in Foundation.write(fd, raw.baseAddress! + offset, raw.count - offset) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                let reason = n < 0 ? String(cString: strerror(errno)) : String(cString: strerror(ENOSPC))
                throw GeoIOError(path: path, location: location, "cannot write: \(reason)")
            }
            offset += n
        }
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws {
        try flush(at: "")
        let result = Foundation.close(fd)
        fd = -1
        guard result == 0 else { throw GeoIOError(path: path, "cannot finish writing: \(String(cString: strerror(errno)))") }
    }
}
