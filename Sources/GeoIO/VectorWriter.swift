import CGDAL
import Foundation
import Locking
import Geometry
import Projection

/// The column types bbplan writes.
public enum FieldType: Sendable {
    case integer, real, string
}

/// A layer to write: features with a geometry (nil for none) and values in field order.
public struct OutputLayer: Sendable {
    public var name: String
    /// The geometry type declared for the layer (Polygon layers are written as MultiPolygon).
    public var kind: GeometryKind
    public var fields: [(name: String, type: FieldType)]
    public var features: [(geometry: Geometry?, values: [AttributeValue])]
    /// For a point layer, each feature's point as plain coordinates (feature i at
    /// `xs[i]`, `ys[i]`, in the writer's CRS), in place of a GEOS geometry per feature: a
    /// premises layer holds hundreds of thousands of points, and a GEOS point and its WKB
    /// each cost more than writing the feature. Features' `geometry` is then ignored.
    public var points: (xs: [Double], ys: [Double])?
    /// Each feature's id in a GeoPackage (its `fid`), when they must say something (the
    /// premises layer's fid is the input row + 1); nil numbers the features 1, 2, ...
    public var fids: [Int64]?

    public init(name: String, kind: GeometryKind, fields: [(name: String, type: FieldType)],
                features: [(geometry: Geometry?, values: [AttributeValue])] = [],
                points: (xs: [Double], ys: [Double])? = nil, fids: [Int64]? = nil) {
        precondition(points.map { $0.xs.count == features.count && $0.ys.count == features.count } ?? true,
                     "OutputLayer: one point per feature")
        precondition(fids.map { $0.count == features.count } ?? true, "OutputLayer: one fid per feature")
        self.name = name
        self.kind = kind
        self.fields = fields
        self.features = features
        self.points = points
        self.fids = fids
    }
}

/// Vector formats bbplan writes.
public enum VectorFormat: String, Sendable, CaseIterable {
    /// OGC GeoPackage: several layers in one SQLite file, CRS recorded, R-tree spatial index.
    case geoPackage = "GPKG"
    /// RFC 7946 GeoJSON: one layer per file, WGS 84 longitude/latitude, counter-clockwise
    /// exterior rings, 7 decimal places (about 1 cm). Written by bbplan (GeoJSONText), not GDAL.
    case geoJSON = "GeoJSON"
    /// FlatGeobuf: one layer per file, with a packed R-tree index.
    case flatGeobuf = "FlatGeobuf"
    /// Vector MBTiles (Mapbox Vector Tiles in an SQLite file): several layers; bbplan hands
    /// GDAL WGS 84 geometries (its own datum shift, as for GeoJSON) and GDAL's MVT writer
    /// projects them to Web Mercator (EPSG:3857) and cuts the tiles.
    case mbtiles = "MBTiles"

    /// Whether a file holds several layers.
    var holdsSeveralLayers: Bool { self == .geoPackage || self == .mbtiles }
}

/// Writes layers through GDAL/OGR, and GeoJSON itself (GeoJSONText).
///
/// Geometries come in the working CRS; for GeoJSON (and MBTiles) they are converted to WGS 84
/// by bbplan's own transform (OSTN15 when available), so every output of a run uses the same
/// datum shift.
///
/// The per-feature work (WKB, the conversion, GeoJSON's snapping and repair, and for GeoJSON
/// the feature's text) runs on `threads` threads, `featureBatch` features at a time; GDAL
/// then writes the batch's features (or the GeoJSON file its text) in order on the calling
/// thread. Each feature's bytes come from the same computation whatever the number of
/// threads, so the file is byte for byte the same (tested: GeoIOTests, "parallel writes").
public final class VectorWriter {
    public let path: String
    public let format: VectorFormat
    /// The CRS of the geometries handed to `write`.
    public let crs: CRS
    /// Threads for the geometry work (default: BBPLAN_THREADS, else the active cores).
    public let threads: Int
    /// Features prepared at a time: bounds the memory held by prepared geometries.
    var featureBatch = 65_536
    private var dataset: GDALDatasetH?
    /// GeoJSON is written by bbplan itself (GeoJSONText), not through GDAL.
    private var geoJSONFile: GeoJSONFile?
    private var layersWritten = 0

    /// - Parameter options: GDAL dataset creation options (MBTiles: `MINZOOM=`, `MAXZOOM=`, `NAME=`).
    public init(path: String, format: VectorFormat, crs: CRS, threads: Int? = nil, options: [String] = []) throws {
        GDAL.ensureReady()
        self.path = path
        self.format = format
        self.crs = crs
        self.threads = max(1, threads ?? ParallelWork.defaultThreads)
        guard let driver = GDALGetDriverByName(format.rawValue) else {
            throw GeoIOError(path: path, "GDAL has no \(format.rawValue) driver")
        }
        if FileManager.default.fileExists(atPath: path) {
            try? FileManager.default.removeItem(atPath: path)
        }
        if format == .geoJSON {
            geoJSONFile = try GeoJSONFile(path: path)
            return
        }
        CPLErrorReset()
        let created = GDAL.withCStringArray(options) { list in GDALCreate(driver, path, 0, 0, 0, GDT_Unknown, list) }
        guard let ds = created else {
            throw GeoIOError(path: path, "cannot create: \(GDAL.lastError())")
        }
        dataset = ds
    }

    deinit { if let dataset { GDALClose(dataset) } }

    /// Writes one layer. GeoJSON and FlatGeobuf files hold one layer each.
    public func write(_ layer: OutputLayer) throws {
        if !format.holdsSeveralLayers && layersWritten > 0 {
            throw GeoIOError(path: path, "\(format.rawValue) holds one layer per file")
        }
        if format == .geoJSON {
            try writeGeoJSON(layer)
            return
        }
        guard let ds = dataset else { throw GeoIOError(path: path, "already closed") }
        let outputCRS = format == .mbtiles ? CRS.wgs84 : crs
        // Also made here so a CRS that cannot be converted is refused before the layer exists;
        // it converts a plain point layer in bulk (geometries get one per chunk, `prepare`).
        let transform = try CoordinateTransform(from: crs, to: outputCRS)
        guard let srs = GDAL.spatialReference(outputCRS) else {
            throw GeoIOError(path: path, "GDAL cannot represent \(outputCRS.label)")
        }
        defer { OSRDestroySpatialReference(srs) }

        let geometryType: OGRwkbGeometryType
        switch layer.kind {
        case .point: geometryType = wkbPoint
        case .multiPoint: geometryType = wkbMultiPoint
        case .polygon, .multiPolygon: geometryType = wkbMultiPolygon
        case .lineString, .multiLineString, .linearRing: geometryType = wkbMultiLineString
        case .collection: geometryType = wkbUnknown
        }
        var options: [String] = []
        switch format {
        case .geoPackage: options = ["SPATIAL_INDEX=YES", "GEOMETRY_NAME=geom", "FID=fid"]
        case .geoJSON: options = []  // written by GeoJSONText (writeGeoJSON), never through GDAL
        case .flatGeobuf: options = ["SPATIAL_INDEX=YES"]
        case .mbtiles: options = []
        }
        CPLErrorReset()
        let created = GDAL.withCStringArray(options) { list in
            GDALDatasetCreateLayer(ds, layer.name, srs, geometryType, list)
        }
        guard let ogrLayer = created else {
            throw GeoIOError(path: path, "cannot create layer '\(layer.name)': \(GDAL.lastError())")
        }
        for field in layer.fields {
            let type: OGRFieldType
            switch field.type {
            case .integer: type = OFTInteger64
            case .real: type = OFTReal
            case .string: type = OFTString
            }
            let defn = OGR_Fld_Create(field.name, type)
            defer { OGR_Fld_Destroy(defn) }
            guard OGR_L_CreateField(ogrLayer, defn, 1) == OGRERR_NONE else {
                throw GeoIOError(path: path, "cannot create field '\(field.name)' in '\(layer.name)': \(GDAL.lastError())")
            }
        }
        let transactional = format == .geoPackage
        if transactional {
            CPLErrorReset()
            guard GDALDatasetStartTransaction(ds, 0) == OGRERR_NONE else {
                throw GeoIOError(path: path, "cannot start writing layer '\(layer.name)': \(GDAL.lastError())")
            }
        }
        let defn = OGR_L_GetLayerDefn(ogrLayer)
        var prepared: [[UInt8]?] = []
        var preparedFrom = 0
        let (pointXs, pointYs) = try convertedPoints(layer, with: transform)
        for (n, feature) in layer.features.enumerated() {
            // A layer of plain points has its coordinates converted above, in bulk.
            if layer.points == nil, n == preparedFrom + prepared.count {
                preparedFrom = n
                do {
                    prepared = try prepare(layer, from: n, to: min(layer.features.count, n + featureBatch), outputCRS: outputCRS)
                } catch {
                    if transactional { GDALDatasetRollbackTransaction(ds) }
                    throw error
                }
            }
            guard let f = OGR_F_Create(defn) else { throw GeoIOError(path: path, "out of memory") }
            defer { OGR_F_Destroy(f) }
            for (i, value) in feature.values.enumerated() where i < layer.fields.count {
                let index = Int32(i)
                switch value {
                case .null: OGR_F_SetFieldNull(f, index)
                case .integer(let v): OGR_F_SetFieldInteger64(f, index, v)
                case .real(let v):
                    if v.isFinite { OGR_F_SetFieldDouble(f, index, v) } else { OGR_F_SetFieldNull(f, index) }
                case .string(let s): OGR_F_SetFieldString(f, index, s)
                }
            }
            if format == .geoPackage, let fids = layer.fids { OGR_F_SetFID(f, fids[n]) }
            if layer.points != nil {
                guard let point = OGR_G_CreateGeometry(wkbPoint) else { throw GeoIOError(path: path, "out of memory") }
                OGR_G_SetPoint_2D(point, 0, pointXs[n], pointYs[n])
                OGR_F_SetGeometryDirectly(f, point)
            } else if let wkb = prepared[n - preparedFrom] {
                var ogrGeometry: OGRGeometryH?
                guard OGR_G_CreateFromWkb(wkb, nil, &ogrGeometry, Int32(wkb.count)) == OGRERR_NONE,
                      var made = ogrGeometry else {
                    throw GeoIOError(path: path, location: "layer '\(layer.name)' feature \(n + 1)", "cannot build geometry")
                }
                switch geometryType {
                case wkbMultiPolygon: made = OGR_G_ForceToMultiPolygon(made)
                case wkbMultiLineString: made = OGR_G_ForceToMultiLineString(made)
                default: break
                }
                OGR_F_SetGeometryDirectly(f, made)
            }
            // Some drivers report a failed write (a full disk) only through the error state.
            CPLErrorReset()
            guard OGR_L_CreateFeature(ogrLayer, f) == OGRERR_NONE, CPLGetLastErrorType().rawValue < CE_Failure.rawValue else {
                if transactional { GDALDatasetRollbackTransaction(ds) }
                throw GeoIOError(path: path, location: "layer '\(layer.name)' feature \(n + 1)", "cannot write: \(GDAL.lastError())")
            }
        }
        CPLErrorReset()
        if transactional, GDALDatasetCommitTransaction(ds) != OGRERR_NONE || CPLGetLastErrorType().rawValue >= CE_Failure.rawValue {
            throw GeoIOError(path: path, "cannot commit layer '\(layer.name)': \(GDAL.lastError())")
        }
        layersWritten += 1
    }

    /// Writes the layer as RFC 7946 GeoJSON text (GeoJSONText): the features' text is made
    /// on `threads` threads, a batch at a time, and written in order.
    private func writeGeoJSON(_ layer: OutputLayer) throws {
        guard let file = geoJSONFile else { throw GeoIOError(path: path, "already closed") }
        let transform = try CoordinateTransform(from: crs, to: .wgs84)
        let kind: GeoJSONText.LayerKind
        switch layer.kind {
        case .polygon, .multiPolygon: kind = .polygonal
        case .lineString, .multiLineString, .linearRing: kind = .linear
        case .point, .multiPoint, .collection: kind = .other
        }
        let (pointXs, pointYs) = try convertedPoints(layer, with: transform)
        try file.append(Array("{\n\"type\": \"FeatureCollection\",\n\"features\": [\n".utf8), at: "layer '\(layer.name)'")
        let features = layer.features, fields = layer.fields.map(\.name), crs = crs, path = path, name = layer.name
        let points = layer.points == nil ? nil : (xs: pointXs, ys: pointYs)
        let minimumChunk = points != nil || layer.kind == .point || layer.kind == .multiPoint ? 4096 : 64
        for lower in stride(from: 0, to: features.count, by: featureBatch) {
            let upper = min(features.count, lower + featureBatch)
            let chunks = try ParallelWork.chunks(count: upper - lower, threads: threads, minimumChunk: minimumChunk) { range in
                let transform = try CoordinateTransform(from: crs, to: .wgs84)
                var text: [UInt8] = []
                for i in range {
                    let n = lower + i
                    let location = "layer '\(name)' feature \(n + 1)"
                    if n > 0 { text.append(contentsOf: [0x2C, 0x0A]) }
                    var wkb: [UInt8]?
                    if points == nil, let g = features[n].geometry, !g.isEmpty {
                        wkb = try Self.outputWKB(g, transform: transform, format: .geoJSON, path: path, at: location)
                    }
                    do {
                        let point = points.map { (x: $0.xs[n], y: $0.ys[n]) }
                        try GeoJSONText.feature(wkb: wkb, point: point, kind: kind, fields: fields, values: features[n].values, into: &text)
                    } catch {
                        throw GeoIOError(path: path, location: location, "cannot build geometry")
                    }
                }
                return text
            }
            for chunk in chunks { try file.append(chunk, at: "layer '\(name)' feature \(upper)") }
        }
        try file.append(Array("\n]\n}\n".utf8), at: "layer '\(layer.name)'")
        try file.flush(at: "layer '\(layer.name)'")
        layersWritten += 1
    }

    /// A plain point layer's coordinates in the output CRS, converted in bulk (empty for a
    /// layer of geometries).
    private func convertedPoints(_ layer: OutputLayer, with transform: CoordinateTransform) throws -> (xs: [Double], ys: [Double]) {
        var xs = layer.points?.xs ?? [], ys = layer.points?.ys ?? []
        if layer.points != nil && !transform.isIdentity, let bad = transform.transform(xs: &xs, ys: &ys).first {
            throw GeoIOError(path: path, location: "layer '\(layer.name)' feature \(bad + 1)", "cannot convert to \(transform.target.label)")
        }
        return (xs, ys)
    }

    /// The output WKB of features lower..<upper (nil: no geometry), computed in parallel
    /// chunks, each with its own transform (a PROJ transform serves one thread at a time).
    private func prepare(_ layer: OutputLayer, from lower: Int, to upper: Int, outputCRS: CRS) throws -> [[UInt8]?] {
        let features = layer.features, crs = crs, path = path, format = format, name = layer.name
        // Points need no snapping: their conversion is cheap, so chunks are larger.
        let minimumChunk = layer.kind == .point || layer.kind == .multiPoint ? 4096 : 64
        return try ParallelWork.chunks(count: upper - lower, threads: threads, minimumChunk: minimumChunk) { range in
            let transform = try CoordinateTransform(from: crs, to: outputCRS)
            return try range.map { i -> [UInt8]? in
                let n = lower + i
                guard let g = features[n].geometry, !g.isEmpty else { return nil }
                return try Self.outputWKB(g, transform: transform, format: format, path: path, at: "layer '\(name)' feature \(n + 1)")
            }
        }.flatMap { $0 }
    }

    /// GeoJSON's grid in degrees: 7 decimals (about 1 cm), as written.
    static let geoJSONGrid = 1e-7

    /// The geometry as WKB in the output CRS, or nil when nothing is left of it (a sliver that
    /// collapses on GeoJSON's 7-decimal grid; the feature is then written without geometry,
    /// its attributes kept).
    private static func outputWKB(_ g: Geometry, transform: CoordinateTransform, format: VectorFormat, path: String,
                                  at location: String) throws -> [UInt8]? {
        var wkb = try g.wkb()
        if !transform.isIdentity {
            guard try WKBCoordinates.transform(&wkb, with: transform) else {
                throw GeoIOError(path: path, location: location, "cannot convert to \(transform.target.label)")
            }
        }
        if format == .geoJSON && g.kind != .point && g.kind != .multiPoint {
            // Written with 7 decimals: snap to that grid first, keeping polygons valid. Plain
            // rounding (repeated vertices merged, collapsed rings dropped) is enough for almost
            // every polygon and costs one validity check. Where it pinches a thin part into a
            // self-intersection, GEOS repairs the rounded copy; when the repair adds no vertex
            // off the grid (a collapsed neck, a ring touching itself), that is the output:
            // valid (GEOS's make-valid guarantees it) and still exactly on the grid.
            if let rounded = WKBGrid.roundedPolygons(wkb, gridSize: Self.geoJSONGrid) {
                if rounded.isEmpty { return nil }
                let plain = try Geometry(wkb: rounded)
                if plain.isValid { return rounded }
                if let repaired = try? plain.makeValid() {
                    if repaired.isEmpty { return nil }
                    let repairedWKB = try repaired.wkb()
                    if try WKBGrid.isOnGrid(repairedWKB, gridSize: Self.geoJSONGrid) { return repairedWKB }
                }
            }
            // Otherwise (edges made to cross between vertices; lines; collections) GEOS's
            // topology-preserving precision reduction (a snap-rounding overlay, far slower on
            // national polygons) snaps the converted geometry.
            // A polygon valid in the working CRS can pinch into a self-touching ring once
            // converted (a sliver a few nanometres wide); such a copy is repaired first.
            var converted = try Geometry(wkb: wkb)
            if !converted.isValid { converted = try converted.makeValid() }
            let snapped: Geometry
            do {
                snapped = try converted.snapped(toGrid: Self.geoJSONGrid)
            } catch {
                snapped = try converted.makeValid().snapped(toGrid: Self.geoJSONGrid)
            }
            return snapped.isEmpty ? nil : try snapped.wkb()
        }
        return wkb
    }

    /// Flushes and closes the file; errors in the final write surface here. GDAL 3.6's
    /// GDALClose returns nothing, so this reads the error state; some drivers (GeoJSON) do not
    /// report write errors at all, so callers open the file again to verify it (RunWriter).
    public func close() throws {
        if let file = geoJSONFile {
            geoJSONFile = nil
            try file.close()
            return
        }
        guard let ds = dataset else { return }
        dataset = nil
        try GDAL.close(ds, path: path, failure: "cannot finish writing")
    }
}
