import Coverage
import Foundation
import GeoIO
import Geometry
import Scenario

/// The GIS layers of a run, ready for the GeoPackage and GeoJSON writers.
public enum Layers {
    public static func all(_ r: RunResult) -> [OutputLayer] {
        var layers = [authorities(r)]
        let phases: [(String, [AuthorityCoverage])] = r.rollout == nil
            ? [("", r.baseline.coverage)]
            : [("", r.baseline.coverage), ("_after", r.afterCoverage)]
        for (suffix, coverage) in phases {
            for (t, tier) in CoverageAnalysis.polygonTiers(r.scenario).enumerated() {
                layers.append(tierLayer("coverage_\(tier.name)\(suffix)", r, coverage) { $0.tiers[t].coverage })
                layers.append(tierLayer("gaps_\(tier.name)\(suffix)", r, coverage) { $0.tiers[t].gap })
            }
        }
        for clusters in r.baseline.gapClusters { layers.append(gapClusters(clusters)) }
        if let rollout = r.rollout { layers.append(buildAreas(r, rollout)) }
        if let rollout = r.rollout, let lots = rollout.lots { layers.append(Self.lots(lots, polygons: rollout.lotPolygons)) }
        if r.scenario.outputs.premisesLayer { layers.append(premises(r)) }
        return layers
    }

    /// Authorities with their statistics as attributes.
    static func authorities(_ r: RunResult) -> OutputLayer {
        let tiers = r.scenario.model.tiers.names
        let polygonTiers = CoverageAnalysis.polygonTiers(r.scenario).map(\.name)
        var phases: [(String, [AuthorityStatistics])] = [("", r.baseline.statistics)]
        if r.rollout != nil { phases.append(("_after", r.afterStatistics)) }
        var fields: [(name: String, type: FieldType)] = [
            ("code", .string), ("name", .string), ("premises", .integer), ("households", .real), ("area_km2", .real),
        ]
        for (suffix, _) in phases {
            fields += tiers.map { ("hh_\($0)\(suffix)", FieldType.real) }
            fields += tiers.map { ("share_\($0)\(suffix)", FieldType.real) }
            fields += NGAClass.allCases.map { ("\($0.rawValue)_hh\(suffix)", FieldType.real) }
            fields += polygonTiers.map { ("gap_km2_\($0)\(suffix)", FieldType.real) }
        }
        if r.rollout != nil {
            fields += [("cost_gbp", .real), ("public_cost_gbp", .real), ("households_passed", .real)]
        }
        var layer = OutputLayer(name: "authorities", kind: .multiPolygon, fields: fields)
        for (k, st) in r.baseline.statistics.enumerated() {
            let authority = r.inputs.authorities[r.inputs.selected[k]]
            var values: [AttributeValue] = [.string(st.code), .string(st.name), .integer(Int64(st.premises)),
                                            .real(st.households), .real(st.areaKm2)]
            for (_, stats) in phases {
                let s = stats[k].state
                values += tiers.map { .real(s.householdsByTier[$0] ?? 0) }
                values += tiers.map { .real(st.households > 0 ? (s.householdsByTier[$0] ?? 0) / st.households : 0) }
                values += NGAClass.allCases.map { .real(s.ngaHouseholds[$0] ?? 0) }
                values += polygonTiers.map { .real(s.gapAreaKm2[$0] ?? 0) }
            }
            if let rollout = r.rollout {
                let a = rollout.perAuthority[k]
                values += [.real(a.costGBP), .real(a.publicCostGBP), .real(a.householdsPassed)]
            }
            layer.features.append((authority.geometry, values))
        }
        return layer
    }

    static func tierLayer(
        _ name: String, _ r: RunResult, _ coverage: [AuthorityCoverage], _ geometry: (AuthorityCoverage) -> Geometry
    ) -> OutputLayer {
        var layer = OutputLayer(name: name, kind: .multiPolygon, fields: [("code", .string), ("name", .string), ("area_km2", .real)])
        for c in coverage {
            let g = geometry(c)
            let a = r.inputs.authorities[c.authority]
            let km2 = (try? g.area()).map { $0 / 1e6 } ?? 0
            layer.features.append((g.isEmpty ? nil : g, [.string(a.code), .string(a.name), .real(km2)]))
        }
        return layer
    }

    static func buildAreas(_ r: RunResult, _ rollout: RolloutResult) -> OutputLayer {
        var layer = OutputLayer(name: "build_areas", kind: .multiPolygon, fields: [
            ("area_id", .string), ("authority", .string), ("technology", .string), ("cost_gbp", .real),
            ("public_cost_gbp", .real), ("premises", .integer), ("households", .real), ("year", .integer),
            ("status", .string), ("rank", .integer),
        ])
        let rank = Dictionary(uniqueKeysWithValues: rollout.selection.buildOrder.enumerated().map { ($1, $0 + 1) })
        for (k, area) in rollout.areas.enumerated() {
            let p = rollout.priced[k]
            layer.features.append((rollout.areaPolygons[k], [
                .string(area.id), .string(area.members.map { r.inputs.authorities[$0.authority].code }.joined(separator: ",")),
                p.technology.map { .string($0.rawValue) } ?? .null,
                p.technology == nil ? .null : .real(p.costGBP), p.technology == nil ? .null : .real(p.publicCostGBP),
                .integer(Int64(area.premises.count)), .real(area.households),
                rollout.selection.year[k].map { .integer(Int64($0)) } ?? .null,
                .string(rollout.selection.status[k].rawValue), rank[k].map { .integer(Int64($0)) } ?? .null,
            ]))
        }
        return layer
    }

    /// `gap_clusters_<tier>`: one feature per cluster of the dissolved gap (docs/MODEL.md, "Shared gaps").
    static func gapClusters(_ t: TierGapClusters) -> OutputLayer {
        var layer = OutputLayer(name: "gap_clusters_\(t.tier.name)", kind: .multiPolygon, fields: [
            ("cluster_id", .string), ("area_km2", .real), ("premises", .integer), ("households", .real),
            ("authority_count", .integer), ("cross_border", .integer), ("authorities", .string),
            ("households_by_authority", .string),
        ])
        for c in t.clusters {
            layer.features.append((c.geometry, [
                .string(c.id), .real(c.areaKm2), .integer(Int64(c.premises)), .real(c.households),
                .integer(Int64(c.shares.count)), .integer(c.crossesBorder ? 1 : 0),
                .string(c.shares.map(\.code).joined(separator: ",")),
                .string(c.shares.map { "\($0.code)=\(CSVWriter.number($0.households))" }.joined(separator: ",")),
            ]))
        }
        return layer
    }

    /// `lots`: one feature per procurement lot (docs/MODEL.md, "Procurement lots").
    static func lots(_ lots: [Lot], polygons: [Geometry]) -> OutputLayer {
        var layer = OutputLayer(name: "lots", kind: .multiPolygon, fields: [
            ("lot_id", .string), ("build_areas", .integer), ("premises", .integer), ("households", .real),
            ("cost_gbp", .real), ("public_cost_gbp", .real), ("public_cost_per_premises_gbp", .real),
            ("authorities", .string), ("years", .string), ("above_max", .integer),
        ])
        for (k, lot) in lots.enumerated() {
            layer.features.append((polygons.indices.contains(k) && !polygons[k].isEmpty ? polygons[k] : nil, [
                .string(lot.id), .integer(Int64(lot.areas.count)), .integer(Int64(lot.premises)), .real(lot.households),
                .real(lot.costGBP), .real(lot.publicCostGBP), lot.publicCostPerPremisesGBP.map { .real($0) } ?? .null,
                .string(lot.authorities.joined(separator: ",")), .string(lot.years.map(String.init).joined(separator: ",")),
                .integer(lot.aboveMax ? 1 : 0),
            ]))
        }
        return layer
    }

    static func premises(_ r: RunResult) -> OutputLayer {
        let tiers = r.scenario.model.tiers
        let c = r.baseline.classification
        var fields: [(name: String, type: FieldType)] = [
            ("premises_id", .string), ("authority", .string), ("households", .real), ("best_mbps", .real),
            ("tier", .string), ("nga_operators", .integer), ("nga_class", .string), ("best_network", .string),
        ]
        if r.rollout != nil { fields += [("best_mbps_after", .real), ("tier_after", .string), ("nga_class_after", .string)] }
        var layer = OutputLayer(name: "premises", kind: .point, fields: fields)
        let p = r.inputs.premises
        for i in 0..<p.count {
            guard let point = try? Geometry.point(x: p.xs[i], y: p.ys[i]) else { continue }
            let a = Int(c.authority[i])
            let network = Int(c.bestNetwork[i])
            var values: [AttributeValue] = [
                p.ids.map { .string($0[i]) } ?? .integer(Int64(i + 1)),
                a >= 0 ? .string(r.inputs.authorities[a].code) : .null,
                .real(p.households[i]), .real(c.bestMbps[i]),
                c.tier[i] >= 0 ? .string(tiers.tiers[Int(c.tier[i])].name) : .null,
                .integer(Int64(c.ngaOperators[i])), .string(c.ngaClass(i).rawValue),
                network >= 0 && network < r.inputs.networks.count ? .string(r.inputs.networks[network].name) : .null,
            ]
            if let after = r.rollout?.after {
                values += [.real(after.bestMbps[i]),
                           after.tier[i] >= 0 ? .string(tiers.tiers[Int(after.tier[i])].name) : .null,
                           .string(after.ngaClass(i).rawValue)]
            }
            layer.features.append((point, values))
        }
        return layer
    }
}
