import Coverage
import Foundation
import Geometry

/// One reporting year of a rollout.
public struct YearResult: Sendable, Equatable {
    public let year: Int
    public var costGBP = 0.0
    public var publicCostGBP = 0.0
    public var householdsPassed = 0.0
    /// Households connected by the end of the year (cumulative), from the take-up curve.
    public var householdsConnected = 0.0
    public var areasBuilt = 0
    /// Only for programme years (nil for the later years that only count connections).
    public var limits: YearLimits?
}

/// A programme year's limits and what was left of them (docs/MODEL.md, "Budgets and years").
public struct YearLimits: Sendable, Equatable {
    /// The year's `budget_gbp` (nil: no limit).
    public var budgetGBP: Double?
    /// Budget carried out of the year unspent (nil when no budget limits the years so far).
    public var unspentGBP: Double?
    /// The year's `capacity_premises` (nil: no limit).
    public var capacityPremises: Double?
    /// The limits that turned at least one area away from this year ("budget", "capacity").
    public var bound: [String]
}

/// P10, P50 and P90 of a quantity over uncertainty runs.
public struct Percentiles: Sendable, Equatable {
    public let p10: Double
    public let p50: Double
    public let p90: Double

    public init(p10: Double, p50: Double, p90: Double) {
        self.p10 = p10
        self.p50 = p50
        self.p90 = p90
    }
}

public struct UncertaintyResult: Sendable, Equatable {
    public let runs: Int
    public let seed: UInt64
    public let costSpread: Double
    public let costGBP: Percentiles
    public let publicCostGBP: Percentiles
    public let householdsPassed: Percentiles
    public var takeUpSpread = 0.0
    public var arpuSpread = 0.0
    public var paybackSpread = 0.0
    public var marginSpread = 0.0
    /// The limits that left areas unbuilt in every run (`budget`, `capacity`,
    /// `total_budget`): households passed is held by them, not by the drawn parameters alone.
    public var householdsPassedLimitedBy: [String] = []
}

/// Per planned authority: what the programme spent and passed there.
public struct AuthorityRollout: Sendable, Equatable {
    public var costGBP = 0.0
    public var publicCostGBP = 0.0
    public var householdsPassed = 0.0
    public var areasBuilt = 0

    public init() {}
}

/// Premises of built areas that observed data already serves at the target tier.
public struct AlreadyServed: Sendable, Equatable {
    public var buildAreas = 0
    public var premises = 0
    public var households = 0.0
}

/// Everything a rollout produced.
public struct RolloutResult: Sendable {
    public let targetTier: Tier
    public let areas: [BuildArea]
    public let priced: [PricedArea]
    public let selection: Selection
    /// Premises classification after the programme.
    public let after: Classification
    public let afterStatistics: [AuthorityStatistics]
    public let afterCoverage: [AuthorityCoverage]
    /// Cell polygons (cell ∩ authority) of the areas, nil where not computed.
    public let areaPolygons: [Geometry?]
    public let years: [YearResult]
    /// Per planned authority slot.
    public let perAuthority: [AuthorityRollout]
    public let uncertainty: UncertaintyResult?
    /// Procurement lots of the built areas (`rollout.lots`), nil when not asked for.
    public let lots: [Lot]?
    /// Each lot's polygon: the union of its areas' polygons (same order as `lots`).
    public let lotPolygons: [Geometry]
    /// With a partnership: cells across a border delivered as separate areas because that
    /// costs less than one joint area (nil without a partnership).
    public let splitJointAreas: Int?
    public let timings: [(step: String, seconds: Double)]
    /// Each premises row's scope decision and reason (with observed data or BDUK's rules).
    public var scope: Scope? = nil
    /// Premises in built areas that observed data already puts at or above the target tier
    /// (nil without observed data): the run warns when there are any.
    public var alreadyServed: AlreadyServed? = nil

    public var builtCount: Int { selection.buildOrder.count }
    public func count(_ status: AreaStatus) -> Int { selection.status.filter { $0 == status }.count }
    public func households(_ status: AreaStatus) -> Double {
        zip(selection.status, areas).filter { $0.0 == status }.reduce(0) { $0 + $1.1.households }
    }
}

/// Runs the rollout of a scenario on top of its baseline (docs/MODEL.md, "Rollout scenario").
public enum Simulator {
    public static func run(
        _ scenario: Scenario, inputs: LoadedInputs, baseline: BaselineResult,
        progress: (String) -> Void = { _ in }
    ) throws -> RolloutResult {
        guard let rollout = scenario.rollout else {
            throw ScenarioError(file: scenario.file, "the scenario has no rollout block; use bbplan coverage for the baseline only")
        }
        var times = StepTimes()
        let model = scenario.model
        guard let target = model.tiers[rollout.targetTier] else {
            throw ScenarioError(file: scenario.file, "rollout.target_tier '\(rollout.targetTier)' is not a tier")
        }
        try checkAuthorityOrder(rollout, scenario: scenario, inputs: inputs)

        // Fibre nodes: every FTTC cabinet plus `fibre_nodes`.
        var nodeX: [Double] = [], nodeY: [Double] = []
        for network in inputs.networks {
            if case .cabinets(let xs, let ys) = network.assets {
                nodeX += xs
                nodeY += ys
            }
        }
        if let f = inputs.fibreNodes {
            nodeX += f.xs
            nodeY += f.ys
        }
        if rollout.fttp != nil && nodeX.isEmpty && rollout.fwa == nil {
            throw ScenarioError(file: scenario.file, "rollout.options.fttp prices route distance to fibre nodes, but there are none: add an fttc network or rollout.fibre_nodes")
        }
        let nodes = nodeX.isEmpty ? nil : PointGrid(xs: nodeX, ys: nodeY)

        var planned = [Bool](repeating: false, count: inputs.authorities.count)
        var slotOf = [Int](repeating: -1, count: inputs.authorities.count)
        for (k, a) in inputs.selected.enumerated() {
            planned[a] = true
            slotOf[a] = k
        }
        // With observed data or BDUK's rules, each premises gets a scope decision and reason
        // (docs/MODEL.md, "Intervention area"); the in-scope ones are the candidates.
        var scope: Scope?
        if !scenario.observed.isEmpty || rollout.interventionArea != nil {
            let o = inputs.observed
            let hasBDUK = inputs.observedData?.bduk != nil && inputs.observedData?.bdukUse == .baseline
            scope = InterventionArea.decide(
                premises: inputs.premises, classification: baseline.classification, planned: planned,
                eligible: Set(rollout.eligible), targetMbps: target.mbps,
                gigabitClass: hasBDUK ? o?.gigabitClass : nil, futureGigabit: hasBDUK ? o?.futureGigabit : nil,
                inContract: hasBDUK ? o?.inContract : nil, underReview: rollout.underReview,
                rules: rollout.interventionArea, builtUp: inputs.builtUpArea, vouchers: inputs.voucherArea)
        }
        let joint = try partners(rollout, scenario: scenario, inputs: inputs)
        var splitJointAreas = 0
        let areas = times.measure("finding build areas", reporting: progress) {
            let found = BuildAreaFinder.find(
                premises: inputs.premises, classification: baseline.classification, authorities: inputs.authorities,
                planned: planned, eligible: Set(rollout.eligible), targetMbps: target.mbps,
                gridMetres: rollout.gridM, fibreNodes: nodes, allowed: scope?.inScope, joint: joint)
            let resolved = JointAreas.resolve(found, rollout: rollout, targetMbps: target.mbps) {
                BuildAreaFinder.parts(of: $0, premises: inputs.premises, classification: baseline.classification,
                                      authorities: inputs.authorities, fibreNodes: nodes)
            }
            splitJointAreas = resolved.split
            return resolved.areas.sorted {
                ($0.cellX, $0.cellY, inputs.authorities[$0.authority].code) < ($1.cellX, $1.cellY, inputs.authorities[$1.authority].code)
            }
        }
        let context = SelectionContext(
            areaSlot: areas.map { slotOf[$0.authority] },
            households: baseline.statistics.map(\.households),
            householdsAtTarget: baseline.statistics.map { $0.state.householdsByTier[target.name] ?? 0 },
            codes: baseline.statistics.map(\.code), slotOfAuthority: slotOf)

        let (priced, selection) = times.measure("pricing and selecting build areas", reporting: progress) {
            let priced = Pricing.price(areas, rollout: rollout, targetMbps: target.mbps)
            return (priced, Selector.select(priced: priced, areas: areas, rollout: rollout, context: context))
        }

        // After: premises in built areas get the option's speed; one more NGA operator.
        var builtPremises: [Int] = []
        var builtSpeeds: [Double] = []
        for a in selection.buildOrder {
            for i in areas[a].premises {
                builtPremises.append(i)
                builtSpeeds.append(priced[a].downMbps)
            }
        }
        let after = baseline.classification.upgraded(
            premises: builtPremises, mbps: builtSpeeds, network: Int16(inputs.networks.count), model: model)
        var (afterStats, _) = Statistics.summarise(
            classification: after, households: inputs.premises.households, authorities: inputs.authorities,
            selected: inputs.selected, tiers: model.tiers, countsAsPremises: inputs.firstRowOfPoint)

        // Every candidate's polygon is drawn only for outputs that show them (the build_areas
        // layer, the report's map); tables alone need the built areas' (after-programme
        // coverage, lots). A national sweep variant has 65,393 candidates and builds about 900.
        let drawsEveryArea = scenario.outputs.formats.contains { $0 != .csv }
        let polygons = try times.measure("building area polygons", reporting: progress) {
            try areaPolygons(areas: areas, authorities: inputs.authorities, gridMetres: rollout.gridM,
                             only: drawsEveryArea ? nil : Set(selection.buildOrder))
        }
        let afterCoverage = try times.measure("rebuilding gap polygons after the programme", reporting: progress) {
            try rebuildCoverage(baseline: baseline, areas: areas, priced: priced, selection: selection,
                                polygons: polygons, slotOf: slotOf, authorities: inputs.authorities)
        }
        for (k, c) in afterCoverage.enumerated() {
            for t in c.tiers {
                afterStats[k].state.gapAreaKm2[t.tier.name] = t.gapKm2
                afterStats[k].state.coverageAreaKm2[t.tier.name] = t.coverageKm2
            }
        }

        var perAuthority = [AuthorityRollout](repeating: AuthorityRollout(), count: inputs.selected.count)
        for a in selection.buildOrder {
            // A joint area's cost is shared by the rule; its households are each authority's own.
            for (member, weight) in zip(areas[a].members, areas[a].weights(rollout.costShare)) {
                let slot = slotOf[member.authority]
                perAuthority[slot].costGBP += priced[a].costGBP * weight
                perAuthority[slot].publicCostGBP += priced[a].publicCostGBP * weight
                perAuthority[slot].householdsPassed += member.households
                perAuthority[slot].areasBuilt += 1
            }
        }
        let years = yearResults(rollout: rollout, areas: areas, priced: priced, selection: selection)

        var uncertainty: UncertaintyResult?
        if let u = scenario.uncertainty {
            uncertainty = try times.measure("uncertainty runs", reporting: progress) {
                try Uncertainty.run(u, areas: areas, rollout: rollout, targetMbps: target.mbps, context: context)
            }
        }
        var lots: [Lot]?
        var lotPolygons: [Geometry] = []
        if let settings = rollout.lots {
            let grouped = try times.measure("grouping built areas into lots", reporting: progress) {
                let grouped = ProcurementLots.group(
                    built: selection.buildOrder, areas: areas, priced: priced, years: selection.year,
                    codes: inputs.authorities.map(\.code), gridMetres: rollout.gridM, settings: settings)
                // Area polygons are shared between threads: each task unions copies.
                let shapes = try Parallel.map(grouped) { lot in
                    try Geometry.union(of: lot.areas.compactMap { polygons[$0] }).polygonalParts()
                }
                return (grouped, shapes)
            }
            (lots, lotPolygons) = grouped
        }
        var result = RolloutResult(
            targetTier: target, areas: areas, priced: priced, selection: selection, after: after,
            afterStatistics: afterStats, afterCoverage: afterCoverage, areaPolygons: polygons, years: years,
            perAuthority: perAuthority, uncertainty: uncertainty, lots: lots, lotPolygons: lotPolygons,
            splitJointAreas: joint.isEmpty ? nil : splitJointAreas, timings: times.entries)
        result.scope = scope
        result.alreadyServed = alreadyServed(inputs: inputs, areas: areas, selection: selection, targetMbps: target.mbps)
        return result
    }

    /// Counts the premises of built areas that observed data (a baseline or a check source)
    /// puts at or above the target tier: points, and households weighted by the observed
    /// share at or above it.
    static func alreadyServed(inputs: LoadedInputs, areas: [BuildArea], selection: Selection, targetMbps: Double) -> AlreadyServed? {
        guard let o = inputs.observed, let data = inputs.observedData else { return nil }
        var served = AlreadyServed()
        var seen = Set<Int32>()
        for a in selection.buildOrder {
            var hit = false
            for i in areas[a].premises {
                guard let share = o.observedShare(atLeast: targetMbps, row: i, data: data), share > 0 else { continue }
                hit = true
                served.households += share * inputs.premises.households[i]
                if seen.insert(o.origin[i]).inserted { served.premises += 1 }
            }
            if hit { served.buildAreas += 1 }
        }
        return served
    }

    /// The authorities of `rollout.partnership` (indices among all authorities read); refuses
    /// a code that is not a planned authority, naming its position.
    public static func partners(_ rollout: RolloutSettings, scenario: Scenario, inputs: LoadedInputs) throws -> Set<Int> {
        switch rollout.partnership {
        case nil: return []
        case .all: return Set(inputs.selected)
        case .codes(let codes):
            var index: [String: Int] = [:]
            for a in inputs.selected { index[inputs.authorities[a].code] = a }
            return Set(try codes.enumerated().map { position, code in
                guard let a = index[code] else {
                    throw scenario.errorInList("rollout.partnership", index: position, "\(code) is not one of the planned authorities")
                }
                return a
            })
        }
    }

    /// Refuses an `authority_order` code that is not a planned authority, naming its position.
    public static func checkAuthorityOrder(_ rollout: RolloutSettings, scenario: Scenario, inputs: LoadedInputs) throws {
        let planned = Set(inputs.selected.map { inputs.authorities[$0].code })
        for (position, code) in rollout.authorityOrder.enumerated() where !planned.contains(code) {
            throw scenario.errorInList("rollout.authority_order", index: position, "\(code) is not one of the planned authorities")
        }
    }

    /// Years from the first programme year to the last plus the take-up curve's length − 1,
    /// so connections are reported until the curve levels off.
    static func yearResults(rollout: RolloutSettings, areas: [BuildArea], priced: [PricedArea], selection: Selection) -> [YearResult] {
        guard let first = rollout.years.first?.year, let last = rollout.years.last?.year else { return [] }
        let end = last + max(0, rollout.takeUpCurve.count - 1)
        var results = (first...end).map { YearResult(year: $0) }
        for (k, plan) in rollout.years.enumerated() {
            var bound: [String] = []
            if k < selection.budgetRefusals.count, selection.budgetRefusals[k] > 0 { bound.append("budget") }
            if k < selection.capacityRefusals.count, selection.capacityRefusals[k] > 0 { bound.append("capacity") }
            results[plan.year - first].limits = YearLimits(
                budgetGBP: plan.budgetGBP, unspentGBP: k < selection.unspentGBP.count ? selection.unspentGBP[k] : nil,
                capacityPremises: plan.capacityPremises, bound: bound)
        }
        for a in selection.buildOrder {
            guard let y = selection.year[a] else { continue }
            let k = y - first
            results[k].costGBP += priced[a].costGBP
            results[k].publicCostGBP += priced[a].publicCostGBP
            results[k].householdsPassed += areas[a].households
            results[k].areasBuilt += 1
            // Connected in year z: passed × curve value for the years since build (the build
            // year is year 0; the last value holds).
            for z in k..<results.count {
                let since = min(z - k, rollout.takeUpCurve.count - 1)
                results[z].householdsConnected += areas[a].households * rollout.takeUpCurve[since]
            }
        }
        return results
    }

    /// Each area's polygon: its grid cell clipped to its authority (for a joint area, to each
    /// of its authorities, unioned); with `only`, nil for the areas not in it.
    static func areaPolygons(areas: [BuildArea], authorities: [Authority], gridMetres: Double, only: Set<Int>? = nil) throws -> [Geometry?] {
        try Parallel.chunks(count: areas.count, minimumChunk: 256, cloning: authorities.map(\.geometry)) {
            range, clones -> [Geometry?] in
            try range.map { k -> Geometry? in
                if let only, !only.contains(k) { return nil }
                let area = areas[k]
                let authority = try clones.shared(area.authority)
                let cell = Envelope(minX: Double(area.cellX) * gridMetres, minY: Double(area.cellY) * gridMetres,
                                    maxX: Double(area.cellX + 1) * gridMetres, maxY: Double(area.cellY + 1) * gridMetres)
                func clip(_ authority: Geometry) throws -> Geometry {
                    var clipped = try authority.clipped(to: cell)
                    if !clipped.isValid { clipped = try authority.intersection(with: Geometry.rectangle(cell)) }
                    return try clipped.polygonalParts()
                }
                if area.shares.isEmpty { return try clip(authority) }
                // A joint area: the cell within each of its authorities.
                var pieces: [Geometry] = []
                for share in area.shares { pieces.append(try clip(clones.shared(share.authority))) }
                return try Geometry.union(of: pieces).polygonalParts()
            }
        }.flatMap { $0 }
    }

    /// After-programme coverage: the baseline coverage plus the polygons of built areas whose
    /// option meets each tier; gaps shrink accordingly.
    static func rebuildCoverage(
        baseline: BaselineResult, areas: [BuildArea], priced: [PricedArea], selection: Selection,
        polygons: [Geometry?], slotOf: [Int], authorities: [Authority]
    ) throws -> [AuthorityCoverage] {
        var grouped = [[Int]](repeating: [], count: baseline.coverage.count)
        for a in selection.buildOrder {
            for member in areas[a].members { grouped[slotOf[member.authority]].append(a) }
        }
        let builtBySlot = grouped
        // The clone rule (Parallel): the built areas' polygons and the baseline's coverage and
        // gaps were made on other threads, so each task works on its own copies.
        return try Parallel.map(Array(baseline.coverage.indices), cloning: polygons) { slot, clones -> AuthorityCoverage in
            let before = baseline.coverage[slot]
            let area = authorities[before.authority]
            // Joint areas reach over the border: keep the part in this authority.
            let clip = try builtBySlot[slot].contains { !areas[$0].shares.isEmpty } ? area.geometry.clone() : nil
            let tiers = try before.tiers.map { t -> TierCoverage in
                let cells = try builtBySlot[slot].filter { priced[$0].downMbps >= t.tier.mbps }.compactMap { try clones.sharedIfPresent($0) }
                if cells.isEmpty { return t }
                var added = try Geometry.union(of: cells)
                if let clip { added = try added.intersection(with: clip).polygonalParts() }
                let coverage = try clones.own(t.coverage).union(with: added).polygonalParts()
                let gap = try clones.own(t.gap).difference(added).polygonalParts()
                let gapKm2 = try gap.area() / 1e6
                return TierCoverage(tier: t.tier, coverage: coverage, gap: gap,
                                    coverageKm2: max(0, area.areaKm2 - gapKm2), gapKm2: gapKm2)
            }
            return AuthorityCoverage(authority: before.authority, tiers: tiers)
        }
    }
}
