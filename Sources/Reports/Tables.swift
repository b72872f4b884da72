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

    /// years.csv: cost, households passed and connected per year, and for programme years the
    /// year's limits: budget (empty: no limit), budget carried out unspent, capacity, and the
    /// limits that turned areas away (`budget`, `capacity`, both joined by `+`, or `none`).
    public static func years(_ rollout: RolloutResult) -> CSVWriter {
        var csv = CSVWriter(header: ["year", "cost_gbp", "public_cost_gbp", "households_passed", "households_connected", "build_areas",
                                     "budget_gbp", "unspent_gbp", "capacity_premises", "bound"])
        for y in rollout.years {
            var row = [String(y.year), CSVWriter.number(y.costGBP, digits: 2), CSVWriter.number(y.publicCostGBP, digits: 2),
                       CSVWriter.number(y.householdsPassed), CSVWriter.number(y.householdsConnected.rounded()), String(y.areasBuilt)]
            if let l = y.limits {
                row += [l.budgetGBP.map { CSVWriter.number($0, digits: 2) } ?? "", l.unspentGBP.map { CSVWriter.number($0, digits: 2) } ?? "",
                        l.capacityPremises.map { CSVWriter.number($0) } ?? "", l.bound.isEmpty ? "none" : l.bound.joined(separator: "+")]
            } else {
                row += ["", "", "", ""]
            }
            csv.appendRow(row)
        }
        return csv
    }

    /// build_areas.csv: every candidate area with its option, cost and outcome
    /// (`OutputTable.buildAreas`, shared with the build_areas layer).
    public static func buildAreas(_ r: RunResult, _ rollout: RolloutResult) -> CSVWriter {
        OutputTable.buildAreas(r, rollout).csv
    }

    /// gap_clusters.csv: one row per cluster and authority it spans, every polygon tier.
    public static func gapClusters(_ r: RunResult) -> CSVWriter {
        var csv = CSVWriter(header: ["tier", "cluster_id", "cluster_area_km2", "cluster_households", "cross_border",
                                     "authority", "area_km2", "premises", "households"])
        for t in r.baseline.gapClusters {
            for c in t.clusters {
                for share in c.shares {
                    csv.appendRow([t.tier.name, c.id, CSVWriter.number(c.areaKm2, digits: 6), CSVWriter.number(c.households),
                                   c.crossesBorder ? "1" : "0", share.code, CSVWriter.number(share.areaKm2, digits: 6),
                                   String(share.premises), CSVWriter.number(share.households)])
                }
            }
        }
        return csv
    }

    /// lots.csv: one row per procurement lot.
    public static func lots(_ lots: [Lot]) -> CSVWriter {
        OutputTable.lots(lots).csv
    }
}
