import CGEOS

extension Geometry {
    /// The geometry's kind.
    public var kind: GeometryKind {
        let id = GEOSGeomTypeId_r(GEOSContext.current.handle, pointer)
        return GeometryKind(rawValue: Int(id)) ?? .collection
    }

    public var isEmpty: Bool { GEOSisEmpty_r(GEOSContext.current.handle, pointer) == 1 }

    /// Area in the square of the coordinate unit (m² in a metric CRS); 0 for points and lines.
    public func area() throws -> Double {
        let context = GEOSContext.current
        context.resetError()
        var value = 0.0
        guard GEOSArea_r(context.handle, pointer, &value) == 1 else { throw context.error("area") }
        return value
    }

    /// Length (perimeter for polygons) in the coordinate unit.
    public func length() throws -> Double {
        let context = GEOSContext.current
        context.resetError()
        var value = 0.0
        guard GEOSLength_r(context.handle, pointer, &value) == 1 else { throw context.error("length") }
        return value
    }

    /// Planar distance to another geometry in the coordinate unit.
    public func distance(to other: Geometry) throws -> Double {
        let context = GEOSContext.current
        context.resetError()
        var value = 0.0
        guard GEOSDistance_r(context.handle, pointer, other.pointer, &value) == 1 else {
            throw context.error("distance")
        }
        return value
    }

    /// The bounding rectangle; `Envelope.empty` for an empty geometry.
    public var envelope: Envelope {
        if isEmpty { return .empty }
        let handle = GEOSContext.current.handle
        var e = Envelope.empty
        guard GEOSGeom_getXMin_r(handle, pointer, &e.minX) == 1,
              GEOSGeom_getYMin_r(handle, pointer, &e.minY) == 1,
              GEOSGeom_getXMax_r(handle, pointer, &e.maxX) == 1,
              GEOSGeom_getYMax_r(handle, pointer, &e.maxY) == 1
        else { return .empty }
        return e
    }

    /// Number of vertices in all parts.
    public var vertexCount: Int { Int(GEOSGetNumCoordinates_r(GEOSContext.current.handle, pointer)) }

    /// Number of direct parts (1 for a single geometry).
    public var partCount: Int { Int(GEOSGetNumGeometries_r(GEOSContext.current.handle, pointer)) }

    /// X of a point; nil for other kinds.
    public var pointX: Double? {
        guard kind == .point, !isEmpty else { return nil }
        var x = 0.0
        return GEOSGeomGetX_r(GEOSContext.current.handle, pointer, &x) == 1 ? x : nil
    }

    /// Y of a point; nil for other kinds.
    public var pointY: Double? {
        guard kind == .point, !isEmpty else { return nil }
        var y = 0.0
        return GEOSGeomGetY_r(GEOSContext.current.handle, pointer, &y) == 1 ? y : nil
    }
}
