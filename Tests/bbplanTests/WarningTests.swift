import Foundation
import Testing
import TestSupport

/// A `budget_gbp` that can never bind is warned on stderr by `run`, listed by `validate`, and
/// a batch names the sweep variants it makes the same programme (issue 11, item 2).
@Suite("Budget warnings on the command line")
struct WarningCommandTests {
    @Test func runValidateAndBatchWarn() throws {
        // The small scenario's one year has £1m; the sweep's £2m and £3m totals never bind.
        let w = try BatchTests.workspace(sweep: "rollout.budget_gbp: [500000, 2000000, 3000000]")
        let warning = "rollout.budget_gbp (£2,000,000) exceeds the sum of the yearly budgets (£1,000,000), so it can never bind: the programme can spend at most £1,000,000"
        let batch = try BatchTests.batch(w)
        #expect(batch.status == 0, "\(batch.stderr)")
        #expect(batch.stderr.contains("warning: variants 'Small [budget_gbp=2000000]', 'Small [budget_gbp=3000000]' are the same programme"), "\(batch.stderr)")
        #expect(batch.stderr.contains("warning: Small [budget_gbp=2000000]: \(warning)"), "\(batch.stderr)")

        try w.scenario("single.yaml", BatchTests.scenario(name: "Single", sweep: nil)
            .replacingOccurrences(of: "  strategy: least_cost_per_household", with: "  strategy: least_cost_per_household\n  budget_gbp: 2000000"))
        let run = try BBPlanBinary.run(["run", w.path("single.yaml"), "--out", w.path("single-out")])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr == "warning: \(warning)\n", "\(run.stderr)")
        let summary = try String(contentsOfFile: w.path("single-out/summary.json"), encoding: .utf8)
        #expect(summary.contains(warning))
        let validate = try BBPlanBinary.run(["validate", w.path("single.yaml"), "--out", w.path("single-out")])
        #expect(validate.status == 0 && validate.stdout.contains("  warning: \(warning)"), "\(validate.stdout)")
    }
}
