import CGEOS

/// Owns one GEOS geometry pointer and frees it when the last reference goes.
///
/// `@unchecked Sendable`: guarded by immutability and ownership. `pointer` is set once and
/// never reassigned; the geometry behind it is never modified after construction (every
/// operation returns a new geometry); it is freed only in `deinit`, which ARC runs once, after
/// the last reference on any thread is gone.
final class GeometryStorage: @unchecked Sendable {
    let pointer: OpaquePointer

    init(_ pointer: OpaquePointer) { self.pointer = pointer }

    deinit { GEOSGeom_destroy_r(GEOSContext.current.handle, pointer) }
}

/// An immutable planar geometry backed by GEOS.
///
/// Coordinates are in whatever CRS the caller works in; bbplan's working CRS is projected and
/// in metres (default EPSG:27700), so areas are in m² and distances in metres. Geometry values
/// are immutable and may be passed between threads, but GEOS caches inside a geometry (its
/// envelope, prepared indexes), so one geometry must not be operated on by two threads at
/// once: parallel work clones shared geometries per task (`Parallel`'s `cloning:` forms and
/// `GeometryClones` in Coverage).
///
/// `@unchecked Sendable`: guarded by `GeometryStorage`'s immutability and ownership (above)
/// plus the clone rule for concurrent GEOS operations.
public struct Geometry: @unchecked Sendable {
    let storage: GeometryStorage

    /// Wraps a pointer GEOS returned, which this value now owns.
    init(owning pointer: OpaquePointer) { storage = GeometryStorage(pointer) }

    var pointer: OpaquePointer { storage.pointer }

    /// Takes ownership of the result of a GEOS constructor, or throws GEOS's error.
    static func make(
        _ operation: String, _ context: GEOSContext, _ result: OpaquePointer?
    ) throws -> Geometry {
        guard let result else { throw context.error(operation) }
        return Geometry(owning: result)
    }

    /// Runs a GEOS call returning a new geometry, with error capture.
    static func call(
        _ operation: String, _ body: (GEOSContextHandle_t) -> OpaquePointer?
    ) throws -> Geometry {
        let context = GEOSContext.current
        context.resetError()
        return try make(operation, context, body(context.handle))
    }

    /// A deep copy, for handing to another thread that will work on it heavily.
    public func clone() throws -> Geometry {
        try Geometry.call("clone") { GEOSGeom_clone_r($0, pointer) }
    }
}

/// The kinds of geometry bbplan reads and writes (OGC simple features).
public enum GeometryKind: Int, Sendable, CustomStringConvertible {
    case point = 0, lineString = 1, linearRing = 2, polygon = 3
    case multiPoint = 4, multiLineString = 5, multiPolygon = 6, collection = 7

    public var description: String {
        switch self {
        case .point: "Point"
        case .lineString: "LineString"
        case .linearRing: "LinearRing"
        case .polygon: "Polygon"
        case .multiPoint: "MultiPoint"
        case .multiLineString: "MultiLineString"
        case .multiPolygon: "MultiPolygon"
        case .collection: "GeometryCollection"
        }
    }

    /// Polygon or MultiPolygon: the kinds that have an area.
    public var isPolygonal: Bool { self == .polygon || self == .multiPolygon }
}

/// A planar coordinate.
public struct Coordinate: Hashable, Sendable {
    public var x: Double
    public var y: Double
    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}
