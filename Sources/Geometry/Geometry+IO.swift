import CGEOS

extension Geometry {
    /// Reads ISO/OGC well-known binary (either byte order).
    public init(wkb: [UInt8]) throws {
        let context = GEOSContext.current
        context.resetError()
        let result = wkb.withUnsafeBufferPointer { buffer in
            GEOSWKBReader_read_r(context.handle, context.wkbReader, buffer.baseAddress, buffer.count)
        }
        self = try Geometry.make("WKB read", context, result)
    }

    /// Reads well-known text; used in tests and fixtures.
    public init(wkt: String) throws {
        let context = GEOSContext.current
        context.resetError()
        self = try Geometry.make(
            "WKT read", context, GEOSWKTReader_read_r(context.handle, context.wktReader, wkt))
    }

    /// 2-D little-endian well-known binary.
    public func wkb() throws -> [UInt8] {
        let context = GEOSContext.current
        context.resetError()
        var size = 0
        guard let bytes = GEOSWKBWriter_write_r(context.handle, context.wkbWriter, pointer, &size) else {
            throw context.error("WKB write")
        }
        defer { GEOSFree_r(context.handle, bytes) }
        return Array(UnsafeBufferPointer(start: bytes, count: size))
    }

    /// Well-known text, trimmed of trailing zeros.
    public var wkt: String {
        let context = GEOSContext.current
        guard let text = GEOSWKTWriter_write_r(context.handle, context.wktWriter, pointer) else {
            return "<\(context.error("WKT write"))>"
        }
        defer { GEOSFree_r(context.handle, text) }
        return String(cString: text)
    }
}

extension Geometry: CustomStringConvertible {
    public var description: String { wkt }
}
