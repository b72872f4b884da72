import Foundation
import RunSummary

// The catalogue's rows from a run's summary: the one mapping from summary.json's figures to
// the columns of `runs`, `run_inputs` and `run_authorities` (docs/BATCH.md).

extension RunRecord {
    /// Sets the result columns from the run's summary. `households` is every household of
    /// the premises source: planned, outside every authority, and in authorities not planned.
    mutating func setResults(_ s: RunSummary) {
        let t = s.totals
        households = t.plannedHouseholds + t.unassignedHouseholds + t.excludedHouseholds
        plannedHouseholds = t.plannedHouseholds
        householdsPassed = t.householdsPassed
        costGBP = t.costGBP
        publicCostGBP = t.publicCostGBP
        superfastShareBefore = t.before.shareByTier["superfast"]
        superfastShareAfter = t.after.shareByTier["superfast"]
        gigabitShareBefore = t.before.shareByTier["gigabit"]
        gigabitShareAfter = t.after.shareByTier["gigabit"]
    }
}

extension RunInputRecord {
    init(runID: Int64, _ input: RunSummary.Input) {
        self.init(runID: runID, role: input.role, path: input.path, sha256: input.sha256, features: input.features)
    }
}

extension RunAuthorityRecord {
    /// The columns are named after `RunSummary.contractTiers` (superfast and gigabit).
    init(runID: Int64, _ a: RunSummary.Authority) {
        self.init(
            runID: runID, code: a.code, name: a.name, premises: a.premises, households: a.households,
            superfastHouseholdsBefore: a.before.householdsByTier["superfast"], superfastHouseholdsAfter: a.after.householdsByTier["superfast"],
            gigabitHouseholdsBefore: a.before.householdsByTier["gigabit"], gigabitHouseholdsAfter: a.after.householdsByTier["gigabit"],
            whiteHouseholdsBefore: a.before.nga("white"), greyHouseholdsBefore: a.before.nga("grey"), blackHouseholdsBefore: a.before.nga("black"),
            superfastGapKm2Before: a.before.gap("superfast"), superfastGapKm2After: a.after.gap("superfast"),
            gigabitGapKm2Before: a.before.gap("gigabit"), gigabitGapKm2After: a.after.gap("gigabit"),
            costGBP: a.costGBP, publicCostGBP: a.publicCostGBP, householdsPassed: a.householdsPassed)
    }
}
