import CGEOS

extension Geometry {
    /// The direct parts of a multi-geometry or collection, as copies; `[self]` otherwise.
    public var parts: [Geometry] {
        let handle = GEOSContext.current.handle
        switch kind {
        case .multiPoint, .multiLineString, .multiPolygon, .collection:
            return (0..<partCount).compactMap { i in
                guard let part = GEOSGetGeometryN_r(handle, pointer, Int32(i)),
                      let copy = GEOSGeom_clone_r(handle, part) else { return nil }
                return Geometry(owning: copy)
            }
        default:
            return [self]
        }
    }

    /// All non-collection parts, recursively.
    public var flattened: [Geometry] {
        switch kind {
        case .multiPoint, .multiLineString, .multiPolygon, .collection:
            return parts.flatMap(\.flattened)
        default:
            return [self]
        }
    }

    /// The vertices of a point, line or ring.
    public func coordinates() throws -> [Coordinate] {
        let context = GEOSContext.current
        context.resetError()
        return try Geometry.borrowedCoordinates(pointer, context, operation: "coordinates")
    }

    /// The rings of every polygon part: for each polygon, its exterior then its holes.
    public func polygonRings() throws -> [[[Coordinate]]] {
        let context = GEOSContext.current
        var result: [[[Coordinate]]] = []
        for polygon in flattened where polygon.kind == .polygon && !polygon.isEmpty {
            context.resetError()
            guard let shell = GEOSGetExteriorRing_r(context.handle, polygon.pointer) else {
                throw context.error("exterior ring")
            }
            var rings = [try Geometry.borrowedCoordinates(shell, context)]
            let holes = GEOSGetNumInteriorRings_r(context.handle, polygon.pointer)
            for i in 0..<max(0, holes) {
                guard let hole = GEOSGetInteriorRingN_r(context.handle, polygon.pointer, i) else {
                    throw context.error("interior ring")
                }
                rings.append(try Geometry.borrowedCoordinates(hole, context))
            }
            result.append(rings)
        }
        return result
    }

    /// The vertices of a point, line or ring GEOS owns (a geometry, or a ring inside one).
    private static func borrowedCoordinates(
        _ ring: OpaquePointer, _ context: GEOSContext, operation: String = "ring coordinates"
    ) throws -> [Coordinate] {
        guard let sequence = GEOSGeom_getCoordSeq_r(context.handle, ring) else {
            throw context.error(operation)
        }
        var size: UInt32 = 0
        GEOSCoordSeq_getSize_r(context.handle, sequence, &size)
        var flat = [Double](repeating: 0, count: Int(size) * 2)
        let ok = flat.withUnsafeMutableBufferPointer { buffer in
            GEOSCoordSeq_copyToBuffer_r(context.handle, sequence, buffer.baseAddress, 0, 0)
        }
        guard ok == 1 else { throw context.error(operation) }
        return (0..<Int(size)).map { Coordinate(x: flat[2 * $0], y: flat[2 * $0 + 1]) }
    }
}
