import Foundation
import GeoIO
import RunSummary
import Scenario

/// report.html: one self-contained page per run (and one per batch) that a planner can open
/// offline, mail, or print. Inline CSS and SVG only: no script, no fonts, images or styles
/// from elsewhere. Every number comes from the run's summary (see `ReportedRun`), so the
/// page and summary.json never disagree.
public enum HTMLReport {
    /// The report of one run in memory.
    public static func page(_ r: RunResult) -> String {
        do {
            return page(try ReportedRun(r))
        } catch {
            return document(title: "bbplan report", body: "<h1>bbplan report</h1><p>The run's summary could not be read back: \(Markup.escape(String(describing: error)))</p>")
        }
    }

    /// The report of one run (for example one loaded from a run folder).
    public static func page(_ run: ReportedRun) -> String {
        let s = run.summary
        var body = "<header class=\"report\"><p class=\"kicker\">bbplan \(s.hasRollout ? "rollout" : "coverage") report</p>"
        body += "<h1>\(Markup.escape(s.scenario))</h1>"
        if !s.description.isEmpty { body += "<p class=\"description\">\(Markup.escape(s.description))</p>" }
        if !s.variant.isEmpty {
            body += "<p class=\"note\">Sweep variant: " + s.variant.sorted { $0.key < $1.key }
                .map { "<code>\(Markup.escape($0.key))</code> = \(Markup.escape($0.value))" }.joined(separator: ", ") + "</p>"
        }
        body += caveats(s)
        body += "</header>"
        body += warningsSection(s)
        body += section("run", "Run", runDetails(s))
        body += section("headline", "Headline figures", headline(s))
        body += section("maps", "Maps", maps(run))
        body += section("authorities", "By authority", authorityTables(s), major: true)
        if let clusters = s.gapClusters, !clusters.isEmpty {
            var content = ""
            if run.mapProblem == nil, !run.shapes.isEmpty, run.overlays.contains(where: { !$0.shapes.isEmpty }) {
                let lots = run.overlays.contains { $0.kind == .lots }
                content += "<figure class=\"map-group\"><figcaption>\(tierTitle(MapOverlay.clusterTier)) gaps shared across borders (filled)\(lots ? " and procurement lots (outlined)" : ""). Hover for ids.</figcaption>"
                content += SVGMap.overlayMap(run.shapes, overlays: run.overlays, caption: "Cross-border gap clusters\(lots ? " and lots" : "")",
                                             furniture: MapFurniture(metresPerUnit: run.metresPerMapUnit))
                content += SVGMap.overlayLegend(run.overlays) + "</figure>"
            }
            body += section("shared-gaps", "Shared gaps across authority borders", content + sharedGaps(clusters), major: true)
        }
        if s.hasRollout { body += section("rollout", "Programme", programme(run), major: true) }
        body += observedSection(s)
        if let a = s.assumptions { body += section("assumptions", "Assumptions", assumptions(a, s), major: true) }
        if let lots = s.lots { body += section("lots", "Procurement lots", lotsTable(lots), major: true) }
        if let check = s.priceCheck { body += section("price-check", "Price check against published programmes", priceCheck(check), major: true) }
        body += section("provenance", "Data provenance", provenance([s]), major: true)
        body += footer(s.version)
        return document(title: "bbplan report: \(s.scenario)", body: body)
    }

    /// A run of a batch that has no results to compare, and why.
    public struct RunWithoutResults: Sendable, Equatable {
        public var name: String
        public var status: String
        public var reason: String

        public init(name: String, status: String, reason: String) {
            self.name = name
            self.status = status
            self.reason = reason
        }
    }

    /// A report comparing several runs side by side: a comparison table, small-multiple maps
    /// of the shares after each programme, the cost curves together, and the provenance of
    /// every run.
    /// `withoutResults` (failed, interrupted or unreadable runs) are listed at the end.
    public static func batchPage(_ reported: [ReportedRun], withoutResults: [RunWithoutResults] = []) -> String {
        let runs = reported.map(\.summary)
        var body = "<header class=\"report\"><p class=\"kicker\">bbplan batch report</p>"
        body += "<h1>\(Noun("scenario").counted(runs.count)) compared</h1>"
        body += "<p class=\"description\">" + runs.map { Markup.escape($0.scenario) }.joined(separator: " · ") + "</p></header>"
        body += section("comparison", "Comparison", comparisonTable(runs))
        var multiples = "<p class=\"note\">Share of households at or above each tier after the programme (the baseline for coverage-only runs). Hover over an authority for its name and share.</p>"
        multiples += "<div class=\"multiples\">"
        for (run, s) in zip(reported, runs) {
            multiples += "<figure class=\"multiple\"><figcaption>\(Markup.escape(s.scenario))</figcaption><div class=\"pair\">"
            for tier in mapTiers {
                multiples += "<div><p class=\"map-title\">\(tierTitle(tier)) after</p>"
                multiples += SVGMap.choropleth(run.shapes, values: shares(s, tier, after: true), caption: "\(s.scenario): \(tierTitle(tier)) share after", width: 300, maxHeight: 340)
                multiples += "</div>"
            }
            multiples += "</div></figure>"
        }
        multiples += "</div>" + legendBlock()
        body += section("maps", "Maps", multiples)
        let curves = reported.filter { !$0.costCurve.isEmpty }
        if !curves.isEmpty {
            let series = curves.enumerated().map { k, run in
                ChartSeries(name: run.summary.scenario, colour: SVGCharts.colours(count: curves.count)[k],
                            points: run.costCurve.map { ($0.publicCostGBP / 1e6, $0.householdsPassed) })
            }
            body += section("cost-curves", "Cost curves", "<p class=\"note\">Households passed against public cost, areas in each strategy's build order.</p>"
                + "<div class=\"chart-block\">" + SVGCharts.line(series, xTitle: "Cumulative public cost (£m)", yTitle: "Households passed (cumulative)",
                                                                 xFormat: { "public cost £\(Format.decimal($0, decimals: 2))m" }, yFormat: { "\(Format.count($0)) households" },
                                                                 caption: "Cost curves of \(runs.count) scenarios") + "</div>")
        }
        var details = ""
        for run in reported {
            details += "<h3>\(Markup.escape(run.summary.scenario))</h3>"
            if !run.folder.isEmpty { details += "<p class=\"note\">Run folder: <code>\(Markup.escape(run.folder))</code></p>" }
            details += compactAuthorityTable(run.summary)
        }
        body += section("details", "By authority, per scenario", details, major: true)
        body += section("provenance", "Data provenance", provenance(runs), major: true)
        body += footer(runs.first?.version ?? "")
        if !withoutResults.isEmpty { body += "\n" + withoutResultsSection(withoutResults) }
        return document(title: "bbplan batch report", body: body)
    }

    // MARK: - Sections

    /// The runs of a batch without results, with the reason (after the footer, as batch
    /// reports have always had it).
    static func withoutResultsSection(_ runs: [RunWithoutResults]) -> String {
        var out = "<section id=\"without-results\"><h2>Runs without results</h2><table><thead><tr>"
        out += "<th>scenario</th><th>status</th><th>reason</th></tr></thead><tbody>"
        for r in runs {
            out += "<tr><td>\(Markup.escape(r.name))</td><td>\(Markup.escape(r.status))</td><td>\(Markup.escape(r.reason))</td></tr>"
        }
        return out + "</tbody></table></section>"
    }

    /// The tiers the maps and tables show.
    static let mapTiers = RunSummary.contractTiers

    static func tierTitle(_ tier: String) -> String { tier.prefix(1).uppercased() + tier.dropFirst() }

    /// What the reader must know before any figure: which inputs are modelled rather than
    /// observed (issue 11 item 7: whenever any is, not only for the sample data). The warnings
    /// follow at once in their own section (`warningsSection`).
    static func caveats(_ s: RunSummary) -> String {
        var out = ""
        let modelled = s.inputs.filter { $0.modelled == true }
        if !modelled.isEmpty {
            let list = modelled.map { "<code>\(Markup.escape($0.role))</code> (\(Markup.escape($0.fileName)))" }.joined(separator: ", ")
            out += "<p class=\"caveat modelled\" data-key=\"modelled\"><strong>Modelled data.</strong> "
                + "\(modelled.count == 1 ? "This input is" : "These inputs are") modelled, not observed: \(list). "
                + "Figures that depend on \(modelled.count == 1 ? "it" : "them") illustrate the method and the scenario; they do not describe the real networks or premises.</p>"
        }
        return out
    }

    static func runDetails(_ s: RunSummary) -> String {
        var rows: [(String, String)] = []
        rows.append(("Tool version", "bbplan \(Markup.escape(s.version))"))
        rows.append(("Started", Markup.escape(displayTime(s.startedAt))))
        var finished = Markup.escape(displayTime(s.finishedAt))
        if let seconds = duration(s.startedAt, s.finishedAt) { finished += " (\(Markup.escape(durationText(seconds))))" }
        rows.append(("Finished", finished))
        rows.append(("Working CRS", "\(Markup.escape(s.crs.working))\(s.crs.name.isEmpty ? "" : " (\(Markup.escape(s.crs.name)))")"))
        let grid: String
        switch s.crs.ostn15Grid {
        case true?: grid = "OSTN15 grid used: the exact Ordnance Survey OSGB36 ⇄ ETRS89 shift (about 0.1 m)"
        case false?: grid = "OSTN15 grid not used: PROJ fell back to a Helmert shift, about 2 m off"
        case nil: grid = "not needed: every input was already in the working CRS" + (s.crs.ostn15GridFound ? " (OSTN15 grid available)" : "")
        }
        rows.append(("Datum shift", grid))
        if !s.tiersMbps.isEmpty {
            let thresholds = s.tiersMbps.map { (name: $0.key, mbps: $0.value) }.sorted { ($0.mbps, $0.name) < ($1.mbps, $1.name) }
            rows.append(("Tiers", thresholds.map { "\(Markup.escape($0.name)) ≥ \(Markup.escape(String(format: "%g", $0.mbps))) Mbit/s" }.joined(separator: ", ")))
        }
        if let target = s.targetTier { rows.append(("Target tier", Markup.escape(target))) }
        if let strategy = s.strategy { rows.append(("Strategy", Markup.escape(strategy.replacingOccurrences(of: "_", with: " ")))) }
        rows.append(("Planned authorities", "\(s.authorities.count), \(Format.decimal(s.totals.areaKm2)) km²"))
        rows.append(("Premises read", "\(Format.count(Double(s.totals.premises))) points"))
        let t = s.totals
        if t.unassignedPremises > 0 {
            rows.append(("Outside every authority", "\(Format.count(Double(t.unassignedPremises))) premises (\(Format.count(t.unassignedHouseholds)) \(Noun.household.form(for: t.unassignedHouseholds))), counted in no authority"))
        }
        if let snapped = t.snappedPremises, snapped > 0 {
            let snapM = s.settings["authorities"]?["snap_m"]?.doubleValue ?? 0
            rows.append(("Snapped to the nearest authority", "\(Format.count(Double(snapped))) premises (\(Format.count(t.snappedHouseholds ?? 0)) households) outside every authority but within \(Format.decimal(snapM, decimals: 0)) m of one (<code>authorities.snap_m</code>), counted in it"))
        }
        if t.unassignedPremises > 0 {
            if let regions = t.unassignedByRegion, !regions.isEmpty {
                rows.append(("Outside every authority, by region", regions.map {
                    "\(Markup.escape($0.region)): \(Format.count(Double($0.premises))) premises (\(Format.count($0.households)) households)"
                }.joined(separator: "; ") + " (the region of the nearest authority, from its field <code>\(Markup.escape(t.unassignedRegionField ?? ""))</code>)"))
            } else if t.unassignedByRegion == nil {
                rows.append(("Outside every authority, by region", "not available: the authorities have no region field (set <code>authorities.region</code>)"))
            }
        }
        if t.excludedPremises > 0 {
            rows.append(("In authorities not planned", "\(Format.count(Double(t.excludedPremises))) premises (\(Format.count(t.excludedHouseholds)) \(Noun.household.form(for: t.excludedHouseholds)))"))
        }
        if s.repairs.count > 0 { rows.append(("Repaired polygons", "\(Noun("invalid input polygon").counted(s.repairs.count)) repaired with make-valid (listed in summary.json)")) }
        return "<dl class=\"meta\">" + rows.map { "<dt>\($0.0)</dt><dd>\($0.1)</dd>" }.joined() + "</dl>"
    }

    static func headline(_ s: RunSummary) -> String {
        let t = s.totals
        var cards: [String] = []
        func card(_ key: String, _ label: String, _ value: String, _ sub: String = "") -> String {
            "<div class=\"card\" data-key=\"\(key)\"><div class=\"label\">\(label)</div><div class=\"value\">\(value)</div>"
                + (sub.isEmpty ? "" : "<div class=\"sub\">\(sub)</div>") + "</div>"
        }
        cards.append(card("households", "Households", Format.count(t.plannedHouseholds), "in \(s.authorities.count) planned \(Noun.authority.form(for: s.authorities.count))"))
        for tier in reportTiers(s) {
            let before = t.before.share(tier), after = t.after.share(tier)
            if s.hasRollout {
                cards.append(card("share_\(tier)", "\(tierTitle(tier)) share", "\(Format.percent(before)) → \(Format.percent(after))",
                                  "\(Format.count(t.before.householdsByTier[tier] ?? 0)) → \(Format.count(t.after.householdsByTier[tier] ?? 0)) households"))
            } else {
                cards.append(card("share_\(tier)", "\(tierTitle(tier)) share", Format.percent(before),
                                  "\(Format.count(t.before.householdsByTier[tier] ?? 0)) households"))
            }
        }
        if s.hasRollout {
            cards.append(card("cost", "Cost", Format.millions(t.costGBP), "capital cost of the areas built"))
            cards.append(card("public_cost", "Public cost", Format.millions(t.publicCostGBP), t.publicCostGBP < t.costGBP ? "gap funding after the operator's share" : "the public pays in full"))
            cards.append(card("households_passed", "Households passed", Format.count(t.householdsPassed),
                              "\(Format.count(Double(t.buildAreas))) build areas" + (t.candidateAreas.map { " of \(Format.count(Double($0))) candidates" } ?? "")))
        } else {
            cards.append(card("white", "White households", Format.count(t.before.nga("white")), "no operator at the NGA threshold"))
            for tier in mapTiers {
                if let gap = t.before.gap(tier) { cards.append(card("gap_\(tier)", "\(tierTitle(tier)) gap", "\(Format.decimal(gap)) km²", "area without \(tier) coverage")) }
            }
        }
        var out = "<div class=\"cards\">" + cards.joined() + "</div>"
        if s.uncertainty.runs > 0 {
            let cost = s.uncertainty.costGBP, passed = s.uncertainty.householdsPassed, pub = s.uncertainty.publicCostGBP
            out += "<p class=\"uncertainty\" data-key=\"uncertainty\">Uncertainty over \(s.uncertainty.runs) runs of unit costs: cost P10 \(Format.millions(cost.p10)), P50 \(Format.millions(cost.p50)), P90 \(Format.millions(cost.p90))"
            out += "; public cost P10 \(Format.millions(pub.p10)), P50 \(Format.millions(pub.p50)), P90 \(Format.millions(pub.p90))"
            out += "; households passed P10 \(Format.count(passed.p10)), P50 \(Format.count(passed.p50)), P90 \(Format.count(passed.p90))."
            out += limitedNote(s.uncertainty) + "</p>"
        }
        return out
    }

    static func shares(_ s: RunSummary, _ tier: String, after: Bool) -> [String: Double?] {
        var values: [String: Double?] = [:]
        for a in s.authorities {
            values[a.code] = a.households > 0 ? (after ? a.after : a.before).share(tier) : nil
        }
        return values
    }

    static func maps(_ run: ReportedRun) -> String {
        let s = run.summary
        if let problem = run.mapProblem { return "<p class=\"note\">\(Markup.escape(problem))</p>" }
        if run.shapes.isEmpty { return "<p class=\"note\">No authority outlines to map.</p>" }
        var out = "<p class=\"note\">Share of households at or above each tier, by authority. Hover over an authority for its name and share. Grid north is up; the scale bar gives ground distance.</p>"
        let furniture = MapFurniture(metresPerUnit: run.metresPerMapUnit)
        if s.hasRollout {
            out += builtMaps(run, furniture: furniture)
        }
        for tier in reportTiers(s) {
            out += "<figure class=\"map-group\"><figcaption>\(tierTitle(tier)): share of households at or above the tier</figcaption><div class=\"maps\">"
            let phases: [(String, Bool)] = s.hasRollout ? [("Before the programme", false), ("After the programme", true)] : [("Today", false)]
            for (title, after) in phases {
                out += "<div><p class=\"map-title\">\(title)</p>"
                out += SVGMap.choropleth(run.shapes, values: shares(s, tier, after: after), caption: "\(tierTitle(tier)) share, \(title.lowercased())",
                                         furniture: furniture)
                out += "</div>"
            }
            out += "</div>" + legendBlock() + "</figure>"
        }
        return out
    }

    /// The tiers the run's maps, cards and coverage table show: the tiers the scenario asked
    /// for (`coverage.tiers`, as the summary's settings record them), the contract tiers and
    /// the target tier, slowest first; tiers the run counted no households for are left out.
    static func reportTiers(_ s: RunSummary) -> [String] {
        var wanted = Set(mapTiers)
        if case .array(let items)? = s.settings["coverage"]?["tiers"] {
            for case .string(let name) in items { wanted.insert(name) }
        }
        if let target = s.targetTier { wanted.insert(target) }
        let counted = Set(s.totals.before.shareByTier.map(\.key))
        let tiers = s.tiersMbps.filter { wanted.contains($0.key) && counted.contains($0.key) }
            .sorted { ($0.value, $0.key) < ($1.value, $1.key) }.map(\.key)
        return tiers.isEmpty ? mapTiers : tiers
    }

    /// The built build areas by year and by technology, side by side, each with its legend.
    static func builtMaps(_ run: ReportedRun, furniture: MapFurniture) -> String {
        let built = run.builtAreas
        var out = "<figure class=\"map-group\" id=\"built-maps\"><figcaption>Build areas built, by year and by technology and year (the classes of the QGIS style)</figcaption>"
        if built.isEmpty {
            let reason = run.summary.totals.buildAreas > 0 && !run.folder.isEmpty
                ? "The build area outlines are not in the run folder (build_areas.geojson is written with the <code>geojson</code> format)."
                : "No build area was built."
            return out + "<p class=\"note\">\(reason)</p></figure>"
        }
        let years = SVGMap.yearClasses(built), technologies = SVGMap.technologyYearClasses(built)
        out += "<div class=\"maps\"><div><p class=\"map-title\">By year</p>"
        out += SVGMap.builtMap(run.shapes, built: built, classes: years, classOf: { String($0.year) }, caption: "Build areas built, by year", furniture: furniture)
        out += SVGMap.builtLegend(years, title: "Year built") + "</div><div><p class=\"map-title\">By technology and year</p>"
        out += SVGMap.builtMap(run.shapes, built: built, classes: technologies,
                               classOf: { BuildAreaClasses.value(status: "built", technology: $0.technology, year: $0.year) },
                               caption: "Build areas built, by technology and year", furniture: furniture)
        out += SVGMap.builtLegend(technologies, title: "Technology, year built") + "</div></div></figure>"
        return out
    }

    static func legendBlock() -> String {
        "<div class=\"legend-block\"><p class=\"legend-title\">Share of households</p>\(SVGMap.legend())</div>"
    }

    /// A numeric cell: the figure as shown, with the raw value and its summary.json key.
    static func cell(_ key: String, _ value: Double, _ format: (Double) -> String) -> String {
        "<td class=\"num\" data-key=\"\(key)\" data-value=\"\(rawNumber(value))\">\(format(value))</td>"
    }

    static func rawNumber(_ v: Double) -> String {
        guard v.isFinite else { return "" }
        if v == v.rounded(), abs(v) < 9e15 { return String(Int64(v)) }
        return String(v)
    }

    static func gapText(_ v: Double) -> String { Format.decimal(v, decimals: 2) }

    /// A two-row table header: leading and trailing columns span both rows, each group spans
    /// its columns. Titles are trusted markup (no user text).
    static func header(_ leading: [(title: String, numeric: Bool)], _ groups: [(title: String, columns: [String])],
                       _ trailing: [String] = []) -> String {
        var top = "<tr>", bottom = "<tr>"
        for column in leading { top += "<th rowspan=\"2\"\(column.numeric ? " class=\"num\"" : "")>\(column.title)</th>" }
        for g in groups {
            top += "<th class=\"group\" colspan=\"\(g.columns.count)\">\(g.title)</th>"
            bottom += g.columns.map { "<th class=\"num\">\($0)</th>" }.joined()
        }
        for title in trailing { top += "<th rowspan=\"2\" class=\"num\">\(title)</th>" }
        return "<thead>\(top)</tr>\(bottom)</tr></thead>"
    }

    /// Before/after column groups of the two mapped tiers' shares.
    static let shareGroups = mapTiers.map { (title: "\(tierTitle($0)) share", columns: ["Before", "After"]) }

    static func authorityTables(_ s: RunSummary) -> String {
        let phases: [(suffix: String, label: String, after: Bool)] = s.hasRollout
            ? [("before", "Before", false), ("after", "After", true)] : [("before", "Today", false)]
        func rowStart(_ code: String, _ name: String) -> String {
            "<tr data-code=\"\(Markup.escape(code))\"><td>\(Markup.escape(code))</td><td>\(Markup.escape(name))</td>"
        }
        let totalStart = "<tfoot><tr data-code=\"totals\"><td></td><td>Total</td>"

        // Coverage.
        let tiers = reportTiers(s)
        var groups = tiers.map { (title: "\(tierTitle($0)) share", columns: phases.map(\.label)) }
        groups.append((title: "Households by NGA class\(s.hasRollout ? ", before" : "")", columns: ["White", "Grey", "Black"]))
        var out = "<h3>Coverage</h3><div class=\"table-wrap\"><table class=\"authorities\" id=\"coverage-table\">"
        out += header([("Code", false), ("Authority", false), ("Households", true)], groups, [])
        out += "<tbody>"
        func coverageCells(households: Double, before: RunSummary.State, after: RunSummary.State) -> String {
            var row = cell("households", households, Format.count)
            for tier in tiers {
                for p in phases { row += cell("\(p.suffix).share_by_tier.\(tier)", (p.after ? after : before).share(tier), Format.percent) }
            }
            for colour in ["white", "grey", "black"] { row += cell("before.nga_households.\(colour)", before.nga(colour), Format.count) }
            return row
        }
        for a in s.authorities {
            out += rowStart(a.code, a.name) + coverageCells(households: a.households, before: a.before, after: a.after) + "</tr>"
        }
        out += "</tbody>" + totalStart + coverageCells(households: s.totals.plannedHouseholds, before: s.totals.before, after: s.totals.after) + "</tr></tfoot></table></div>"
        out += "<p class=\"note\">Share: households at or above the tier's speed. NGA class: white, grey and black households have no, one, or two or more operators at the NGA threshold.</p>"

        // Gaps and programme.
        let gapGroups = mapTiers.map { (title: "\(tierTitle($0)) gap km²", columns: phases.map(\.label)) }
        out += "<h3>Gaps\(s.hasRollout ? " and programme" : "")</h3><div class=\"table-wrap\"><table class=\"authorities\" id=\"gaps-table\">"
        out += header([("Code", false), ("Authority", false), ("Area km²", true)], gapGroups,
                      s.hasRollout ? ["Cost", "Public cost", "Households passed"] : [])
        out += "<tbody>"
        func gapCells(area: Double, before: RunSummary.State, after: RunSummary.State, cost: Double, publicCost: Double, passed: Double) -> String {
            var row = cell("area_km2", area, { Format.decimal($0) })
            for tier in mapTiers {
                for p in phases { row += cell("\(p.suffix).gap_area_km2.\(tier)", (p.after ? after : before).gap(tier) ?? 0, gapText) }
            }
            if s.hasRollout {
                row += cell("cost_gbp", cost, Format.millions) + cell("public_cost_gbp", publicCost, Format.millions)
                row += cell("households_passed", passed, Format.count)
            }
            return row
        }
        for a in s.authorities {
            out += rowStart(a.code, a.name)
            out += gapCells(area: a.areaKm2, before: a.before, after: a.after, cost: a.costGBP, publicCost: a.publicCostGBP, passed: a.householdsPassed) + "</tr>"
        }
        out += "</tbody>" + totalStart
        out += gapCells(area: s.totals.areaKm2, before: s.totals.before, after: s.totals.after, cost: s.totals.costGBP, publicCost: s.totals.publicCostGBP, passed: s.totals.householdsPassed)
        out += "</tr></tfoot></table></div>"
        out += "<p class=\"note\">Gap: the part of the authority outside the tier's coverage polygons (planar area in the working CRS).</p>"
        return out
    }

    static func programme(_ run: ReportedRun) -> String {
        let s = run.summary, t = s.totals
        var out = accounts(s)
        if run.costCurve.count > 1 {
            out += "<div class=\"chart-block\"><h3>Cost curve</h3><p class=\"note\">Households passed against public cost, adding the build areas in the order the strategy took them (cheapest public cost per household first).</p>"
            let series = ChartSeries(name: s.scenario, colour: SVGCharts.palette[0],
                                     points: run.costCurve.map { ($0.publicCostGBP / 1e6, $0.householdsPassed) })
            out += SVGCharts.line([series], xTitle: "Cumulative public cost (£m)", yTitle: "Households passed (cumulative)",
                                  xFormat: { "public cost £\(Format.decimal($0, decimals: 2))m" }, yFormat: { "\(Format.count($0)) households" },
                                  caption: "Cost curve: households passed against cumulative public cost")
            out += "</div>"
        } else {
            out += "<p class=\"note\">No build area was built, so there is no cost curve.</p>"
        }
        if !s.years.isEmpty {
            out += "<div class=\"chart-block\"><h3>Households passed and connected per year</h3>"
            out += SVGCharts.years(s.years, caption: "Households passed per year and connected by the end of each year")
            out += "</div><table class=\"years\" id=\"years-table\"><thead><tr><th>Year</th><th class=\"num\">Cost</th><th class=\"num\">Public cost</th><th class=\"num\">Households passed</th><th class=\"num\">Households connected (cumulative)</th></tr></thead><tbody>"
            for y in s.years {
                out += "<tr data-year=\"\(y.year)\"><td>\(y.year)</td>" + cell("cost_gbp", y.costGBP, Format.millions)
                    + cell("public_cost_gbp", y.publicCostGBP, Format.millions) + cell("households_passed", y.householdsPassed, Format.count)
                    + cell("households_connected", y.householdsConnected, Format.count) + "</tr>"
            }
            out += "</tbody></table>"
        }
        if let p = s.partnership {
            out += "<p id=\"partnership\">Joint delivery by \(p.authorities.map(Markup.escape).joined(separator: ", ")): \(Format.count(Double(p.jointAreas))) build areas across their borders (\(Format.count(Double(p.jointAreasBuilt))) built), each paying its fixed costs once, their cost shared by \(Markup.escape(p.costShare)); \(Format.count(Double(p.splitAreas))) border cells delivered as separate areas because that cost less.</p>"
        }
        if let hard = s.veryHardToReach {
            out += "<div class=\"chart-block\" id=\"very-hard-to-reach\"><h3>Very hard to reach</h3><p>\(Format.count(Double(hard.areas))) candidate areas (\(Format.count(hard.households)) households) cost more than £\(Format.count(hard.thresholdGBP)) per premises with FTTP or fixed wireless (or neither meets the target) and go to an alternative:</p><table class=\"routes\"><thead><tr><th>Route</th><th class=\"num\">Areas</th><th class=\"num\">Households</th><th class=\"num\">Built: households passed</th></tr></thead><tbody>"
            for (route, count) in hard.byRoute {
                let built = s.totals.byTechnology?[route]?.householdsPassed
                out += "<tr data-route=\"\(Markup.escape(route))\"><td>\(Markup.escape(route.replacingOccurrences(of: "_", with: " ")))</td>"
                    + cell("areas", Double(count.areas), Format.count) + cell("households", count.households, Format.count)
                    + (built.map { cell("households_passed", $0, Format.count) } ?? "<td></td>") + "</tr>"
            }
            out += "</tbody></table></div>"
        }
        if s.uncertainty.runs > 0 {
            let cost = s.uncertainty.costGBP, passed = s.uncertainty.householdsPassed, pub = s.uncertainty.publicCostGBP
            out += "<div class=\"chart-block\"><h3>Uncertainty</h3><p class=\"note\">\(s.uncertainty.runs) runs, each drawing \(drawnParameters(s.uncertainty)) from a triangular distribution around its value: the bar spans P10 to P90, the dark line is P50 and the diamond the central estimate.</p>"
            out += limitedNote(s.uncertainty).isEmpty ? "" : "<p class=\"caveat\" data-key=\"households_passed_limited_by\">" + limitedNote(s.uncertainty) + "</p>"
            var rows = [SVGCharts.Band(label: "Cost", spread: cost, central: t.costGBP, format: Format.millions)]
            rows.append(SVGCharts.Band(label: "Public cost", spread: pub, central: t.publicCostGBP, format: Format.millions))
            rows.append(SVGCharts.Band(label: "Households passed", spread: passed, central: t.householdsPassed, format: Format.count))
            out += SVGCharts.bands(rows, caption: "Uncertainty: P10 to P90 with P50") + "</div>"
        }
        return out
    }

    /// What each uncertainty run draws: the unit costs, and the subsidy's revenue parameters
    /// whose spread is above 0.
    static func drawnParameters(_ u: RunSummary.Uncertainty) -> String {
        var names = ["every unit cost"]
        for (name, spread) in [("take-up", u.takeUpSpread), ("ARPU", u.arpuSpread), ("payback years", u.paybackSpread), ("margin", u.marginSpread)] {
            if let spread, spread > 0 { names.append("\(name) (±\(Format.percent(spread)))") }
        }
        return names.count == 1 ? names[0] : names.dropLast().joined(separator: ", ") + " and " + names.last!
    }

    /// Beside the households-passed band: the limits that held it in every run, if any.
    static func limitedNote(_ u: RunSummary.Uncertainty) -> String {
        guard let limits = u.householdsPassedLimitedBy, !limits.isEmpty else { return "" }
        let names = ["budget": "the yearly budgets", "capacity": "the yearly capacity", "total_budget": "the total budget"]
        return " <strong>Households passed is limited by \(limits.map { names[$0] ?? $0 }.joined(separator: " and ")) in every run</strong>: its band shows where that limit stops the programme, not how certain the figure is."
    }

    /// Budgets and capacity per year and in total (issue 11 item 1), the areas by status with
    /// their reasons, and value for money per authority and in total (item 4).
    static func accounts(_ s: RunSummary) -> String {
        var out = ""
        let t = s.totals
        let programmeYears = s.years.filter { $0.limits != nil }
        if let total = t.limits, !programmeYears.isEmpty {
            out += "<h3>Budget and capacity</h3><div class=\"table-wrap\"><table class=\"limits\" id=\"limits-table\"><thead><tr><th>Year</th>"
                + "<th class=\"num\">Budget</th><th class=\"num\">Spent (public)</th><th class=\"num\">Unspent</th>"
                + "<th class=\"num\">Capacity (premises)</th><th class=\"num\">Used</th><th>Limit that bound</th></tr></thead><tbody>"
            func row(_ label: String, _ l: RunSummary.Limits, total: Bool) -> String {
                let names = total ? ["budget": "yearly budgets", "capacity": "capacity", "total_budget": "total budget"]
                                  : ["budget": "budget", "capacity": "capacity"]
                return "<td>\(label)</td>"
                    + (l.budgetGBP.map { cell("limits.budget_gbp", $0, Format.millions) } ?? "<td class=\"num\" data-key=\"limits.budget_gbp\">no limit</td>")
                    + cell("limits.spent_gbp", l.spentGBP, Format.millions)
                    + (l.unspentGBP.map { cell("limits.unspent_gbp", $0, Format.millions) } ?? "<td class=\"num\">–</td>")
                    + (l.capacityPremises.map { cell("limits.capacity_premises", $0, Format.count) } ?? "<td class=\"num\" data-key=\"limits.capacity_premises\">no limit</td>")
                    + cell("limits.used_premises", l.usedPremises, Format.count)
                    + "<td data-key=\"limits.bound\">\(l.bound.isEmpty ? "none" : l.bound.map { names[$0] ?? $0 }.joined(separator: ", "))</td>"
            }
            for y in programmeYears {
                if let l = y.limits { out += "<tr data-year=\"\(y.year)\">" + row(String(y.year), l, total: false) + "</tr>" }
            }
            out += "</tbody><tfoot><tr data-year=\"total\">" + row("Total", total, total: true) + "</tr></tfoot></table></div>"
            out += "<p class=\"note\">Unspent budget carries into later years, so a year's unspent is what it passes on. A year's limit bound when it turned at least one area away (to a later year or unbuilt); the total's, when areas were left unbuilt by it.</p>"
        }
        if let byStatus = t.areasByStatus {
            let reasons = [
                "built": "built", "commercially_viable": "commercially viable (no public money needed)",
                "no_option": "no option meets the target tier", "over_budget": "not built: no year's budget had room",
                "over_capacity": "not built: the years with budget had no capacity left",
                "over_total_budget": "not built: over rollout.budget_gbp", "target_reached": "not needed: coverage target reached",
                "not_prioritised": "not built: authority not in authority_order", "no_households": "no households",
            ]
            let shown = byStatus.filter { $0.value > 0 }
            if !shown.isEmpty {
                out += "<h3>Candidate areas by outcome</h3><table class=\"statuses\" id=\"status-table\"><thead><tr><th>Status</th><th>Meaning</th><th class=\"num\">Areas</th></tr></thead><tbody>"
                for (status, count) in shown {
                    out += "<tr data-status=\"\(Markup.escape(status))\"><td><code>\(Markup.escape(status))</code></td><td>\(Markup.escape(reasons[status] ?? status))</td>"
                        + cell("areas_by_status.\(status)", Double(count), Format.count) + "</tr>"
                }
                out += "</tbody></table>"
            }
        }
        if let total = t.valueForMoney {
            out += "<h3>Value for money</h3><div class=\"table-wrap\"><table class=\"authorities\" id=\"value-table\"><thead><tr><th>Code</th><th>Authority</th>"
                + "<th class=\"num\">Premises passed</th><th class=\"num\">Cost per premises</th><th class=\"num\">Public cost per premises</th>"
                + "<th class=\"num\">Premises per £1m public</th></tr></thead><tbody>"
            func cells(_ passed: Double, _ v: RunSummary.ValueForMoney?) -> String {
                cell("households_passed", passed, Format.count)
                    + optionalCell("value_for_money.cost_per_premises_gbp", v?.costPerPremisesGBP, pounds)
                    + optionalCell("value_for_money.public_cost_per_premises_gbp", v?.publicCostPerPremisesGBP, pounds)
                    + optionalCell("value_for_money.premises_per_million_public_gbp", v?.premisesPerMillionPublicGBP, Format.count)
            }
            for a in s.authorities {
                out += "<tr data-code=\"\(Markup.escape(a.code))\"><td>\(Markup.escape(a.code))</td><td>\(Markup.escape(a.name))</td>" + cells(a.householdsPassed, a.valueForMoney) + "</tr>"
            }
            out += "</tbody><tfoot><tr data-code=\"totals\"><td></td><td>Total</td>" + cells(t.householdsPassed, total) + "</tr></tfoot></table></div>"
            out += "<p class=\"note\">Per premises passed: each household of a built area counts as one premises. Premises per £1m: premises passed for each million pounds of public cost" + (total.premisesPerMillionGBP.map { " (\(Format.count($0)) per £1m of total cost)" } ?? "") + ".</p>"
        }
        return out
    }

    /// Clusters shown per tier; the rest are in summary.json and gap_clusters.csv.
    static let clusterRows = 20

    /// Per tier: the cross-border clusters (most households first) and each authority's share
    /// of gap households in them.
    static func sharedGaps(_ tiers: OrderedMap<RunSummary.TierClusters>) -> String {
        var out = "<p class=\"note\">The gap polygons of all planned authorities dissolved across borders: each cluster is one connected piece of the gap. Households are those below the tier, by the authority they lie in.</p>"
        for (tier, t) in tiers {
            out += "<h3>\(Markup.escape(tierTitle(tier)))</h3><p>\(Format.count(Double(t.clusters))) clusters, \(Format.count(Double(t.crossBorderClusters))) crossing a border.</p>"
            if t.premisesOutsideClusters > 0 {
                out += "<p class=\"note\">\(Format.count(Double(t.premisesOutsideClusters))) premises (\(Format.count(t.householdsOutsideClusters)) households) below the tier lie in no cluster polygon: the band between a reach circle and its inscribed polygon.</p>"
            }
            if !t.crossBorder.isEmpty {
                out += "<table class=\"clusters\" id=\"clusters-\(Markup.escape(tier))\"><thead><tr><th>Cluster</th><th class=\"num\">Households</th><th class=\"num\">Area (km²)</th><th>Authorities (households)</th></tr></thead><tbody>"
                for c in t.crossBorder.prefix(clusterRows) {
                    let parts = c.authorities.map { "\(Markup.escape($0.code)) (\(Format.count($0.households)))" }.joined(separator: ", ")
                    out += "<tr data-cluster=\"\(Markup.escape(c.id))\"><td>\(Markup.escape(c.id))</td>" + cell("households", c.households, Format.count)
                        + cell("area_km2", c.areaKm2, gapText) + "<td>\(parts)</td></tr>"
                }
                out += "</tbody></table>"
                if t.crossBorder.count > clusterRows {
                    out += "<p class=\"note\">\(t.crossBorder.count - clusterRows) more cross-border clusters in summary.json and gap_clusters.csv.</p>"
                }
            }
            out += "<table class=\"cluster-shares\"><thead><tr><th>Authority</th><th class=\"num\">Gap households</th><th class=\"num\">In cross-border clusters</th><th class=\"num\">Share</th></tr></thead><tbody>"
            for a in t.authorities {
                out += "<tr data-code=\"\(Markup.escape(a.code))\"><td>\(Markup.escape(a.code))</td>" + cell("gap_households", a.gapHouseholds, Format.count)
                    + cell("cross_border_households", a.crossBorderHouseholds, Format.count)
                    + cell("cross_border_share", a.crossBorderShare, Format.percent) + "</tr>"
            }
            out += "</tbody></table>"
        }
        return out
    }

    static func pounds(_ v: Double) -> String { "£" + Format.count(v) }

    static func optionalCell(_ key: String, _ value: Double?, _ format: (Double) -> String) -> String {
        value.map { cell(key, $0, format) } ?? "<td class=\"num\" data-key=\"\(key)\">–</td>"
    }

    /// The assumptions behind the programme (issue 11 item 3), as the run used them.
    static func assumptions(_ a: RunSummary.Assumptions, _ s: RunSummary) -> String {
        var rows: [(String, String)] = []
        rows.append(("Target", "\(Markup.escape(a.targetTier)) (≥ \(Markup.escape(String(format: "%g", a.targetMbps))) Mbit/s) for \(a.eligible.map(Markup.escape).joined(separator: ", ")) premises below it"))
        var strategy = Markup.escape(a.strategy.replacingOccurrences(of: "_", with: " "))
        if let share = a.targetShare {
            strategy += ": \(Format.percent(share)) of households at the target\(a.perAuthority ? " in every authority" : " region-wide")"
            if let reached = a.targetReached {
                strategy += reached ? "; <strong>reached</strong>" : "; <strong>not reached</strong>"
                if let got = a.targetShareReached { strategy += " (\(Format.percent(got)) region-wide after the programme)" }
            }
        }
        if !a.authorityOrder.isEmpty { strategy += "; order: " + a.authorityOrder.map(Markup.escape).joined(separator: ", ") }
        rows.append(("Strategy", strategy))
        rows.append(("Build areas", "\(Format.decimal(a.gridM, decimals: 0)) m grid cells within each authority"))
        func money(_ map: OrderedMap<Double>) -> String {
            map.map { key, value in
                let label = key.replacingOccurrences(of: "_gbp", with: "").replacingOccurrences(of: "_", with: " ")
                if key.hasSuffix("_gbp") || key.hasSuffix("_gbp_month") { return "\(label) £\(Format.decimal(value, decimals: value == value.rounded() ? 0 : 2))" }
                if key == "take_up" || key == "margin" { return "\(label) \(Format.percent(value))" }
                return "\(label) \(String(format: "%g", value))"
            }.joined(separator: ", ")
        }
        rows.append(("FTTP unit costs", a.fttp.map(money) ?? "not an option"))
        rows.append(("Fixed wireless unit costs", a.fwa.map(money) ?? "not an option"))
        rows.append(("Subsidy", a.subsidy.map { "gap funding: " + money($0) } ?? "none: the public pays the full cost"))
        rows.append(("Take-up curve", a.takeUpCurve.map(Format.percent).joined(separator: ", ") + " of passed households connected in the build year, the year after, ...; the last value holds"))
        rows.append(("Total budget", a.budgetGBP.map { Format.millions($0) } ?? "no limit"))
        rows.append(("Years", a.years.map { y in
            "\(y.year): budget \(y.budgetGBP.map { Format.millions($0) } ?? "no limit"), capacity \(y.capacityPremises.map { "\(Format.count($0)) premises" } ?? "no limit")"
        }.joined(separator: "; ")))
        if let spread = a.costSpread {
            var text = "unit costs drawn from triangular(1 − \(String(format: "%g", spread)), 1, 1 + \(String(format: "%g", spread)))"
            let u = s.uncertainty
            for (name, value) in [("take-up", u.takeUpSpread), ("ARPU", u.arpuSpread), ("payback years", u.paybackSpread), ("margin", u.marginSpread)] {
                if let value, value > 0 { text += "; \(name) × triangular(1 − \(String(format: "%g", value)), 1, 1 + \(String(format: "%g", value)))" }
            }
            rows.append(("Uncertainty", text + (u.runs > 0 && [u.takeUpSpread, u.arpuSpread, u.paybackSpread, u.marginSpread].allSatisfy { ($0 ?? 0) == 0 } ? "; take-up, ARPU, payback and margin fixed" : "")))
        }
        return "<dl class=\"meta\" id=\"assumptions-list\">" + rows.map { "<dt>\($0.0)</dt><dd>\($0.1)</dd>" }.joined() + "</dl>"
    }

    static func lotsTable(_ lots: RunSummary.Lots) -> String {
        var out = "<p class=\"note\">Built areas whose grid cells touch or lie within \(Format.count(lots.joinM)) m form one lot; a lot passing more than \(Format.count(lots.maxPremises)) premises is split into compact pieces.</p>"
        if lots.aboveMax > 0 {
            out += "<p class=\"note\">\(lots.aboveMax) lot(s) are single build areas above the limit and cannot be split.</p>"
        }
        if lots.items.isEmpty { return out + "<p>No area was built, so there are no lots.</p>" }
        out += "<table class=\"lots\" id=\"lots-table\"><thead><tr><th>Lot</th><th class=\"num\">Build areas</th><th class=\"num\">Premises passed</th><th class=\"num\">Cost</th><th class=\"num\">Public cost</th><th class=\"num\">Public cost per premises</th><th>Authorities</th><th>Years</th></tr></thead><tbody>"
        for lot in lots.items {
            out += "<tr data-lot=\"\(Markup.escape(lot.id))\"><td>\(Markup.escape(lot.id))</td>" + cell("build_areas", Double(lot.buildAreas), Format.count)
                + cell("households", lot.households, Format.count) + cell("cost_gbp", lot.costGBP, Format.millions)
                + cell("public_cost_gbp", lot.publicCostGBP, Format.millions)
                + (lot.publicCostPerPremisesGBP.map { cell("public_cost_per_premises_gbp", $0, pounds) } ?? "<td></td>")
                + "<td>\(Markup.escape(lot.authorities.joined(separator: ", ")))</td><td>\(lot.years.map(String.init).joined(separator: ", "))</td></tr>"
        }
        return out + "</tbody></table>"
    }

    static func priceCheck(_ check: PriceCheck) -> String {
        var out = "<p class=\"note\">Public cost per premises passed against published figures (sources in docs/MODEL.md). Without a <code>subsidy</code> block the public cost is the full build cost, so it reads high against subsidy figures.</p>"
        out += "<table class=\"benchmarks\"><thead><tr><th>Published figure</th><th class=\"num\">£ per premises</th><th>Source</th></tr></thead><tbody>"
        for b in check.benchmarks {
            out += "<tr><td>\(Markup.escape(b.name))</td>" + cell("gbp_per_premises", b.gbpPerPremises, pounds) + "<td>\(Markup.escape(b.source))</td></tr>"
        }
        out += "</tbody></table>"
        let items = (check.programme.map { [$0] } ?? []) + check.lots
        if items.isEmpty { return out + "<p>Nothing was built: no figure to check.</p>" }
        out += "<table class=\"price-check\" id=\"price-check-table\"><thead><tr><th>Programme or lot</th><th class=\"num\">Public cost per premises</th><th>Verdict</th></tr></thead><tbody>"
        for item in items {
            let verdict = item.note.map { "<strong>\(Markup.escape(item.verdict.rawValue.replacingOccurrences(of: "_", with: " ")))</strong>: \(Markup.escape($0))" }
                ?? Markup.escape(item.verdict.rawValue.replacingOccurrences(of: "_", with: " "))
            out += "<tr data-id=\"\(Markup.escape(item.id))\"><td>\(Markup.escape(item.id))</td>"
                + cell("public_cost_per_premises_gbp", item.publicCostPerPremisesGBP, pounds) + "<td>\(verdict)</td></tr>"
        }
        return out + "</tbody></table>"
    }

    /// The inputs of the runs, each distinct input once (same role, path and SHA-256): a batch
    /// whose variants read the same files lists them once, with the runs that read each when
    /// not all did.
    static func provenance(_ runs: [RunSummary]) -> String {
        var out = ""
        var distinct: [(input: RunSummary.Input, runs: [Int])] = []
        var index: [String: Int] = [:]
        for (k, s) in runs.enumerated() {
            for i in s.inputs {
                let key = "\(i.role)\u{0}\(i.path)\u{0}\(i.sha256)"
                if let at = index[key] {
                    if distinct[at].runs.last != k { distinct[at].runs.append(k) }
                } else {
                    index[key] = distinct.count
                    distinct.append((i, [k]))
                }
            }
        }
        let perRun = runs.count > 1
        out += "<div class=\"table-wrap\"><table class=\"inputs\" id=\"inputs-table\"><thead><tr><th>Role</th><th>File</th><th>SHA-256 (first 16)</th><th class=\"num\">Features</th>\(perRun ? "<th>Read by</th>" : "")</tr></thead><tbody>"
        for (i, readers) in distinct {
            out += "<tr><td>\(Markup.escape(i.role))</td><td title=\"\(Markup.escape(i.path))\">\(Markup.escape(i.fileName))</td>"
            out += "<td><code>\(Markup.escape(String(i.sha256.prefix(16))))</code></td><td class=\"num\">\(Format.count(Double(i.features)))</td>"
            if perRun {
                out += "<td data-runs=\"\(readers.count)\">" + (readers.count == runs.count ? "all \(runs.count) runs" : readers.map { Markup.escape(runs[$0].scenario) }.joined(separator: "; ")) + "</td>"
            }
            out += "</tr>"
        }
        out += "</tbody></table></div>"
        let usesSample = runs.contains { $0.inputs.contains { SampleDataAttribution.isSample($0.path) } }
        out += "<h3>Sample data: licences and attribution</h3>"
        out += "<p class=\"note\">\(usesSample ? "This report uses bbplan's sample data (GeoData/)." : "These lines apply to bbplan's sample data (GeoData/), when a run uses it.") Full hashes are in summary.json.</p>"
        out += "<ul class=\"attribution\">" + SampleDataAttribution.lines.map { "<li>\(Markup.escape($0))</li>" }.joined() + "</ul>"
        out += "<p class=\"note modelled\">\(Markup.escape(SampleDataAttribution.modelledNetworks))</p>"
        return out
    }

    static func comparisonTable(_ runs: [RunSummary]) -> String {
        var out = "<div class=\"table-wrap\"><table class=\"comparison\" id=\"comparison-table\">"
        out += header([("Scenario", false), ("Target", false), ("Households", true)], shareGroups,
                      ["Cost", "Public cost", "Households passed", "Cost per premises", "Public cost per premises", "Cost P10–P90", "Passed P10–P90"])
        out += "<tbody>"
        for (k, s) in runs.enumerated() {
            let t = s.totals
            out += "<tr data-run=\"\(k)\"><td class=\"scenario\">\(Markup.escape(s.scenario))</td><td>\(Markup.escape(s.targetTier ?? "coverage only"))</td>"
            out += cell("households", t.plannedHouseholds, Format.count)
            for tier in mapTiers {
                out += cell("before.share_by_tier.\(tier)", t.before.share(tier), Format.percent)
                out += cell("after.share_by_tier.\(tier)", t.after.share(tier), Format.percent)
            }
            out += cell("cost_gbp", t.costGBP, Format.millions) + cell("public_cost_gbp", t.publicCostGBP, Format.millions)
            out += cell("households_passed", t.householdsPassed, Format.count)
            out += optionalCell("value_for_money.cost_per_premises_gbp", t.valueForMoney?.costPerPremisesGBP, pounds)
            out += optionalCell("value_for_money.public_cost_per_premises_gbp", t.valueForMoney?.publicCostPerPremisesGBP, pounds)
            if s.uncertainty.runs > 0 {
                let c = s.uncertainty.costGBP, p = s.uncertainty.householdsPassed
                // The ranges may break after the dash, so the table fits the page at any count.
                out += "<td class=\"num range\">\(Format.millions(c.p10))–<wbr>\(Format.millions(c.p90))</td><td class=\"num range\">\(Format.count(p.p10))–<wbr>\(Format.count(p.p90))</td>"
            } else {
                out += "<td class=\"num\">–</td><td class=\"num\">–</td>"
            }
            out += "</tr>"
        }
        return out + "</tbody></table></div>"
    }

    static func compactAuthorityTable(_ s: RunSummary) -> String {
        var out = "<div class=\"table-wrap\"><table class=\"authorities compact\">"
        out += header([("Code", false), ("Authority", false), ("Households", true)], shareGroups, ["Public cost", "Households passed"])
        out += "<tbody>"
        for a in s.authorities {
            out += "<tr data-code=\"\(Markup.escape(a.code))\"><td>\(Markup.escape(a.code))</td><td>\(Markup.escape(a.name))</td>"
            out += cell("households", a.households, Format.count)
            for tier in mapTiers {
                out += cell("before.share_by_tier.\(tier)", a.before.share(tier), Format.percent)
                out += cell("after.share_by_tier.\(tier)", a.after.share(tier), Format.percent)
            }
            out += cell("public_cost_gbp", a.publicCostGBP, Format.millions) + cell("households_passed", a.householdsPassed, Format.count) + "</tr>"
        }
        return out + "</tbody></table></div>"
    }

    // MARK: - Page

    static func section(_ id: String, _ title: String, _ content: String, major: Bool = false) -> String {
        "<section id=\"\(id)\"\(major ? " class=\"major\"" : "")><h2>\(title)</h2>\(content)</section>"
    }

    static func footer(_ version: String) -> String {
        "<footer><p>Made by bbplan \(Markup.escape(version)). Numbers as in the run's summary.json; maps drawn from simplified authority outlines.</p></footer>"
    }

    static func document(title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en-GB">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(Markup.escape(title))</title>
        <style>
        \(css)
        </style>
        </head>
        <body>
        <main>
        \(body)
        </main>
        </body>
        </html>

        """
    }

    static func displayTime(_ iso: String) -> String {
        guard let date = ISO8601DateFormatter().date(from: iso) else { return iso }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_GB_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "d MMMM yyyy, HH:mm:ss 'UTC'"
        return f.string(from: date)
    }

    static func duration(_ start: String, _ end: String) -> Double? {
        let f = ISO8601DateFormatter()
        guard let a = f.date(from: start), let b = f.date(from: end) else { return nil }
        return b.timeIntervalSince(a)
    }

    static func durationText(_ seconds: Double) -> String {
        if seconds < 1 { return "under a second" }
        if seconds < 90 { return "\(Int(seconds.rounded())) s" }
        return "\(Int((seconds / 60).rounded(.down))) min \(Int(seconds.truncatingRemainder(dividingBy: 60).rounded())) s"
    }

    static let css = """
        :root { color-scheme: light; }
        * { box-sizing: border-box; }
        body { margin: 0; background: #fff; color: #1a1a1a; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
        main { max-width: 1120px; margin: 0 auto; padding: 24px 28px 48px; }
        header.report { border-bottom: 3px solid #1a9850; padding-bottom: 10px; }
        .kicker { margin: 0; color: #555; font-size: 12px; letter-spacing: .08em; text-transform: uppercase; }
        h1 { margin: 4px 0 8px; font-size: 28px; line-height: 1.2; }
        h2 { margin: 30px 0 10px; padding-bottom: 4px; border-bottom: 1px solid #ccc; font-size: 20px; }
        h3 { margin: 18px 0 6px; font-size: 16px; }
        .description { max-width: 80ch; margin: 0; color: #333; }
        .note { max-width: 95ch; color: #444; font-size: 13px; }
        code { font: 12px ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
        dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 3px 18px; margin: 0; font-size: 14px; }
        dl.meta dt { color: #555; }
        dl.meta dd { margin: 0; }
        .cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 10px; }
        .card { padding: 10px 12px; border: 1px solid #d4d4d4; border-left: 4px solid #1a9850; border-radius: 4px; background: #fbfbfb; }
        .card .label { color: #555; font-size: 12px; letter-spacing: .04em; text-transform: uppercase; }
        .card .value { font-size: 20px; font-weight: 600; white-space: nowrap; font-variant-numeric: tabular-nums; }
        .card .sub { color: #555; font-size: 12px; }
        .uncertainty { font-size: 14px; }
        figure { margin: 0 0 18px; }
        figcaption { margin-bottom: 6px; font-weight: 600; }
        .maps { display: grid; grid-template-columns: 1fr 1fr; gap: 18px; }
        .map-title { margin: 0 0 2px; color: #333; font-size: 13px; }
        svg { display: block; width: 100%; height: auto; }
        svg.map { max-height: 560px; }
        svg.map path.area { stroke: #fff; stroke-width: .8; stroke-linejoin: round; fill-rule: evenodd; }
        svg.map path.area:hover { stroke: #111; stroke-width: 1.6; }
        svg.built path.area { stroke: #999; stroke-width: .6; fill: #f4f4f4; }
        svg.built path.built { stroke: none; fill-rule: evenodd; }
        svg text.label { fill: #222; paint-order: stroke; stroke: #fff; stroke-width: 2.5px; stroke-linejoin: round; pointer-events: none; }
        svg text.scale-text { fill: #333; font-size: 10px; }
        svg.overlay path.area { stroke: #888; fill: #f0f0f0; }
        svg.overlay path { fill-rule: evenodd; }
        .legend-block { margin-top: 6px; }
        .legend-title { margin: 0 0 2px; color: #333; font-size: 12px; }
        svg.legend { max-width: 740px; }
        svg.legend text { fill: #333; font-size: 12px; }
        svg text { font-family: inherit; }
        .tick { fill: #444; font-size: 11px; }
        .axis-title, .band-label { fill: #222; font-size: 12px; }
        .band-label { font-weight: 600; }
        .legend-text { fill: #333; font-size: 12px; }
        line.axis, line.tickmark { stroke: #444; stroke-width: 1; }
        line.grid { stroke: #e4e4e4; stroke-width: 1; }
        polyline.series { stroke-width: 2.2; stroke-linejoin: round; }
        .chart-block { max-width: 760px; margin-bottom: 14px; }
        table { width: 100%; margin: 6px 0 10px; border-collapse: collapse; font-size: 13px; }
        th, td { padding: 4px 6px; border-bottom: 1px solid #e2e2e2; text-align: left; vertical-align: bottom; }
        th { background: #f3f3f3; font-weight: 600; }
        th.num, td.num { text-align: right; font-variant-numeric: tabular-nums; }
        td.num { white-space: nowrap; }
        td.num.range { white-space: normal; }
        table.comparison th, table.comparison td { padding: 4px 4px; }
        th.group { text-align: center; border-bottom: 1px solid #c8c8c8; }
        .table-wrap { overflow-x: auto; }
        tfoot td { border-top: 2px solid #999; font-weight: 600; }
        td.scenario { min-width: 11em; }
        table.inputs td:nth-child(2) { word-break: break-all; }
        ul.attribution { padding-left: 20px; color: #333; font-size: 12px; }
        .modelled { font-weight: 600; }
        .caveat { border-left: 4px solid #b35900; background: #fff4e5; padding: 0.5em 0.8em; margin: 0.6em 0; font-weight: normal; }
        .caveat.warning { border-left-color: #a00; background: #fdecec; }
        .multiples { display: grid; grid-template-columns: repeat(auto-fill, minmax(340px, 1fr)); gap: 18px; }
        .multiple .pair { display: grid; grid-template-columns: 1fr 1fr; gap: 8px; }
        footer { margin-top: 36px; padding-top: 8px; border-top: 1px solid #ccc; color: #555; font-size: 12px; }
        @media screen and (max-width: 760px) { .maps { grid-template-columns: 1fr; } }
        @page { size: A4; margin: 12mm; }
        @media print {
          * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
          body { font-size: 10pt; }
          main { max-width: none; padding: 0; }
          h1 { font-size: 20pt; }
          h2 { font-size: 14pt; }
          h2, h3, figcaption, .map-title { break-after: avoid; page-break-after: avoid; }
          section.major { break-before: page; page-break-before: always; }
          figure, .card, .cards, .chart-block, .legend-block, dl.meta, tr, .multiple { break-inside: avoid; page-break-inside: avoid; }
          thead { display: table-header-group; }
          tfoot { display: table-row-group; }
          table { font-size: 8pt; }
          th, td { padding: 2px 4px; }
          .card { background: #fff; }
          svg.map { max-height: 120mm; }
          svg.map path.area:hover { stroke: #fff; stroke-width: .8; }
          .maps { gap: 8mm; }
          .table-wrap { overflow: visible; }
        }
        """
}
