import ArgumentParser
import Batch
import Foundation
import OutputSafety
import Reports
import Scenario

/// `bbplan calibrate SCENARIO.yaml [--out DIR]`: compares the model with Ofcom's postcode
/// shares and fits the FTTC curve scale and route factor (docs/MODEL.md, "Calibration").
struct CalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Fit the FTTC speed model to observed postcode shares and compare the model with them.",
        discussion: """
            The scenario needs an observed source of type ofcom_postcode. Writes calibration.json, postcodes.csv, \
            calibrated.yaml (a scenario extending this one with the fitted model) and report.html to --out \
            (default out/<scenario name>-calibration).
            """)

    @Argument(help: "The scenario file (YAML).")
    var scenario: String

    @Option(help: "The output folder (default out/<file-safe scenario name>-calibration).")
    var out: String?

    func run() throws {
        let s = try Pipeline.single(scenario)
        let location = try RunOutput.location(for: s, override: out ?? "out/\(s.safeName)-calibration")
        let (folder, notes) = try OutputFolder.begin(location, toolVersion: BBPlanVersion.current)
        defer { folder.abandon() }
        Pipeline.note(notes)
        let progress = Progress()
        let inputs = try InputLoader.load(s, progress: progress.step)
        progress.step("fitting the FTTC model")
        let result = try Calibration.run(s, inputs: inputs)
        progress.step("writing outputs")
        // The snippet names the scenario by its absolute path: it may be saved anywhere.
        try CalibrationReport.write(result, into: folder, scenarioPath: s.file)
        progress.finish()
        print("\(s.name): route factor \(String(format: "%.3f", result.before.routeFactor)) -> \(String(format: "%.3f", result.fitted.routeFactor)), FTTC curve x \(String(format: "%.3f", result.fitted.scale))")
        print("RMSE of postcode shares (pp): fitting half \(String(format: "%.2f", result.fitRMSEBefore)) -> \(String(format: "%.2f", result.fitRMSEAfter)), held-out half \(String(format: "%.2f", result.heldOutRMSEBefore)) -> \(String(format: "%.2f", result.heldOutRMSEAfter))")
        if !result.atSearchBound.isEmpty { print("note: at the edge of the search range: \(result.atSearchBound.joined(separator: ", "))") }
        print("outputs: \(location.display)")
    }
}
