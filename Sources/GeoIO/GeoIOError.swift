/// A problem with an input or output file, reported to the user as one line:
/// `path: where: what`, e.g. `postcodes.csv: line 12: easting 'n/a' is not a number`.
public struct GeoIOError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file (or data source) concerned.
    public let path: String
    /// Where in it: "line 12", "feature 7", "layer 'footprint'", or empty.
    public let location: String
    /// What is wrong, as a short sentence fragment.
    public let message: String

    public init(path: String, location: String = "", _ message: String) {
        self.path = path
        self.location = location
        self.message = message
    }

    public var description: String {
        location.isEmpty ? "\(path): \(message)" : "\(path): \(location): \(message)"
    }
}
