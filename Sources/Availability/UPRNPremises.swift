import Foundation
import GeoIO
import Projection

/// Address-level premises, one per row, held column by column: a UPRN, a point in the working
/// CRS, and optionally households and a postcode. No string and no object per row (25 to 41
/// million rows nationally).
public struct UPRNPremises: Sendable {
    /// The file, as messages name it.
    public let source: String
    /// The CRS of the file's coordinates (EPSG:27700 for X/Y, EPSG:4258 ETRS89 for
    /// latitude/longitude), and the datum transformation applied (nil: none needed).
    public let sourceCRS: CRS
    public let operation: OperationInfo?
    public var uprns: [UInt64]
    /// Working-CRS coordinates.
    public var xs: [Double]
    public var ys: [Double]
    /// Households (units) per row; nil when the file has no such column: one each.
    public var households: [Double]?
    /// Postcodes (`PostcodeKey.none` where empty); nil when no postcode column was read.
    public var postcodes: [PostcodeKey]?
    /// Rows by UPRN (every UPRN is unique).
    public let index: UPRNIndex

    public var count: Int { uprns.count }
}

/// Which columns of an address file to read.
public struct UPRNPremisesOptions: Sendable, Equatable {
    /// The layer of a GeoPackage (or other GDAL source); nil for its only layer.
    public var layer: String?
    /// The column of UPRNs (default `UPRN`, OS Open UPRN's name; matched ignoring case).
    public var uprnColumn: String
    /// A column of households (units) per address, each a number >= 0; nil: one per row.
    public var householdsColumn: String?
    /// A column of postcodes (empty allowed); nil: none read.
    public var postcodeColumn: String?

    public init(layer: String? = nil, uprnColumn: String = "UPRN", householdsColumn: String? = nil, postcodeColumn: String? = nil) {
        self.layer = layer
        self.uprnColumn = uprnColumn
        self.householdsColumn = householdsColumn
        self.postcodeColumn = postcodeColumn
    }
}

/// Reads address points in OS Open UPRN's layout (docs/OBSERVED.md, "Address-level premises").
///
/// CSV (plain or gzip): `UPRN` and either `X_COORDINATE`, `Y_COORDINATE` (British National
/// Grid, EPSG:27700) or `LATITUDE`, `LONGITUDE` (ETRS89, EPSG:4258); when a file has both, X/Y
/// are used (OS publishes them as the primary coordinates; latitude/longitude are derived from
/// them). Any other source GDAL reads (OS's GeoPackage): the point geometry, in the layer's CRS.
public enum UPRNPremisesReader {
    public static func read(path: String, options: UPRNPremisesOptions = UPRNPremisesOptions(), workingCRS: CRS) throws -> UPRNPremises {
        let kind = try InputFile.check(path)
        if VectorSource.isDelimitedText(path) || (kind == .file && ByteSourceKind.isGzip(path)) {
            return try readCSV(path: path, options: options, workingCRS: workingCRS)
        }
        return try readLayer(path: path, options: options, workingCRS: workingCRS)
    }

    static func readCSV(path: String, options: UPRNPremisesOptions, workingCRS: CRS) throws -> UPRNPremises {
        var uprns: [UInt64] = [], xs: [Double] = [], ys: [Double] = []
        var households: [Double]? = options.householdsColumn == nil ? nil : []
        var postcodes: [PostcodeKey]? = options.postcodeColumn == nil ? nil : []
        var columns: (uprn: Int, x: Int, y: Int, households: Int?, postcode: Int?) = (0, 0, 0, nil, nil)
        var names: [String] = []
        var crs = CRS.britishNationalGrid
        try CSVRecords.read(path: path) { header in
            names = header.names
            columns.uprn = try header.require([options.uprnColumn])
            if let x = try header.index(of: "X_COORDINATE"), let y = try header.index(of: "Y_COORDINATE") {
                (columns.x, columns.y) = (x, y)
            } else if let lon = try header.index(of: "LONGITUDE"), let lat = try header.index(of: "LATITUDE") {
                (columns.x, columns.y) = (lon, lat)
                crs = try CRS("EPSG:4258")
            } else {
                throw header.missing(["X_COORDINATE", "Y_COORDINATE", "LATITUDE", "LONGITUDE"])
            }
            if let c = options.householdsColumn { columns.households = try header.require([c]) }
            if let c = options.postcodeColumn { columns.postcode = try header.require([c]) }
            // Room for the rows at once: growing by doubling would hold up to twice the columns.
            if let n = header.estimatedRecords {
                let rows = n + n / 50 + 1024
                uprns.reserveCapacity(rows)
                xs.reserveCapacity(rows)
                ys.reserveCapacity(rows)
                households?.reserveCapacity(rows)
                postcodes?.reserveCapacity(rows)
            }
        } record: { record in
            guard let u = UPRN.parse(record, columns.uprn) else {
                throw record.error("\(names[columns.uprn]) '\(record.shown(columns.uprn))' is not a UPRN (1 to \(UPRN.maxDigits) digits)")
            }
            guard let x = record.double(columns.x) else {
                throw record.error("\(names[columns.x]) '\(record.shown(columns.x))' is not a finite number")
            }
            guard let y = record.double(columns.y) else {
                throw record.error("\(names[columns.y]) '\(record.shown(columns.y))' is not a finite number")
            }
            uprns.append(u)
            xs.append(x)
            ys.append(y)
            if let c = columns.households {
                guard let h = record.double(c), h >= 0 else {
                    throw record.error("\(names[c]) '\(record.shown(c))' is not a number of households (>= 0)")
                }
                households!.append(h)
            }
            if let c = columns.postcode {
                if record.isBlank(c) {
                    postcodes!.append(.none)
                } else if let k = PostcodeKey(utf8: record.trimmed(c)) {
                    postcodes!.append(k)
                } else {
                    throw record.error("\(names[c]) '\(record.shown(c))' is not a postcode")
                }
            }
        }
        guard !uprns.isEmpty else { throw GeoIOError(path: path, "has a header but no rows") }
        let place: (Int) -> String = { row in
            (try? CSVRecords.line(ofRecord: row, in: DataFile(path: path))).map { "line \($0)" } ?? "row \(row + 1)"
        }
        let operation = try PointReader.convert(xs: &xs, ys: &ys, from: crs, to: workingCRS, path: path, place: place)
        let index = try uniqueIndex(uprns, path: path, place: place)
        return UPRNPremises(source: path, sourceCRS: crs, operation: operation, uprns: uprns, xs: xs, ys: ys,
                            households: households, postcodes: postcodes, index: index)
    }

    static func readLayer(path: String, options: UPRNPremisesOptions, workingCRS: CRS) throws -> UPRNPremises {
        var table = try PointLayerReader.read(
            path: path, layer: options.layer, integerFields: [options.uprnColumn],
            numberFields: options.householdsColumn.map { [$0] } ?? [], textFields: options.postcodeColumn.map { [$0] } ?? [])
        let place: (Int) -> String = { "feature \($0 + 1)" }
        let ids = table.integers[options.uprnColumn] ?? []
        var uprns: [UInt64] = []
        uprns.reserveCapacity(ids.count)
        for (i, v) in ids.enumerated() {
            guard let u = UPRN.validate(v) else {
                throw GeoIOError(path: path, location: place(i), "\(options.uprnColumn) \(v) is not a UPRN (1 to \(UPRN.maxDigits) digits)")
            }
            uprns.append(u)
        }
        var households: [Double]?
        if let c = options.householdsColumn {
            let values = table.numbers[c] ?? []
            if let bad = values.firstIndex(where: { $0 < 0 }) {
                throw GeoIOError(path: path, location: place(bad), "\(c) \(values[bad]) is not a number of households (>= 0)")
            }
            households = values
        }
        var postcodes: [PostcodeKey]?
        if let c = options.postcodeColumn, let texts = table.texts[c] {
            postcodes = try (0..<texts.count).map { i in
                let text = texts[i]
                if text.trimmingCharacters(in: .whitespaces).isEmpty { return .none }
                guard let k = PostcodeKey(text) else {
                    throw GeoIOError(path: path, location: place(i), "\(c) '\(text.printable)' is not a postcode")
                }
                return k
            }
        }
        guard !uprns.isEmpty else { throw GeoIOError(path: path, "has no features") }
        let operation = try PointReader.convert(xs: &table.xs, ys: &table.ys, from: table.crs, to: workingCRS, path: path, place: place)
        let index = try uniqueIndex(uprns, path: path, place: place)
        return UPRNPremises(source: path, sourceCRS: table.crs, operation: operation, uprns: uprns, xs: table.xs, ys: table.ys,
                            households: households, postcodes: postcodes, index: index)
    }

    /// The UPRN index, or the error naming both places of a repeated UPRN.
    private static func uniqueIndex(_ uprns: [UInt64], path: String, place: (Int) -> String) throws -> UPRNIndex {
        do {
            return try UPRNIndex(uprns)
        } catch let d as UPRNIndex.Duplicate {
            throw GeoIOError(path: path, location: place(d.second), "UPRN \(d.uprn) appears twice (also at \(place(d.first))); one premises per row")
        }
    }
}

/// Whether a file is gzip by its first bytes, whatever it is called.
enum ByteSourceKind {
    static func isGzip(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let magic = handle.readData(ofLength: 2)
        return magic.count == 2 && magic[magic.startIndex] == 0x1f && magic[magic.startIndex + 1] == 0x8b
    }
}
