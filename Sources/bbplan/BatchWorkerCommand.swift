import ArgumentParser
import Batch

/// `bbplan batch-worker SCENARIO --variant SAFENAME --out DIR`: runs one variant of a
/// scenario file. `bbplan batch` starts one per variant as a child process; it is not meant
/// to be run by hand (hidden from help).
struct BatchWorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch-worker",
        abstract: "Run one variant of a scenario file (used by bbplan batch).",
        shouldDisplay: false)

    @Argument(help: "The scenario file (YAML).")
    var scenario: String

    @Option(help: "The variant's file-safe name.")
    var variant: String

    @Option(help: "Output folder.")
    var out: String

    @Option(help: "Refuse to run unless the variant's settings hash is this one.")
    var scenarioHash: String?

    @Option(help: "Exit when this process (the batch) is gone.")
    var parentPid: Int32?

    @Option(help: "The batch's shared baseline cache folder.")
    var baselineCache: String?

    func run() throws {
        try BatchWorker.run(scenarioFile: scenario, variant: variant, out: out, scenarioHash: scenarioHash, parentPID: parentPid,
                           baselineCache: baselineCache)
    }
}
