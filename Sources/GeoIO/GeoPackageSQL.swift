import CGDAL
import Foundation

/// SQL on an existing GeoPackage, through GDAL's GeoPackage driver and SQLite's own dialect.
///
/// For the few non-feature tables a GeoPackage carries besides its layers (QGIS's
/// `layer_styles`, for one), which GDAL's layer API does not model. Statements run as written:
/// quote values with `literal(_:)`.
public final class GeoPackageSQL {
    public let path: String
    private var dataset: GDALDatasetH?

    /// Opens `path`, which must be a GeoPackage, for reading or (with `update`) writing.
    public init(path: String, update: Bool = false) throws {
        GDAL.ensureReady()
        self.path = path
        CPLErrorReset()
        let flags = UInt32(GDAL_OF_VECTOR) | (update ? UInt32(GDAL_OF_UPDATE) : UInt32(GDAL_OF_READONLY))
        let opened = GDAL.withConstCStringArray(["GPKG"]) { drivers in
            GDALOpenEx(path, flags, drivers, nil, nil)
        }
        guard let ds = opened else {
            throw GeoIOError(path: path, "cannot open as a GeoPackage: \(GDAL.lastError())")
        }
        dataset = ds
    }

    deinit { if let dataset { GDALClose(dataset) } }

    /// Runs a statement that returns no rows (CREATE, INSERT, UPDATE, DELETE).
    public func execute(_ sql: String) throws {
        let ds = try open()
        CPLErrorReset()
        let result = GDALDatasetExecuteSQL(ds, sql, nil, "SQLITE")
        if let result { GDALDatasetReleaseResultSet(ds, result) }
        if CPLGetLastErrorType().rawValue >= CE_Failure.rawValue {
            throw GeoIOError(path: path, "SQL failed: \(GDAL.lastError()) (\(Self.abbreviated(sql)))")
        }
    }

    /// Runs a query and returns its rows, each value as text (nil for NULL).
    public func query(_ sql: String) throws -> [[String?]] {
        let ds = try open()
        CPLErrorReset()
        guard let layer = GDALDatasetExecuteSQL(ds, sql, nil, "SQLITE") else {
            if CPLGetLastErrorType().rawValue >= CE_Failure.rawValue {
                throw GeoIOError(path: path, "SQL failed: \(GDAL.lastError()) (\(Self.abbreviated(sql)))")
            }
            return []
        }
        defer { GDALDatasetReleaseResultSet(ds, layer) }
        let definition = OGR_L_GetLayerDefn(layer)
        let columns = Int(OGR_FD_GetFieldCount(definition))
        var rows: [[String?]] = []
        OGR_L_ResetReading(layer)
        while let feature = OGR_L_GetNextFeature(layer) {
            defer { OGR_F_Destroy(feature) }
            rows.append((0..<columns).map { i -> String? in
                let field = Int32(i)
                guard OGR_F_IsFieldSetAndNotNull(feature, field) != 0, let text = OGR_F_GetFieldAsString(feature, field) else {
                    return nil
                }
                return String(cString: text)
            })
        }
        if CPLGetLastErrorType().rawValue >= CE_Failure.rawValue {
            throw GeoIOError(path: path, "SQL failed: \(GDAL.lastError()) (\(Self.abbreviated(sql)))")
        }
        return rows
    }

    /// Whether a table (or view) of that name exists.
    public func hasTable(_ name: String) throws -> Bool {
        try !query("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name = \(Self.literal(name))").isEmpty
    }

    /// Runs `body` in one transaction: all of its statements are kept, or none.
    public func transaction(_ body: () throws -> Void) throws {
        let ds = try open()
        CPLErrorReset()
        guard GDALDatasetStartTransaction(ds, 0) == OGRERR_NONE else {
            throw GeoIOError(path: path, "cannot start a transaction: \(GDAL.lastError())")
        }
        do {
            try body()
        } catch {
            GDALDatasetRollbackTransaction(ds)
            throw error
        }
        guard GDALDatasetCommitTransaction(ds) == OGRERR_NONE else {
            throw GeoIOError(path: path, "cannot commit: \(GDAL.lastError())")
        }
    }

    /// Flushes and closes the file.
    public func close() throws {
        guard let ds = dataset else { return }
        dataset = nil
        try GDAL.close(ds, path: path, failure: "cannot close")
    }

    /// An SQL string literal: single quotes, inner quotes doubled; NULL for nil.
    public static func literal(_ value: String?) -> String {
        guard let value else { return "NULL" }
        return "'" + value.replacingOccurrences(of: "'", with: "''") + "'"
    }

    private func open() throws -> GDALDatasetH {
        guard let ds = dataset else { throw GeoIOError(path: path, "already closed") }
        return ds
    }

    private static func abbreviated(_ sql: String) -> String {
        let line = sql.split(whereSeparator: \.isNewline).first.map(String.init) ?? sql
        return line.count > 80 ? String(line.prefix(77)) + "..." : line
    }
}
