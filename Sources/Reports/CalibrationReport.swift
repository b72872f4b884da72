import Availability
import Foundation
import GeoIO
import OutputSafety
import RunSummary
import Scenario

/// The outputs of `bbplan calibrate` (docs/MODEL.md, "Calibration"): `calibration.json`,
/// `postcodes.csv`, `calibrated.yaml` (a scenario to run or `extends:`) and `report.html`.
public enum CalibrationReport {
    static func thresholdName(_ t: Double) -> String { t >= 1000 ? "gigabit" : "\(Int(t))mbps" }

    public static func json(_ c: CalibrationResult) -> JSON {
        func params(_ p: Calibration.Parameters) -> JSON {
            .object([("fttc_curve_scale", .number(p.scale, decimals: 6)), ("route_factor", .number(p.routeFactor, decimals: 6))])
        }
        let rows = c.rows
        let fitCount = rows.fitting.filter { $0 }.count
        return .object([
            ("scenario", .string(c.scenario.name)), ("scenario_file", .string(c.scenario.file)),
            ("method", .string("least squares: household-weighted mean of squared differences between modelled and observed postcode shares at or above 2, 5, 10 and 30 Mbit/s (fixed line), minimised by grid search (steps 0.1, then 0.02 and 0.004 around the best point) over route factor 1.0-2.5 and curve scale 0.5-2.0, on the postcodes of the fitting half; the other half is held out")),
            ("before", params(c.before)), ("fitted", params(c.fitted)), ("evaluations", .int(Int64(c.evaluations))),
            ("at_search_bound", .array(c.atSearchBound.map { .string($0) })),
            ("postcodes", .object([("fitting", .int(Int64(fitCount))), ("held_out", .int(Int64(rows.fitting.count - fitCount)))])),
            ("rmse_pp", .object([
                ("fitting_before", .number(c.fitRMSEBefore, decimals: 4)), ("fitting_after", .number(c.fitRMSEAfter, decimals: 4)),
                ("held_out_before", .number(c.heldOutRMSEBefore, decimals: 4)), ("held_out_after", .number(c.heldOutRMSEAfter, decimals: 4)),
            ])),
            ("authorities", .array(c.authorities.map { a in
                .object([("code", .string(a.code)), ("name", .string(a.name)), ("postcodes", .int(Int64(a.postcodes))),
                         ("households", .quantity(a.households))]
                    + Calibration.tableThresholds.enumerated().map { t, v in
                        (thresholdName(v), JSON.object([
                            ("observed_share", .number(a.observed[t], decimals: 6)), ("modelled_share", .number(a.before[t], decimals: 6)),
                            ("difference_pp", .number(100 * (a.before[t] - a.observed[t]), decimals: 4)),
                            ("households_affected", .quantity(abs(a.before[t] - a.observed[t]) * a.households)),
                            ("fitted_share", .number(a.after[t], decimals: 6)),
                        ]))
                    })
            })),
            ("inputs", .array(c.inputs.map { .object([("role", .string($0.role)), ("path", .string($0.path)), ("sha256", .string($0.sha256))]) })),
        ])
    }

    public static func postcodesCSV(_ c: CalibrationResult) -> String {
        let thresholds = Calibration.fitThresholds + Calibration.tableThresholds
        var header = ["postcode", "authority", "households", "half"]
        for (k, t) in thresholds.enumerated() {
            let name = k < Calibration.fitThresholds.count ? "\(Int(t))mbps" : "table_\(thresholdName(t))"
            header += ["observed_\(name)", "modelled_\(name)", "fitted_\(name)"]
        }
        var lines = [header.joined(separator: ",")]
        for k in 0..<c.rows.ofcomRow.count {
            var row = [c.rows.keys[k].spaced, authorityCode(c, k), CSVWriter.number(c.rows.postcodeHouseholds[k]),
                       c.rows.fitting[k] ? "fit" : "held_out"]
            for t in thresholds.indices {
                row += [c.rows.observed[k][t], c.sharesBefore[k][t], c.sharesAfter[k][t]].map { String(format: "%.4f", $0) }
            }
            lines.append(row.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func authorityCode(_ c: CalibrationResult, _ k: Int) -> String {
        c.authorityCodes[Int(c.rows.postcodeAuthority[k])]
    }

    /// A scenario that extends the calibrated one with the fitted FTTC model.
    public static func snippet(_ c: CalibrationResult, scenarioPath: String) -> String {
        let curve = Calibration.scaled(c.scenario.model.curve, by: c.fitted.scale)
        let points = curve.points.map { "[\(CSVWriter.number($0.metres)), \(String(format: "%.2f", $0.mbps))]" }.joined(separator: ", ")
        return """
            # Written by bbplan calibrate: the FTTC model fitted to Ofcom's postcode shares
            # (held-out RMSE \(String(format: "%.2f", c.heldOutRMSEBefore)) -> \(String(format: "%.2f", c.heldOutRMSEAfter)) percentage points).
            # Run it as it is, or name it in another scenario's extends:.
            extends: \(scenarioPath)
            name: \(c.scenario.name) (calibrated)
            fttc:
              route_factor: \(String(format: "%.3f", c.fitted.routeFactor))
              # The scenario's curve with every speed x \(String(format: "%.3f", c.fitted.scale)).
              speed_curve_m_mbps: [\(points)]

            """
    }

    public static func page(_ c: CalibrationResult) -> String {
        var body = "<header class=\"report\"><p class=\"kicker\">bbplan calibration</p><h1>\(Markup.escape(c.scenario.name))</h1></header>"
        var fit = "<p>Fitted by least squares on \(Format.count(Double(c.rows.fitting.filter { $0 }.count))) postcodes (a hash of the postcode picks the half): "
        fit += "route factor \(String(format: "%.3f", c.before.routeFactor)) → <strong>\(String(format: "%.3f", c.fitted.routeFactor))</strong>, "
        fit += "FTTC curve scale 1 → <strong>\(String(format: "%.3f", c.fitted.scale))</strong> (\(c.evaluations) evaluations).</p>"
        if !c.atSearchBound.isEmpty {
            fit += "<p class=\"note\"><strong>At the edge of the search range:</strong> \(Markup.escape(c.atSearchBound.joined(separator: ", "))). The best fit may lie outside it, or the two parameters may stand in for something the model lacks (cabinets missing from the network file, lines served from another cabinet).</p>"
        }
        fit += "<table><thead><tr><th>RMSE of postcode shares (pp)</th><th class=\"num\">Before</th><th class=\"num\">Fitted</th></tr></thead><tbody>"
        fit += "<tr><td>Fitting half</td><td class=\"num\">\(Format.decimal(c.fitRMSEBefore, decimals: 2))</td><td class=\"num\">\(Format.decimal(c.fitRMSEAfter, decimals: 2))</td></tr>"
        fit += "<tr><td>Held-out half</td><td class=\"num\">\(Format.decimal(c.heldOutRMSEBefore, decimals: 2))</td><td class=\"num\">\(Format.decimal(c.heldOutRMSEAfter, decimals: 2))</td></tr></tbody></table>"
        fit += "<p class=\"note\">Shares at or above 2, 5, 10 and 30 Mbit/s over fixed lines, each postcode weighted by its households. The observed values are the scenario's Ofcom-layout files (the sample files are MODELLED, not Ofcom's data).</p>"
        body += HTMLReport.section("fit", "Fit", fit)
        let superfast = Calibration.fitThresholds.firstIndex(of: 30)!
        var charts = scatter(c, index: superfast, shares: c.sharesBefore, title: "Superfast share per postcode: model as the scenario has it")
        charts += scatter(c, index: superfast, shares: c.sharesAfter, title: "Superfast share per postcode: fitted model")
        body += HTMLReport.section("scatter", "Modelled against observed", "<div class=\"maps\">" + charts + "</div>")
        var table = ""
        for (t, threshold) in Calibration.tableThresholds.enumerated() {
            table += "<h3>\(threshold >= 1000 ? "Gigabit" : "At least \(Int(threshold)) Mbit/s (fixed line)")</h3>"
            table += "<table><thead><tr><th>Code</th><th>Name</th><th class=\"num\">Households</th><th class=\"num\">Observed</th><th class=\"num\">Model</th><th class=\"num\">Difference (pp)</th><th class=\"num\">Households affected</th><th class=\"num\">Fitted model</th></tr></thead><tbody>"
            for a in c.authorities {
                table += "<tr><td>\(Markup.escape(a.code))</td><td>\(Markup.escape(a.name))</td><td class=\"num\">\(Format.count(a.households))</td>"
                table += "<td class=\"num\">\(Format.percent(a.observed[t]))</td><td class=\"num\">\(Format.percent(a.before[t]))</td>"
                table += "<td class=\"num\">\(Format.decimal(100 * (a.before[t] - a.observed[t]), decimals: 1))</td>"
                table += "<td class=\"num\">\(Format.count(abs(a.before[t] - a.observed[t]) * a.households))</td><td class=\"num\">\(Format.percent(a.after[t]))</td></tr>"
            }
            table += "</tbody></table>"
        }
        table += "<p class=\"note\">Over the premises both the model and the postcode files cover. 10 and 30 Mbit/s: fixed line; gigabit: any fixed network (the fit does not change it: it is FTTP and cable, not FTTC).</p>"
        body += HTMLReport.section("authorities", "By authority", table)
        return HTMLReport.document(title: "bbplan calibration: \(c.scenario.name)", body: body)
    }

    /// A binned scatter (inline SVG): modelled against observed shares in 25 x 25 cells, each
    /// cell a circle with area in proportion to its households, the diagonal drawn.
    static func scatter(_ c: CalibrationResult, index: Int, shares: [[Double]], title: String) -> String {
        let bins = 25, size = 360.0, pad = 60.0
        var cells = [Double](repeating: 0, count: bins * bins)
        for k in 0..<c.rows.ofcomRow.count {
            let x = min(bins - 1, Int(c.rows.observed[k][index] * Double(bins)))
            let y = min(bins - 1, Int(shares[k][index] * Double(bins)))
            cells[y * bins + x] += c.rows.postcodeHouseholds[k]
        }
        let maxCell = max(cells.max() ?? 1, 1)
        var svg = "<figure><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(size + 2 * pad)) \(Int(size + 2 * pad))\" width=\"\(Int(size + 2 * pad))\" role=\"img\" aria-label=\"\(Markup.escape(title))\">"
        svg += "<rect x=\"\(pad)\" y=\"\(pad)\" width=\"\(size)\" height=\"\(size)\" fill=\"none\" stroke=\"#999\"/>"
        svg += "<line x1=\"\(pad)\" y1=\"\(pad + size)\" x2=\"\(pad + size)\" y2=\"\(pad)\" stroke=\"#bbb\" stroke-dasharray=\"4 3\"/>"
        let step = size / Double(bins)
        for y in 0..<bins {
            for x in 0..<bins where cells[y * bins + x] > 0 {
                let r = (step / 2) * (cells[y * bins + x] / maxCell).squareRoot() + 0.6
                let cx = pad + (Double(x) + 0.5) * step, cy = pad + size - (Double(y) + 0.5) * step
                svg += "<circle cx=\"\(Markup.coordinate(cx))\" cy=\"\(Markup.coordinate(cy))\" r=\"\(Markup.coordinate(r))\" fill=\"#1b9e77\" fill-opacity=\"0.7\"/>"
            }
        }
        for v in [0.0, 0.5, 1.0] {
            svg += "<text x=\"\(Markup.coordinate(pad + v * size))\" y=\"\(Markup.coordinate(pad + size + 16))\" font-size=\"11\" text-anchor=\"middle\">\(Int(v * 100))%</text>"
            svg += "<text x=\"\(Markup.coordinate(pad - 6))\" y=\"\(Markup.coordinate(pad + size - v * size + 4))\" font-size=\"11\" text-anchor=\"end\">\(Int(v * 100))%</text>"
        }
        svg += "<text x=\"\(pad + size / 2)\" y=\"\(pad + size + 32)\" font-size=\"12\" text-anchor=\"middle\">observed (postcode files)</text>"
        svg += "<text x=\"16\" y=\"\(pad + size / 2)\" font-size=\"12\" text-anchor=\"middle\" transform=\"rotate(-90 16 \(pad + size / 2))\">modelled</text>"
        svg += "</svg><figcaption>\(Markup.escape(title)); circle area ∝ households in the cell</figcaption></figure>"
        return svg
    }

    /// Writes the four files into `folder` and puts them in place.
    public static func write(_ c: CalibrationResult, into folder: OutputFolder, scenarioPath: String) throws {
        do {
            try folder.write(Data((json(c).rendered() + "\n").utf8), to: "calibration.json")
            try folder.write(Data(postcodesCSV(c).utf8), to: "postcodes.csv")
            try folder.write(Data(snippet(c, scenarioPath: scenarioPath).utf8), to: "calibrated.yaml")
            try folder.write(Data(page(c).utf8), to: "report.html")
        } catch {
            let failure = folder.failure(error)
            folder.abandon()
            throw failure
        }
        try folder.commit(verify: { dir in
            let data = try Data(contentsOf: URL(fileURLWithPath: dir + "/calibration.json"))
            _ = try JSONSerialization.jsonObject(with: data)
        }, digest: FileDigest.sha256(path:))
    }
}
