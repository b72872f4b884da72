import Coverage
import Foundation
import GeoIO
import Scenario

/// The CSV tables of a run.
public enum Tables {
    /// authorities.csv: one row per planned authority, before (and after) columns per tier.
    public static func authorities(_ r: RunResult) -> CSVWriter {
        let tiers = r.scenario.model.tiers.names
        let polygonTiers = CoverageAnalysis.polygonTiers(r.scenario).map(\.name)
        let phases: [(String, [AuthorityStatistics])] = r.rollout == nil
            ? [("", r.baseline.statistics)]
            : [("_before", r.baseline.statistics), ("_after", r.afterStatistics)]
        var header = ["code", "name", "premises", "households", "area_km2"]
        for (suffix, _) in phases {
            header += tiers.map { "households_\($0)\(suffix)" } + tiers.map { "share_\($0)\(suffix)" }
            header += NGAClass.allCases.map { "\($0.rawValue)_households\(suffix)" }
            header += polygonTiers.map { "gap_km2_\($0)\(suffix)" }
        }
        header += ["snapped_premises", "snapped_households"]
        if r.rollout != nil {
            header += ["cost_gbp", "public_cost_gbp", "households_passed", "build_areas", "cost_per_premises_gbp", "public_cost_per_premises_gbp"]
        }
        var csv = CSVWriter(header: header)
        for (k, st) in r.baseline.statistics.enumerated() {
            var row = [st.code, st.name, String(st.premises), CSVWriter.number(st.households), CSVWriter.number(st.areaKm2, digits: 6)]
            for (_, stats) in phases {
                let s = stats[k].state
                row += tiers.map { CSVWriter.number(s.householdsByTier[$0] ?? 0) }
                row += tiers.map { CSVWriter.number(st.households > 0 ? (s.householdsByTier[$0] ?? 0) / st.households : 0, digits: 6) }
                row += NGAClass.allCases.map { CSVWriter.number(s.ngaHouseholds[$0] ?? 0) }
                row += polygonTiers.map { CSVWriter.number(s.gapAreaKm2[$0] ?? 0, digits: 6) }
            }
            row += [String(st.snappedPremises), CSVWriter.number(st.snappedHouseholds)]
            if let rollout = r.rollout {
                let a = rollout.perAuthority[k]
                row += [CSVWriter.number(a.costGBP, digits: 2), CSVWriter.number(a.publicCostGBP, digits: 2),
                        CSVWriter.number(a.householdsPassed), String(a.areasBuilt),
                        a.householdsPassed > 0 ? CSVWriter.number(a.costGBP / a.householdsPassed, digits: 2) : "",
                        a.householdsPassed > 0 ? CSVWriter.number(a.publicCostGBP / a.householdsPassed, digits: 2) : ""]
            }
            csv.appendRow(row)
        }
        return csv
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

    /// build_areas.csv: every candidate area with its option, cost and outcome.
    public static func buildAreas(_ r: RunResult, _ rollout: RolloutResult) -> CSVWriter {
        var csv = CSVWriter(header: ["id", "authority", "cell_x", "cell_y", "premises", "households", "centroid_x", "centroid_y",
                                     "fibre_distance_m", "technology", "fttp_cost_gbp", "fwa_cost_gbp", "cost_gbp",
                                     "public_cost_gbp", "status", "year", "rank"])
        let rank = Dictionary(uniqueKeysWithValues: rollout.selection.buildOrder.enumerated().map { ($1, $0 + 1) })
        for (k, area) in rollout.areas.enumerated() {
            let p = rollout.priced[k]
            csv.appendRow([
                area.id, r.inputs.authorities[area.authority].code, String(area.cellX), String(area.cellY),
                String(area.premises.count), CSVWriter.number(area.households),
                CSVWriter.number(area.centroidX, digits: 2), CSVWriter.number(area.centroidY, digits: 2),
                area.fibreDistanceMetres.map { CSVWriter.number($0, digits: 1) } ?? "",
                p.technology?.rawValue ?? "", p.fttpCostGBP.map { CSVWriter.number($0, digits: 2) } ?? "",
                p.fwaCostGBP.map { CSVWriter.number($0, digits: 2) } ?? "",
                p.technology == nil ? "" : CSVWriter.number(p.costGBP, digits: 2),
                p.technology == nil ? "" : CSVWriter.number(p.publicCostGBP, digits: 2),
                rollout.selection.status[k].rawValue, rollout.selection.year[k].map(String.init) ?? "",
                rank[k].map(String.init) ?? "",
            ])
        }
        return csv
    }
}
