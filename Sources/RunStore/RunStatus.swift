import GRDB

/// Where a catalogued run stands. The schema's CHECK constraint holds the same three values.
public enum RunStatus: String, Codable, Sendable, CaseIterable, DatabaseValueConvertible {
    /// Started and not finished: still running, or stopped (killed) before it finished.
    case running
    /// Finished; its results are in the catalogue and in its output folder.
    case finished
    /// Failed; `error` holds the reason.
    case failed
}
