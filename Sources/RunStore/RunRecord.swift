import Foundation
import GRDB

/// One row of `runs`: a scenario variant run into one output folder, with its headline totals.
///
/// Totals are nil until the run has finished. Shares are fractions (0–1) of the planned
/// households; a scenario without a `superfast` or `gigabit` tier leaves that share nil.
public struct RunRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "runs"

    public var id: Int64?
    /// The variant's name (for a sweep: the base name and the swept values).
    public var scenarioName: String
    /// The file-safe name: the output folder's name inside the batch folder.
    public var safeName: String
    public var scenarioFile: String
    /// Hex SHA-256 of the expanded settings (canonical JSON) and the tool version.
    public var scenarioHash: String
    public var settingsJSON: String
    public var toolVersion: String
    public var outputDir: String
    public var startedAt: Date
    public var finishedAt: Date?
    public var status: RunStatus
    /// Why the run failed (one line).
    public var error: String?
    /// The worker's exit code, for a failed run.
    public var exitCode: Int?
    /// Every household of the premises source.
    public var households: Double?
    /// Households inside the planned authorities.
    public var plannedHouseholds: Double?
    public var householdsPassed: Double?
    public var costGBP: Double?
    public var publicCostGBP: Double?
    public var superfastShareBefore: Double?
    public var superfastShareAfter: Double?
    public var gigabitShareBefore: Double?
    public var gigabitShareAfter: Double?

    enum CodingKeys: String, CodingKey {
        case id, status, error, households
        case scenarioName = "scenario_name", safeName = "safe_name", scenarioFile = "scenario_file"
        case scenarioHash = "scenario_hash", settingsJSON = "settings_json", toolVersion = "tool_version"
        case outputDir = "output_dir", startedAt = "started_at", finishedAt = "finished_at"
        case exitCode = "exit_code", plannedHouseholds = "planned_households"
        case householdsPassed = "households_passed", costGBP = "cost_gbp", publicCostGBP = "public_cost_gbp"
        case superfastShareBefore = "superfast_share_before", superfastShareAfter = "superfast_share_after"
        case gigabitShareBefore = "gigabit_share_before", gigabitShareAfter = "gigabit_share_after"
    }

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let safeName = Column(CodingKeys.safeName)
        public static let status = Column(CodingKeys.status)
        public static let error = Column(CodingKeys.error)
        public static let finishedAt = Column(CodingKeys.finishedAt)
    }

    /// A run about to start.
    public init(scenarioName: String, safeName: String, scenarioFile: String, scenarioHash: String,
                settingsJSON: String, toolVersion: String, outputDir: String, startedAt: Date) {
        self.scenarioName = scenarioName
        self.safeName = safeName
        self.scenarioFile = scenarioFile
        self.scenarioHash = scenarioHash
        self.settingsJSON = settingsJSON
        self.toolVersion = toolVersion
        self.outputDir = outputDir
        self.startedAt = startedAt
        self.status = .running
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
