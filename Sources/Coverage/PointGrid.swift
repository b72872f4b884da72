/// A uniform grid over points for nearest-neighbour and within-radius queries, laid out as
/// compressed rows (one sorted index array and the start of each cell) so that it costs two
/// arrays however many points it holds.
public struct PointGrid: Sendable {
    public let xs: [Double]
    public let ys: [Double]
    /// Cell side in the coordinate unit (metres).
    public let cellSize: Double
    let originX: Double
    let originY: Double
    let columns: Int
    let rows: Int
    /// For cell c, its points are order[cellStart[c]..<cellStart[c+1]].
    let cellStart: [Int32]
    let order: [Int32]

    /// - Parameter cellSize: the cell side; if nil, chosen so cells hold about 2 points.
    public init(xs: [Double], ys: [Double], cellSize: Double? = nil) {
        precondition(xs.count == ys.count)
        self.xs = xs
        self.ys = ys
        var minX = Double.infinity, minY = Double.infinity, maxX = -Double.infinity, maxY = -Double.infinity
        for i in xs.indices {
            minX = min(minX, xs[i]); maxX = max(maxX, xs[i])
            minY = min(minY, ys[i]); maxY = max(maxY, ys[i])
        }
        if xs.isEmpty { minX = 0; minY = 0; maxX = 1; maxY = 1 }
        let width = max(maxX - minX, 1), height = max(maxY - minY, 1)
        var size = cellSize ?? (width * height / Double(max(xs.count, 1)) / 16).squareRoot()
        // Keep the grid to at most ~4 million cells.
        size = max(size, (width * height / 4_000_000).squareRoot(), 1e-6)
        self.cellSize = size
        originX = minX
        originY = minY
        columns = Int(width / size) + 1
        rows = Int(height / size) + 1
        var counts = [Int32](repeating: 0, count: columns * rows + 1)
        var cellOf = [Int32](repeating: 0, count: xs.count)
        for i in xs.indices {
            let cx = min(columns - 1, Int((xs[i] - minX) / size))
            let cy = min(rows - 1, Int((ys[i] - minY) / size))
            let c = cy * columns + cx
            cellOf[i] = Int32(c)
            counts[c + 1] += 1
        }
        for c in 1..<counts.count { counts[c] += counts[c - 1] }
        var fill = counts
        var order = [Int32](repeating: 0, count: xs.count)
        for i in xs.indices {
            let c = Int(cellOf[i])
            order[Int(fill[c])] = Int32(i)
            fill[c] += 1
        }
        cellStart = counts
        self.order = order
    }

    public var count: Int { xs.count }

    @inline(__always) func cell(_ x: Double, _ y: Double) -> (Int, Int) {
        (Int(((x - originX) / cellSize).rounded(.down)), Int(((y - originY) / cellSize).rounded(.down)))
    }

    /// The nearest point within `maxDistance` of (x, y): its index and distance, or nil.
    /// Ties go to the lower index.
    @inline(__always)
    public func nearest(x: Double, y: Double, maxDistance: Double = .infinity) -> (index: Int, distance: Double)? {
        guard !xs.isEmpty else { return nil }
        let (cx, cy) = cell(x, y)
        var best = -1
        var bestD2 = Double.infinity
        let limit2 = maxDistance * maxDistance
        // Rings nearer than the grid's edge hold nothing: start at the first that can.
        var ring = max(0, -cx, cx - (columns - 1), -cy, cy - (rows - 1))
        while true {
            let y0 = cy - ring, y1 = cy + ring, x0 = cx - ring, x1 = cx + ring
            let gyStart = max(0, y0), gyEnd = min(rows - 1, y1)
            for gy in stride(from: gyStart, through: gyEnd, by: 1) {
                let fullRow = gy == y0 || gy == y1
                let step = fullRow ? 1 : max(1, x1 - x0)
                var gx = x0
                while gx <= x1 {
                    if gx >= 0 && gx < columns {
                        let c = gy * columns + gx
                        for k in Int(cellStart[c])..<Int(cellStart[c + 1]) {
                            let i = Int(order[k])
                            let dx = xs[i] - x, dy = ys[i] - y
                            let d2 = dx * dx + dy * dy
                            if d2 < bestD2 || (d2 == bestD2 && i < best) {
                                bestD2 = d2
                                best = i
                            }
                        }
                    }
                    gx += step
                }
            }
            // Every point in ring r + 1 or beyond is at least r cells away.
            let bound = Double(ring) * cellSize
            let bound2 = bound * bound
            if best >= 0 && bound2 >= bestD2 { break }
            if bound2 > limit2 { break }
            if x0 <= 0 && y0 <= 0 && x1 >= columns - 1 && y1 >= rows - 1 { break }
            ring += 1
        }
        guard best >= 0, bestD2 <= limit2 else { return nil }
        return (best, bestD2.squareRoot())
    }

    /// Whether any point i lies within radii[i] of (x, y) (distance ≤ radius).
    /// `maxRadius` must be at least the largest radius.
    @inline(__always)
    public func anyWithin(x: Double, y: Double, radii: [Double], maxRadius: Double) -> Bool {
        guard !xs.isEmpty else { return false }
        let (cx, cy) = cell(x, y)
        let span = Int((maxRadius / cellSize).rounded(.up))
        let gy0 = max(0, cy - span), gy1 = min(rows - 1, cy + span)
        let gx0 = max(0, cx - span), gx1 = min(columns - 1, cx + span)
        guard gy0 <= gy1, gx0 <= gx1 else { return false }
        for gy in gy0...gy1 {
            for gx in gx0...gx1 {
                let c = gy * columns + gx
                for k in Int(cellStart[c])..<Int(cellStart[c + 1]) {
                    let i = Int(order[k])
                    let dx = xs[i] - x, dy = ys[i] - y
                    if dx * dx + dy * dy <= radii[i] * radii[i] { return true }
                }
            }
        }
        return false
    }

    /// Indices of points inside an envelope, ascending.
    public func indices(minX: Double, minY: Double, maxX: Double, maxY: Double) -> [Int] {
        guard !xs.isEmpty else { return [] }
        let (ax, ay) = cell(minX, minY), (bx, by) = cell(maxX, maxY)
        let gx0 = max(0, ax), gx1 = min(columns - 1, bx), gy0 = max(0, ay), gy1 = min(rows - 1, by)
        guard gx0 <= gx1, gy0 <= gy1 else { return [] }
        var out: [Int] = []
        for gy in gy0...gy1 {
            for gx in gx0...gx1 {
                let c = gy * columns + gx
                for k in Int(cellStart[c])..<Int(cellStart[c + 1]) {
                    let i = Int(order[k])
                    if xs[i] >= minX && xs[i] <= maxX && ys[i] >= minY && ys[i] <= maxY { out.append(i) }
                }
            }
        }
        return out.sorted()
    }
}
