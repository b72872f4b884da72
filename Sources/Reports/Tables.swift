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
        if r.rollout != nil { header += ["cost_gbp", "public_cost_gbp", "households_passed", "build_areas"] }
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
            if let rollout = r.rollout {
                let a = rollout.perAuthority[k]
                row += [CSVWriter.number(a.costGBP, digits: 2), CSVWriter.number(a.publicCostGBP, digits: 2),
                        CSVWriter.number(a.householdsPassed), String(a.areasBuilt)]
            }
            csv.appendRow(row)
        }
        return csv
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

    /// build_areas.csv: every candidate area with its option, cost and outcome.
    public static func buildAreas(_ r: RunResult, _ rollout: RolloutResult) -> CSVWriter {
        var csv = CSVWriter(header: ["id", "authority", "cell_x", "cell_y", "premises", "households", "centroid_x", "centroid_y",
                                     "fibre_distance_m", "technology", "fttp_cost_gbp", "fwa_cost_gbp", "cost_gbp",
                                     "public_cost_gbp", "status", "year", "rank"])
        let rank = Dictionary(uniqueKeysWithValues: rollout.selection.buildOrder.enumerated().map { ($1, $0 + 1) })
        for (k, area) in rollout.areas.enumerated() {
            let p = rollout.priced[k]
            csv.appendRow([
                area.id, area.members.map { r.inputs.authorities[$0.authority].code }.joined(separator: ","), String(area.cellX), String(area.cellY),
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
        var csv = CSVWriter(header: ["lot_id", "build_areas", "premises", "households", "cost_gbp", "public_cost_gbp",
                                     "public_cost_per_premises_gbp", "authorities", "years", "above_max"])
        for lot in lots {
            csv.appendRow([lot.id, String(lot.areas.count), String(lot.premises), CSVWriter.number(lot.households),
                           CSVWriter.number(lot.costGBP, digits: 2), CSVWriter.number(lot.publicCostGBP, digits: 2),
                           lot.publicCostPerPremisesGBP.map { CSVWriter.number($0, digits: 2) } ?? "",
                           lot.authorities.joined(separator: ","), lot.years.map(String.init).joined(separator: ","),
                           lot.aboveMax ? "1" : "0"])
        }
        return csv
    }
}
