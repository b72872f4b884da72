import Coverage
import Foundation
import Projection
import RunSummary
import Scenario

extension RunSummary {
    /// The summary of a run in memory (docs/MODEL.md).
    public init(_ r: RunResult) {
        let s = r.scenario
        let tiers = s.model.tiers
        let after = r.afterStatistics
        let rollout = r.rollout
        let iso = ISO8601DateFormatter()

        var beforeTotal = CoverageState(tiers: tiers)
        var afterTotal = CoverageState(tiers: tiers)
        for st in r.baseline.statistics { beforeTotal = beforeTotal + st.state }
        for st in after { afterTotal = afterTotal + st.state }
        let plannedHouseholds = r.baseline.statistics.reduce(0) { $0 + $1.households }
        let unplanned = r.baseline.unplanned

        var totals = Totals(
            premises: r.inputs.observed == nil ? r.inputs.premises.count : r.inputs.pointCount, households: r.inputs.premises.households.reduce(0, +),
            unassignedPremises: unplanned.unassignedPremises, unassignedHouseholds: unplanned.unassignedHouseholds,
            excludedPremises: unplanned.excludedPremises, excludedHouseholds: unplanned.excludedHouseholds,
            plannedHouseholds: plannedHouseholds, areaKm2: r.baseline.statistics.reduce(0) { $0 + $1.areaKm2 },
            before: Self.state(beforeTotal, households: plannedHouseholds, tiers: tiers),
            after: Self.state(afterTotal, households: plannedHouseholds, tiers: tiers),
            costGBP: rollout?.selection.costGBP ?? 0, publicCostGBP: rollout?.selection.publicCostGBP ?? 0,
            householdsPassed: rollout?.selection.householdsPassed ?? 0, buildAreas: rollout?.builtCount ?? 0)
        totals.snappedPremises = r.baseline.statistics.reduce(0) { $0 + $1.snappedPremises }
        totals.snappedHouseholds = r.baseline.statistics.reduce(0) { $0 + $1.snappedHouseholds }
        totals.unassignedByRegion = r.baseline.unassignedByRegion?.map {
            RegionTotal(region: $0.region, premises: $0.premises, households: $0.households)
        }
        totals.unassignedRegionField = r.baseline.unassignedByRegion == nil ? nil : r.inputs.regionField
        if let rollout {
            let sel = rollout.selection
            totals.valueForMoney = ValueForMoney(costGBP: sel.costGBP, publicCostGBP: sel.publicCostGBP,
                                                 premisesPassed: sel.householdsPassed)
            totals.limits = Self.programmeLimits(r.scenario.rollout, rollout)
            totals.candidateAreas = rollout.areas.count
            totals.areasByStatus = OrderedMap(AreaStatus.allCases.map { ($0.rawValue, rollout.count($0)) })
            totals.commerciallyViableHouseholds = rollout.households(.commerciallyViable)
            var routes: [BuildRoute] = [.fttp, .fwa]
            if s.rollout?.voucher != nil { routes.append(.voucher) }
            if s.rollout?.satellite != nil { routes.append(.satellite) }
            totals.byTechnology = OrderedMap(routes.map { t in
                let built = rollout.selection.buildOrder.filter { rollout.priced[$0].technology == t }
                return (t.rawValue, TechnologyTotals(buildAreas: built.count,
                                                     householdsPassed: built.reduce(0) { $0 + rollout.areas[$1].households },
                                                     costGBP: built.reduce(0) { $0 + rollout.priced[$1].costGBP }))
            })
        }

        let observedAuthorities = ObservedSummary.authorities(r)
        let authorities = r.baseline.statistics.enumerated().map { k, st in
            let a = rollout?.perAuthority[k] ?? AuthorityRollout()
            var authority = Authority(code: st.code, name: st.name, premises: st.premises, households: st.households, areaKm2: st.areaKm2,
                                      before: Self.state(st.state, households: st.households, tiers: tiers),
                                      after: Self.state(after[k].state, households: st.households, tiers: tiers),
                                      costGBP: a.costGBP, publicCostGBP: a.publicCostGBP, householdsPassed: a.householdsPassed,
                                      buildAreas: a.areasBuilt)
            authority.snappedPremises = st.snappedPremises
            authority.snappedHouseholds = st.snappedHouseholds
            if rollout != nil {
                authority.valueForMoney = ValueForMoney(costGBP: a.costGBP, publicCostGBP: a.publicCostGBP, premisesPassed: a.householdsPassed)
            }
            authority.observed = observedAuthorities?[k]
            return authority
        }

        let years = (rollout?.years ?? []).map { y in
            var year = Year(year: y.year, costGBP: y.costGBP, publicCostGBP: y.publicCostGBP, householdsPassed: y.householdsPassed,
                            householdsConnected: y.householdsConnected.rounded(), buildAreas: y.areasBuilt)
            year.limits = y.limits.map { l in
                Limits(budgetGBP: l.budgetGBP, spentGBP: y.publicCostGBP, unspentGBP: l.unspentGBP,
                       capacityPremises: l.capacityPremises, usedPremises: y.householdsPassed, bound: l.bound)
            }
            return year
        }

        let uncertainty: Uncertainty
        if let u = rollout?.uncertainty {
            var v = Uncertainty(runs: u.runs, seed: Int(u.seed), costSpread: u.costSpread, costGBP: Self.spread(u.costGBP),
                                publicCostGBP: Self.spread(u.publicCostGBP), householdsPassed: Self.spread(u.householdsPassed))
            v.takeUpSpread = u.takeUpSpread
            v.arpuSpread = u.arpuSpread
            v.paybackSpread = u.paybackSpread
            v.marginSpread = u.marginSpread
            v.householdsPassedLimitedBy = u.householdsPassedLimitedBy
            uncertainty = v
        } else {
            // No spread was modelled: the distribution is the single central result.
            let cost = rollout?.selection.costGBP ?? 0, pub = rollout?.selection.publicCostGBP ?? 0
            let passed = rollout?.selection.householdsPassed ?? 0
            uncertainty = Uncertainty(runs: 0, seed: nil, costSpread: nil,
                                      costGBP: Self.spread(Percentiles(p10: cost, p50: cost, p90: cost)),
                                      publicCostGBP: Self.spread(Percentiles(p10: pub, p50: pub, p90: pub)),
                                      householdsPassed: Self.spread(Percentiles(p10: passed, p50: passed, p90: passed)))
        }

        let shifts = r.inputs.datumShifts
        let crs = CRS(working: s.crs.label, name: s.crs.name,
                      ostn15Grid: shifts.isEmpty ? nil : shifts.values.contains { $0.usesOSTN15 },
                      ostn15GridFound: GridLocator.ostn15Path != nil,
                      transformations: OrderedMap(shifts.sorted { $0.key < $1.key }.map { key, op in
                          (key, Transformation(operation: op.name, grids: op.grids, accuracyM: op.accuracyMetres))
                      }))

        self.init(
            scenario: s.name, description: s.description, version: r.toolVersion, scenarioFile: s.file,
            variant: OrderedMap(s.variant.map { ($0.key, $0.value) }),
            startedAt: iso.string(from: r.startedAt), finishedAt: iso.string(from: r.finishedAt), crs: crs,
            tiersMbps: OrderedMap(tiers.tiers.map { ($0.name, $0.mbps) }), ngaThresholdMbps: s.model.ngaThresholdMbps,
            targetTier: rollout?.targetTier.name, strategy: s.rollout?.strategy.rawValue,
            inputs: r.inputs.inputs.map { Input(role: $0.role, path: $0.path, sha256: $0.sha256, features: $0.features, modelled: $0.modelled) },
            repairs: Repairs(items: r.inputs.repairs.map { Repair(role: $0.role, path: $0.path, feature: $0.feature, reason: $0.reason) }),
            authorityOverlaps: AuthorityOverlaps(toleranceM2: Coverage.AuthorityOverlaps.toleranceM2, items: r.inputs.overlaps.map { o in
                Overlap(codes: [r.inputs.authorities[o.first].code, r.inputs.authorities[o.second].code], areaKm2: o.areaM2 / 1e6)
            }),
            totals: totals, authorities: authorities, years: years, uncertainty: uncertainty,
            timingsS: OrderedMap((r.inputs.timings + r.baseline.timings + (rollout?.timings ?? [])).map { ($0.step, $0.seconds) }),
            settings: JSON.from(s.settings.plain))
        self.observed = ObservedSummary.block(r)
        // The scenario's warnings, then the run's (observed data: build areas already served).
        warnings = s.warnings + (ObservedSummary.warnings(r) ?? [])
        assumptions = Self.assumptions(s, r, totals: totals, authorities: authorities)
        gapClusters = OrderedMap(r.baseline.gapClusters.map { ($0.tier.name, Self.clusters($0)) })
        if let rollout {
            let lots = rollout.lots ?? []
            if let settings = s.rollout?.lots {
                self.lots = Lots(joinM: settings.joinM, maxPremises: settings.maxPremises,
                                 aboveMax: lots.filter(\.aboveMax).count, items: lots.map { lot in
                    Lot(id: lot.id, buildAreas: lot.areas.count, premises: lot.premises, households: lot.households,
                        costGBP: lot.costGBP, publicCostGBP: lot.publicCostGBP, publicCostPerPremisesGBP: lot.publicCostPerPremisesGBP,
                        authorities: lot.authorities, years: lot.years)
                })
            }
            if let split = rollout.splitJointAreas, let settings = s.rollout {
                let joint = rollout.areas.indices.filter { !rollout.areas[$0].shares.isEmpty }
                let members = Set(r.inputs.selected.filter { a in
                    if case .codes(let codes) = settings.partnership { return codes.contains(r.inputs.authorities[a].code) }
                    return true
                }.map { r.inputs.authorities[$0].code }).sorted()
                partnership = PartnershipSummary(
                    authorities: members, costShare: settings.costShare.rawValue, jointAreas: joint.count,
                    jointAreasBuilt: joint.filter { rollout.selection.status[$0] == .built }.count, splitAreas: split)
            }
            if let threshold = s.rollout?.veryHardToReachGBP {
                let hard = rollout.priced.indices.filter { rollout.priced[$0].veryHardToReach }
                func count(_ areas: [Int]) -> RouteCount {
                    RouteCount(areas: areas.count, households: areas.reduce(0) { $0 + rollout.areas[$1].households })
                }
                let byRoute: [(String, RouteCount)] = [BuildRoute.voucher, .satellite].map { route in
                    (route.rawValue, count(hard.filter { rollout.priced[$0].technology == route }))
                } + [("no_option", count(hard.filter { rollout.priced[$0].technology == nil }))]
                veryHardToReach = VeryHardToReach(thresholdGBP: threshold, areas: hard.count,
                                                  households: count(hard).households, byRoute: OrderedMap(byRoute))
            }
            priceCheck = PriceCheck(programmePublicCostGBP: rollout.selection.publicCostGBP,
                                    householdsPassed: rollout.selection.householdsPassed,
                                    lots: lots.map { ($0.id, $0.publicCostGBP, $0.households) })
        }
    }

    /// The whole programme's limits: the budget that could be spent (the total cap, or the sum
    /// of the yearly budgets when lower; nil when some year and the total are unlimited), the
    /// capacity (the sum of the yearly capacities, nil when a year has none), and the limits
    /// behind the areas left unbuilt.
    static func programmeLimits(_ settings: RolloutSettings?, _ rollout: RolloutResult) -> Limits {
        let years = settings?.years ?? []
        let budget = settings?.effectiveBudgetGBP
        let capacity: Double? = years.allSatisfy { $0.capacityPremises != nil } ? years.reduce(0) { $0 + ($1.capacityPremises ?? 0) } : nil
        let sel = rollout.selection
        var bound: [String] = []
        if rollout.count(.overBudget) > 0 { bound.append("budget") }
        if rollout.count(.overCapacity) > 0 { bound.append("capacity") }
        if rollout.count(.overTotalBudget) > 0 { bound.append("total_budget") }
        return Limits(budgetGBP: budget, spentGBP: sel.publicCostGBP, unspentGBP: budget.map { $0 - sel.publicCostGBP },
                      capacityPremises: capacity, usedPremises: sel.householdsPassed, bound: bound)
    }

    /// The rollout's assumptions as used, and for coverage_target whether the target was met.
    static func assumptions(_ s: Scenario, _ r: RunResult, totals: Totals, authorities: [Authority]) -> Assumptions? {
        guard let ro = s.rollout, let rollout = r.rollout else { return nil }
        let tier = rollout.targetTier.name
        var shareReached: Double?
        var reached: Bool?
        if ro.strategy == .coverageTarget, let share = ro.targetShare {
            shareReached = totals.after.share(tier)
            reached = ro.perAuthority
                ? authorities.allSatisfy { $0.households == 0 || $0.after.share(tier) >= share - 1e-9 }
                : totals.after.share(tier) >= share - 1e-9
        }
        return Assumptions(
            targetTier: tier, targetMbps: rollout.targetTier.mbps, eligible: ro.eligible.map(\.rawValue), gridM: ro.gridM,
            strategy: ro.strategy.rawValue, targetShare: ro.strategy == .coverageTarget ? ro.targetShare : nil,
            perAuthority: ro.perAuthority, targetShareReached: shareReached, targetReached: reached,
            authorityOrder: ro.authorityOrder,
            fttp: ro.fttp.map { o in OrderedMap([("per_area_gbp", o.perAreaGBP), ("per_premises_gbp", o.perPremisesGBP),
                                                 ("per_km_gbp", o.perKmGBP), ("route_factor", o.routeFactor), ("down_mbps", o.downMbps)]) },
            fwa: ro.fwa.map { o in OrderedMap([("per_mast_gbp", o.perMastGBP), ("per_premises_gbp", o.perPremisesGBP),
                                               ("radius_m", o.radiusM), ("down_mbps", o.downMbps)]) },
            subsidy: ro.subsidy.map { o in OrderedMap([("arpu_gbp_month", o.arpuGBPMonth), ("take_up", o.takeUp),
                                                       ("payback_years", o.paybackYears), ("margin", o.margin)]) },
            takeUpCurve: ro.takeUpCurve, budgetGBP: ro.budgetGBP,
            years: ro.years.map { Assumptions.YearPlan(year: $0.year, budgetGBP: $0.budgetGBP, capacityPremises: $0.capacityPremises) },
            costSpread: s.uncertainty?.costSpread)
    }

    /// One tier's gap clusters: counts, the cross-border clusters largest first, and each
    /// planned authority's share of gap households in them.
    static func clusters(_ t: TierGapClusters) -> TierClusters {
        let crossBorder = t.crossBorder
        return TierClusters(
            clusters: t.clusters.count, crossBorderClusters: crossBorder.count,
            households: t.clusters.reduce(0) { $0 + $1.households },
            premisesOutsideClusters: t.premisesOutside, householdsOutsideClusters: t.householdsOutside,
            crossBorder: crossBorder.map { c in
                Cluster(id: c.id, areaKm2: c.areaKm2, households: c.households,
                        authorities: c.shares.map { ClusterPart(code: $0.code, areaKm2: $0.areaKm2, households: $0.households) })
            },
            authorities: t.authorities.map {
                AuthorityClusters(code: $0.code, gapHouseholds: $0.gapHouseholds, crossBorderHouseholds: $0.crossBorderHouseholds,
                                  crossBorderShare: $0.crossBorderShare)
            })
    }

    /// One state: households by tier (at or above), their shares of `households`, NGA
    /// households, and the gap and coverage areas of the tiers with polygons.
    static func state(_ st: CoverageState, households: Double, tiers: TierSet) -> State {
        State(householdsByTier: OrderedMap(tiers.names.map { ($0, st.householdsByTier[$0] ?? 0) }),
              shareByTier: OrderedMap(tiers.names.map { ($0, households > 0 ? (st.householdsByTier[$0] ?? 0) / households : 0) }),
              ngaHouseholds: OrderedMap(NGAClass.allCases.map { ($0.rawValue, st.ngaHouseholds[$0] ?? 0) }),
              gapAreaKm2: OrderedMap(tiers.names.compactMap { t in st.gapAreaKm2[t].map { (t, $0) } }),
              coverageAreaKm2: OrderedMap(tiers.names.compactMap { t in st.coverageAreaKm2[t].map { (t, $0) } }))
    }

    static func spread(_ p: Percentiles) -> Spread {
        Spread(p10: p.p10.rounded(), p50: p.p50.rounded(), p90: p.p90.rounded())
    }
}
