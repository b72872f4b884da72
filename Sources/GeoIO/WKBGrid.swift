/// Plain rounding of a polygonal WKB geometry to a grid: the cheap first step of GeoJSON's
/// snapping (VectorWriter). Each vertex is rounded to the nearest grid point, repeated
/// consecutive vertices are merged, and rings left with fewer than three distinct vertices
/// (a polygon whose exterior collapses goes with its holes) are dropped. The result can be
/// invalid (a thin part pinched into a self-intersection, parts made to overlap): the caller
/// checks, and falls back to GEOS's topology-preserving precision reduction.
enum WKBGrid {
    /// The rounded geometry as 2-D little-endian WKB (a Polygon when one polygon is left, else
    /// a MultiPolygon), an empty array when every ring collapsed, or nil when the input is not
    /// a 2-D Polygon or MultiPolygon.
    static func roundedPolygons(_ wkb: [UInt8], gridSize: Double) -> [UInt8]? {
        let scale = 1 / gridSize
        var polygons: [[[Double]]] = []  // polygons, rings, flat x, y
        var p = 0
        func u32(_ le: Bool) -> Int? {
            guard p + 4 <= wkb.count else { return nil }
            let v = UInt32(wkb[p]) | UInt32(wkb[p + 1]) << 8 | UInt32(wkb[p + 2]) << 16 | UInt32(wkb[p + 3]) << 24
            p += 4
            return Int(le ? v : v.byteSwapped)
        }
        func header() -> (le: Bool, type: Int)? {
            guard p < wkb.count, wkb[p] <= 1 else { return nil }
            let le = wkb[p] == 1
            p += 1
            guard let type = u32(le) else { return nil }
            return (le, type)
        }
        func polygon(_ le: Bool) -> Bool {
            guard let ringCount = u32(le) else { return false }
            var rings: [[Double]] = []
            for r in 0..<ringCount {
                guard let n = u32(le), n >= 0, p + n * 16 <= wkb.count else { return false }
                var ring: [Double] = []
                ring.reserveCapacity(2 * n)
                wkb.withUnsafeBytes { raw in
                    for i in 0..<n {
                        var bx = raw.loadUnaligned(fromByteOffset: p + 16 * i, as: UInt64.self)
                        var by = raw.loadUnaligned(fromByteOffset: p + 16 * i + 8, as: UInt64.self)
                        bx = le ? UInt64(littleEndian: bx) : UInt64(bigEndian: bx)
                        by = le ? UInt64(littleEndian: by) : UInt64(bigEndian: by)
                        let x = (Double(bitPattern: bx) * scale).rounded() / scale
                        let y = (Double(bitPattern: by) * scale).rounded() / scale
                        let m = ring.count
                        if m >= 2 && ring[m - 2] == x && ring[m - 1] == y { continue }
                        ring.append(x)
                        ring.append(y)
                    }
                }
                p += n * 16
                // Closed, with at least three distinct vertices: four or more.
                if ring.count >= 8 && ring[0] == ring[ring.count - 2] && ring[1] == ring[ring.count - 1] {
                    rings.append(ring)
                } else if r == 0 {
                    // The exterior collapsed: the polygon and its holes lie within the grid.
                    for _ in 1..<max(1, ringCount) {
                        guard let m = u32(le), m >= 0, p + m * 16 <= wkb.count else { return false }
                        p += m * 16
                    }
                    return true
                }
            }
            if !rings.isEmpty { polygons.append(rings) }
            return true
        }
        guard let (le, type) = header() else { return nil }
        switch type {
        case 3:
            guard polygon(le) else { return nil }
        case 6:
            guard let count = u32(le) else { return nil }
            for _ in 0..<count {
                guard let (partLE, partType) = header(), partType == 3, polygon(partLE) else { return nil }
            }
        default:
            return nil
        }
        guard p == wkb.count else { return nil }
        if polygons.isEmpty { return [] }

        var out: [UInt8] = []
        out.reserveCapacity(wkb.count)
        func put(_ v: Int) { withUnsafeBytes(of: UInt32(v).littleEndian) { out.append(contentsOf: $0) } }
        func putPolygon(_ rings: [[Double]]) {
            out.append(1)
            put(3)
            put(rings.count)
            for ring in rings {
                put(ring.count / 2)
                for v in ring { withUnsafeBytes(of: v.bitPattern.littleEndian) { out.append(contentsOf: $0) } }
            }
        }
        if polygons.count == 1 {
            putPolygon(polygons[0])
        } else {
            out.append(1)
            put(6)
            put(polygons.count)
            for rings in polygons { putPolygon(rings) }
        }
        return out
    }

    /// Whether every coordinate of the WKB geometry lies on the grid (is unchanged by rounding).
    static func isOnGrid(_ wkb: [UInt8], gridSize: Double) throws -> Bool {
        let scale = 1 / gridSize
        return try WKBCoordinates.coordinates(wkb).allSatisfy { x, y in
            (x * scale).rounded() / scale == x && (y * scale).rounded() / scale == y
        }
    }
}
