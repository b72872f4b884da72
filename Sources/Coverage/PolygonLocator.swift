import Geometry

/// Finds which polygon covers each of millions of points, with almost no GEOS calls.
///
/// A uniform cell grid is laid over the polygons. Cells that a polygon boundary passes through
/// (found by walking every ring's segments conservatively) are *border* cells; all other
/// cells form regions bounded by border cells, and every point of such a region lies in the
/// same polygons, so one GEOS test of one cell centre answers for the whole region (flood
/// fill). Only points in border cells are tested individually, against the polygons whose
/// envelope contains them, with prepared geometries (one set per thread).
///
/// "Covers" semantics: a point on a boundary is inside. With overlapping polygons the first in
/// input order wins.
public struct PolygonLocator: Sendable {
    let polygons: [Geometry]
    let envelopes: [Envelope]
    let originX: Double
    let originY: Double
    /// Cell side, in the polygons' coordinate unit.
    public let cellSize: Double
    let columns: Int
    let rows: Int
    /// Per cell: a polygon index, `outside` or `border`.
    let cellState: [Int32]
    /// Candidates for border points: polygons whose envelope meets each coarse block of cells.
    let blockSize: Int
    let blockColumns: Int
    let blockCandidates: [[Int32]]

    static let outside: Int32 = -1
    static let border: Int32 = -2
    static let unknown: Int32 = -3

    /// - Parameters:
    ///   - polygons: Polygon or MultiPolygon geometries (others are treated as covering nothing).
    ///   - cellSize: grid cell side; nil picks one giving at most about 2 million cells.
    public init(polygons: [Geometry], cellSize: Double? = nil) throws {
        self.polygons = polygons
        envelopes = polygons.map(\.envelope)
        var extent = Envelope.empty
        for e in envelopes where !e.isEmpty { extent = extent.union(e) }
        if extent.isEmpty { extent = Envelope(minX: 0, minY: 0, maxX: 1, maxY: 1) }
        let width = max(extent.width, 1), height = max(extent.height, 1)
        let size = cellSize ?? max(25, (width * height / 2_000_000).squareRoot())
        self.cellSize = size
        originX = extent.minX - size
        originY = extent.minY - size
        columns = Int(width / size) + 3
        rows = Int(height / size) + 3

        var state = [Int32](repeating: PolygonLocator.unknown, count: columns * rows)
        for polygon in polygons where polygon.kind.isPolygonal {
            for rings in try polygon.polygonRings() {
                for ring in rings where ring.count > 1 {
                    for k in 1..<ring.count {
                        Self.markSegment(ring[k - 1], ring[k], &state, originX: originX, originY: originY,
                                         size: size, columns: columns, rows: rows)
                    }
                }
            }
        }

        // Coarse candidate blocks (about 64 cells a side) for testing border points.
        blockSize = 64
        blockColumns = (columns + blockSize - 1) / blockSize
        let blockRows = (rows + blockSize - 1) / blockSize
        var blocks = [[Int32]](repeating: [], count: blockColumns * blockRows)
        let blockSide = Double(blockSize) * size
        for (i, e) in envelopes.enumerated() where !e.isEmpty {
            let bx0 = Int((e.minX - originX) / blockSide), bx1 = Int((e.maxX - originX) / blockSide)
            let by0 = Int((e.minY - originY) / blockSide), by1 = Int((e.maxY - originY) / blockSide)
            for by in max(0, by0)...min(blockRows - 1, by1) {
                for bx in max(0, bx0)...min(blockColumns - 1, bx1) { blocks[by * blockColumns + bx].append(Int32(i)) }
            }
        }
        blockCandidates = blocks

        // Flood-fill the regions between border cells; one centre test labels each region.
        var prepared: [Int: PreparedGeometry] = [:]
        var stack: [Int] = []
        for start in 0..<state.count where state[start] == PolygonLocator.unknown {
            let cx = start % columns, cy = start / columns
            let x = originX + (Double(cx) + 0.5) * size, y = originY + (Double(cy) + 0.5) * size
            let label = try Self.firstCovering(
                x: x, y: y, candidates: blocks[(cy / blockSize) * blockColumns + cx / blockSize],
                polygons: polygons, envelopes: envelopes, prepared: &prepared)
            state[start] = label
            stack.append(start)
            while let c = stack.popLast() {
                let gx = c % columns, gy = c / columns
                if gx > 0, state[c - 1] == PolygonLocator.unknown { state[c - 1] = label; stack.append(c - 1) }
                if gx < columns - 1, state[c + 1] == PolygonLocator.unknown { state[c + 1] = label; stack.append(c + 1) }
                if gy > 0, state[c - columns] == PolygonLocator.unknown { state[c - columns] = label; stack.append(c - columns) }
                if gy < rows - 1, state[c + columns] == PolygonLocator.unknown { state[c + columns] = label; stack.append(c + columns) }
            }
        }
        cellState = state
    }

    /// Marks every cell that the closed segment a–b touches, erring towards more cells.
    static func markSegment(
        _ a: Coordinate, _ b: Coordinate, _ state: inout [Int32],
        originX: Double, originY: Double, size: Double, columns: Int, rows: Int
    ) {
        let eps = size * 1e-6
        let ax = min(a.x, b.x), bx = max(a.x, b.x)
        let c0 = max(0, Int(((ax - eps - originX) / size).rounded(.down)))
        let c1 = min(columns - 1, Int(((bx + eps - originX) / size).rounded(.down)))
        guard c0 <= c1 else { return }
        let dx = b.x - a.x
        for c in c0...c1 {
            let left = originX + Double(c) * size, right = left + size
            let lo = min(max(left, ax), bx), hi = min(max(right, ax), bx)
            var ya: Double, yb: Double
            if abs(dx) < 1e-12 {
                ya = min(a.y, b.y)
                yb = max(a.y, b.y)
            } else {
                let y0 = a.y + (lo - a.x) * (b.y - a.y) / dx
                let y1 = a.y + (hi - a.x) * (b.y - a.y) / dx
                ya = min(y0, y1)
                yb = max(y0, y1)
            }
            let r0 = max(0, Int(((ya - eps - originY) / size).rounded(.down)))
            let r1 = min(rows - 1, Int(((yb + eps - originY) / size).rounded(.down)))
            guard r0 <= r1 else { continue }
            for r in r0...r1 { state[r * columns + c] = PolygonLocator.border }
        }
    }

    static func firstCovering(
        x: Double, y: Double, candidates: [Int32], polygons: [Geometry], envelopes: [Envelope],
        prepared: inout [Int: PreparedGeometry]
    ) throws -> Int32 {
        var point: Geometry?
        for c in candidates {
            let i = Int(c)
            guard envelopes[i].contains(x: x, y: y) else { continue }
            let p: PreparedGeometry
            if let existing = prepared[i] {
                p = existing
            } else {
                // A private copy per thread: GEOS builds prepared indexes lazily.
                p = try PreparedGeometry(polygons[i].clone())
                prepared[i] = p
            }
            if point == nil { point = try Geometry.point(x: x, y: y) }
            if let point, try p.covers(point) { return c }
        }
        return outside
    }

    /// Index of the first polygon covering each point, or -1.
    public func locate(xs: [Double], ys: [Double]) throws -> [Int32] {
        precondition(xs.count == ys.count)
        let parts = try Parallel.chunks(count: xs.count) { range -> [Int32] in
            var prepared: [Int: PreparedGeometry] = [:]
            var out = [Int32](repeating: PolygonLocator.outside, count: range.count)
            for i in range {
                out[i - range.lowerBound] = try locate(x: xs[i], y: ys[i], prepared: &prepared)
            }
            return out
        }
        return parts.flatMap { $0 }
    }

    @inline(__always)
    func locate(x: Double, y: Double, prepared: inout [Int: PreparedGeometry]) throws -> Int32 {
        guard x.isFinite, y.isFinite else { return PolygonLocator.outside }
        let cx = Int(((x - originX) / cellSize).rounded(.down))
        let cy = Int(((y - originY) / cellSize).rounded(.down))
        guard cx >= 0, cy >= 0, cx < columns, cy < rows else { return PolygonLocator.outside }
        let s = cellState[cy * columns + cx]
        if s != PolygonLocator.border { return s }
        return try Self.firstCovering(
            x: x, y: y, candidates: blockCandidates[(cy / blockSize) * blockColumns + cx / blockSize],
            polygons: polygons, envelopes: envelopes, prepared: &prepared)
    }

    /// Share of cells that are border cells (for diagnostics and benchmarks).
    public var borderCellShare: Double {
        Double(cellState.lazy.filter { $0 == PolygonLocator.border }.count) / Double(max(cellState.count, 1))
    }
}
