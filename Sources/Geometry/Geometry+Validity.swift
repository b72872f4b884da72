import CGEOS

/// The result of a validity check.
public struct Validity: Sendable, Equatable {
    public let isValid: Bool
    /// GEOS's reason, e.g. "Self-intersection[1 1]"; "Valid Geometry" when valid.
    public let reason: String
}

extension Geometry {
    public var isValid: Bool { GEOSisValid_r(GEOSContext.current.handle, pointer) == 1 }

    /// Validity with GEOS's reason (which names the location of the first problem).
    public func validity() throws -> Validity {
        let context = GEOSContext.current
        context.resetError()
        let valid = GEOSisValid_r(context.handle, pointer)
        guard valid != 2 else { throw context.error("is valid") }
        guard let reason = GEOSisValidReason_r(context.handle, pointer) else {
            throw context.error("is valid reason")
        }
        defer { GEOSFree_r(context.handle, reason) }
        return Validity(isValid: valid == 1, reason: String(cString: reason))
    }
}
