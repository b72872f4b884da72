import CGEOS

extension Geometry {
    /// The union of all parts of this geometry (cascaded; dissolves overlaps).
    public func unaryUnion() throws -> Geometry {
        try Geometry.call("union") { GEOSUnaryUnion_r($0, pointer) }
    }

    public func union(with other: Geometry) throws -> Geometry {
        try Geometry.call("union") { GEOSUnion_r($0, pointer, other.pointer) }
    }

    public func intersection(with other: Geometry) throws -> Geometry {
        try Geometry.call("intersection") { GEOSIntersection_r($0, pointer, other.pointer) }
    }

    /// This geometry minus `other`.
    public func difference(_ other: Geometry) throws -> Geometry {
        try Geometry.call("difference") { GEOSDifference_r($0, pointer, other.pointer) }
    }

    /// Union of many geometries in one cascaded operation.
    public static func union(of geometries: [Geometry]) throws -> Geometry {
        if geometries.isEmpty { return try emptyPolygon() }
        return try collection(geometries).unaryUnion()
    }
}
