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
        if let rollout = r.rollout { layers.append(buildAreas(r, rollout)) }
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
        fields += [("snapped_premises", .integer), ("snapped_households", .real)]
        if r.rollout != nil {
            fields += [("cost_gbp", .real), ("public_cost_gbp", .real), ("households_passed", .real),
                       ("cost_per_premises_gbp", .real), ("public_cost_per_premises_gbp", .real)]
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
            values += [.integer(Int64(st.snappedPremises)), .real(st.snappedHouseholds)]
            if let rollout = r.rollout {
                let a = rollout.perAuthority[k]
                values += [.real(a.costGBP), .real(a.publicCostGBP), .real(a.householdsPassed),
                           a.householdsPassed > 0 ? .real(a.costGBP / a.householdsPassed) : .null,
                           a.householdsPassed > 0 ? .real(a.publicCostGBP / a.householdsPassed) : .null]
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
                .string(area.id), .string(r.inputs.authorities[area.authority].code),
                p.technology.map { .string($0.rawValue) } ?? .null,
                p.technology == nil ? .null : .real(p.costGBP), p.technology == nil ? .null : .real(p.publicCostGBP),
                .integer(Int64(area.premises.count)), .real(area.households),
                rollout.selection.year[k].map { .integer(Int64($0)) } ?? .null,
                .string(rollout.selection.status[k].rawValue), rank[k].map { .integer(Int64($0)) } ?? .null,
            ]))
        }
        return layer
    }

    /// The premises of the planned authorities (points elsewhere are counted in summary.json,
    /// not drawn), with their classification before and after. Written from the columns:
    /// no GEOS point per premises (`OutputLayer.points`). A feature's fid is its row in the
    /// premises source + 1 (point number for a GIS source), so it can be joined back.
    static func premises(_ r: RunResult) -> OutputLayer {
        let tiers = r.scenario.model.tiers
        let c = r.baseline.classification
        var fields: [(name: String, type: FieldType)] = [
            ("premises_id", .string), ("authority", .string), ("households", .real), ("best_mbps", .real),
            ("tier", .string), ("nga_operators", .integer), ("nga_class", .string), ("best_network", .string),
        ]
        if r.rollout != nil { fields += [("best_mbps_after", .real), ("tier_after", .string), ("nga_class_after", .string)] }
        var planned = [Bool](repeating: false, count: r.inputs.authorities.count)
        for a in r.inputs.selected { planned[a] = true }
        let p = r.inputs.premises
        // Values repeated over many premises are made once.
        let codes = r.inputs.authorities.map { AttributeValue.string($0.code) }
        let tierNames = (-1..<tiers.count).map { AttributeValue.string(tiers.name(ofIndex: $0)) }
        let networkNames = r.inputs.networks.map { AttributeValue.string($0.name) }
        let classes = Dictionary(uniqueKeysWithValues: NGAClass.allCases.map { ($0, AttributeValue.string($0.rawValue)) })
        var features: [(geometry: Geometry?, values: [AttributeValue])] = []
        var xs: [Double] = [], ys: [Double] = [], fids: [Int64] = []
        for i in 0..<p.count {
            let a = Int(c.authority[i])
            guard a >= 0, planned[a] else { continue }
            let network = Int(c.bestNetwork[i])
            var values: [AttributeValue] = [
                p.ids.map { .string($0[i]) } ?? .integer(Int64(i + 1)),
                codes[a], .real(p.households[i]), .real(c.bestMbps[i]),
                tierNames[Int(c.tier[i]) + 1],
                .integer(Int64(c.ngaOperators[i])), classes[c.ngaClass(i)] ?? .null,
                network >= 0 && network < networkNames.count ? networkNames[network] : .null,
            ]
            if let after = r.rollout?.after {
                values += [.real(after.bestMbps[i]), tierNames[Int(after.tier[i]) + 1], classes[after.ngaClass(i)] ?? .null]
            }
            features.append((nil, values))
            xs.append(p.xs[i])
            ys.append(p.ys[i])
            fids.append(Int64(i + 1))
        }
        return OutputLayer(name: "premises", kind: .point, fields: fields, features: features, points: (xs, ys), fids: fids)
    }
}
