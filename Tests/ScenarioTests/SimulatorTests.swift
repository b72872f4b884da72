import Foundation
import Testing
import TestSupport
@testable import Coverage
@testable import Scenario

/// Five areas with costs to add up by hand.
///
///   area  households  public cost   £ per household
///   a0    100         50,000        500
///   a1     50         40,000        800
///   a2    200         60,000        300
///   a3     10         30,000        3,000
///   a4     80         40,000        500   (ties with a0; a0 has more households, so first)
///
/// Ranking: a2, a0, a4, a1, a3. a0 and a1 are in authority slot 0 ("E1"); a2, a3, a4 in
/// slot 1 ("E2").
struct FiveAreas {
    let households: [Double] = [100, 50, 200, 10, 80]
    let costs: [Double] = [50_000, 40_000, 60_000, 30_000, 40_000]
    let slots = [0, 0, 1, 1, 1]

    var areas: [BuildArea] {
        households.indices.map { k in
            BuildArea(id: "E\(slots[k] + 1)/\(k)_0", authority: slots[k], cellX: k, cellY: 0, premises: [k],
                      households: households[k], centroidX: 0, centroidY: 0, fibreDistanceMetres: 0, radiusMetres: 0)
        }
    }

    var priced: [PricedArea] {
        costs.indices.map { k in
            PricedArea(area: k, technology: .fttp, downMbps: 1000, costGBP: costs[k], publicCostGBP: costs[k],
                       fttpCostGBP: costs[k], fwaCostGBP: nil)
        }
    }

    func context(households: [Double] = [1000, 1000], atTarget: [Double] = [0, 0]) -> SelectionContext {
        SelectionContext(areaSlot: slots, households: households, householdsAtTarget: atTarget, codes: ["E1", "E2"])
    }

    func rollout(strategy: Strategy = .leastCostPerHousehold, budget: Double? = nil, years: [YearPlan] = [YearPlan(year: 2027, budgetGBP: nil, capacityPremises: nil)],
                 share: Double? = nil, perAuthority: Bool = false, order: [String] = []) -> RolloutSettings {
        RolloutSettings(targetTier: "gigabit", eligible: [.white], gridM: 1000, fibreNodes: nil,
                        fttp: FTTPOption(perAreaGBP: 0, perPremisesGBP: 0, perKmGBP: 0, routeFactor: 1.3, downMbps: 1000),
                        fwa: nil, strategy: strategy, budgetGBP: budget, years: years, targetShare: share,
                        perAuthority: perAuthority, authorityOrder: order, takeUpCurve: [0.15, 0.3, 0.45, 0.55], subsidy: nil)
    }

    func select(_ r: RolloutSettings, context c: SelectionContext? = nil) -> Selection {
        Selector.select(priced: priced, areas: areas, rollout: r, context: c ?? context())
    }
}

@Suite("Strategies, budgets and years, hand-worked")
struct SelectionTests {
    let f = FiveAreas()

    @Test func leastCostWithATotalBudget() {
        // a2 60k, a0 50k (110k), a4 40k (150k = budget); a1 and a3 no longer fit. The year
        // has no budget of its own, so the total cap is what stops them.
        let s = f.select(f.rollout(budget: 150_000))
        #expect(s.buildOrder == [2, 0, 4])
        #expect(s.status == [.built, .overTotalBudget, .built, .overTotalBudget, .built])
        #expect(s.publicCostGBP == 150_000 && s.householdsPassed == 380)
    }

    @Test func unspentBudgetCarriesOver() {
        // £70k a year for three years. a2 (60k) in 2027 leaves 10k; a0 (50k) fits only in 2028
        // (70k), leaving 20k; a4 (40k) needs 2029 (70k + 10k + 20k carried = 100k available);
        // a1 (40k) also 2029 (60k left); a3 (30k) finds 10k, 30k and 20k left: over budget.
        let years = [2027, 2028, 2029].map { YearPlan(year: $0, budgetGBP: 70_000, capacityPremises: nil) }
        let s = f.select(f.rollout(years: years))
        #expect(s.year == [2028, 2029, 2027, nil, 2029])
        #expect(s.status[3] == .overBudget)
        #expect(s.publicCostGBP == 190_000)
    }

    @Test func laterBudgetsNeverPayForEarlierYears() {
        // £10k in 2027 and £100k in 2028: a2 (60k) cannot be built in 2027 on 2028's money, so
        // it goes in 2028; a0 (50k) then takes 2028's remaining 40k plus 2027's unspent 10k.
        // Nothing fits in 2027, and a4 (40k) finds nothing left.
        let years = [YearPlan(year: 2027, budgetGBP: 10_000, capacityPremises: nil), YearPlan(year: 2028, budgetGBP: 100_000, capacityPremises: nil)]
        let s = f.select(f.rollout(years: years))
        #expect(s.year[2] == 2028 && s.year[0] == 2028)
        #expect(!s.year.contains(2027))
        #expect(s.status[4] == .overBudget)
        #expect(s.publicCostGBP == 110_000)
    }

    @Test func capacityLimitsEachYear() {
        // 250 households a year, no budget limit: a2 (200) 2027; a0 (100) → 2028; a4 (80) →
        // 2028 (180); a1 (50) → 2027 (250, exactly full); a3 (10) → 2028 (190).
        let years = [2027, 2028].map { YearPlan(year: $0, budgetGBP: nil, capacityPremises: 250) }
        let s = f.select(f.rollout(years: years))
        #expect(s.year == [2028, 2027, 2027, 2028, 2028])
        #expect(s.householdsPassed == 440)
    }

    @Test func coverageTargetRegionWide() {
        // 400 of 1000 households at the target; 70% needs 300 more: a2 (200) then a0 (100).
        let s = f.select(f.rollout(strategy: .coverageTarget, share: 0.7), context: f.context(households: [500, 500], atTarget: [200, 200]))
        #expect(s.buildOrder == [2, 0])
        #expect(s.status == [.built, .targetReached, .built, .targetReached, .targetReached])
    }

    @Test func coverageTargetPerAuthority() {
        // 50% in each. E1: 300 households, 100 at target, needs 150: a0 builds (200), a1 is not
        // needed. E2: 1000 households, 200 at target, needs 500: a2 (400), a4 (480), a3 (490):
        // all three build and E2 still misses its target.
        let s = f.select(f.rollout(strategy: .coverageTarget, share: 0.5, perAuthority: true),
                         context: f.context(households: [300, 1000], atTarget: [100, 200]))
        #expect(s.status == [.built, .targetReached, .built, .built, .built])
        // At 80%, E1 needs 240: a0 (200) and then a1 (250).
        let both = f.select(f.rollout(strategy: .coverageTarget, share: 0.8, perAuthority: true),
                            context: f.context(households: [300, 1000], atTarget: [100, 200]))
        #expect(both.status[1] == .built)
    }

    @Test func authorityPriorityTakesAuthoritiesInOrder() {
        // E2 first by ranking (a2, a4, a3 = 130k), then E1 (a0 50k would make 180k > 150k).
        let s = f.select(f.rollout(strategy: .authorityPriority, budget: 150_000, order: ["E2", "E1"]))
        #expect(s.buildOrder == [2, 4, 3])
        #expect(s.status[0] == .overTotalBudget && s.status[1] == .overTotalBudget)
        let onlyE1 = f.select(f.rollout(strategy: .authorityPriority, order: ["E1"]))
        #expect(onlyE1.buildOrder == [0, 1])
        #expect(onlyE1.status[2] == .notPrioritised && onlyE1.status[3] == .notPrioritised)
    }

    @Test func takeUpByYear() {
        // a2 (200 households) built 2027 and a0 (100) 2028, curve 0.15, 0.3, 0.45, 0.55:
        // 2027: 30; 2028: 60 + 15; 2029: 90 + 30; 2030: 110 + 45; 2031: 110 + 55.
        let years = [YearPlan(year: 2027, budgetGBP: 60_000, capacityPremises: nil), YearPlan(year: 2028, budgetGBP: 50_000, capacityPremises: nil)]
        let r = f.rollout(years: years)
        let s = f.select(r)
        let y = Simulator.yearResults(rollout: r, areas: f.areas, priced: f.priced, selection: s)
        #expect(y.map(\.year) == [2027, 2028, 2029, 2030, 2031])
        for (got, want) in zip(y.map(\.householdsConnected), [30.0, 75, 120, 155, 165]) { #expect(abs(got - want) < 1e-9) }
        #expect(y.map(\.householdsPassed) == [200, 100, 0, 0, 0])
        #expect(y.map(\.publicCostGBP) == [60_000, 50_000, 0, 0, 0])
    }

    @Test("more budget never passes fewer households", arguments: [1, 2, 3, 4, 5, 6, 7, 8])
    func budgetMonotone(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let n = 60
        let households = (0..<n).map { _ in 1 + (rng.nextUnit() * 300).rounded() }
        let costs = (0..<n).map { _ in 5_000 + (rng.nextUnit() * 200_000).rounded() }
        let areas = (0..<n).map { k in
            BuildArea(id: "A/\(k)_0", authority: 0, cellX: k, cellY: 0, premises: [k], households: households[k],
                      centroidX: 0, centroidY: 0, fibreDistanceMetres: 0, radiusMetres: 0)
        }
        let priced = (0..<n).map { k in
            PricedArea(area: k, technology: .fttp, downMbps: 1000, costGBP: costs[k], publicCostGBP: costs[k], fttpCostGBP: costs[k], fwaCostGBP: nil)
        }
        let context = SelectionContext(areaSlot: [Int](repeating: 0, count: n), households: [1e6], householdsAtTarget: [0], codes: ["A"])
        var previous = -1.0
        for step in 0...40 {
            let budget = Double(step) * 100_000
            let r = f.rollout(budget: budget)
            let passed = Selector.select(priced: priced, areas: areas, rollout: r, context: context).householdsPassed
            #expect(passed >= previous, "budget \(budget) passed \(passed) < \(previous)")
            previous = passed
        }
    }
}

@Suite("Pricing and subsidy, hand-worked")
struct PricingTests {
    func area(households: Double, distance: Double, radius: Double = 100) -> BuildArea {
        BuildArea(id: "X/0_0", authority: 0, cellX: 0, cellY: 0, premises: [0], households: households,
                  centroidX: 0, centroidY: 0, fibreDistanceMetres: distance, radiusMetres: radius)
    }

    var rollout: RolloutSettings {
        var r = FiveAreas().rollout()
        r.targetTier = "superfast"
        r.fttp = FTTPOption(perAreaGBP: 10_000, perPremisesGBP: 500, perKmGBP: 20_000, routeFactor: 1.3, downMbps: 1000)
        r.fwa = FWAOption(perMastGBP: 80_000, perPremisesGBP: 250, radiusM: 5000, downMbps: 50)
        return r
    }

    @Test func cheapestOptionWins() {
        // Near: FTTP = 10,000 + 500 × 100 + 20,000 × (1000 m × 1.3 / 1000) = 86,000; FWA =
        // 80,000 + 250 × 100 = 105,000 → FTTP. Far (5 km): FTTP = 60,000 + 130,000 = 190,000 → FWA.
        let p = Pricing.price([area(households: 100, distance: 1000), area(households: 100, distance: 5000)], rollout: rollout, targetMbps: 30)
        #expect(p[0].technology == .fttp && abs(p[0].costGBP - 86_000) < 1e-6)
        #expect(p[1].technology == .fwa && p[1].costGBP == 105_000)
        #expect(abs((p[1].fttpCostGBP ?? 0) - 190_000) < 1e-6)
        // FWA cannot meet gigabit, and cannot reach premises beyond its radius.
        let giga = Pricing.price([area(households: 100, distance: 5000)], rollout: rollout, targetMbps: 1000)
        #expect(giga[0].technology == .fttp && giga[0].fwaCostGBP == nil)
        let wide = Pricing.price([area(households: 100, distance: 5000, radius: 6000)], rollout: rollout, targetMbps: 30)
        #expect(wide[0].technology == .fttp)
    }

    @Test func gapFundingSubsidy() {
        // Revenue = households × 0.5 × £35 × 12 × 7 years × 0.3 = 441 per household.
        var r = rollout
        r.fwa = nil // FTTP only, so the costs below are FTTP's
        r.subsidy = SubsidySettings(arpuGBPMonth: 35, takeUp: 0.5, paybackYears: 7, margin: 0.3)
        let p = Pricing.price([area(households: 100, distance: 1000), area(households: 1000, distance: 0)], rollout: r, targetMbps: 30)
        #expect(abs(p[0].publicCostGBP - (86_000 - 44_100)) < 1e-6)
        // 10,000 + 500 × 1000 = 510,000 − 441,000 = 69,000.
        #expect(abs(p[1].publicCostGBP - 69_000) < 1e-6)
        r.fttp?.perPremisesGBP = 300 // 310,000 < 441,000: commercially viable, public cost 0
        let viable = Pricing.price([area(households: 1000, distance: 0)], rollout: r, targetMbps: 30)
        #expect(viable[0].publicCostGBP == 0)
        let s = Selector.select(priced: viable, areas: [area(households: 1000, distance: 0)], rollout: r,
                                context: SelectionContext(areaSlot: [0], households: [1000], householdsAtTarget: [0], codes: ["X"]))
        #expect(s.status == [.commerciallyViable] && s.buildOrder.isEmpty)
    }
}

@Suite("Uncertainty")
struct UncertaintyTests {
    @Test func sameSeedSameNumbersDifferentSeedDifferentNumbers() throws {
        let f = FiveAreas()
        var r = f.rollout(budget: 150_000)
        r.fttp = FTTPOption(perAreaGBP: 10_000, perPremisesGBP: 200, perKmGBP: 20_000, routeFactor: 1.3, downMbps: 1000)
        let areas = f.areas.map { a in
            BuildArea(id: a.id, authority: a.authority, cellX: a.cellX, cellY: a.cellY, premises: a.premises,
                      households: a.households, centroidX: 0, centroidY: 0, fibreDistanceMetres: 800, radiusMetres: 0)
        }
        let run = { (seed: UInt64, spread: Double) in
            try Uncertainty.run(UncertaintySettings(runs: 200, costSpread: spread, seed: seed), areas: areas, rollout: r,
                                targetMbps: 1000, context: f.context())
        }
        let a = try run(7, 0.2), b = try run(7, 0.2), c = try run(8, 0.2)
        #expect(a == b)
        #expect(a.costGBP != c.costGBP)
        #expect(a.costGBP.p10 <= a.costGBP.p50 && a.costGBP.p50 <= a.costGBP.p90)
        #expect(a.costGBP.p10 < a.costGBP.p90)
        // No spread: every run is the central estimate.
        let z = try run(7, 0)
        let central = Selector.select(priced: Pricing.price(areas, rollout: r, targetMbps: 1000), areas: areas, rollout: r, context: f.context())
        #expect(z.costGBP == Percentiles(p10: central.costGBP, p50: central.costGBP, p90: central.costGBP))
    }

    @Test func percentilesInterpolateLikeNumpy() {
        // numpy.percentile([1..10], [10, 50, 90]) = 1.9, 5.5, 9.1
        let p = Uncertainty.percentiles((1...10).map(Double.init))
        #expect(abs(p.p10 - 1.9) < 1e-12 && abs(p.p50 - 5.5) < 1e-12 && abs(p.p90 - 9.1) < 1e-12)
    }

    @Test func triangularDrawsStayInRangeWithMeanOne() {
        var rng = SplitMix64(seed: 3)
        let draws = (0..<100_000).map { _ in Uncertainty.triangular(&rng, spread: 0.2) }
        #expect(draws.allSatisfy { $0 >= 0.8 && $0 <= 1.2 })
        let mean = draws.reduce(0, +) / Double(draws.count)
        #expect(abs(mean - 1) < 0.002)
        // Triangular(0.8, 1, 1.2): P(x < 0.9) = 0.1² / (0.4 × 0.2) = 0.125.
        let below = Double(draws.filter { $0 < 0.9 }.count) / Double(draws.count)
        #expect(abs(below - 0.125) < 0.005)
    }
}

@Suite("Rollout on the Cumbria sample")
struct RolloutIntegrationTests {
    @Test func accountsAddUpAndTheAfterStateFollows() throws {
        let dir = TestPaths.temporaryDirectory("rollout")
        let path = try writeScenario(cumbriaScenario(rollout: """
            rollout:
              target_tier: superfast
              eligible: [white]
              fibre_nodes: \(geo)/network/cumbria-exchanges.csv
              budget_gbp: 3000000
              options:
                fttp: { per_area_gbp: 15000, per_premises_gbp: 650, per_km_gbp: 40000 }
                fwa: { per_mast_gbp: 80000, per_premises_gbp: 300, radius_m: 5000, down_mbps: 50 }
            """), in: dir)
        let s = try ScenarioFile.load(path: path)
        let inputs = try InputLoader.load(s)
        let baseline = try CoverageAnalysis.run(s, inputs: inputs)
        let r = try Simulator.run(s, inputs: inputs, baseline: baseline)
        let sel = r.selection
        #expect(sel.publicCostGBP <= 3_000_000 + 1e-6 && sel.publicCostGBP > 2_500_000)
        // Totals are the sums of the built areas, per authority and per year.
        #expect(abs(r.perAuthority.reduce(0) { $0 + $1.publicCostGBP } - sel.publicCostGBP) < 1e-6)
        #expect(abs(r.years.reduce(0) { $0 + $1.householdsPassed } - sel.householdsPassed) < 1e-9)
        // Every premises in a built area was white and below superfast; now it is at or above.
        let superfast = s.model.tiers.index(of: "superfast")!
        for a in sel.buildOrder {
            for i in r.areas[a].premises {
                #expect(baseline.classification.ngaOperators[i] == 0 && baseline.classification.bestMbps[i] < 30)
                #expect(r.after.tier[i] >= superfast)
                #expect(r.after.ngaOperators[i] == 1)
            }
        }
        // After = before + households passed, for the target tier, per authority.
        for (k, st) in baseline.statistics.enumerated() {
            let before = st.state.householdsByTier["superfast"] ?? 0
            let after = r.afterStatistics[k].state.householdsByTier["superfast"] ?? 0
            #expect(abs(after - before - r.perAuthority[k].householdsPassed) < 1e-6)
            // The gap can only shrink.
            #expect((r.afterStatistics[k].state.gapAreaKm2["superfast"] ?? 0) <= (st.state.gapAreaKm2["superfast"] ?? 0) + 1e-9)
        }
        // Areas are grid cells within one authority: every premises in the right cell.
        for area in r.areas {
            for i in area.premises {
                #expect(Int((inputs.premises.xs[i] / 1000).rounded(.down)) == area.cellX)
                #expect(Int(baseline.classification.authority[i]) == area.authority)
            }
        }
    }
}

/// Issue 11 item 5: take-up, ARPU, payback and margin drawn too; a limit that pins households
/// passed is named.
@Suite("Uncertainty of the subsidy's revenue, hand-worked")
struct RevenueUncertaintyTests {
    let f = FiveAreas()
    /// FTTP at £10,000 per area + £200 per premises, fibre on the doorstep (0 km).
    var areas: [BuildArea] { f.areas }

    func rollout(budget: Double? = nil) -> RolloutSettings {
        var r = f.rollout(budget: budget)
        r.fttp = FTTPOption(perAreaGBP: 10_000, perPremisesGBP: 200, perKmGBP: 20_000, routeFactor: 1.3, downMbps: 1000)
        // Revenue £90 per household (0.5 × £30 × 12 × 5 × 0.1): below every area's cost, so
        // every area needs public money and none is commercially viable.
        r.subsidy = SubsidySettings(arpuGBPMonth: 30, takeUp: 0.5, paybackYears: 5, margin: 0.1)
        return r
    }

    /// Spreads of 0 for the new parameters: the same numbers as drawing unit costs alone (the
    /// earlier algorithm written out here: five cost draws per run, reprice, reselect).
    @Test func zeroSpreadsRepeatTheEarlierNumbers() throws {
        let r = rollout(budget: 40_000)
        let settings = UncertaintySettings(runs: 50, costSpread: 0.2, seed: 11)
        let result = try Uncertainty.run(settings, areas: areas, rollout: r, targetMbps: 1000, context: f.context())
        var costs: [Double] = [], publicCosts: [Double] = [], passed: [Double] = []
        for run in 0..<50 {
            var rng = SplitMix64(seed: 11 &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(run + 1))
            var m = CostMultipliers()
            m.fttpPerArea = Uncertainty.triangular(&rng, spread: 0.2)
            m.fttpPerPremises = Uncertainty.triangular(&rng, spread: 0.2)
            m.fttpPerKm = Uncertainty.triangular(&rng, spread: 0.2)
            m.fwaPerMast = Uncertainty.triangular(&rng, spread: 0.2)
            m.fwaPerPremises = Uncertainty.triangular(&rng, spread: 0.2)
            let s = Selector.select(priced: Pricing.price(areas, rollout: r, targetMbps: 1000, multipliers: m), areas: areas, rollout: r, context: f.context())
            costs.append(s.costGBP); publicCosts.append(s.publicCostGBP); passed.append(s.householdsPassed)
        }
        #expect(result.costGBP == Uncertainty.percentiles(costs))
        #expect(result.publicCostGBP == Uncertainty.percentiles(publicCosts))
        #expect(result.householdsPassed == Uncertainty.percentiles(passed))
    }

    /// One run, take-up spread 0.3 and nothing else drawn: the first number of the run's
    /// stream is the take-up draw; public cost by hand for every area (no limit, all built).
    @Test func takeUpDrawByHand() throws {
        var settings = UncertaintySettings(runs: 1, costSpread: 0, seed: 5)
        settings.takeUpSpread = 0.3
        let result = try Uncertainty.run(settings, areas: areas, rollout: rollout(), targetMbps: 1000, context: f.context())
        var rng = SplitMix64(seed: 5 &+ 0x9E37_79B9_7F4A_7C15)
        let u = rng.nextUnit()
        // Inverse CDF of triangular(0.7, 1, 1.3): below the mode a + sqrt(u (b − a)(c − a)).
        let m = u < 0.5 ? 0.7 + (u * 0.6 * 0.3).squareRoot() : 1.3 - ((1 - u) * 0.6 * 0.3).squareRoot()
        var expected = 0.0
        for h in f.households {
            let cost = 10_000 + 200 * h
            let revenue = h * min(1, 0.5 * m) * 30 * 12 * 5 * 0.1
            expected += max(0, cost - revenue)
        }
        #expect(abs(result.publicCostGBP.p50 - expected) < 1e-6)
        #expect(result.takeUpSpread == 0.3)
        // The central estimate (m = 1) differs: the draw moved the public cost.
        let central = f.households.reduce(0.0) { $0 + max(0, 10_000 + 200 * $1 - $1 * 0.5 * 30 * 12 * 5 * 0.1) }
        #expect(abs(expected - central) > 1)
        // Same seed, same numbers.
        #expect(try Uncertainty.run(settings, areas: areas, rollout: rollout(), targetMbps: 1000, context: f.context()) == result)
    }

    @Test func aBindingBudgetIsNamed() throws {
        var settings = UncertaintySettings(runs: 40, costSpread: 0.2, seed: 3)
        settings.arpuSpread = 0.2
        settings.marginSpread = 0.1
        // A £20,000 total budget cannot build all five areas in any run.
        let tight = try Uncertainty.run(settings, areas: areas, rollout: rollout(budget: 20_000), targetMbps: 1000, context: f.context())
        #expect(tight.householdsPassedLimitedBy == ["total_budget"] || tight.householdsPassedLimitedBy == ["budget"])
        #expect(!tight.householdsPassedLimitedBy.isEmpty)
        // No limit: nothing pins the figure.
        let free = try Uncertainty.run(settings, areas: areas, rollout: rollout(), targetMbps: 1000, context: f.context())
        #expect(free.householdsPassedLimitedBy.isEmpty)
        #expect(free.householdsPassed.p10 == f.households.reduce(0, +))
    }

    @Test func spreadKeysAreParsedWithDefaultsOfZero() throws {
        let dir = TestPaths.temporaryDirectory("revenue-spreads")
        let path = try writeScenario(cumbriaScenario(rollout: """
            rollout:
              target_tier: superfast
              eligible: [white]
              fibre_nodes: \(geo)/network/cumbria-exchanges.csv
              options:
                fttp: { per_area_gbp: 15000, per_premises_gbp: 650, per_km_gbp: 40000 }
            uncertainty:
              runs: 3
              take_up_spread: 0.25
              margin_spread: 0.1
            """), in: dir)
        let u = try #require(try ScenarioFile.load(path: path).uncertainty)
        #expect(u.takeUpSpread == 0.25 && u.marginSpread == 0.1 && u.arpuSpread == 0 && u.paybackSpread == 0)
        let bad = try writeScenario(cumbriaScenario(rollout: """
            rollout:
              target_tier: superfast
              eligible: [white]
              fibre_nodes: \(geo)/network/cumbria-exchanges.csv
              options:
                fttp: { per_area_gbp: 15000, per_premises_gbp: 650, per_km_gbp: 40000 }
            uncertainty:
              arpu_spread: 1.5
            """), in: TestPaths.temporaryDirectory("revenue-spreads-bad"))
        #expect(throws: (any Error).self) { try ScenarioFile.load(path: bad) }
        do { _ = try ScenarioFile.load(path: bad) } catch { #expect(String(describing: error).contains("arpu_spread")) }
    }
}
