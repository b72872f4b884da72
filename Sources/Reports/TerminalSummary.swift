import Coverage
import Foundation
import GeoIO
import Scenario

/// The short table printed on stdout after a run. Text from the inputs (names, codes) has
/// control characters escaped as in error messages (`String.printable`), so a name cannot
/// move the cursor, clear the screen or start a new line.
public enum TerminalSummary {
    public static func text(_ r: RunResult, outputDirectory: String) -> String {
        let st = r.baseline.statistics
        let after = r.afterStatistics
        let u = r.baseline.unplanned
        let households = st.reduce(0) { $0 + $1.households }
        var lines: [String] = []
        lines.append("\(r.scenario.name.printable): \(group(r.inputs.premises.count)) premises, \(group(households)) households in \(st.count) authorit\(st.count == 1 ? "y" : "ies")")
        var notes: [String] = []
        if u.unassignedPremises > 0 { notes.append("\(group(u.unassignedPremises)) premises (\(group(u.unassignedHouseholds)) households) outside every authority") }
        if u.excludedPremises > 0 { notes.append("\(group(u.excludedPremises)) premises in authorities not planned") }
        if !r.inputs.repairs.isEmpty { notes.append("\(r.inputs.repairs.count) invalid polygon\(r.inputs.repairs.count == 1 ? "" : "s") repaired") }
        if let overlaps = overlapNote(r.inputs) { notes.append(overlaps) }
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
            var row = [a.code.printable, String(a.name.prefix(24)).printable, group(a.households)]
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
        lines.append("outputs: \(outputDirectory.printable)")
        return lines.joined(separator: "\n")
    }

    static func percent(_ part: Double, _ whole: Double) -> String {
        whole > 0 ? String(format: "%.1f%%", 100 * part / whole) : "-"
    }

    /// 1234567 → "1,234,567" (rounded; any finite size, "–" for a non-finite value).
    static func group(_ v: Double) -> String { Format.count(v) }

    static func group(_ v: Int) -> String { Format.count(Double(v)) }

    /// Pairs of authorities that overlap, the first few named: their common area is in both
    /// authorities' figures.
    public static func overlapNote(_ inputs: LoadedInputs) -> String? {
        let overlaps = inputs.overlaps
        guard !overlaps.isEmpty else { return nil }
        let shown = overlaps.prefix(5).map { o in
            "\(inputs.authorities[o.first].code.printable)/\(inputs.authorities[o.second].code.printable) \(area(o.areaM2))"
        }
        let more = overlaps.count > shown.count ? ", and \(overlaps.count - shown.count) more (summary.json)" : ""
        return "\(overlaps.count) pair\(overlaps.count == 1 ? "" : "s") of authorities overlap, the common area counted in both: "
            + shown.joined(separator: ", ") + more
    }

    /// An area for the terminal: m² below a hectare, else km² with 2 decimals.
    static func area(_ m2: Double) -> String {
        m2 < 10_000 ? "\(Format.count(m2)) m²" : "\(Format.decimal(m2 / 1e6, decimals: 2)) km²"
    }
}
