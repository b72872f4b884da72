import Foundation
import Testing
import TestSupport
@testable import Coverage
@testable import Scenario

/// Each unbuilt area says which limit stopped it, and each year accounts for its budget and
/// capacity (issue 11, item 1). The five hand-worked areas of `FiveAreas`:
///
///   area  households  public cost   ranking: a2, a0, a4, a1, a3
///   a0    100         50,000
///   a1     50         40,000
///   a2    200         60,000
///   a3     10         30,000
///   a4     80         40,000
@Suite("Programme accounts, hand-worked")
struct AccountsTests {
    let f = FiveAreas()

    @Test func capacityStopsAProgrammeWithMoneyLeft() {
        // £1m and 250 households in 2027: a2 (200) built; a0 (100) and a4 (80) do not fit the
        // 50 left; a1 (50) fills it to 250; a3 (10) finds it full. £100k of £1m spent: the
        // money was never the limit, so they are over_capacity, not over_budget.
        let years = [YearPlan(year: 2027, budgetGBP: 1_000_000, capacityPremises: 250)]
        let s = f.select(f.rollout(years: years))
        #expect(s.status == [.overCapacity, .built, .built, .overCapacity, .overCapacity])
        #expect(s.capacityRefusals == [3] && s.budgetRefusals == [0])
        #expect(s.unspentGBP == [900_000])
        let results = Simulator.yearResults(rollout: f.rollout(years: years), areas: f.areas, priced: f.priced, selection: s)
        #expect(results[0].limits == YearLimits(budgetGBP: 1_000_000, unspentGBP: 900_000, capacityPremises: 250, bound: ["capacity"]))
    }

    @Test func budgetsCarryOverAndSayWhichYearsBound() {
        // £70k a year for three years (see SelectionTests.unspentBudgetCarriesOver): a2 2027
        // (10k left); a0 refused by 2027 (10k), built 2028 (80k left up to 2028, 30k after);
        // a4 refused by 2027 and 2028, built 2029; a1 likewise; a3 (30k) refused by all three
        // (10k, 30k then 20k at the end of 2029 is the smallest headroom from 2028 on: 20k).
        let years = [2027, 2028, 2029].map { YearPlan(year: $0, budgetGBP: 70_000, capacityPremises: nil) }
        let s = f.select(f.rollout(years: years))
        #expect(s.status[3] == .overBudget)
        #expect(s.budgetRefusals == [4, 3, 1] && s.capacityRefusals == [0, 0, 0])
        // Unspent carried out of each year: 70 − 60; 140 − 110; 210 − 190 (thousands).
        #expect(s.unspentGBP == [10_000, 30_000, 20_000])
        let results = Simulator.yearResults(rollout: f.rollout(years: years), areas: f.areas, priced: f.priced, selection: s)
        #expect(results.prefix(3).map { $0.limits?.bound } == [["budget"], ["budget"], ["budget"]])
        // The take-up years after the programme carry no limits.
        #expect(results.count == 6 && results[3].limits == nil)
    }

    @Test func theTotalCapIsNamedWhenItIsTheLimit() {
        // Yearly budgets of £100k twice, a total of £150k: a2 (60k) in 2027 leaves 40k; a0
        // (50k) goes to 2028; a4 (40k) takes 2027's last 40k, the total now exactly 150k;
        // a1 (40k) and a3 (30k) would fit 2028's remaining 50k but not the total cap.
        let years = [2027, 2028].map { YearPlan(year: $0, budgetGBP: 100_000, capacityPremises: nil) }
        let s = f.select(f.rollout(budget: 150_000, years: years))
        #expect(s.status == [.built, .overTotalBudget, .built, .overTotalBudget, .built])
        #expect(s.year == [2028, nil, 2027, nil, 2027])
    }

    @Test func aYearWithoutLimitsHasNoUnspentBudget() {
        let s = f.select(f.rollout())
        #expect(s.unspentGBP == [nil] && s.budgetRefusals == [0] && s.capacityRefusals == [0])
    }
}

/// A total budget above the sum of the yearly budgets can never bind (issue 11, item 2).
@Suite("Budget warnings")
struct BudgetWarningTests {
    static func scenario(_ rollout: String) throws -> Scenario {
        let dir = TestPaths.temporaryDirectory("warnings")
        let yaml = """
            name: W
            authorities: { source: a.gpkg, code: c, name: n }
            premises: { source: p.csv, x: x, y: y, crs: EPSG:27700 }
            rollout:
              target_tier: superfast
              options: { fwa: { per_mast_gbp: 1, per_premises_gbp: 1 } }
            \(rollout)
            """
        let file = dir.appendingPathComponent("w.yaml")
        try Data(yaml.utf8).write(to: file)
        return try ScenarioFile.load(path: file.path)
    }

    @Test func aTotalAboveTheYearlySumIsWarned() throws {
        let s = try Self.scenario("""
              budget_gbp: 25000000
              years: [{ year: 2027, budget_gbp: 10000000 }, { year: 2028, budget_gbp: 12000000 }]
            """)
        #expect(s.warnings == ["rollout.budget_gbp (£25,000,000) exceeds the sum of the yearly budgets (£22,000,000), so it can never bind: the programme can spend at most £22,000,000"])
        #expect(s.rollout?.effectiveBudgetGBP == 22_000_000)
    }

    @Test(arguments: [
        // Below the sum: it binds.
        "  budget_gbp: 20000000\n  years: [{ year: 2027, budget_gbp: 10000000 }, { year: 2028, budget_gbp: 12000000 }]",
        // A year without a budget is unlimited: the total is the only cap.
        "  budget_gbp: 25000000\n  years: [{ year: 2027, budget_gbp: 10000000 }, { year: 2028 }]",
        // No yearly budgets at all.
        "  budget_gbp: 25000000",
    ])
    func aTotalThatCanBindIsNotWarned(rollout: String) throws {
        #expect(try Self.scenario(rollout).warnings.isEmpty)
    }
}
