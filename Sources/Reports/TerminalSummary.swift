import Coverage
import Foundation
import GeoIO
import RunSummary
import Scenario

/// The short table printed on stdout after a run. Text from the inputs (names, codes) has
/// control characters escaped as in error messages (`String.printable`), so a name cannot
/// move the cursor, clear the screen or start a new line.
public enum TerminalSummary {
    public static func text(_ r: RunResult, outputDirectory: String) -> String {
        let st = r.baseline.statistics
        let after = r.afterStatistics
        let u = r.baseline.unplanned
        var lines = [headline(r)]
        let points = r.scenario.premises.kind.noun
        var notes: [String] = []
        let snapped = st.reduce(0) { $0 + $1.snappedPremises }
        if snapped > 0 {
            let h = st.reduce(0) { $0 + $1.snappedHouseholds }
            notes.append("\(group(snapped)) \(points.form(for: snapped)) (\(households(h))) just outside the authorities assigned to the nearest one within \(Format.decimal(r.scenario.authorities.snapMetres, decimals: 0)) m (authorities.snap_m)")
        }
        if u.unassignedPremises > 0 {
            notes.append("\(group(u.unassignedPremises)) \(points.form(for: u.unassignedPremises)) (\(households(u.unassignedHouseholds))) outside every authority"
                         + regionText(r.baseline.unassignedByRegion, field: r.inputs.regionField, points: points))
        }
        if u.excludedPremises > 0 {
            notes.append("\(group(u.excludedPremises)) \(points.form(for: u.excludedPremises)) (\(households(u.excludedHouseholds))) in authorities not planned")
        }
        if !r.inputs.repairs.isEmpty { notes.append("\(Noun("invalid polygon").counted(r.inputs.repairs.count)) repaired") }
        if let overlaps = overlapNote(r.inputs) { notes.append(overlaps) }
        for n in notes { lines.append("  note: \(n)") }

        let polygonTiers = CoverageAnalysis.polygonTiers(r.scenario).map(\.name)
        let showTiers = RunSummary.contractTiers
        var header = ["code", "name", "households"]
        if let rollout = r.rollout {
            header += showTiers.flatMap { ["\($0)", "→"] } + ["passed", "cost £m"]
            _ = rollout
        } else {
            header += showTiers + ["white", "grey", "black"] + polygonTiers.filter(showTiers.contains).map { "gap \($0) km²" }
        }
        var rows: [[String]] = [header]
        for (k, a) in st.enumerated() {
            var row = [a.code.printable, a.name.printable, group(a.households)]
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
        lines += table(rows, leftAligned: 2, wrapping: 1, wrapWidth: nameWidth)
        if let rollout = r.rollout {
            let sel = rollout.selection
            let areas = Noun("candidate area").form(for: rollout.areas.count)
            lines.append("programme: \(sel.buildOrder.count) of \(rollout.areas.count) \(areas) built, \(households(sel.householdsPassed)) passed, cost £\(String(format: "%.2f", sel.costGBP / 1e6))m (public £\(String(format: "%.2f", sel.publicCostGBP / 1e6))m)")
            let summary = RunSummary(r)
            if let limits = summary.totals.limits { lines.append("limits: " + limitsText(limits)) }
            if let value = summary.totals.valueForMoney { lines.append("value: " + valueText(value)) }
            if let u = rollout.uncertainty {
                lines.append("uncertainty (\(Noun.run.counted(u.runs))): cost P10 £\(String(format: "%.2f", u.costGBP.p10 / 1e6))m, P50 £\(String(format: "%.2f", u.costGBP.p50 / 1e6))m, P90 £\(String(format: "%.2f", u.costGBP.p90 / 1e6))m; households passed P10 \(group(u.householdsPassed.p10)), P90 \(group(u.householdsPassed.p90))")
            }
        }
        let shared = r.baseline.gapClusters.filter { RunSummary.contractTiers.contains($0.tier.name) }.map { t in
            let cross = t.crossBorder
            return "\(t.tier.name) \(cross.count) of \(t.clusters.count) \(Noun("cluster").form(for: t.clusters.count)) across a border (\(households(cross.reduce(0) { $0 + $1.households })))"
        }
        if !shared.isEmpty { lines.append("shared gaps: " + shared.joined(separator: "; ")) }
        if let rollout = r.rollout {
            if let split = rollout.splitJointAreas, let rule = r.scenario.rollout?.costShare {
                let joint = rollout.areas.indices.filter { !rollout.areas[$0].shares.isEmpty }
                let built = joint.filter { rollout.selection.status[$0] == .built }.count
                lines.append("partnership: \(group(joint.count)) joint \(Noun("area").form(for: joint.count)) across borders (\(group(built)) built), cost shared by \(rule.rawValue); \(group(split)) border \(Noun("cell").form(for: split)) cheaper delivered separately")
            }
            if let lots = rollout.lots {
                let largest = lots.map(\.households).max() ?? 0
                let across = lots.filter { $0.authorities.count > 1 }.count
                lines.append("lots: \(group(lots.count)) (largest \(group(largest)) premises, \(group(across)) across a border, \(group(lots.filter(\.aboveMax).count)) above max_premises)")
            }
            if rollout.selection.householdsPassed > 0 {
                let item = PriceCheck.Item(id: "programme", publicCostPerPremisesGBP: rollout.selection.publicCostGBP / rollout.selection.householdsPassed)
                lines.append("price check: public £\(group(item.publicCostPerPremisesGBP)) per premises passed, \(item.verdict.rawValue.replacingOccurrences(of: "_", with: " ")) (published contracts £\(group(PriceCheck.contractLowGBP))–£\(group(PriceCheck.contractHighGBP)))")
                if let note = item.note { lines.append("  note: price check: \(note)") }
            }
        }
        lines.append("outputs: \(outputDirectory.printable)")
        return lines.joined(separator: "\n")
    }

    /// The first line, with each figure's scope named: what was read from the premises source
    /// (every point, wherever it lies) and what is planned (the selected authorities).
    /// "Cumbria baseline: read 19,445 postcodes (222,042 households); planned: 2 authorities,
    /// 19,419 postcodes, 221,706 households".
    static func headline(_ r: RunResult) -> String {
        let st = r.baseline.statistics
        let points = r.scenario.premises.kind.noun
        let read = r.inputs.observed == nil ? r.inputs.premises.count : r.inputs.pointCount
        let readHouseholds = r.inputs.premises.households.reduce(0, +)
        let planned = st.reduce(0) { $0 + $1.premises }
        let plannedHouseholds = st.reduce(0) { $0 + $1.households }
        return "\(r.scenario.name.printable): read \(group(read)) \(points.form(for: read)) (\(households(readHouseholds))); "
            + "planned: \(st.count) \(Noun.authority.form(for: st.count)), \(group(planned)) \(points.form(for: planned)), \(households(plannedHouseholds))"
    }

    static func households(_ count: Double) -> String { "\(group(count)) \(Noun.household.form(for: count))" }

    /// "; by region of the nearest authority: North West 20 postcodes (300 households), ..."
    /// or, without `authorities.region`, a pointer to it.
    static func regionText(_ regions: [RegionCount]?, field: String?, points: Noun) -> String {
        guard let regions else {
            return " (the authorities have no region field: set authorities.region to count them by region)"
        }
        guard !regions.isEmpty else { return "" }
        return "; by region (\((field ?? "").printable)) of the nearest authority: " + regions.map {
            "\($0.region.printable) \(group($0.premises)) \(points.form(for: $0.premises)) (\(households($0.households)))"
        }.joined(separator: ", ")
    }

    /// "public cost £7.99m of £12.00m (unspent £4.01m); 11,812 of 12,000 premises capacity; stopped by capacity"
    static func limitsText(_ l: RunSummary.Limits) -> String {
        var parts = ["public cost \(Format.millions(l.spentGBP))"
            + (l.budgetGBP.map { " of \(Format.millions($0)) budget (unspent \(Format.millions(l.unspentGBP ?? 0)))" } ?? ", no budget limit")]
        parts.append(l.capacityPremises.map { "\(group(l.usedPremises)) of \(group($0)) premises capacity" }
                     ?? "\(group(l.usedPremises)) premises passed, no capacity limit")
        let names = ["budget": "the yearly budgets", "capacity": "capacity", "total_budget": "rollout.budget_gbp"]
        parts.append(l.bound.isEmpty ? "every candidate area fitted" : "areas left unbuilt by " + l.bound.map { names[$0] ?? $0 }.joined(separator: " and "))
        return parts.joined(separator: "; ")
    }

    /// "cost per premises passed £1,021 (public £1,021); 979 premises per £1m of public cost"
    static func valueText(_ v: RunSummary.ValueForMoney) -> String {
        guard let cost = v.costPerPremisesGBP, let pub = v.publicCostPerPremisesGBP else { return "no premises passed" }
        return "cost per premises passed £\(group(cost)) (public £\(group(pub)))"
            + (v.premisesPerMillionPublicGBP.map { "; \(group($0)) premises per £1m of public cost" } ?? "")
    }

    /// Names longer than this wrap at a space onto the next lines of the table.
    static let nameWidth = 30

    /// Rows as aligned columns: the first `leftAligned` columns padded on the right, the rest
    /// on the left. Cells of the `wrapping` column longer than `wrapWidth` wrap at spaces onto
    /// continuation lines (the other cells left blank there); a word longer than the width
    /// widens the column rather than being cut.
    static func table(_ rows: [[String]], leftAligned: Int, wrapping: Int, wrapWidth: Int) -> [String] {
        let cells = rows.map { row in row.enumerated().map { c, cell in c == wrapping ? wrap(cell, width: wrapWidth) : [cell] } }
        let columns = rows.map(\.count).max() ?? 0
        let widths = (0..<columns).map { c in cells.flatMap { $0.indices.contains(c) ? $0[c] : [] }.map(\.count).max() ?? 0 }
        var lines: [String] = []
        for row in cells {
            let height = row.map(\.count).max() ?? 1
            for k in 0..<height {
                let line = row.enumerated().map { c, parts in
                    let cell = k < parts.count ? parts[k] : ""
                    let pad = String(repeating: " ", count: widths[c] - cell.count)
                    return c < leftAligned ? cell + pad : pad + cell
                }.joined(separator: "  ")
                lines.append(String(line.reversed().drop { $0 == " " }.reversed()))
            }
        }
        return lines
    }

    /// `text` in lines of at most `width` characters, broken at spaces; a longer word keeps a
    /// line of its own, whole.
    static func wrap(_ text: String, width: Int) -> [String] {
        guard text.count > width else { return [text] }
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            if line.isEmpty {
                line = String(word)
            } else if line.count + 1 + word.count <= width {
                line += " " + word
            } else {
                lines.append(line)
                line = String(word)
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines.isEmpty ? [text] : lines
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
        return "\(Noun("pair").counted(overlaps.count)) of authorities overlap, the common area counted in both: "
            + shown.joined(separator: ", ") + more
    }

    /// An area for the terminal: m² below a hectare, else km² with 2 decimals.
    static func area(_ m2: Double) -> String {
        m2 < 10_000 ? "\(Format.count(m2)) m²" : "\(Format.decimal(m2 / 1e6, decimals: 2)) km²"
    }
}
