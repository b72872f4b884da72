import GRDB

/// One row of `run_inputs`: an input file a finished run read, with its SHA-256.
public struct RunInputRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "run_inputs"

    public var runID: Int64
    /// The scenario key that read it ("authorities", "premises", "networks[1]", "rollout.fibre_nodes").
    public var role: String
    /// Absolute path at the time of the run.
    public var path: String
    /// Hex SHA-256 of the file (for a Shapefile, with its companions).
    public var sha256: String
    /// Features (or points) read.
    public var features: Int

    enum CodingKeys: String, CodingKey {
        case role, path, sha256, features
        case runID = "run_id"
    }

    public enum Columns {
        public static let runID = Column(CodingKeys.runID)
        public static let role = Column(CodingKeys.role)
    }

    public init(runID: Int64 = 0, role: String, path: String, sha256: String, features: Int) {
        self.runID = runID
        self.role = role
        self.path = path
        self.sha256 = sha256
        self.features = features
    }
}
