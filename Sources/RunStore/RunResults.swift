import Foundation

/// A finished run's results as the catalogue stores them: the headline totals, the inputs
/// read and one row per planned authority (the batch fills it from the run's summary.json).
public struct RunResults: Sendable, Equatable {
    public var households: Double
    public var plannedHouseholds: Double
    public var householdsPassed: Double
    public var costGBP: Double
    public var publicCostGBP: Double
    public var superfastShareBefore: Double?
    public var superfastShareAfter: Double?
    public var gigabitShareBefore: Double?
    public var gigabitShareAfter: Double?
    /// Inputs and authorities; their `runID` is set when they are recorded.
    public var inputs: [RunInputRecord]
    public var authorities: [RunAuthorityRecord]

    public init(households: Double, plannedHouseholds: Double, householdsPassed: Double, costGBP: Double,
                publicCostGBP: Double, superfastShareBefore: Double? = nil, superfastShareAfter: Double? = nil,
                gigabitShareBefore: Double? = nil, gigabitShareAfter: Double? = nil,
                inputs: [RunInputRecord], authorities: [RunAuthorityRecord]) {
        self.households = households
        self.plannedHouseholds = plannedHouseholds
        self.householdsPassed = householdsPassed
        self.costGBP = costGBP
        self.publicCostGBP = publicCostGBP
        self.superfastShareBefore = superfastShareBefore
        self.superfastShareAfter = superfastShareAfter
        self.gigabitShareBefore = gigabitShareBefore
        self.gigabitShareAfter = gigabitShareAfter
        self.inputs = inputs
        self.authorities = authorities
    }
}
