import CGDAL
import Foundation
import Geometry
import Projection

/// An attribute value as read from a vector source.
public enum AttributeValue: Sendable, Equatable, CustomStringConvertible {
    case null
    case integer(Int64)
    case real(Double)
    case string(String)

    /// The value as text ("" for null).
    public var text: String {
        switch self {
        case .null: ""
        case .integer(let v): String(v)
        case .real(let v): v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
        case .string(let s): s
        }
    }

    /// The value as a number; strings are parsed; nil for null or non-numeric text.
    public var number: Double? {
        switch self {
        case .null: nil
        case .integer(let v): Double(v)
        case .real(let v): v
        case .string(let s): Double(s.trimmingCharacters(in: .whitespaces))
        }
    }

    public var description: String { text }
}

/// What geometry a caller needs from a layer.
public enum GeometryRequirement: Sendable {
    /// Polygon or MultiPolygon; invalid ones are repaired and counted.
    case polygons
    /// Point (MultiPoints with one point are accepted).
    case points
}

/// Features read from one layer: geometries in the working CRS plus requested attributes.
public struct FeatureTable: Sendable {
    public let path: String
    public let layer: String
    /// The CRS the file was in (before conversion to the working CRS).
    public let sourceCRS: CRS
    /// The coordinate operation that converted the geometries to the working CRS (as PROJ
    /// reports it after converting); nil when none was needed.
    public var operation: OperationInfo?
    public var geometries: [Geometry] = []
    /// Requested attributes by field name, one value per feature.
    public var attributes: [String: [AttributeValue]] = [:]
    /// 1-based position of each feature in the layer, for messages ("feature 12").
    public var featureNumbers: [Int] = []
    /// Polygons that were invalid and repaired with make-valid, with GEOS's reason.
    public var repairs: [Repair] = []

    public var count: Int { geometries.count }

    public struct Repair: Sendable, Equatable {
        public let feature: Int
        public let reason: String
    }
}

/// Reads a GDAL layer into geometries and attributes, reprojected to a working CRS.
public enum FeatureReader {
    /// - Parameters:
    ///   - path: any GDAL vector source.
    ///   - layer: the layer name; may be nil when the source has a single layer.
    ///   - fields: attribute fields to read; each must exist.
    ///   - geometry: what kind of geometry every feature must have.
    ///   - workingCRS: the CRS to convert geometries to; nil keeps the file's own (or the
    ///     declared) CRS, for callers that convert in bulk afterwards.
    ///   - declaredCRS: the CRS to assume when the file declares none. If the file declares
    ///     one too and they differ, that is an error: one of them is wrong.
    public static func read(
        path: String, layer: String? = nil, fields: [String] = [], geometry: GeometryRequirement,
        workingCRS: CRS?, declaredCRS: CRS? = nil
    ) throws -> FeatureTable {
        let source = try VectorSource(path: path)
        let ogrLayer = try source.layer(layer)
        let layerName = String(cString: OGR_L_GetName(ogrLayer))
        let whereLayer = source.layerNames.count > 1 ? "layer '\(layerName.excerpt)': " : ""

        let crs = try layerCRS(ogrLayer, declared: declaredCRS, path: path, whereLayer: whereLayer)

        let defn = OGR_L_GetLayerDefn(ogrLayer)
        var fieldIndices: [(String, Int32)] = []
        for name in fields {
            let i = OGR_FD_GetFieldIndex(defn, name)
            guard i >= 0 else {
                let available = (0..<OGR_FD_GetFieldCount(defn)).map {
                    String(cString: OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, $0)))
                }
                throw GeoIOError(path: path, "\(whereLayer)no field '\(name)'; fields are: \(available.prefix(30).map(\.excerpt).joined(separator: ", "))")
            }
            fieldIndices.append((name, i))
        }

        let workingCRS = workingCRS ?? crs
        let transform = try CoordinateTransform(from: crs, to: workingCRS)
        let check = CoordinateCheck(source: crs, target: workingCRS)
        var table = FeatureTable(path: path, layer: layerName, sourceCRS: crs)
        for (name, _) in fieldIndices { table.attributes[name] = [] }
        var sourceExtent = (minX: Double.infinity, minY: Double.infinity, maxX: -Double.infinity, maxY: -Double.infinity)
        let number = try forEachFeature(ogrLayer, path: path, whereLayer: whereLayer) { feature, number, at in
            guard var ogrGeometry = OGR_F_GetGeometryRef(feature), OGR_G_IsEmpty(ogrGeometry) == 0 else {
                throw GeoIOError(path: path, location: at, "has no geometry (null or empty)")
            }
            var linear: OGRGeometryH?
            if OGR_G_HasCurveGeometry(ogrGeometry, 1) != 0 {
                linear = OGR_G_GetLinearGeometry(ogrGeometry, 0, nil)
                if let linear { ogrGeometry = linear }
            }
            defer { if let linear { OGR_G_DestroyGeometry(linear) } }

            let flat = OGR_GT_Flatten(OGR_G_GetGeometryType(ogrGeometry))
            let typeName = String(cString: OGRGeometryTypeToName(flat))
            switch geometry {
            case .polygons:
                guard flat == wkbPolygon || flat == wkbMultiPolygon else {
                    throw GeoIOError(path: path, location: at, "is a \(typeName); polygons are needed here")
                }
            case .points:
                guard flat == wkbPoint || (flat == wkbMultiPoint && OGR_G_GetGeometryCount(ogrGeometry) == 1) else {
                    throw GeoIOError(path: path, location: at, "is a \(typeName); points are needed here")
                }
            }
            let vertexCount = OGR_G_WkbSize(ogrGeometry) / 16
            guard vertexCount <= Limits.maxVerticesPerFeature else {
                throw GeoIOError(path: path, location: at, "has more than \(Limits.maxVerticesPerFeature) vertices (see docs/RELIABILITY.md)")
            }
            var wkb = [UInt8](repeating: 0, count: Int(OGR_G_WkbSize(ogrGeometry)))
            guard OGR_G_ExportToIsoWkb(ogrGeometry, wkbNDR, &wkb) == OGRERR_NONE else {
                throw GeoIOError(path: path, location: at, "geometry cannot be exported: \(GDAL.lastError())")
            }
            // Check every coordinate in the source CRS, then convert in one bulk call.
            var firstSource: (Double, Double) = (0, 0)
            var problem: String?
            do {
                var first = true
                try WKBCoordinates.rewrite(&wkb) { x, y in
                    if first { firstSource = (x, y); first = false }
                    if problem == nil { problem = check.problem(sourceX: x, y: y) }
                    sourceExtent.minX = min(sourceExtent.minX, x); sourceExtent.maxX = max(sourceExtent.maxX, x)
                    sourceExtent.minY = min(sourceExtent.minY, y); sourceExtent.maxY = max(sourceExtent.maxY, y)
                }
            } catch {
                throw GeoIOError(path: path, location: at, "malformed geometry")
            }
            if let problem { throw GeoIOError(path: path, location: at, problem) }
            if !transform.isIdentity {
                let converted: Bool
                var targetProblem: String?
                do {
                    converted = try WKBCoordinates.transform(&wkb, with: transform)
                    try WKBCoordinates.rewrite(&wkb) { x, y in
                        if targetProblem == nil {
                            targetProblem = check.problem(targetX: x, y: y, sourceX: firstSource.0, sourceY: firstSource.1)
                        }
                    }
                } catch {
                    throw GeoIOError(path: path, location: at, "malformed geometry")
                }
                if !converted || targetProblem != nil {
                    throw GeoIOError(path: path, location: at, targetProblem ?? "cannot be converted from \(crs.label) to \(workingCRS.label)")
                }
            }
            var g: Geometry
            do { g = try Geometry(wkb: wkb) } catch {
                throw GeoIOError(path: path, location: at, "unreadable geometry: \(error)")
            }
            if geometry == .points, g.kind == .multiPoint, let only = g.parts.first { g = only }
            if geometry == .polygons, !g.isValid {
                let reason = (try? g.validity().reason) ?? "invalid"
                do { g = try g.makeValid() } catch {
                    throw GeoIOError(path: path, location: at, "invalid polygon (\(reason)) that make-valid cannot repair: \(error)")
                }
                let area: Double
                do { area = try g.area() } catch {
                    throw GeoIOError(path: path, location: at, "invalid polygon (\(reason)) whose repair GEOS cannot measure: \(error)")
                }
                guard !g.isEmpty, area > 0 else {
                    throw GeoIOError(path: path, location: at, "invalid polygon (\(reason)) with no area left after repair")
                }
                table.repairs.append(.init(feature: number, reason: reason))
            }
            table.geometries.append(g)
            table.featureNumbers.append(number)
            for (name, i) in fieldIndices {
                guard let v = value(feature, i) else {
                    throw GeoIOError(path: path, location: at, "\(name) is not valid UTF-8 text")
                }
                table.attributes[name]!.append(v)
            }
        }
        if let degrees = check.looksLikeDegrees(sourceExtent, count: number) {
            throw GeoIOError(path: path, degrees)
        }
        do {
            table.operation = try transform.appliedOperation()
        } catch {
            throw GeoIOError(path: path, "\(error)")
        }
        return table
    }

    /// Calls `body` with each feature of the layer, its 1-based number and its place for
    /// messages (`feature 12`, prefixed by the layer when the source has several).
    /// - Returns: the number of features.
    /// - Throws: past `Limits.maxFeatures`, or when GDAL fails part way through the layer.
    static func forEachFeature(
        _ ogrLayer: OGRLayerH, path: String, whereLayer: String, _ body: (OGRFeatureH, Int, String) throws -> Void
    ) throws -> Int {
        var number = 0
        OGR_L_ResetReading(ogrLayer)
        CPLErrorReset()
        while let feature = OGR_L_GetNextFeature(ogrLayer) {
            defer { OGR_F_Destroy(feature) }
            number += 1
            guard number <= Limits.maxFeatures else {
                throw GeoIOError(path: path, "more than \(Limits.maxFeatures) features (see docs/RELIABILITY.md)")
            }
            try body(feature, number, "\(whereLayer)feature \(number)")
        }
        if CPLGetLastErrorType() == CE_Failure {
            throw GeoIOError(path: path, "\(whereLayer)read failed after \(number) features: \(VectorSource.shorten(GDAL.lastError()))")
        }
        return number
    }

    /// The layer's CRS: the file's, or the declared one when the file has none.
    /// - Throws: when there is neither, or both and they differ (one of them is wrong).
    static func layerCRS(_ ogrLayer: OGRLayerH, declared declaredCRS: CRS?, path: String, whereLayer: String) throws -> CRS {
        let fileCRS: CRS?
        if let srs = OGR_L_GetSpatialRef(ogrLayer) {
            do { fileCRS = try GDAL.crs(of: srs) } catch {
                throw GeoIOError(path: path, "\(whereLayer)unreadable CRS: \(error)")
            }
        } else {
            fileCRS = nil
        }
        let crs: CRS
        switch (fileCRS, declaredCRS) {
        case (nil, nil):
            throw GeoIOError(path: path, "\(whereLayer)the file declares no CRS; add crs: (e.g. EPSG:27700) to its source")
        case (let f?, nil): crs = f
        case (nil, let d?): crs = d
        case (let f?, let d?):
            guard f == d else {
                throw GeoIOError(path: path, "\(whereLayer)the file says its CRS is \(f.label) but the scenario declares \(d.label); remove one")
            }
            crs = f
        }
        return crs
    }

    /// The field's value, or nil when its text is not valid UTF-8 (GDAL passes a GeoJSON
    /// string's bytes through unchecked; replacing them silently would corrupt ids and names).
    static func value(_ feature: OGRFeatureH, _ i: Int32) -> AttributeValue? {
        guard OGR_F_IsFieldSetAndNotNull(feature, i) != 0 else { return .null }
        let defn = OGR_F_GetFieldDefnRef(feature, i)
        switch OGR_Fld_GetType(defn) {
        case OFTInteger, OFTInteger64: return .integer(OGR_F_GetFieldAsInteger64(feature, i))
        case OFTReal: return .real(OGR_F_GetFieldAsDouble(feature, i))
        default: return String(validatingCString: OGR_F_GetFieldAsString(feature, i)).map { .string($0) }
        }
    }
}
