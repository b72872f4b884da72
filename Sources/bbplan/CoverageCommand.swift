import ArgumentParser
import Foundation
import GeoIO
import Reports
import Scenario

/// `bbplan coverage SCENARIO.yaml`: the baseline only.
struct CoverageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coverage",
        abstract: "Classify every premises and build coverage and gap polygons per authority.",
        discussion: """
            Writes summary.json, authorities.csv, coverage.gpkg and GeoJSON layers (WGS 84)
            into the output folder (outputs.dir in the scenario, or --out), replacing it only
            when everything is written.
            """)

    @OptionGroup var options: ScenarioRunOptions

    func run() throws { try options.execute(.coverage) }
}

/// `bbplan run SCENARIO.yaml`: baseline, rollout and every output.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a rollout scenario: baseline, build areas, costs, years, after state.",
        discussion: """
            Writes everything `coverage` writes, with before and after, plus the build_areas
            layer, years.csv and build_areas.csv. A scenario with a sweep is run with
            `bbplan batch`.
            """)

    @OptionGroup var options: ScenarioRunOptions

    func run() throws { try options.execute(.run) }
}

/// The arguments `coverage` and `run` share, and what they do with them.
struct ScenarioRunOptions: ParsableArguments {
    @Argument(help: "The scenario file (YAML).")
    var scenario: String

    @Option(help: "Output folder (overrides outputs.dir).")
    var out: String?

    /// Runs the scenario, writes its outputs and prints the summary table.
    func execute(_ mode: Pipeline.Mode) throws {
        let s = try Pipeline.single(scenario)
        let (result, dir) = try Pipeline.execute(s, mode: mode, outputOverride: out, progress: Progress())
        print(TerminalSummary.text(result, outputDirectory: dir))
    }
}

/// `bbplan validate SCENARIO.yaml`: check a scenario and its data without running it.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a scenario and its data without running it.",
        discussion: "Reads every input (so bad files are found), expands extends and sweep, and prints what it found.")

    @Argument(help: "The scenario file (YAML).")
    var scenario: String

    func run() throws {
        let base = try ScenarioFile.load(path: scenario)
        let variants = try ScenarioFile.expand(base)
        let progress = Progress()
        let inputs = try InputLoader.load(variants[0], progress: progress.step)
        progress.step("locating premises")
        let unplanned = try CoverageAnalysis.locatePremises(variants[0], inputs: inputs)
        progress.finish()
        print("\(base.name.printable): valid")
        print("  authorities: \(inputs.selected.count) planned of \(inputs.authorities.count) in the source")
        print("  premises: \(inputs.premises.count) points, \(CSVWriter.number(inputs.premises.households.reduce(0, +).rounded())) households")
        if unplanned.unassignedPremises > 0 {
            print("  premises outside every authority: \(unplanned.unassignedPremises) (\(CSVWriter.number(unplanned.unassignedHouseholds.rounded())) households)")
        }
        if unplanned.excludedPremises > 0 {
            print("  premises in authorities not planned: \(unplanned.excludedPremises)")
        }
        for (spec, network) in zip(variants[0].networks, inputs.networks) {
            print("  network \(spec.name.printable) (\(spec.operatorName.printable), \(spec.technology.rawValue)): \(network.assetCount) features")
        }
        if !inputs.repairs.isEmpty { print("  repaired polygons: \(inputs.repairs.count)") }
        if let overlaps = TerminalSummary.overlapNote(inputs) { print("  \(overlaps)") }
        if variants.count > 1 {
            print("  sweep: \(variants.count) variants")
            for v in variants { print("    \(v.safeName)") }
        }
        print("  outputs: \(variants[0].outputDirectory().printable)")
    }
}
