/// A failure the command line reports as it is: one line (`bbplan: <message>`) and its exit
/// code (1 the run failed, 2 bad input; see docs/RELIABILITY.md).
public struct CommandFailure: Error, Sendable {
    public let message: String
    public let code: Int32

    public init(message: String, code: Int32) {
        self.message = message
        self.code = code
    }
}

/// bbplan's version: in every summary.json, the catalogue's settings hash and `--version`.
public enum BBPlanVersion {
    public static let current = "0.1.0"
}
