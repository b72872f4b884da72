import Availability
import Coverage
import Foundation
import GeoIO
import Geometry
import Scenario

/// The GIS layers of a run, ready for the GeoPackage and GeoJSON writers.
public enum Layers {
    /// - Throws: `GEOSError` when GEOS fails on an output geometry (an area, a premises point):
    ///   a layer never carries a made-up area of 0 or silently lacks a premises.
    public static func all(_ r: RunResult) throws -> [OutputLayer] {
        var layers = [authorities(r)]
        let phases: [(String, [AuthorityCoverage])] = r.rollout == nil
            ? [("", r.baseline.coverage)]
            : [("", r.baseline.coverage), ("_after", r.afterCoverage)]
        for (suffix, coverage) in phases {
            for (t, tier) in CoverageAnalysis.polygonTiers(r.scenario).enumerated() {
                layers.append(try tierLayer("coverage_\(tier.name)\(suffix)", r, coverage) { $0.tiers[t].coverage })
                layers.append(try tierLayer("gaps_\(tier.name)\(suffix)", r, coverage) { $0.tiers[t].gap })
            }
        }
        for clusters in r.baseline.gapClusters { layers.append(gapClusters(clusters)) }
        if let rollout = r.rollout { layers.append(buildAreas(r, rollout)) }
        if let rollout = r.rollout, let lots = rollout.lots { layers.append(Self.lots(lots, polygons: rollout.lotPolygons)) }
        if r.scenario.outputs.premisesLayer { layers.append(premises(r)) }
        return layers
    }

    /// Authorities with their statistics as attributes: the columns of authorities.csv.
    static func authorities(_ r: RunResult) -> OutputLayer {
        let geometries = r.inputs.selected.map { Optional(r.inputs.authorities[$0].geometry) }
        return OutputTable.authorities(r).layer("authorities", kind: .multiPolygon, geometries: geometries)
    }

    static func tierLayer(
        _ name: String, _ r: RunResult, _ coverage: [AuthorityCoverage], _ geometry: (AuthorityCoverage) -> Geometry
    ) throws -> OutputLayer {
        var layer = OutputLayer(name: name, kind: .multiPolygon, fields: [("code", .string), ("name", .string), ("area_km2", .real)])
        for c in coverage {
            let g = geometry(c)
            let a = r.inputs.authorities[c.authority]
            let km2 = try g.area() / 1e6
            layer.features.append((g.isEmpty ? nil : g, [.string(a.code), .string(a.name), .real(km2)]))
        }
        return layer
    }

    /// The build areas with the columns of build_areas.csv.
    static func buildAreas(_ r: RunResult, _ rollout: RolloutResult) -> OutputLayer {
        OutputTable.buildAreas(r, rollout).layer("build_areas", kind: .multiPolygon, geometries: rollout.areaPolygons)
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

    /// `lots`: one feature per procurement lot, the columns of lots.csv (docs/MODEL.md,
    /// "Procurement lots").
    static func lots(_ lots: [Lot], polygons: [Geometry]) -> OutputLayer {
        let geometries = lots.indices.map { k in polygons.indices.contains(k) && !polygons[k].isEmpty ? polygons[k] : nil }
        return OutputTable.lots(lots).layer("lots", kind: .multiPolygon, geometries: geometries)
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
        let observed = r.inputs.observed
        let scope = r.rollout?.scope
        if observed != nil {
            fields += [("model_mbps", .real), ("speed_source", .string), ("speed_class", .string), ("gigabit_class", .string)]
        }
        if scope != nil { fields += [("scope", .string), ("scope_reason", .string)] }
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
            if let o = observed {
                let cls = o.speedClass[i]
                values += [.real(o.modelMbps[i]), .string(o.speedSource[i].name),
                           cls >= 0 ? .string(ObservedSpeedClass(rawValue: Int(cls))?.label ?? "") : .null,
                           .string(o.gigabitClass[i].name)]
            }
            if let scope {
                values += [.string(scope.decision[i].name), scope.reason[i] == .none ? .null : .string(scope.reason[i].name)]
            }
            features.append((nil, values))
            xs.append(p.xs[i])
            ys.append(p.ys[i])
            fids.append(Int64(i + 1))
        }
        return OutputLayer(name: "premises", kind: .point, fields: fields, features: features, points: (xs, ys), fids: fids)
    }
}
