import Coverage
import Foundation
import Projection
import Scenario

/// Builds summary.json (docs/MODEL.md, "Results contract").
public enum Summary {
    public static func json(_ r: RunResult) -> JSON {
        let s = r.scenario
        let tiers = s.model.tiers
        let after = r.afterStatistics
        let rollout = r.rollout
        let iso = ISO8601DateFormatter()

        var beforeTotal = CoverageState(tiers: tiers)
        var afterTotal = CoverageState(tiers: tiers)
        for st in r.baseline.statistics { beforeTotal = beforeTotal + st.state }
        for st in after { afterTotal = afterTotal + st.state }
        let premisesTotal = r.inputs.premises.count
        let householdsTotal = r.inputs.premises.households.reduce(0, +)
        let plannedHouseholds = r.baseline.statistics.reduce(0) { $0 + $1.households }
        let plannedArea = r.baseline.statistics.reduce(0) { $0 + $1.areaKm2 }

        var totals: [(String, JSON)] = [
            ("premises", .int(Int64(premisesTotal))),
            ("households", .quantity(householdsTotal)),
            ("unassigned_premises", .int(Int64(r.baseline.unplanned.unassignedPremises))),
            ("unassigned_households", .quantity(r.baseline.unplanned.unassignedHouseholds)),
            ("excluded_premises", .int(Int64(r.baseline.unplanned.excludedPremises))),
            ("excluded_households", .quantity(r.baseline.unplanned.excludedHouseholds)),
            ("planned_households", .quantity(plannedHouseholds)),
            ("area_km2", .km2(plannedArea)),
            ("before", state(beforeTotal, households: plannedHouseholds, tiers: tiers)),
            ("after", state(afterTotal, households: plannedHouseholds, tiers: tiers)),
            ("cost_gbp", .quantity(rollout?.selection.costGBP ?? 0)),
            ("public_cost_gbp", .quantity(rollout?.selection.publicCostGBP ?? 0)),
            ("households_passed", .quantity(rollout?.selection.householdsPassed ?? 0)),
            ("build_areas", .int(Int64(rollout?.builtCount ?? 0))),
        ]
        if let rollout {
            totals.append(("candidate_areas", .int(Int64(rollout.areas.count))))
            totals.append(("areas_by_status", .object(AreaStatus.allCases.map { ($0.rawValue, .int(Int64(rollout.count($0)))) })))
            totals.append(("commercially_viable_households", .quantity(rollout.households(.commerciallyViable))))
            let technologies = [Technology.fttp, .fwa].map { t -> (String, JSON) in
                let built = rollout.selection.buildOrder.filter { rollout.priced[$0].technology == t }
                return (t.rawValue, .object([
                    ("build_areas", .int(Int64(built.count))),
                    ("households_passed", .quantity(built.reduce(0) { $0 + rollout.areas[$1].households })),
                    ("cost_gbp", .quantity(built.reduce(0) { $0 + rollout.priced[$1].costGBP })),
                ]))
            }
            totals.append(("by_technology", .object(technologies)))
        }

        let authorities: [JSON] = r.baseline.statistics.enumerated().map { k, st in
            var pairs: [(String, JSON)] = [
                ("code", .string(st.code)), ("name", .string(st.name)),
                ("premises", .int(Int64(st.premises))), ("households", .quantity(st.households)),
                ("area_km2", .km2(st.areaKm2)),
                ("before", state(st.state, households: st.households, tiers: tiers)),
                ("after", state(after[k].state, households: st.households, tiers: tiers)),
            ]
            let a = rollout?.perAuthority[k] ?? AuthorityRollout()
            pairs += [("cost_gbp", .quantity(a.costGBP)), ("public_cost_gbp", .quantity(a.publicCostGBP)),
                      ("households_passed", .quantity(a.householdsPassed)), ("build_areas", .int(Int64(a.areasBuilt)))]
            return .object(pairs)
        }

        let years: [JSON] = (rollout?.years ?? []).map { y in
            .object([("year", .int(Int64(y.year))), ("cost_gbp", .quantity(y.costGBP)),
                     ("public_cost_gbp", .quantity(y.publicCostGBP)), ("households_passed", .quantity(y.householdsPassed)),
                     ("households_connected", .quantity(y.householdsConnected.rounded())), ("build_areas", .int(Int64(y.areasBuilt)))])
        }

        let uncertainty: JSON
        if let u = rollout?.uncertainty {
            uncertainty = .object([
                ("runs", .int(Int64(u.runs))), ("seed", .int(Int64(u.seed))), ("cost_spread", .number(u.costSpread, decimals: 6)),
                ("cost_gbp", percentiles(u.costGBP)), ("public_cost_gbp", percentiles(u.publicCostGBP)),
                ("households_passed", percentiles(u.householdsPassed)),
            ])
        } else {
            // No spread was modelled: the distribution is the single central result.
            let cost = rollout?.selection.costGBP ?? 0, pub = rollout?.selection.publicCostGBP ?? 0
            let passed = rollout?.selection.householdsPassed ?? 0
            uncertainty = .object([
                ("runs", .int(0)),
                ("cost_gbp", percentiles(Percentiles(p10: cost, p50: cost, p90: cost))),
                ("public_cost_gbp", percentiles(Percentiles(p10: pub, p50: pub, p90: pub))),
                ("households_passed", percentiles(Percentiles(p10: passed, p50: passed, p90: passed))),
            ])
        }

        let shifts = r.inputs.datumShifts
        let usedGrid: JSON = shifts.isEmpty ? .null : .bool(shifts.values.contains { $0.usesOSTN15 })
        let crs: JSON = .object([
            ("working", .string(s.crs.label)), ("name", .string(s.crs.name)),
            ("ostn15_grid", usedGrid),
            ("ostn15_grid_found", .bool(GridLocator.ostn15Path != nil)),
            ("transformations", .object(shifts.keys.sorted().map { key in
                let op = shifts[key]!
                return (key, .object([("operation", .string(op.name)), ("grids", .array(op.grids.map { .string($0) })),
                                      ("accuracy_m", op.accuracyMetres.map { .number($0, decimals: 3) } ?? .null)]))
            })),
        ])

        return .object([
            ("scenario", .string(s.name)),
            ("description", .string(s.description)),
            ("version", .string(r.toolVersion)),
            ("scenario_file", .string(s.file)),
            ("variant", .object(s.variant.map { ($0.key, .string($0.value)) })),
            ("started_at", .string(iso.string(from: r.startedAt))),
            ("finished_at", .string(iso.string(from: r.finishedAt))),
            ("crs", crs),
            ("tiers_mbps", .object(tiers.tiers.map { ($0.name, .number($0.mbps, decimals: 6)) })),
            ("nga_threshold_mbps", .number(s.model.ngaThresholdMbps, decimals: 6)),
            ("target_tier", rollout.map { .string($0.targetTier.name) } ?? .null),
            ("strategy", s.rollout.map { .string($0.strategy.rawValue) } ?? .null),
            ("inputs", .array(r.inputs.inputs.map { i in
                .object([("role", .string(i.role)), ("path", .string(i.path)), ("sha256", .string(i.sha256)),
                         ("features", .int(Int64(i.features)))])
            })),
            ("repairs", .object([
                ("count", .int(Int64(r.inputs.repairs.count))),
                ("items", .array(r.inputs.repairs.map { rep in
                    .object([("role", .string(rep.role)), ("path", .string(rep.path)), ("feature", .int(Int64(rep.feature))),
                             ("reason", .string(rep.reason))])
                })),
            ])),
            ("authority_overlaps", .object([
                ("count", .int(Int64(r.inputs.overlaps.count))),
                ("tolerance_m2", .number(AuthorityOverlaps.toleranceM2, decimals: 6)),
                ("items", .array(r.inputs.overlaps.map { o in
                    .object([("codes", .array([.string(r.inputs.authorities[o.first].code), .string(r.inputs.authorities[o.second].code)])),
                             ("area_km2", .km2(o.areaM2 / 1e6))])
                })),
            ])),
            ("totals", .object(totals)),
            ("authorities", .array(authorities)),
            ("years", .array(years)),
            ("uncertainty", uncertainty),
            ("timings_s", .object((r.inputs.timings + r.baseline.timings + (rollout?.timings ?? [])).map { ($0.step, .number($0.seconds, decimals: 3)) })),
            ("settings", JSON.from(s.settings.plain)),
        ])
    }

    /// The STATE object: households by tier (at or above), NGA households, gap and coverage
    /// areas, and the share of households at or above each tier.
    static func state(_ st: CoverageState, households: Double, tiers: TierSet) -> JSON {
        .object([
            ("households_by_tier", .object(tiers.names.map { ($0, .quantity(st.householdsByTier[$0] ?? 0)) })),
            ("share_by_tier", .object(tiers.names.map { ($0, .number(households > 0 ? (st.householdsByTier[$0] ?? 0) / households : 0, decimals: 6)) })),
            ("nga_households", .object(NGAClass.allCases.map { ($0.rawValue, .quantity(st.ngaHouseholds[$0] ?? 0)) })),
            ("gap_area_km2", .object(tiers.names.filter { st.gapAreaKm2[$0] != nil }.map { ($0, .km2(st.gapAreaKm2[$0] ?? 0)) })),
            ("coverage_area_km2", .object(tiers.names.filter { st.coverageAreaKm2[$0] != nil }.map { ($0, .km2(st.coverageAreaKm2[$0] ?? 0)) })),
        ])
    }

    static func percentiles(_ p: Percentiles) -> JSON {
        .object([("p10", .quantity(p.p10.rounded())), ("p50", .quantity(p.p50.rounded())), ("p90", .quantity(p.p90.rounded()))])
    }
}
