import CGDAL
import Foundation
import Geometry
import Projection

/// A field of a vector layer.
/// Encodable for `bbplan inspect --json`.
public struct FieldInfo: Sendable, Equatable, Encodable {
    public let name: String
    /// OGR's type name: "Integer", "Integer64", "Real", "String", "Date", ...
    public let type: String
}

/// What a layer holds, as `bbplan inspect` reports it.
public struct LayerInfo: Sendable {
    public let name: String
    /// OGC geometry type name ("Polygon", "Point", ...) or "None" for a table.
    public let geometryType: String
    public let featureCount: Int
    /// The layer's CRS, nil when the source declares none (CSV, a Shapefile without .prj).
    public let crs: CRS?
    /// Extent in the layer's own CRS, nil when empty or without geometry.
    public let extent: Envelope?
    public let fields: [FieldInfo]
}

/// An open GDAL vector data source (read-only).
///
/// Any format GDAL reads: GeoJSON, GeoPackage, Shapefile, FlatGeobuf, CSV, MapInfo, ... and
/// GDAL's local archive paths (`/vsizip/`, `/vsigzip/`, `/vsitar/`; `InputFile` says what is
/// accepted). Datasets are not shared between threads.
public final class VectorSource {
    public let path: String
    let handle: GDALDatasetH

    /// Opens `path`, or throws a `GeoIOError` naming it: refused by `InputFile.check` (a
    /// device, FIFO, pseudo-file or network path), missing, unreadable or not a vector format
    /// GDAL recognises.
    public init(path: String, openOptions: [String] = []) throws {
        GDAL.ensureReady()
        self.path = path
        if try InputFile.check(path) == .folder {
            // GDAL's drivers open every file in a folder dataset: check them all first.
            _ = try InputFile.files(of: path)
        }
        CPLErrorReset()
        let flags = UInt32(GDAL_OF_VECTOR) | UInt32(GDAL_OF_READONLY) | UInt32(GDAL_OF_VERBOSE_ERROR)
        // Relative paths are made absolute so GDAL never reads a file name such as
        // "PG:dbname=x" as a connection string.
        let openPath = VectorSource.gdalPath(path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path)
        let opened = GDAL.withConstCStringArray(openOptions) { options in
            GDALOpenEx(openPath, flags, nil, openOptions.isEmpty ? nil : options, nil)
        }
        guard let ds = opened else {
            let reason = GDAL.lastError("not a vector format GDAL can read")
            throw GeoIOError(path: path, "cannot open: \(VectorSource.shorten(reason))")
        }
        handle = ds
    }

    deinit { GDALClose(handle) }

    /// Open options that let GDAL's CSV driver see point geometry in common x/y column names
    /// and detect column types, for describing a CSV file.
    public static let csvDescribeOptions = [
        "X_POSSIBLE_NAMES=easting,x,lon,longitude,long,lng",
        "Y_POSSIBLE_NAMES=northing,y,lat,latitude",
        "AUTODETECT_TYPE=YES", "KEEP_GEOM_COLUMNS=YES",
    ]

    /// Whether the path names a delimited text file by its extension: `.csv`, `.tsv` or `.txt`,
    /// each possibly gzipped (`.gz`). The one rule for "is this a CSV?": the point reader, the
    /// `rollout.fibre_nodes` short form and `inspect` all ask it (docs/SCENARIO.md).
    public static func isDelimitedText(_ path: String) -> Bool {
        var lower = path.lowercased()
        if lower.hasSuffix(".gz") { lower.removeLast(3) }
        return [".csv", ".tsv", ".txt"].contains { lower.hasSuffix($0) }
    }

    /// Gzipped files are read through GDAL's /vsigzip/ virtual file system.
    static func gdalPath(_ path: String) -> String {
        if path.hasPrefix("/vsi") { return path }
        if path.lowercased().hasSuffix(".gz") { return "/vsigzip/" + path }
        if path.lowercased().hasSuffix(".zip") { return "/vsizip/" + path }
        return path
    }

    /// GDAL's message cut to one readable line; internal zlib wording becomes plain words.
    static func shorten(_ message: String) -> String {
        if message.contains("decompression failed") || message.contains("z_err") {
            return "gzip data is corrupt or truncated"
        }
        let line = message.split(separator: "\n").first.map(String.init) ?? message
        return line.count > 200 ? String(line.prefix(197)) + "..." : line
    }

    /// GDAL's short driver name, e.g. "GPKG", "GeoJSON", "ESRI Shapefile", "CSV".
    public var driverName: String {
        guard let driver = GDALGetDatasetDriver(handle), let name = GDALGetDriverShortName(driver) else {
            return "unknown"
        }
        return String(cString: name)
    }

    public var layerNames: [String] {
        (0..<GDALDatasetGetLayerCount(handle)).compactMap { i in
            GDALDatasetGetLayer(handle, i).flatMap { OGR_L_GetName($0) }.map { String(cString: $0) }
        }
    }

    /// The layer called `name`, or the only layer when `name` is nil.
    /// - Throws: when the layer does not exist, or `name` is nil and there are several.
    func layer(_ name: String?) throws -> OGRLayerH {
        let names = layerNames
        if let name {
            // Compared against the layer list rather than passed to SQL, so a layer name can
            // never be interpreted as anything but a name.
            guard let index = names.firstIndex(of: name),
                  let layer = GDALDatasetGetLayer(handle, Int32(index)) else {
                throw GeoIOError(path: path, "no layer '\(name.excerpt)'; layers: \(names.prefix(30).map(\.excerpt).joined(separator: ", "))")
            }
            return layer
        }
        guard !names.isEmpty, let first = GDALDatasetGetLayer(handle, 0) else {
            throw GeoIOError(path: path, "holds no vector layers")
        }
        guard names.count == 1 else {
            throw GeoIOError(path: path, "has \(names.count) layers (\(names.prefix(30).map(\.excerpt).joined(separator: ", "))); name one with 'layer'")
        }
        return first
    }

    /// Description of every layer, or of the named one.
    ///
    /// - Parameter progress: told, while a layer is read through to count it (see
    ///   `countAndExtent`), the layer's name and how many features have been read: 0 at the
    ///   start, then every `progressEvery` features.
    public func describe(layer name: String? = nil, progressEvery: Int = 100_000,
                         progress: ((_ layer: String, _ features: Int) -> Void)? = nil) throws -> [LayerInfo] {
        let targets: [OGRLayerH]
        if let name {
            targets = [try layer(name)]
        } else {
            targets = (0..<GDALDatasetGetLayerCount(handle)).compactMap { GDALDatasetGetLayer(handle, $0) }
        }
        return try targets.map { try describe($0, progressEvery: progressEvery, progress: progress) }
    }

    private func describe(_ layer: OGRLayerH, progressEvery: Int, progress: ((String, Int) -> Void)?) throws -> LayerInfo {
        let name = String(cString: OGR_L_GetName(layer))
        let geometryType = OGR_L_GetGeomType(layer)
        var typeName = geometryType == wkbNone ? "None" : String(cString: OGRGeometryTypeToName(geometryType))
        if typeName == "Unknown (any)" { typeName = "Geometry" }
        let (count, extent) = try countAndExtent(layer, name: name, hasGeometry: geometryType != wkbNone,
                                                 progressEvery: progressEvery, progress: progress)
        var crs: CRS?
        if let srs = OGR_L_GetSpatialRef(layer) {
            do {
                crs = try GDAL.crs(of: srs)
            } catch {
                throw GeoIOError(path: path, location: "layer '\(name.excerpt)'", "unreadable CRS: \(error)")
            }
        }
        let defn = OGR_L_GetLayerDefn(layer)
        let fields = (0..<OGR_FD_GetFieldCount(defn)).map { i -> FieldInfo in
            let f = OGR_FD_GetFieldDefn(defn, i)
            return FieldInfo(name: String(cString: OGR_Fld_GetNameRef(f)),
                             type: String(cString: OGR_GetFieldTypeName(OGR_Fld_GetType(f))))
        }
        return LayerInfo(name: name, geometryType: typeName, featureCount: Int(count),
                         crs: crs, extent: extent, fields: fields)
    }
}
