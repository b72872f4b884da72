import Foundation
import RunSummary

extension HTMLReport {
    /// The run's warnings, first on the page.
    static func warningsSection(_ s: RunSummary) -> String {
        guard let warnings = s.warnings, !warnings.isEmpty else { return "" }
        return section("warnings", "Warnings", "<ul class=\"warnings\">" + warnings.map { "<li><strong>Warning:</strong> \(Markup.escape($0))</li>" }.joined() + "</ul>")
    }

    /// Observed data: what each source matched, where speeds came from, the scope decisions and
    /// the published-share check (summary.json `observed`; docs/MODEL.md, "Observed data").
    static func observedSection(_ s: RunSummary) -> String {
        guard let o = s.observed else { return "" }
        var out = "<p class=\"note\">Speeds come from observed data where it covers a premises, else from the model (the precedence is in docs/MODEL.md). \(Format.count(Double(o.points))) premises points became \(Format.count(Double(o.rows))) rows: a point whose households fall in several observed speed classes is one row per class.</p>"
        out += "<table><thead><tr><th>Source</th><th>Use</th><th>Snapshot</th><th class=\"num\">Rows</th><th class=\"num\">Matched</th><th class=\"num\">Unmatched</th><th class=\"num\">Premises without key</th><th class=\"num\">Premises not in source</th></tr></thead><tbody>"
        for src in o.sources {
            out += "<tr><td>\(Markup.escape(src.type))</td><td>\(Markup.escape(src.use))</td><td>\(Markup.escape(src.snapshot ?? ""))</td>"
            out += [src.rows, src.matchedRows, src.unmatchedRows, src.premisesWithoutKey, src.premisesNotInSource]
                .map { "<td class=\"num\">\(Format.count(Double($0)))</td>" }.joined() + "</tr>"
        }
        out += "</tbody></table>"
        let disagreements = o.disagreements.filter { $0.value > 0 }
        if !disagreements.isEmpty {
            out += "<p class=\"note\">Sources disagreed (households; the precedence decided): "
                + disagreements.map { "<code>\(Markup.escape($0.key))</code> \(Format.count($0.value))" }.joined(separator: ", ") + ".</p>"
        }
        // Households by speed source (and scope) per authority.
        let sourceNames = s.authorities.first?.observed?.speedSourceHouseholds.map(\.key) ?? []
        out += "<h3>Where speeds came from (households)</h3><table><thead><tr><th>Code</th><th>Name</th>"
            + sourceNames.map { "<th class=\"num\">\(Markup.escape($0))</th>" }.joined() + "</tr></thead><tbody>"
        for a in s.authorities {
            out += "<tr><td>\(Markup.escape(a.code))</td><td>\(Markup.escape(a.name))</td>"
            out += sourceNames.map { "<td class=\"num\">\(Format.count(a.observed?.speedSourceHouseholds[$0] ?? 0))</td>" }.joined() + "</tr>"
        }
        out += "</tbody></table>"
        let scopeKeys = s.authorities.flatMap { $0.observed?.scopeHouseholds?.map(\.key) ?? [] }
            .reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        if !scopeKeys.isEmpty {
            // One row per decision and reason, one column per authority.
            let order = ["in_scope"] + scopeKeys.filter { $0.hasPrefix("deferred") }.sorted() + scopeKeys.filter { $0.hasPrefix("descoped") }.sorted()
            out += "<h3>Intervention area: scope of each premises (households)</h3><table><thead><tr><th>Decision: reason</th>"
                + s.authorities.map { "<th class=\"num\" title=\"\(Markup.escape($0.name))\">\(Markup.escape($0.code))</th>" }.joined() + "</tr></thead><tbody>"
            for key in order where scopeKeys.contains(key) {
                out += "<tr><td>\(Markup.escape(key.replacingOccurrences(of: ":", with: ": ")))</td>"
                out += s.authorities.map { "<td class=\"num\">\(Format.count($0.observed?.scopeHouseholds?[key] ?? 0))</td>" }.joined() + "</tr>"
            }
            out += "</tbody></table>"
        }
        if let check = o.authorityCheck, !check.isEmpty {
            out += "<h3>Check against the published authority figures</h3><table><thead><tr><th>Code</th><th>Tier</th><th class=\"num\">Published</th><th class=\"num\">This run</th><th class=\"num\">Difference (pp)</th></tr></thead><tbody>"
            for c in check {
                out += "<tr><td>\(Markup.escape(c.code))</td><td>\(Markup.escape(c.tier))</td><td class=\"num\">\(Format.percent(c.publishedShare))</td>"
                out += "<td class=\"num\">\(Format.percent(c.runShare))</td><td class=\"num\">\(Format.decimal(c.differencePP, decimals: 2))</td></tr>"
            }
            out += "</tbody></table>"
        }
        return section("observed", "Observed data", out, major: true)
    }
}
