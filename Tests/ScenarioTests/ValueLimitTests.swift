import Foundation
import Testing
import TestSupport
@testable import Scenario
@testable import Coverage

/// Sizes checked before they are built, and numbers bounded before they are summed
/// (docs/RELIABILITY.md, "Limits").
@Suite("Scenario value limits")
struct ValueLimitTests {
    static let rollout = """
        rollout:
          target_tier: superfast
          options:
            fttp: { per_area_gbp: 1000, per_premises_gbp: 500, per_km_gbp: 20000 }
        """

    /// 5 keys × 100 values: a 4 KB file whose variants (10¹⁰) grew to 5.7 GB before the
    /// 1,000-variant check. The count is now the product of the list lengths, refused before
    /// a variant is built, naming the sweep's line.
    @Test(.timeLimit(.minutes(1)))
    func sweepBombIsRefusedBeforeExpanding() throws {
        let keys = ["rollout.budget_gbp", "rollout.grid_m", "rollout.start_year", "uncertainty.seed", "fttc.route_factor"]
        let sweep = "sweep:\n" + keys.map { "  \($0): [" + (0..<100).map { String(1000 + $0) }.joined(separator: ", ") + "]" }.joined(separator: "\n")
        let text = cumbriaScenario(extra: sweep, rollout: Self.rollout)
        let path = try writeScenario(text)
        let sweepLine = text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("sweep:") }.map { $0 + 2 }
        #expect { try ScenarioFile.variants(path: path) } throws: { e in
            guard let e = e as? ScenarioError else { return false }
            return e.message == "the sweep expands to 100 × 100 × 100 × 100 × 100 variants, more than 1000" && e.line == sweepLine
        }
    }

    /// Lengths whose product overflows Int are refused too (not trapped).
    @Test func sweepProductThatOverflowsIsRefused() throws {
        let base = try ScenarioFile.parse(text: cumbriaScenario(rollout: Self.rollout), file: "/tmp/s.yaml")
        var scenario = base
        let value = YAMLNode(.scalar("1", plain: true), file: "/tmp/s.yaml", line: 1)
        // Twenty lists of 10,000 values: 10⁸⁰ variants, past Int's 9.2 × 10¹⁸.
        scenario.sweep = (0..<20).map { _ in SweepAxis(keyPath: "rollout.budget_gbp", values: Array(repeating: value, count: 10_000), line: 7) }
        #expect { try ScenarioFile.expand(scenario) } throws: { ($0 as? ScenarioError)?.message.contains("more than 1000") == true }
        scenario.sweep = [SweepAxis(keyPath: "rollout.budget_gbp", values: Array(repeating: value, count: 1001), line: 7)]
        #expect { try ScenarioFile.expand(scenario) } throws: { ($0 as? ScenarioError)?.message == "the sweep expands to 1001 variants, more than 1000" }
    }

    @Test("amounts above their maximum are refused with the key", arguments: [
        ("rollout:\n  target_tier: superfast\n  options:\n    fttp: { per_area_gbp: 1000, per_premises_gbp: 500, per_km_gbp: 1e300 }",
         "rollout.options.fttp.per_km_gbp: must be at most 1000000000000"),
        ("rollout:\n  target_tier: superfast\n  budget_gbp: 1e13\n  options:\n    fwa: { per_mast_gbp: 1, per_premises_gbp: 1 }",
         "rollout.budget_gbp: must be at most 1000000000000"),
        ("rollout:\n  target_tier: superfast\n  years:\n    - { year: 2027, budget_gbp: 2e12 }\n  options:\n    fwa: { per_mast_gbp: 1, per_premises_gbp: 1 }",
         "rollout.years[0].budget_gbp: must be at most 1000000000000"),
        ("rollout:\n  target_tier: superfast\n  years:\n    - { year: 2027, capacity_premises: 1e18 }\n  options:\n    fwa: { per_mast_gbp: 1, per_premises_gbp: 1 }",
         "rollout.years[0].capacity_premises: must be at most 1000000000"),
        ("rollout:\n  target_tier: superfast\n  options:\n    fwa: { per_mast_gbp: 1e300, per_premises_gbp: 1 }",
         "rollout.options.fwa.per_mast_gbp: must be at most 1000000000000"),
        ("rollout:\n  target_tier: superfast\n  subsidy: { arpu_gbp_month: 30, take_up: 0.5, payback_years: 1000, margin: 0.2 }\n  options:\n    fwa: { per_mast_gbp: 1, per_premises_gbp: 1 }",
         "rollout.subsidy.payback_years: must be at most 100"),
    ])
    func amountsAreBounded(rollout: String, expected: String) throws {
        #expect { try ScenarioFile.parse(text: cumbriaScenario(rollout: rollout), file: "/tmp/s.yaml") } throws: { e in
            (e as? ScenarioError)?.message.hasPrefix(expected) == true
        }
    }

    /// The maxima themselves are accepted.
    @Test func amountsAtTheirMaximumAreAccepted() throws {
        let rollout = "rollout:\n  target_tier: superfast\n  budget_gbp: 1e12\n  years:\n    - { year: 2027, capacity_premises: 1e9 }\n  options:\n    fttp: { per_area_gbp: 1e12, per_premises_gbp: 0, per_km_gbp: 0 }"
        let s = try ScenarioFile.parse(text: cumbriaScenario(rollout: rollout), file: "/tmp/s.yaml")
        #expect(s.rollout?.budgetGBP == 1e12)
        #expect(s.rollout?.years.first?.capacityPremises == 1e9)
    }

    @Test func constantHouseholdsAboveTheMaximumAreRefused() throws {
        let text = cumbriaScenario().replacingOccurrences(of: "households: households_est", with: "households: 1e300")
        #expect { try ScenarioFile.parse(text: text, file: "/tmp/s.yaml") } throws: { e in
            (e as? ScenarioError)?.message == "premises.households: must be at most 100000 at one point (see docs/RELIABILITY.md)"
        }
        let ok = cumbriaScenario().replacingOccurrences(of: "households: households_est", with: "households: 100000")
        #expect(try ScenarioFile.parse(text: ok, file: "/tmp/s.yaml").premises.households == .number(100_000))
    }

    /// Household values past the maximum in the data are refused naming the line: 9.22e18
    /// (crashed the terminal summary converting to Int) and two rows of 1e308 (their sum is
    /// infinite, written as null totals).
    @Test("households past the maximum name their line", arguments: [
        ("huge-households.csv", "line 4: households 9.22e+18 is more than 100000 households at one point"),
        ("overflowing-households.csv", "line 3: households 1e+308 is more than 100000 households at one point"),
    ])
    func householdsAreBounded(file: String, expected: String) throws {
        let text = cumbriaScenario()
            .replacingOccurrences(of: "\(geo)/premises/cumbria-postcodes.csv", with: TestPaths.fixture("bad/\(file)"))
            .replacingOccurrences(of: "households: households_est", with: "households: households")
        let scenario = try ScenarioFile.parse(text: text, file: "/tmp/s.yaml")
        let sourceLine = text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("bad/\(file)") }.map { $0 + 1 }
        #expect { try InputLoader.load(scenario) } throws: { e in
            guard let e = e as? ScenarioError else { return false }
            return e.message.contains(expected) && e.line == sourceLine
        }
    }
}
