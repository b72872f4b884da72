import Coverage
import Foundation
import GeoIO
import Scenario

/// The CSV tables of a run.
public enum Tables {
    /// authorities.csv: one row per planned authority, before (and after) columns per tier
    /// (`OutputTable.authorities`, shared with the authorities layer).
    public static func authorities(_ r: RunResult) -> CSVWriter {
        OutputTable.authorities(r).csv
    }

    /// years.csv: cost, households passed and connected per year.
    public static func years(_ rollout: RolloutResult) -> CSVWriter {
        var csv = CSVWriter(header: ["year", "cost_gbp", "public_cost_gbp", "households_passed", "households_connected", "build_areas"])
        for y in rollout.years {
            csv.appendRow([String(y.year), CSVWriter.number(y.costGBP, digits: 2), CSVWriter.number(y.publicCostGBP, digits: 2),
                           CSVWriter.number(y.householdsPassed), CSVWriter.number(y.householdsConnected.rounded()), String(y.areasBuilt)])
        }
        return csv
    }

    /// build_areas.csv: every candidate area with its option, cost and outcome
    /// (`OutputTable.buildAreas`, shared with the build_areas layer).
    public static func buildAreas(_ r: RunResult, _ rollout: RolloutResult) -> CSVWriter {
        OutputTable.buildAreas(r, rollout).csv
    }
}
