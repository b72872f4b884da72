/// A CRS that could not be understood or a transformation that could not be made or run.
public struct ProjectionError: Error, CustomStringConvertible, Equatable, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
