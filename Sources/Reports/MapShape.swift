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

    /// Where an authority's label goes: the area centroid (shoelace) of its largest ring, or
    /// nil for a shape without a ring of positive area.
    static func labelPoint(_ rings: [[Coordinate]]) -> Coordinate? {
        var best: (area: Double, x: Double, y: Double)?
        for ring in rings where ring.count >= 3 {
            var a = 0.0, cx = 0.0, cy = 0.0
            for i in ring.indices {
                let p = ring[i], q = ring[(i + 1) % ring.count]
                let cross = p.x * q.y - q.x * p.y
                a += cross
                cx += (p.x + q.x) * cross
                cy += (p.y + q.y) * cross
            }
            guard abs(a) > 0 else { continue }
            if abs(a) > best?.area ?? 0 { best = (abs(a), cx / (3 * a), cy / (3 * a)) }
        }
        return best.map { Coordinate(x: $0.x, y: $0.y) }
    }

    /// Ground metres per map unit of `planned` shapes: 1 in a projected metre CRS, divided by
    /// the point scale factor of British National Grid at the map's central easting when the
    /// working CRS is EPSG:27700 (grid distances there are ground distances × k, with
    /// k = 0.9996012717 × (1 + (E − 400000)² ÷ (2 R²)), R = 6,381 km: the Transverse Mercator
    /// point scale factor to second order, Snyder, "Map Projections: A Working Manual", USGS
    /// 1987, chapter 8; the BNG central scale factor and false easting are the published
    /// projection parameters); nil for geographic CRSs.
    static func metresPerUnit(_ r: RunResult) -> Double? {
        let crs = r.scenario.crs
        if crs.isGeographic { return nil }
        guard crs.epsg == 27700 else { return 1 }
        let authorities = r.inputs.selected.map { r.inputs.authorities[$0] }
        let extent = authorities.reduce(Envelope.empty) { $0.union($1.geometry.envelope) }
        guard extent.width.isFinite, extent.width >= 0 else { return 1 }
        let centre = extent.minX + extent.width / 2
        return 1 / bngScaleFactor(easting: centre)
    }

    /// The point scale factor of British National Grid at `easting` (see `metresPerUnit`).
    static func bngScaleFactor(easting: Double) -> Double {
        let e = easting - 400_000, r = 6_381_000.0
        return 0.9996012717 * (1 + e * e / (2 * r * r))
    }

    /// Ground metres per map unit of shapes read from GeoJSON (`fromGeoJSON`): one degree of
    /// latitude on the mean Earth sphere (R = 6,371,008.8 m, IUGG): 111,195 m. The x axis is
    /// scaled by cos(mean latitude), so east–west lengths match at the mean latitude.
    static let metresPerGeoJSONUnit = 6_371_008.8 * Double.pi / 180

    /// A run's built areas in the working CRS, simplified as `planned` simplifies the
    /// authorities, with their year and technology.
    static func built(_ r: RunResult) throws -> [BuiltAreaShape] {
        guard let rollout = r.rollout else { return [] }
        let authorities = r.inputs.selected.map { r.inputs.authorities[$0] }
        let extent = authorities.reduce(Envelope.empty) { $0.union($1.geometry.envelope) }
        let tolerance = max(extent.width, extent.height) / detail
        var out: [BuiltAreaShape] = []
        for k in rollout.areas.indices where rollout.selection.status[k] == .built {
            guard let year = rollout.selection.year[k], let technology = rollout.priced[k].technology,
                  k < rollout.areaPolygons.count, let polygon = rollout.areaPolygons[k] else { continue }
            out.append(BuiltAreaShape(shape: MapShape(code: rollout.areas[k].id, name: rollout.areas[k].id, rings: try rings(of: polygon, tolerance: tolerance)),
                                      year: year, technology: technology.rawValue))
        }
        return out
    }

    /// The built areas of a run folder's `build_areas.geojson` (status `built`), projected as
    /// the authorities were; empty when the file is missing.
    static func loadBuilt(runFolder: URL, projection: Projection) throws -> [BuiltAreaShape] {
        let url = runFolder.appendingPathComponent("build_areas.geojson")
        guard FileManager.default.fileExists(atPath: url.path) else { return [] }
        var attributes: [String: (year: Int, technology: String)] = [:]
        let shapes = try fromGeoJSON(at: url, projection: projection) { p in
            guard p["status"] as? String == "built", let id = p["id"] as? String,
                  let year = (p["year"] as? NSNumber)?.intValue, let technology = p["technology"] as? String else { return nil }
            attributes[id] = (year, technology)
            return (id, id)
        }.shapes
        return shapes.compactMap { shape in
            attributes[shape.code].map { BuiltAreaShape(shape: shape, year: $0.year, technology: $0.technology) }
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

/// A built build area on the report's "built areas" maps.
public struct BuiltAreaShape: Sendable, Equatable {
    public var shape: MapShape
    public var year: Int
    /// The build route's name (`fttp`, `fwa`, `voucher`, `satellite`).
    public var technology: String
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
