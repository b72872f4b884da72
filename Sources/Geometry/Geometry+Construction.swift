import CGEOS

extension Geometry {
    /// A point.
    public static func point(x: Double, y: Double) throws -> Geometry {
        try call("create point") { GEOSGeom_createPointFromXY_r($0, x, y) }
    }

    /// A MultiPoint from parallel coordinate arrays, built without per-point Swift objects.
    public static func multiPoint(xs: [Double], ys: [Double]) throws -> Geometry {
        precondition(xs.count == ys.count, "multiPoint: xs and ys differ in length")
        let context = GEOSContext.current
        context.resetError()
        var parts: [OpaquePointer?] = []
        parts.reserveCapacity(xs.count)
        for i in xs.indices {
            guard let p = GEOSGeom_createPointFromXY_r(context.handle, xs[i], ys[i]) else {
                for q in parts { GEOSGeom_destroy_r(context.handle, q) }
                throw context.error("create point")
            }
            parts.append(p)
        }
        return try collect(GEOS_MULTIPOINT, parts, context)
    }

    /// A polygon from an exterior ring and holes; rings are closed here if they are not.
    public static func polygon(exterior: [Coordinate], holes: [[Coordinate]] = []) throws -> Geometry {
        let context = GEOSContext.current
        context.resetError()
        guard let shell = try ring(exterior, context) else { throw context.error("create ring") }
        var holePointers: [OpaquePointer?] = []
        for hole in holes {
            guard let h = try ring(hole, context) else {
                GEOSGeom_destroy_r(context.handle, shell)
                for p in holePointers { GEOSGeom_destroy_r(context.handle, p) }
                throw context.error("create ring")
            }
            holePointers.append(h)
        }
        let result = holePointers.withUnsafeMutableBufferPointer { buffer in
            GEOSGeom_createPolygon_r(context.handle, shell, buffer.baseAddress, UInt32(buffer.count))
        }
        return try make("create polygon", context, result)
    }

    /// The rectangle of an envelope as a polygon.
    public static func rectangle(_ e: Envelope) throws -> Geometry {
        try call("create rectangle") { GEOSGeom_createRectangle_r($0, e.minX, e.minY, e.maxX, e.maxY) }
    }

    /// A line string.
    public static func lineString(_ coordinates: [Coordinate]) throws -> Geometry {
        let context = GEOSContext.current
        context.resetError()
        let sequence = try coordinateSequence(coordinates, context)
        return try make("create line", context, GEOSGeom_createLineString_r(context.handle, sequence))
    }

    /// An empty polygon, the identity of union.
    public static func emptyPolygon() throws -> Geometry {
        try call("create empty polygon") { GEOSGeom_createEmptyPolygon_r($0) }
    }

    /// A MultiPolygon from polygons (each part must be a Polygon; MultiPolygons are flattened).
    public static func multiPolygon(_ polygons: [Geometry]) throws -> Geometry {
        let context = GEOSContext.current
        context.resetError()
        var parts: [OpaquePointer?] = []
        for polygon in polygons {
            for part in polygon.parts where part.kind == .polygon {
                guard let copy = GEOSGeom_clone_r(context.handle, part.pointer) else {
                    for q in parts { GEOSGeom_destroy_r(context.handle, q) }
                    throw context.error("clone")
                }
                parts.append(copy)
            }
        }
        return try collect(GEOS_MULTIPOLYGON, parts, context)
    }

    /// A GeometryCollection of copies of `geometries`.
    public static func collection(_ geometries: [Geometry]) throws -> Geometry {
        let context = GEOSContext.current
        context.resetError()
        var parts: [OpaquePointer?] = []
        for g in geometries {
            guard let copy = GEOSGeom_clone_r(context.handle, g.pointer) else {
                for q in parts { GEOSGeom_destroy_r(context.handle, q) }
                throw context.error("clone")
            }
            parts.append(copy)
        }
        return try collect(GEOS_GEOMETRYCOLLECTION, parts, context)
    }

    private static func collect(
        _ type: GEOSGeomTypes, _ parts: [OpaquePointer?], _ context: GEOSContext
    ) throws -> Geometry {
        var parts = parts
        let result = parts.withUnsafeMutableBufferPointer { buffer in
            GEOSGeom_createCollection_r(
                context.handle, Int32(type.rawValue), buffer.baseAddress, UInt32(buffer.count))
        }
        if result == nil { for q in parts { GEOSGeom_destroy_r(context.handle, q) } }
        return try make("create collection", context, result)
    }

    private static func coordinateSequence(
        _ coordinates: [Coordinate], _ context: GEOSContext
    ) throws -> OpaquePointer {
        guard let sequence = GEOSCoordSeq_create_r(context.handle, UInt32(coordinates.count), 2) else {
            throw context.error("create coordinates")
        }
        for (i, c) in coordinates.enumerated() {
            guard GEOSCoordSeq_setXY_r(context.handle, sequence, UInt32(i), c.x, c.y) != 0 else {
                GEOSCoordSeq_destroy_r(context.handle, sequence)
                throw context.error("set coordinate")
            }
        }
        return sequence
    }

    private static func ring(_ coordinates: [Coordinate], _ context: GEOSContext) throws -> OpaquePointer? {
        var closed = coordinates
        if let first = closed.first, first != closed.last { closed.append(first) }
        let sequence = try coordinateSequence(closed, context)
        return GEOSGeom_createLinearRing_r(context.handle, sequence)
    }
}
