import CGEOS

/// A geometry indexed for repeated predicate tests (point-in-polygon and the like).
///
/// GEOS builds the index lazily on first use, so a prepared geometry must stay on one thread;
/// parallel code prepares one copy per thread.
public final class PreparedGeometry {
    /// The geometry it was prepared from, kept alive for as long as the index.
    public let geometry: Geometry
    private let pointer: OpaquePointer

    public init(_ geometry: Geometry) throws {
        let context = GEOSContext.current
        context.resetError()
        guard let prepared = GEOSPrepare_r(context.handle, geometry.pointer) else {
            throw context.error("prepare")
        }
        self.geometry = geometry
        self.pointer = prepared
    }

    deinit { GEOSPreparedGeom_destroy_r(GEOSContext.current.handle, pointer) }

    public func contains(_ other: Geometry) throws -> Bool {
        try predicate("contains") { GEOSPreparedContains_r($0, pointer, other.pointer) }
    }

    /// True when `other` lies in the interior: inside, touching no boundary point.
    public func containsProperly(_ other: Geometry) throws -> Bool {
        try predicate("contains properly") { GEOSPreparedContainsProperly_r($0, pointer, other.pointer) }
    }

    /// True when no point of `other` lies outside (boundary points count as covered).
    public func covers(_ other: Geometry) throws -> Bool {
        try predicate("covers") { GEOSPreparedCovers_r($0, pointer, other.pointer) }
    }

    public func intersects(_ other: Geometry) throws -> Bool {
        try predicate("intersects") { GEOSPreparedIntersects_r($0, pointer, other.pointer) }
    }

    /// Whether `other` comes within `distance` (coordinate units) of this geometry.
    public func isWithin(distance: Double, of other: Geometry) throws -> Bool {
        try predicate("distance within") { GEOSPreparedDistanceWithin_r($0, pointer, other.pointer, distance) }
    }

    /// Whether the point (x, y) lies inside or on the boundary.
    public func covers(x: Double, y: Double) throws -> Bool {
        try covers(try Geometry.point(x: x, y: y))
    }

    private func predicate(_ name: String, _ body: (GEOSContextHandle_t) -> CChar) throws -> Bool {
        let context = GEOSContext.current
        context.resetError()
        switch body(context.handle) {
        case 1: return true
        case 0: return false
        default: throw context.error(name)
        }
    }
}
