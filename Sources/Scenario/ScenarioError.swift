import GeoIO

/// A problem with a scenario file, reported as `file:line: message`.
public struct ScenarioError: Error, CustomStringConvertible, Equatable, Sendable {
    public let file: String
    /// 1-based line, or 0 when the problem is with the file as a whole.
    public let line: Int
    public let message: String
    /// Bad input (exit 2) rather than a failed run (exit 1).
    public let isBadInput: Bool

    public init(file: String, line: Int = 0, _ message: String, isBadInput: Bool = true) {
        self.file = file
        self.line = line
        self.message = message
        self.isBadInput = isBadInput
    }

    public var description: String {
        (line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)").printable
    }
}
