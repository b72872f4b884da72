import Foundation
import Scenario
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One variant of a scenario file, run by a worker process that `bbplan batch` starts
/// (`bbplan batch-worker`).
public enum BatchWorker {
    /// Runs the variant `variant` (its file-safe name) of `scenarioFile` into `out`. With
    /// `scenarioHash`, refuses to run a variant whose settings changed since the batch
    /// started; with `parentPID`, exits when that process (the batch) is gone; with
    /// `baselineCache` (a folder), shares the baseline with the batch's other variants.
    public static func run(scenarioFile: String, variant: String, out: String, scenarioHash: String?, parentPID: Int32?,
                           baselineCache: String? = nil) throws {
        if let parentPID { ParentWatch.start(parent: parentPID) }
        let variants = try ScenarioFile.variants(path: scenarioFile)
        guard let chosen = variants.first(where: { $0.safeName == variant }) else {
            throw CommandFailure(message: "\(scenarioFile): no variant named '\(variant)' (the file changed during the batch?)", code: 2)
        }
        if let scenarioHash {
            let current = try BatchVariant(chosen, file: chosen.file).scenarioHash
            guard current == scenarioHash else {
                throw CommandFailure(message: "\(scenarioFile): the scenario changed after the batch started; run the batch again", code: 2)
            }
        }
        let mode: Pipeline.Mode = chosen.rollout == nil ? .coverage : .run
        try Pipeline.execute(chosen, mode: mode, outputOverride: out, progress: Progress(enabled: false), warnings: false,
                             baselineCache: baselineCache.map { BaselineCache(folder: $0) })
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
