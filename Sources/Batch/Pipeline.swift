import Foundation
import Locking
import GeoIO
import OutputSafety
import Reports
import Scenario

/// The steps shared by `coverage`, `run` and the batch worker: load, baseline, optionally
/// simulate, write outputs into place.
public enum Pipeline {
    public enum Mode {
        case coverage
        case run
    }

    /// Runs one scenario (already expanded: no sweep) and writes its outputs. The output
    /// folder is checked and prepared first (refused locations, files bbplan did not write,
    /// writability), so nothing is computed for results that could not be written.
    @discardableResult
    public static func execute(_ scenario: Scenario, mode: Mode, outputOverride: String?, allowOutside: Bool = false,
                        progress: Progress) throws -> (RunResult, String) {
        let started = Date()
        if mode == .run && scenario.rollout == nil {
            throw ScenarioError(file: scenario.file, "the scenario has no rollout block; use bbplan coverage for the baseline only")
        }
        let location = try RunOutput.location(for: scenario, override: outputOverride, allowOutside: allowOutside)
        let (folder, notes) = try OutputFolder.begin(location, toolVersion: BBPlanVersion.current)
        defer { folder.abandon() }
        note(notes)
        let inputs = try InputLoader.load(scenario, progress: progress.step)
        let baseline = try CoverageAnalysis.run(scenario, inputs: inputs, progress: progress.step)
        let rollout = mode == .run ? try Simulator.run(scenario, inputs: inputs, baseline: baseline, progress: progress.step) : nil
        progress.step("writing outputs")
        let result = RunResult(scenario: scenario, inputs: inputs, baseline: baseline, rollout: rollout,
                               startedAt: started, finishedAt: Date(), toolVersion: BBPlanVersion.current)
        note(try RunWriter.write(result, into: folder))
        progress.finish()
        for text in result.warnings { FileHandle.standardError.write(Data("warning: \(text)\n".utf8)) }
        return (result, location.display)
    }

    /// Things the user should know that are not errors (previous results restored after a
    /// kill), one `note:` line each on stderr.
    public static func note(_ notes: [String]) {
        for text in notes { FileHandle.standardError.write(Data("note: \(text)\n".utf8)) }
    }

    /// Loads a scenario file for a single run, refusing sweeps (they are for `batch`).
    public static func single(_ path: String) throws -> Scenario {
        let scenario = try ScenarioFile.load(path: path)
        if !scenario.sweep.isEmpty {
            let count = try ScenarioFile.expand(scenario).count
            throw ScenarioError(file: scenario.file, line: scenario.sweep[0].line,
                                "the scenario sweeps \(Noun.variant.counted(count)); run them with bbplan batch \(path)")
        }
        return scenario
    }
}

/// Progress on a terminal: one line per step with the elapsed time, on stderr; silent when
/// stderr is not a terminal (logs, pipes, batch workers).
public final class Progress: Sendable {
    public let enabled: Bool
    public let start = Date()
    /// The step on the line now (steps may be reported from the loader's threads).
    private let current = LockedBox<String?>(nil)

    public init(enabled: Bool = isatty(STDERR_FILENO) == 1) { self.enabled = enabled }

    public func step(_ message: String) {
        guard enabled else { return }
        let elapsed = Date().timeIntervalSince(start)
        current.withLock { current in
            FileHandle.standardError.write(Data(String(format: "\r\u{1B}[K[%6.1fs] %@", elapsed, message).utf8))
            current = message
        }
    }

    public func finish() {
        guard enabled else { return }
        current.withLock { current in
            guard current != nil else { return }
            FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
            current = nil
        }
    }
}
