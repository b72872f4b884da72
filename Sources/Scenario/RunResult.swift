import Coverage
import Foundation

/// Everything a run produced, for the report writers.
public struct RunResult: Sendable {
    public let scenario: Scenario
    public let inputs: LoadedInputs
    public let baseline: BaselineResult
    /// Nil for `bbplan coverage` (the after state is then the before state).
    public let rollout: RolloutResult?
    public let startedAt: Date
    public let finishedAt: Date
    public let toolVersion: String

    public init(scenario: Scenario, inputs: LoadedInputs, baseline: BaselineResult, rollout: RolloutResult?,
                startedAt: Date, finishedAt: Date, toolVersion: String) {
        self.scenario = scenario
        self.inputs = inputs
        self.baseline = baseline
        self.rollout = rollout
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.toolVersion = toolVersion
    }

    /// The after state per planned authority: the rollout's, or the baseline's.
    public var afterStatistics: [AuthorityStatistics] { rollout?.afterStatistics ?? baseline.statistics }
    public var afterCoverage: [AuthorityCoverage] { rollout?.afterCoverage ?? baseline.coverage }
}
