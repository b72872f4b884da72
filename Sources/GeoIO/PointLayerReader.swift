import CGDAL
import Foundation
import Projection

/// A point layer read into plain columns, in the layer's own CRS.
public struct PointLayerColumns: Sendable {
    /// The CRS of `xs` and `ys` (the file's, or the declared one when it has none).
    public let crs: CRS
    public var xs: [Double] = []
    public var ys: [Double] = []
    /// Requested whole-number fields (ids such as UPRNs), exactly as stored.
    public var integers: [String: [Int64]] = [:]
    /// Requested numeric fields.
    public var numbers: [String: [Double]] = [:]
    /// Requested text fields (an unset value reads as "").
    public var texts: [String: StringColumn] = [:]

    public var count: Int { xs.count }
}

/// Reads a point layer (GeoPackage, FlatGeobuf, GeoJSON, ...) through GDAL into columns,
/// without building a geometry object per feature: millions of points cost a few arrays.
///
/// Each feature must be one point (a MultiPoint holding one point is accepted); its
/// coordinates must be finite. Numeric and whole-number fields must be set on every feature.
public enum PointLayerReader {
    public static func read(
        path: String, layer: String? = nil, integerFields: [String] = [], numberFields: [String] = [],
        textFields: [String] = [], declaredCRS: CRS? = nil
    ) throws -> PointLayerColumns {
        let source = try VectorSource(path: path)
        let ogrLayer = try source.layer(layer)
        let layerName = String(cString: OGR_L_GetName(ogrLayer))
        let whereLayer = source.layerNames.count > 1 ? "layer '\(layerName)': " : ""
        let crs = try FeatureReader.layerCRS(ogrLayer, declared: declaredCRS, path: path, whereLayer: whereLayer)
        let defn = OGR_L_GetLayerDefn(ogrLayer)
        func index(_ name: String) throws -> Int32 {
            let i = OGR_FD_GetFieldIndex(defn, name)
            guard i >= 0 else {
                let available = (0..<OGR_FD_GetFieldCount(defn)).map {
                    String(cString: OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, $0)))
                }
                throw GeoIOError(path: path, "\(whereLayer)no field '\(name)'; fields are: \(available.prefix(30).joined(separator: ", "))")
            }
            return i
        }
        let integerIndex = try integerFields.map { ($0, try index($0)) }
        let numberIndex = try numberFields.map { ($0, try index($0)) }
        let textIndex = try textFields.map { ($0, try index($0)) }

        var table = PointLayerColumns(crs: crs)
        var integers = Array(repeating: [Int64](), count: integerIndex.count)
        var numbers = Array(repeating: [Double](), count: numberIndex.count)
        var texts = Array(repeating: StringColumn(), count: textIndex.count)
        let expected = OGR_L_GetFeatureCount(ogrLayer, 0)
        if expected > 0 && expected <= Int64(Limits.maxFeatures) {
            table.xs.reserveCapacity(Int(expected))
            table.ys.reserveCapacity(Int(expected))
            for k in integers.indices { integers[k].reserveCapacity(Int(expected)) }
        }
        _ = try FeatureReader.forEachFeature(ogrLayer, path: path, whereLayer: whereLayer) { feature, _, at in
            guard var g = OGR_F_GetGeometryRef(feature), OGR_G_IsEmpty(g) == 0 else {
                throw GeoIOError(path: path, location: at, "has no geometry (null or empty)")
            }
            let flat = OGR_GT_Flatten(OGR_G_GetGeometryType(g))
            if flat == wkbMultiPoint, OGR_G_GetGeometryCount(g) == 1, let only = OGR_G_GetGeometryRef(g, 0) {
                g = only
            } else if flat != wkbPoint {
                throw GeoIOError(path: path, location: at, "is a \(String(cString: OGRGeometryTypeToName(flat))); points are needed here")
            }
            let x = OGR_G_GetX(g, 0), y = OGR_G_GetY(g, 0)
            guard x.isFinite, y.isFinite else {
                throw GeoIOError(path: path, location: at, "coordinate is not a finite number")
            }
            table.xs.append(x)
            table.ys.append(y)
            for (k, (name, i)) in integerIndex.enumerated() {
                integers[k].append(try integer(feature, i, name: name, path: path, at: at))
            }
            for (k, (name, i)) in numberIndex.enumerated() {
                guard OGR_F_IsFieldSetAndNotNull(feature, i) != 0 else {
                    throw GeoIOError(path: path, location: at, "\(name) is not set")
                }
                let v: Double
                switch OGR_Fld_GetType(OGR_F_GetFieldDefnRef(feature, i)) {
                case OFTInteger, OFTInteger64, OFTReal: v = OGR_F_GetFieldAsDouble(feature, i)
                default:
                    let text = String(cString: OGR_F_GetFieldAsString(feature, i)).trimmingCharacters(in: .whitespaces)
                    guard let parsed = Double(text) else {
                        throw GeoIOError(path: path, location: at, "\(name) '\(text.printable)' is not a number")
                    }
                    v = parsed
                }
                guard v.isFinite else { throw GeoIOError(path: path, location: at, "\(name) is not a finite number") }
                numbers[k].append(v)
            }
            for (k, (name, i)) in textIndex.enumerated() {
                guard let v = FeatureReader.value(feature, i) else {
                    throw GeoIOError(path: path, location: at, "\(name) is not valid UTF-8 text")
                }
                texts[k].append(v.text)
            }
        }
        for (k, (name, _)) in integerIndex.enumerated() { table.integers[name] = integers[k] }
        for (k, (name, _)) in numberIndex.enumerated() { table.numbers[name] = numbers[k] }
        for (k, (name, _)) in textIndex.enumerated() { table.texts[name] = texts[k] }
        return table
    }

    /// A whole-number field: integer fields as stored, real fields when whole, text fields of
    /// digits (with an optional minus sign).
    private static func integer(_ feature: OGRFeatureH, _ i: Int32, name: String, path: String, at: String) throws -> Int64 {
        guard OGR_F_IsFieldSetAndNotNull(feature, i) != 0 else {
            throw GeoIOError(path: path, location: at, "\(name) is not set")
        }
        switch OGR_Fld_GetType(OGR_F_GetFieldDefnRef(feature, i)) {
        case OFTInteger, OFTInteger64:
            return OGR_F_GetFieldAsInteger64(feature, i)
        case OFTReal:
            let v = OGR_F_GetFieldAsDouble(feature, i)
            guard v.isFinite, v == v.rounded(), abs(v) < 9e15 else {
                throw GeoIOError(path: path, location: at, "\(name) \(v) is not a whole number")
            }
            return Int64(v)
        default:
            let text = String(cString: OGR_F_GetFieldAsString(feature, i)).trimmingCharacters(in: .whitespaces)
            guard let v = Int64(text) else {
                throw GeoIOError(path: path, location: at, "\(name) '\(text.printable)' is not a whole number")
            }
            return v
        }
    }
}

extension PointReader {
    /// Converts coordinates read by another reader to the working CRS in one bulk PROJ call,
    /// with the same checks as every point bbplan reads: each source coordinate must lie in
    /// its CRS's area of use, projected data must not look like degrees, and each converted
    /// coordinate must land in the working CRS's area of use.
    ///
    /// - Parameters:
    ///   - xs: eastings or longitudes (degrees), replaced by working-CRS x.
    ///   - ys: northings or latitudes (degrees), replaced by working-CRS y.
    ///   - place: the row's place for messages, e.g. "line 12" or "feature 7".
    /// - Returns: the operation PROJ used, nil when the CRS already is the working CRS.
    public static func convert(
        xs: inout [Double], ys: inout [Double], from crs: CRS, to workingCRS: CRS, path: String,
        place: (Int) -> String
    ) throws -> OperationInfo? {
        let check = CoordinateCheck(source: crs, target: workingCRS)
        var extent = (minX: Double.infinity, minY: Double.infinity, maxX: -Double.infinity, maxY: -Double.infinity)
        for i in 0..<xs.count {
            if let problem = check.problem(sourceX: xs[i], y: ys[i]) {
                throw GeoIOError(path: path, location: place(i), problem)
            }
            extent.minX = min(extent.minX, xs[i]); extent.maxX = max(extent.maxX, xs[i])
            extent.minY = min(extent.minY, ys[i]); extent.maxY = max(extent.maxY, ys[i])
        }
        if let degrees = check.looksLikeDegrees(extent, count: xs.count) {
            throw GeoIOError(path: path, degrees)
        }
        var table = PointTable()
        swap(&table.xs, &xs)
        swap(&table.ys, &ys)
        defer {
            swap(&table.xs, &xs)
            swap(&table.ys, &ys)
        }
        return try convert(&table, from: crs, to: workingCRS, check: check) { i, problem in
            GeoIOError(path: path, location: place(i), problem)
        }
    }
}
