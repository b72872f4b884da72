import CGEOS

extension Geometry {
    /// The area within `distance` of this geometry.
    ///
    /// - Parameters:
    ///   - distance: buffer distance in the coordinate unit (metres in the working CRS).
    ///   - quadrantSegments: segments per quarter circle of each round join. A disk becomes a
    ///     regular polygon of 4 × quadrantSegments vertices inscribed in the circle, so its
    ///     area falls short of πr² by the factor sin(2π/n)·n/(2π) (about 0.64% for 8).
    public func buffer(by distance: Double, quadrantSegments: Int = 8) throws -> Geometry {
        try Geometry.call("buffer") { GEOSBuffer_r($0, pointer, distance, Int32(quadrantSegments)) }
    }

    /// Clipped to a rectangle: fast, and exact for polygons (may produce invalid output only
    /// where the input was invalid).
    public func clipped(to e: Envelope) throws -> Geometry {
        try Geometry.call("clip by rectangle") {
            GEOSClipByRect_r($0, pointer, e.minX, e.minY, e.maxX, e.maxY)
        }
    }

    /// Repaired with GEOS make-valid, keeping polygonal parts only for polygonal input.
    ///
    /// The "structure" method treats rings as area boundaries (a bowtie becomes two
    /// triangles); collapsed parts are dropped rather than kept as lines, because a planner's
    /// polygons describe areas.
    public func makeValid() throws -> Geometry {
        let context = GEOSContext.current
        context.resetError()
        guard let params = GEOSMakeValidParams_create_r(context.handle) else {
            throw context.error("make valid")
        }
        defer { GEOSMakeValidParams_destroy_r(context.handle, params) }
        GEOSMakeValidParams_setMethod_r(context.handle, params, GEOS_MAKE_VALID_STRUCTURE)
        GEOSMakeValidParams_setKeepCollapsed_r(context.handle, params, 0)
        let repaired = try Geometry.make(
            "make valid", context, GEOSMakeValidWithParams_r(context.handle, pointer, params))
        return kind.isPolygonal ? try repaired.polygonalParts() : repaired
    }

    /// Only the Polygon parts, as a MultiPolygon (or Polygon when there is one).
    public func polygonalParts() throws -> Geometry {
        switch kind {
        case .polygon, .multiPolygon: return self
        default:
            let polygons = flattened.filter { $0.kind == .polygon }
            if polygons.count == 1 { return try polygons[0].clone() }
            return try Geometry.multiPolygon(polygons)
        }
    }

    /// Coordinates rounded to a grid of `gridSize` (coordinate units) with the topology kept
    /// valid (GEOS snap-rounding): parts that collapse are dropped. Used before writing at a
    /// fixed number of decimals, where plain rounding could make a valid polygon invalid.
    public func snapped(toGrid gridSize: Double) throws -> Geometry {
        try Geometry.call("set precision") { GEOSGeom_setPrecision_r($0, pointer, gridSize, 0) }
    }

    /// Simplified keeping topology (no new self-intersections), tolerance in coordinate units.
    public func simplified(tolerance: Double) throws -> Geometry {
        try Geometry.call("simplify") { GEOSTopologyPreserveSimplify_r($0, pointer, tolerance) }
    }

    /// A point guaranteed to lie inside a polygon (or on a line): gap clusters' stable ids.
    public func pointOnSurface() throws -> Geometry {
        try Geometry.call("point on surface") { GEOSPointOnSurface_r($0, pointer) }
    }
}
