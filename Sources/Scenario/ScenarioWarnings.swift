import Foundation
import RunSummary

extension RolloutSettings {
    /// The most the programme can spend: `budget_gbp`, or the sum of the yearly budgets when
    /// every year has one and it is lower; nil when nothing limits it.
    public var effectiveBudgetGBP: Double? {
        [budgetGBP, yearlyBudgetSumGBP].compactMap { $0 }.min()
    }

    /// The sum of the yearly budgets, nil when a year has none (that year is unlimited).
    public var yearlyBudgetSumGBP: Double? {
        guard !years.isEmpty, years.allSatisfy({ $0.budgetGBP != nil }) else { return nil }
        return years.reduce(0) { $0 + ($1.budgetGBP ?? 0) }
    }

    /// Whether `budget_gbp` can never bind: it is at least the sum of the yearly budgets.
    public var totalBudgetNeverBinds: Bool {
        guard let total = budgetGBP, let sum = yearlyBudgetSumGBP else { return false }
        return total > sum
    }
}

extension Scenario {
    /// Things about the scenario a planner should know that are not errors, one sentence
    /// each: shown on stderr as `warning:` lines, in summary.json's `warnings` and the report.
    public var warnings: [String] {
        var out: [String] = []
        if let r = rollout, r.totalBudgetNeverBinds, let total = r.budgetGBP, let sum = r.yearlyBudgetSumGBP {
            out.append("rollout.budget_gbp (£\(Format.count(total))) exceeds the sum of the yearly budgets (£\(Format.count(sum))), so it can never bind: the programme can spend at most £\(Format.count(sum))")
        }
        return out
    }
}
