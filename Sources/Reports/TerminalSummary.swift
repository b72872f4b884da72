import Coverage
import Foundation
import Scenario

/// The short table printed on stdout after a run.
public enum TerminalSummary {
    public static func text(_ r: RunResult, outputDirectory: String) -> String {
        let st = r.baseline.statistics
        let after = r.afterStatistics
        let u = r.baseline.unplanned
        let households = st.reduce(0) { $0 + $1.households }
        var lines: [String] = []
        lines.append("\(r.scenario.name): \(group(r.inputs.premises.count)) premises, \(group(households)) households in \(st.count) authorit\(st.count == 1 ? "y" : "ies")")
        var notes: [String] = []
        if u.unassignedPremises > 0 { notes.append("\(group(u.unassignedPremises)) premises (\(group(u.unassignedHouseholds)) households) outside every authority") }
        if u.excludedPremises > 0 { notes.append("\(group(u.excludedPremises)) premises in authorities not planned") }
        if !r.inputs.repairs.isEmpty { notes.append("\(r.inputs.repairs.count) invalid polygon\(r.inputs.repairs.count == 1 ? "" : "s") repaired") }
        for n in notes { lines.append("  note: \(n)") }

        let polygonTiers = CoverageAnalysis.polygonTiers(r.scenario).map(\.name)
        let showTiers = ["superfast", "gigabit"]
        var header = ["code", "name", "households"]
        if let rollout = r.rollout {
            header += showTiers.flatMap { ["\($0)", "→"] } + ["passed", "cost £m"]
            _ = rollout
        } else {
            header += showTiers + ["white", "grey", "black"] + polygonTiers.filter(showTiers.contains).map { "gap \($0) km²" }
        }
        var rows: [[String]] = [header]
        for (k, a) in st.enumerated() {
            var row = [a.code, String(a.name.prefix(24)), group(a.households)]
            if let rollout = r.rollout {
                for t in showTiers {
                    row.append(percent(a.state.householdsByTier[t] ?? 0, a.households))
                    row.append(percent(after[k].state.householdsByTier[t] ?? 0, a.households))
                }
                row += [group(rollout.perAuthority[k].householdsPassed), String(format: "%.2f", rollout.perAuthority[k].costGBP / 1e6)]
            } else {
                row += showTiers.map { percent(a.state.householdsByTier[$0] ?? 0, a.households) }
                row += NGAClass.allCases.map { percent(a.state.ngaHouseholds[$0] ?? 0, a.households) }
                row += polygonTiers.filter(showTiers.contains).map { String(format: "%.1f", a.state.gapAreaKm2[$0] ?? 0) }
            }
            rows.append(row)
        }
        let widths = (0..<header.count).map { c in rows.map { $0[c].count }.max() ?? 0 }
        for row in rows {
            lines.append(row.enumerated().map { c, cell in
                c <= 1 ? cell.padding(toLength: widths[c], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[c] - cell.count) + cell
            }.joined(separator: "  "))
        }
        if let rollout = r.rollout {
            let sel = rollout.selection
            lines.append("programme: \(sel.buildOrder.count) of \(rollout.areas.count) candidate areas built, \(group(sel.householdsPassed)) households passed, cost £\(String(format: "%.2f", sel.costGBP / 1e6))m (public £\(String(format: "%.2f", sel.publicCostGBP / 1e6))m)")
            if let u = rollout.uncertainty {
                lines.append("uncertainty (\(u.runs) runs): cost P10 £\(String(format: "%.2f", u.costGBP.p10 / 1e6))m, P50 £\(String(format: "%.2f", u.costGBP.p50 / 1e6))m, P90 £\(String(format: "%.2f", u.costGBP.p90 / 1e6))m; households passed P10 \(group(u.householdsPassed.p10)), P90 \(group(u.householdsPassed.p90))")
            }
        }
        lines.append("outputs: \(outputDirectory)")
        return lines.joined(separator: "\n")
    }

    static func percent(_ part: Double, _ whole: Double) -> String {
        whole > 0 ? String(format: "%.1f%%", 100 * part / whole) : "-"
    }

    /// 1234567 → "1,234,567".
    static func group(_ v: Double) -> String { group(Int(v.rounded())) }

    static func group(_ v: Int) -> String {
        let digits = String(abs(v))
        var out = ""
        for (i, c) in digits.reversed().enumerated() {
            if i > 0 && i % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (v < 0 ? "-" : "") + String(out.reversed())
    }
}
