import Foundation
import Reports
import RunStore

extension RunResults {
    /// The results of the run in `runFolder`, read from its summary.json through the same
    /// reader the reports use, so the catalogue and the reports cannot read it differently.
    static func load(runFolder: URL) throws -> RunResults {
        let url = runFolder.appendingPathComponent("summary.json")
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw CommandFailure(message: "\(url.path): cannot read: \(error.localizedDescription)", code: 1)
        }
        return RunResults(try BatchRunSummary(summaryJSON: data, source: url.path))
    }

    init(_ s: BatchRunSummary) {
        self.init(
            // All households of the premises source: planned, outside every authority, and in
            // authorities not planned.
            households: s.households + s.unassignedHouseholds + s.excludedHouseholds,
            plannedHouseholds: s.households, householdsPassed: s.householdsPassed,
            costGBP: s.costGBP, publicCostGBP: s.publicCostGBP,
            superfastShareBefore: s.before.shareByTier["superfast"], superfastShareAfter: s.after.shareByTier["superfast"],
            gigabitShareBefore: s.before.shareByTier["gigabit"], gigabitShareAfter: s.after.shareByTier["gigabit"],
            inputs: s.inputs.map { RunInputRecord(role: $0.role, path: $0.path, sha256: $0.sha256, features: Int($0.features)) },
            authorities: s.authorities.map { a in
                RunAuthorityRecord(
                    code: a.code, name: a.name, premises: Int(a.premises), households: a.households,
                    superfastHouseholdsBefore: a.before.householdsByTier["superfast"],
                    superfastHouseholdsAfter: a.after.householdsByTier["superfast"],
                    gigabitHouseholdsBefore: a.before.householdsByTier["gigabit"],
                    gigabitHouseholdsAfter: a.after.householdsByTier["gigabit"],
                    whiteHouseholdsBefore: a.before.nga("white"), greyHouseholdsBefore: a.before.nga("grey"),
                    blackHouseholdsBefore: a.before.nga("black"),
                    superfastGapKm2Before: a.before.gap("superfast"), superfastGapKm2After: a.after.gap("superfast"),
                    gigabitGapKm2Before: a.before.gap("gigabit"), gigabitGapKm2After: a.after.gap("gigabit"),
                    costGBP: a.costGBP, publicCostGBP: a.publicCostGBP, householdsPassed: a.householdsPassed)
            })
    }
}
