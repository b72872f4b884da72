import ArgumentParser
import Foundation
import Scenario
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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

    func run() throws {
        if let parentPid { ParentWatch.start(parent: parentPid) }
        let variants = try ScenarioFile.variants(path: scenario)
        guard let chosen = variants.first(where: { $0.safeName == variant }) else {
            throw CommandFailure(message: "\(scenario): no variant named '\(variant)' (the file changed during the batch?)", code: 2)
        }
        if let scenarioHash {
            let current = try BatchVariant(chosen, file: chosen.file).scenarioHash
            guard current == scenarioHash else {
                throw CommandFailure(message: "\(scenario): the scenario changed after the batch started; run the batch again", code: 2)
            }
        }
        let mode: Pipeline.Mode = chosen.rollout == nil ? .coverage : .run
        try Pipeline.execute(chosen, mode: mode, outputOverride: out, progress: Progress(enabled: false))
    }
}

/// Ends a worker whose batch has gone (killed, say), so no orphan keeps computing and
/// writing into the batch folder.
enum ParentWatch {
    static func start(parent: pid_t) {
        if getppid() != parent { _exit(3) }
        Thread.detachNewThread {
            while true {
                usleep(200_000)
                if getppid() != parent { _exit(3) }
            }
        }
    }
}
