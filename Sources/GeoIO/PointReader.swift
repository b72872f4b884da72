import Foundation
import Geometry
import Projection

/// Where to read points from.
public struct PointSource: Sendable, Equatable {
    /// A CSV (plain or gzip) when `x` and `y` are given; otherwise any GDAL vector source.
    public var path: String
    public var layer: String?
    /// CSV column for x (easting or longitude).
    public var x: String?
    /// CSV column for y (northing or latitude).
    public var y: String?
    /// The CRS of the coordinates when the file carries none (always needed for CSV).
    public var crs: CRS?
    public var numberColumns: [String]
    public var textColumns: [String]

    public init(path: String, layer: String? = nil, x: String? = nil, y: String? = nil, crs: CRS? = nil,
                numberColumns: [String] = [], textColumns: [String] = []) {
        self.path = path
        self.layer = layer
        self.x = x
        self.y = y
        self.crs = crs
        self.numberColumns = numberColumns
        self.textColumns = textColumns
    }
}

/// Points in the working CRS, with how they got there.
public struct PointData: Sendable {
    public var table: PointTable
    public let sourceCRS: CRS
    /// The datum transformation applied, nil when the source was already in the working CRS.
    public let operation: OperationInfo?
}

/// Reads points from CSV (bbplan's streaming reader) or any GDAL vector source, converts them
/// to the working CRS in bulk, and rejects coordinates that cannot be right.
public enum PointReader {
    public static func read(_ source: PointSource, workingCRS: CRS) throws -> PointData {
        if let x = source.x, let y = source.y {
            return try readCSV(source, x: x, y: y, workingCRS: workingCRS)
        }
        if source.x != nil || source.y != nil {
            throw GeoIOError(path: source.path, "name both the x and the y column, or neither for a file with point geometry")
        }
        if VectorSource.isDelimitedText(source.path) {
            throw GeoIOError(path: source.path, "a CSV file needs its x and y columns named (x:, y:) and its crs:")
        }
        return try readVector(source, workingCRS: workingCRS)
    }

    static func readCSV(_ source: PointSource, x: String, y: String, workingCRS: CRS) throws -> PointData {
        guard let crs = source.crs else {
            throw GeoIOError(path: source.path, "a CSV file carries no CRS; declare crs: (e.g. EPSG:27700 for easting/northing, EPSG:4326 for lon/lat)")
        }
        let check = CoordinateCheck(source: crs, target: workingCRS)
        // The row limit (Limits.maxCSVRows) is the parser's, as for every CSV.
        let spec = CSVPointSpec(x: x, y: y, numberColumns: source.numberColumns, textColumns: source.textColumns)
        var table = try CSVPointReader.read(path: source.path, spec: spec) { px, py in
            check.problem(sourceX: px, y: py)
        }
        guard table.count > 0 else { throw GeoIOError(path: source.path, "has a header but no rows") }
        var extent = (minX: Double.infinity, minY: Double.infinity, maxX: -Double.infinity, maxY: -Double.infinity)
        for i in 0..<table.count {
            extent.minX = min(extent.minX, table.xs[i]); extent.maxX = max(extent.maxX, table.xs[i])
            extent.minY = min(extent.minY, table.ys[i]); extent.maxY = max(extent.maxY, table.ys[i])
        }
        if let degrees = check.looksLikeDegrees(extent, count: table.count) {
            throw GeoIOError(path: source.path, degrees)
        }
        let operation = try convert(&table, from: crs, to: workingCRS, check: check) { index, problem in
            let line = (try? CSVPointReader.line(ofRecord: index, path: source.path)) ?? 0
            return GeoIOError(path: source.path, location: line > 0 ? "line \(line)" : "row \(index + 1)", problem)
        }
        return PointData(table: table, sourceCRS: crs, operation: operation)
    }

    static func readVector(_ source: PointSource, workingCRS: CRS) throws -> PointData {
        let fields = source.numberColumns + source.textColumns
        // Read in the source CRS and convert afterwards in bulk (one PROJ call, not one per point).
        let features = try FeatureReader.read(
            path: source.path, layer: source.layer, fields: fields, geometry: .points,
            workingCRS: nil, declaredCRS: source.crs)
        var table = PointTable()
        table.xs.reserveCapacity(features.count)
        table.ys.reserveCapacity(features.count)
        for g in features.geometries {
            table.xs.append(g.pointX ?? .nan)
            table.ys.append(g.pointY ?? .nan)
        }
        for name in source.numberColumns {
            let values = features.attributes[name] ?? []
            table.numbers[name] = try values.enumerated().map { i, v in
                guard let n = v.number, n.isFinite else {
                    throw GeoIOError(path: source.path, location: "feature \(features.featureNumbers[i])", "\(name) '\(v.text.excerpt)' is not a number")
                }
                return n
            }
        }
        for name in source.textColumns {
            table.texts[name] = StringColumn((features.attributes[name] ?? []).map(\.text))
        }
        let check = CoordinateCheck(source: features.sourceCRS, target: workingCRS)
        let operation = try convert(&table, from: features.sourceCRS, to: workingCRS, check: check) { index, problem in
            GeoIOError(path: source.path, location: "feature \(features.featureNumbers[index])", problem)
        }
        return PointData(table: table, sourceCRS: features.sourceCRS, operation: operation)
    }

    /// Converts the table's coordinates in place and checks them in the target CRS.
    static func convert(
        _ table: inout PointTable, from crs: CRS, to workingCRS: CRS, check: CoordinateCheck,
        error: (Int, String) -> GeoIOError
    ) throws -> OperationInfo? {
        guard crs != workingCRS else { return nil }
        let transform = try CoordinateTransform(from: crs, to: workingCRS)
        let originalX = table.xs, originalY = table.ys
        transform.transform(xs: &table.xs, ys: &table.ys)
        let operation = try transform.appliedOperation()
        for i in 0..<table.count {
            if let problem = check.problem(targetX: table.xs[i], y: table.ys[i], sourceX: originalX[i], sourceY: originalY[i]) {
                throw error(i, problem)
            }
        }
        return operation
    }
}
