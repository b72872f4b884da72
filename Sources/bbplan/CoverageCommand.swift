import ArgumentParser
import Batch
import Foundation
import GeoIO
import OutputSafety
import Reports
import Scenario

/// `bbplan coverage SCENARIO.yaml`: the baseline only.
struct CoverageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coverage",
        abstract: "Classify every premises and build coverage and gap polygons per authority.",
        discussion: """
            Writes summary.json, authorities.csv, gap_clusters.csv, coverage.gpkg and GeoJSON
            layers (WGS 84) into the output folder (outputs.dir in the scenario, or --out), replacing it only
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
            layer, years.csv and build_areas.csv (and with rollout.lots the lots layer and
            lots.csv). A scenario with a sweep is run with `bbplan batch`.
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

    @Flag(help: "Let outputs.dir leave the scenario's folder (an absolute path or '..' above it).")
    var allowOutside = false

    /// Runs the scenario, writes its outputs and prints the summary table.
    func execute(_ mode: Pipeline.Mode) throws {
        let s = try Pipeline.single(scenario)
        let (result, dir) = try Pipeline.execute(s, mode: mode, outputOverride: out, allowOutside: allowOutside,
                                                 progress: Progress())
        print(TerminalSummary.text(result, outputDirectory: dir))
    }
}

/// `bbplan validate SCENARIO.yaml`: check a scenario and its data without running it.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a scenario and its data without running it.",
        discussion: """
            Reads every input (so bad files are found), expands extends and sweep, checks the output folder as bbplan run would, writable included (without writing anything), and prints what it found.
            """)

    @Argument(help: "The scenario file (YAML).")
    var scenario: String

    @Option(help: "Check this output folder instead of outputs.dir.")
    var out: String?

    @Flag(help: "Let outputs.dir leave the scenario's folder (an absolute path or '..' above it).")
    var allowOutside = false

    func run() throws {
        let base = try ScenarioFile.load(path: scenario)
        let variants = try ScenarioFile.expand(base)
        let output = try RunOutput.location(for: variants[0], override: out, allowOutside: allowOutside)
        try OutputFolder.checkWritable(output)
        let progress = Progress()
        let inputs = try InputLoader.load(variants[0], progress: progress.step)
        progress.step("locating premises")
        let unplanned = try CoverageAnalysis.locatePremises(variants[0], inputs: inputs)
        // Variants read the same authorities unless a sweep changes them.
        for v in variants where v.authorities == variants[0].authorities {
            if let rollout = v.rollout {
                try Simulator.checkAuthorityOrder(rollout, scenario: v, inputs: inputs)
                _ = try Simulator.partners(rollout, scenario: v, inputs: inputs)
            }
        }
        progress.finish()
        let points = base.premises.kind.noun
        let read = inputs.observed == nil ? inputs.premises.count : inputs.pointCount
        let households = inputs.premises.households.reduce(0, +)
        print("\(base.name.printable): valid")
        print("  authorities: \(inputs.selected.count) planned of \(inputs.authorities.count) in the source")
        print("  premises: \(read) \(points.form(for: read)), \(CSVWriter.number(households.rounded())) \(Noun.household.form(for: households))")
        if unplanned.unassignedPremises > 0 {
            let n = unplanned.unassignedPremises, h = unplanned.unassignedHouseholds
            print("  outside every authority: \(n) \(points.form(for: n)) (\(CSVWriter.number(h.rounded())) \(Noun.household.form(for: h)))")
        }
        if unplanned.excludedPremises > 0 {
            let n = unplanned.excludedPremises, h = unplanned.excludedHouseholds
            print("  in authorities not planned: \(n) \(points.form(for: n)) (\(CSVWriter.number(h.rounded())) \(Noun.household.form(for: h)))")
        }
        for (spec, network) in zip(variants[0].networks, inputs.networks) {
            print("  network \(spec.name.printable) (\(spec.operatorName.printable), \(spec.technology.rawValue)): \(Noun.feature.counted(network.assetCount))")
        }
        for m in inputs.observed?.matches ?? [] {
            print("  observed \(m.type) (\(m.use)): \(Noun("file").counted(m.files.count)), \(Noun("row").counted(m.rows)), \(m.matchedRows) matched by premises; \(Noun("premises point", plural: "premises points").counted(m.premisesNotInSource)) not in it, \(m.premisesWithoutKey) without a key")
        }
        if let la = inputs.observedData?.authorities {
            print("  observed ofcom_laua (check): \(Noun("authority", plural: "authorities").counted(la.count))")
        }
        if !inputs.repairs.isEmpty { print("  repaired: \(Noun("invalid polygon").counted(inputs.repairs.count))") }
        if let overlaps = TerminalSummary.overlapNote(inputs) { print("  \(overlaps)") }
        if variants.count > 1 {
            print("  sweep: \(Noun.variant.counted(variants.count))")
            for v in variants { print("    \(v.safeName)") }
        }
        var seen: Set<String> = []
        for w in variants.flatMap(\.warnings) + BatchPlan.sameProgrammeWarnings(variants) where seen.insert(w).inserted {
            print("  warning: \(w.printable)")
        }
        for line in Self.outputLines(base, run: output.display, override: out != nil) { print(line) }
    }

    /// Where each command would write: `run` and `coverage` use outputs.dir (or --out), a batch
    /// always uses its own folder, so both are stated; a scenario with a sweep runs only in a
    /// batch.
    static func outputLines(_ base: Scenario, run: String, override: Bool) -> [String] {
        let batch = "DIR being the batch's --out (default \(BatchSession.defaultFolder))"
            + (base.outputs.dir == nil ? "" : "; a batch does not use outputs.dir")
        guard base.sweep.isEmpty else {
            return ["  outputs: bbplan batch writes each variant to DIR/<its name above>, \(batch)"]
        }
        let origin = override ? "--out"
            : base.outputs.dir == nil ? "the default, out/<name> in the current folder" : "outputs.dir; --out overrides it"
        return [
            "  outputs: bbplan run and coverage write to \(run.printable) (\(origin))",
            "           bbplan batch writes to DIR/\(base.safeName), \(batch)",
        ]
    }
}
