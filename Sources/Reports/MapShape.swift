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
        try fromGeoJSON(at: url, projection: nil).shapes
    }

    /// How GeoJSON longitude/latitude become map coordinates: x scaled by `scale`, rings
    /// simplified with `tolerance`. Overlays reuse the authorities' so they line up.
    struct Projection: Sendable, Equatable {
        var scale: Double
        var tolerance: Double
    }

    /// Shapes of a GeoJSON file, labelled by `label` (features it returns nil for are left
    /// out), projected with `projection` or, when nil, one fitted to the file.
    static func fromGeoJSON(
        at url: URL, projection given: Projection?,
        label: ([String: Any]) -> (code: String, name: String)? = { p in (p["code"] as? String).map { ($0, p["name"] as? String ?? $0) } }
    ) throws -> (shapes: [MapShape], projection: Projection) {
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
            if given != nil, label(properties) == nil { continue }
            guard let (code, name) = label(properties) else {
                throw RunSummary.LoadError(description: "\(url.path): feature \(n + 1) has no code")
            }
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
        let scale = given?.scale ?? (minLat <= maxLat ? cos((minLat + maxLat) / 2 * .pi / 180) : 1)
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
        let tolerance = given?.tolerance ?? max(extent.width, extent.height) / detail
        let shapes = try projected.map { code, name, geometry in
            MapShape(code: code, name: name, rings: try geometry.map { try rings(of: $0, tolerance: tolerance) } ?? [])
        }
        return (shapes, Projection(scale: scale, tolerance: tolerance))
    }

    /// A run's overlays in the working CRS, simplified as `planned` simplifies the authorities:
    /// the superfast gap clusters crossing a border and the lots.
    static func overlays(_ r: RunResult) throws -> [MapOverlay] {
        let authorities = r.inputs.selected.map { r.inputs.authorities[$0] }
        let extent = authorities.reduce(Envelope.empty) { $0.union($1.geometry.envelope) }
        let tolerance = max(extent.width, extent.height) / detail
        var out: [MapOverlay] = []
        if let t = r.baseline.gapClusters.first(where: { $0.tier.name == MapOverlay.clusterTier }) {
            out.append(MapOverlay(kind: .crossBorderClusters, shapes: try t.clusters.filter(\.crossesBorder).map {
                MapShape(code: $0.id, name: $0.shares.map(\.code).joined(separator: ", "), rings: try rings(of: $0.geometry, tolerance: tolerance))
            }))
        }
        if let rollout = r.rollout, let lots = rollout.lots {
            out.append(MapOverlay(kind: .lots, shapes: try zip(lots, rollout.lotPolygons).map { lot, polygon in
                MapShape(code: lot.id, name: lot.authorities.joined(separator: ", "), rings: polygon.isEmpty ? [] : try rings(of: polygon, tolerance: tolerance))
            }))
        }
        return out
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

/// Shapes drawn over the authority outlines on the report's "shared gaps and lots" map.
public struct MapOverlay: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// Gap clusters of `clusterTier` that span two or more authorities.
        case crossBorderClusters = "cross-border-clusters"
        case lots
    }
    /// The tier whose clusters are mapped.
    static let clusterTier = "superfast"
    public var kind: Kind
    public var shapes: [MapShape]

    /// Reads a run folder's overlays from its GeoJSON (`gap_clusters_superfast.geojson`,
    /// `lots.geojson`), projected as the authorities were; files that are missing are skipped.
    static func load(runFolder: URL, projection: MapShape.Projection) throws -> [MapOverlay] {
        var out: [MapOverlay] = []
        let clusters = runFolder.appendingPathComponent("gap_clusters_\(clusterTier).geojson")
        if FileManager.default.fileExists(atPath: clusters.path) {
            out.append(MapOverlay(kind: .crossBorderClusters, shapes: try MapShape.fromGeoJSON(at: clusters, projection: projection) { p in
                guard (p["cross_border"] as? NSNumber)?.intValue == 1, let id = p["cluster_id"] as? String else { return nil }
                return (id, p["authorities"] as? String ?? id)
            }.shapes))
        }
        let lots = runFolder.appendingPathComponent("lots.geojson")
        if FileManager.default.fileExists(atPath: lots.path) {
            out.append(MapOverlay(kind: .lots, shapes: try MapShape.fromGeoJSON(at: lots, projection: projection) { p in
                (p["lot_id"] as? String).map { ($0, p["authorities"] as? String ?? $0) }
            }.shapes))
        }
        return out
    }
}
