import Foundation
import Geometry
import RunSummary
import Scenario

/// An authority outline for the SVG maps: every ring of every polygon part (exteriors and
/// holes alike; the maps fill them with the even-odd rule), simplified to what a page shows.
/// Coordinates are planar with y pointing north: the working CRS, or projected longitude and
/// latitude.
public struct MapShape: Sendable, Equatable {
    public var code: String
    public var name: String
    public var rings: [[Coordinate]]

    public init(code: String, name: String, rings: [[Coordinate]]) {
        self.code = code
        self.name = name
        self.rings = rings
    }

    /// Vertices kept per map width: simplification tolerance = extent ÷ this. At the report's
    /// map sizes (about 500 px) that is finer than a pixel.
    static let detail = 1500.0

    /// The planned authorities of a run, in the working CRS (metres), simplified.
    static func planned(_ r: RunResult) throws -> [MapShape] {
        let authorities = r.inputs.selected.map { r.inputs.authorities[$0] }
        let extent = authorities.reduce(Envelope.empty) { $0.union($1.geometry.envelope) }
        let tolerance = max(extent.width, extent.height) / detail
        return try authorities.map { a in
            try MapShape(code: a.code, name: a.name, rings: rings(of: a.geometry, tolerance: tolerance))
        }
    }

    /// The authorities of an RFC 7946 GeoJSON file (a run's `authorities.geojson`: WGS 84
    /// longitude/latitude, `code` and `name` properties), projected equirectangularly with
    /// x scaled by cos(mean latitude) so shapes keep their proportions, then simplified.
    static func fromGeoJSON(at url: URL) throws -> [MapShape] {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(contentsOf: url))
        } catch {
            throw RunSummary.LoadError(description: "\(url.path): cannot read GeoJSON: \(error.localizedDescription)")
        }
        guard let features = (object as? [String: Any])?["features"] as? [[String: Any]] else {
            throw RunSummary.LoadError(description: "\(url.path): not a GeoJSON FeatureCollection")
        }
        // Polygons as [polygon][ring][(lon, lat)].
        var parsed: [(code: String, name: String, polygons: [[[Coordinate]]])] = []
        var minLat = Double.infinity, maxLat = -Double.infinity
        for (n, feature) in features.enumerated() {
            let properties = feature["properties"] as? [String: Any] ?? [:]
            guard let code = properties["code"] as? String else {
                throw RunSummary.LoadError(description: "\(url.path): feature \(n + 1) has no code")
            }
            let name = properties["name"] as? String ?? code
            let geometry = feature["geometry"] as? [String: Any]
            let type = geometry?["type"] as? String
            let coordinates = geometry?["coordinates"]
            var polygons: [[[Coordinate]]] = []
            switch type {
            case "Polygon": polygons = [rings(coordinates)]
            case "MultiPolygon": polygons = (coordinates as? [Any] ?? []).map(rings)
            default: break
            }
            for polygon in polygons { for ring in polygon { for p in ring { minLat = min(minLat, p.y); maxLat = max(maxLat, p.y) } } }
            parsed.append((code, name, polygons))
        }
        let scale = minLat <= maxLat ? cos((minLat + maxLat) / 2 * .pi / 180) : 1
        var extent = Envelope.empty
        var projected: [(String, String, Geometry?)] = []
        for (code, name, polygons) in parsed {
            let parts = try polygons.compactMap { polygon -> Geometry? in
                let rings = polygon.map { $0.map { Coordinate(x: $0.x * scale, y: $0.y) } }.filter { $0.count >= 4 }
                guard let exterior = rings.first else { return nil }
                return try Geometry.polygon(exterior: exterior, holes: Array(rings.dropFirst()))
            }
            let geometry = parts.isEmpty ? nil : try Geometry.multiPolygon(parts)
            if let geometry { extent = extent.union(geometry.envelope) }
            projected.append((code, name, geometry))
        }
        let tolerance = max(extent.width, extent.height) / detail
        return try projected.map { code, name, geometry in
            MapShape(code: code, name: name, rings: try geometry.map { try rings(of: $0, tolerance: tolerance) } ?? [])
        }
    }

    /// Rings of a geometry simplified with `tolerance` (topology kept); a part that would
    /// vanish keeps its unsimplified rings so no authority disappears from the map.
    static func rings(of geometry: Geometry, tolerance: Double) throws -> [[Coordinate]] {
        let simplified = tolerance > 0 ? try geometry.simplified(tolerance: tolerance) : geometry
        var polygons = try simplified.polygonRings()
        if polygons.isEmpty { polygons = try geometry.polygonRings() }
        return polygons.flatMap { $0 }
    }

    /// GeoJSON polygon coordinates ([[ [lon, lat], ... ], ...]) as rings of points.
    private static func rings(_ coordinates: Any?) -> [[Coordinate]] {
        (coordinates as? [Any] ?? []).map { ring in
            (ring as? [Any] ?? []).compactMap { position -> Coordinate? in
                guard let xy = position as? [Any], xy.count >= 2,
                      let x = number(xy[0]), let y = number(xy[1]) else { return nil }
                return Coordinate(x: x, y: y)
            }
        }
    }

    /// A finite JSON number as JSONSerialization gives it.
    private static func number(_ value: Any) -> Double? {
        let d: Double
        switch value {
        case let v as Double: d = v
        case let i as Int: d = Double(i)
        case let n as NSNumber: d = n.doubleValue
        default: return nil
        }
        return d.isFinite ? d : nil
    }
}
