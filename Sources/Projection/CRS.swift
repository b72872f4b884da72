import CPROJ
import Foundation

/// A coordinate reference system, resolved through PROJ's database.
///
/// Built from `EPSG:n` (or any `AUTH:CODE`), WKT (1 or 2, including ESRI .prj text) or PROJJSON.
/// The value keeps only text, so it is freely shareable; PROJ objects are made as needed.
public struct CRS: Hashable, Sendable, CustomStringConvertible {
    /// A definition PROJ can rebuild the CRS from: `EPSG:n` when identified, otherwise WKT2.
    public let definition: String
    /// The CRS's name, e.g. "OSGB36 / British National Grid".
    public let name: String
    /// The EPSG code when the CRS is (or is identified as) an EPSG CRS.
    public let epsg: Int?
    /// Longitude/latitude in degrees rather than projected metres.
    public let isGeographic: Bool
    /// Where the CRS is meant to be used, in degrees, when PROJ knows it.
    public let areaOfUse: AreaOfUse?
    /// The CRS as WKT2 (2019), for writing into files.
    public let wkt: String

    /// The working CRS bbplan uses unless told otherwise: British National Grid, metres.
    public static let britishNationalGrid: CRS = {
        do { return try CRS("EPSG:27700") } catch { fatalError("PROJ cannot build EPSG:27700: \(error)") }
    }()

    /// WGS 84 in longitude/latitude order, as RFC 7946 GeoJSON requires.
    public static let wgs84: CRS = {
        do { return try CRS("EPSG:4326") } catch { fatalError("PROJ cannot build EPSG:4326: \(error)") }
    }()

    /// Parses a CRS definition.
    /// - Throws: `ProjectionError` naming the definition when PROJ cannot make a CRS from it.
    public init(_ text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw ProjectionError("empty CRS definition") }
        let context = ProjContext.current
        guard let raw = proj_create(context.handle, trimmed) else {
            throw ProjectionError("unknown CRS '\(CRS.abbreviated(trimmed))': \(context.lastError())")
        }
        let pj = PJBox(raw)
        guard proj_is_crs(pj.pointer) != 0 else {
            throw ProjectionError("'\(CRS.abbreviated(trimmed))' is not a coordinate reference system")
        }
        try self.init(pj: pj, context: context)
    }

    init(pj: PJBox, context: ProjContext) throws {
        let handle = context.handle
        name = proj_get_name(pj.pointer).map { String(cString: $0) } ?? "unnamed CRS"
        let type = proj_get_type(pj.pointer)
        isGeographic = type == PJ_TYPE_GEOGRAPHIC_2D_CRS || type == PJ_TYPE_GEOGRAPHIC_3D_CRS
        epsg = CRS.identifyEPSG(pj, context)

        var west = 0.0, south = 0.0, east = 0.0, north = 0.0
        var areaName: UnsafePointer<CChar>?
        if proj_get_area_of_use(handle, pj.pointer, &west, &south, &east, &north, &areaName) != 0,
           west > -1000 {
            areaOfUse = AreaOfUse(
                west: west, south: south, east: east, north: north,
                name: areaName.map { String(cString: $0) } ?? "")
        } else {
            areaOfUse = nil
        }
        guard let text = proj_as_wkt(handle, pj.pointer, PJ_WKT2_2019, nil) else {
            throw ProjectionError("cannot express CRS '\(name)' as WKT: \(context.lastError())")
        }
        wkt = String(cString: text)
        definition = epsg.map { "EPSG:\($0)" } ?? wkt
    }

    private static func identifyEPSG(_ pj: PJBox, _ context: ProjContext) -> Int? {
        if let auth = proj_get_id_auth_name(pj.pointer, 0), String(cString: auth) == "EPSG",
           let code = proj_get_id_code(pj.pointer, 0) {
            return Int(String(cString: code))
        }
        var confidence: UnsafeMutablePointer<Int32>?
        guard let list = proj_identify(context.handle, pj.pointer, "EPSG", nil, &confidence) else { return nil }
        defer {
            proj_list_destroy(list)
            proj_int_list_destroy(confidence)
        }
        guard proj_list_get_count(list) > 0, let confidence, confidence[0] >= 90,
              let best = proj_list_get(context.handle, list, 0) else { return nil }
        defer { proj_destroy(best) }
        return proj_get_id_code(best, 0).flatMap { Int(String(cString: $0)) }
    }

    /// PROJ's object for this CRS, on the given context.
    func makePJ(_ context: OpaquePointer) throws -> PJBox {
        guard let raw = proj_create(context, definition) else {
            throw ProjectionError("cannot rebuild CRS '\(name)'")
        }
        return PJBox(raw)
    }

    /// "EPSG:27700", or the CRS's name when it has no EPSG code.
    public var label: String { epsg.map { "EPSG:\($0)" } ?? name }

    /// A short label: "EPSG:27700 (OSGB36 / British National Grid)".
    public var description: String {
        if let epsg { return "EPSG:\(epsg) (\(name))" }
        return name
    }

    public static func == (a: CRS, b: CRS) -> Bool { a.definition == b.definition }
    public func hash(into hasher: inout Hasher) { hasher.combine(definition) }

    static func abbreviated(_ text: String) -> String {
        let oneLine = String(String.UnicodeScalarView(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : $0 }))
        return oneLine.count > 60 ? String(oneLine.prefix(57)) + "..." : oneLine
    }
}

/// A CRS's area of use in degrees (WGS 84).
public struct AreaOfUse: Hashable, Sendable {
    public let west: Double
    public let south: Double
    public let east: Double
    public let north: Double
    public let name: String

    /// Whether the longitude/latitude lies inside the area, widened by `marginDegrees`.
    public func contains(lon: Double, lat: Double, marginDegrees: Double = 0) -> Bool {
        lat >= south - marginDegrees && lat <= north + marginDegrees
            && lon >= west - marginDegrees && lon <= east + marginDegrees
    }
}
