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
    /// `warnings: false` for batch workers: the batch states the warnings once, and a
    /// worker's stderr is its error line.
    public static func execute(_ scenario: Scenario, mode: Mode, outputOverride: String?, allowOutside: Bool = false,
                        progress: Progress, warnings: Bool = true, baselineCache: BaselineCache? = nil) throws -> (RunResult, String) {
        let started = Date()
        if mode == .run && scenario.rollout == nil {
            throw ScenarioError(file: scenario.file, "the scenario has no rollout block; use bbplan coverage for the baseline only")
        }
        let location = try RunOutput.location(for: scenario, override: outputOverride, allowOutside: allowOutside)
        let (folder, notes) = try OutputFolder.begin(location, toolVersion: BBPlanVersion.current)
        defer { folder.abandon() }
        defer { progress.finish() }
        note(notes)
        if warnings { warn(scenario.warnings) }
        let inputs = try InputLoader.load(scenario, progress: progress.step)
        let baseline: BaselineResult
        if let baselineCache {
            // Shared by the batch's variants with the same baseline inputs and settings.
            baseline = try baselineCache.baseline(key: try BaselineCache.key(scenario, inputs: inputs)) {
                try CoverageAnalysis.run(scenario, inputs: inputs, progress: progress.step)
            }
        } else {
            baseline = try CoverageAnalysis.run(scenario, inputs: inputs, progress: progress.step)
        }
        let rollout = mode == .run ? try Simulator.run(scenario, inputs: inputs, baseline: baseline, progress: progress.step) : nil
        let result = RunResult(scenario: scenario, inputs: inputs, baseline: baseline, rollout: rollout,
                               startedAt: started, finishedAt: Date(), toolVersion: BBPlanVersion.current)
        let written = try RunWriter.write(result, into: folder, progress: progress.step)
        progress.finish()
        if warnings { warn(result.warnings) }
        note(written)
        return (result, location.display)
    }

    /// Things about the scenario that are probably not what the planner meant (a budget that
    /// can never bind), one `warning:` line each on stderr.
    public static func warn(_ warnings: [String]) {
        for text in warnings { FileHandle.standardError.write(Data("warning: \(text.printable)\n".utf8)) }
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

/// Progress of a run's steps on stderr. On a terminal: one line per step with the elapsed time,
/// rewritten in place. Elsewhere (a log, a pipe, cron), with `.linesAfter(seconds)`: one plain
/// line for each step still running after that many seconds, so a log shows what a long run
/// is doing without the short steps' noise, and a short run (or a failure before the first
/// long step) writes nothing but its result; `.silent` (batch workers) writes nothing.
public final class Progress: Sendable {
    public enum OffTerminal: Sendable {
        case silent
        case linesAfter(seconds: Double)
    }

    /// How long a step runs before a log line is written when stderr is not a terminal.
    public static let logAfterSeconds = 5.0

    public let enabled: Bool
    public let start = Date()
    private let terminal: Bool
    private let offTerminal: OffTerminal
    private let output: @Sendable (String) -> Void
    /// The step count and the step on the line now (steps may be reported from the
    /// loader's threads, and a delayed log line checks them later).
    private let state = LockedBox<(step: Int, current: String?)>((0, nil))

    /// - Parameters:
    ///   - terminal: whether stderr is a terminal (rewrite one line in place).
    ///   - offTerminal: what to do when it is not.
    ///   - output: where the text goes (stderr; tests capture it).
    public init(terminal: Bool = isatty(STDERR_FILENO) == 1,
                offTerminal: OffTerminal = .linesAfter(seconds: Progress.logAfterSeconds),
                output: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }) {
        self.terminal = terminal
        self.offTerminal = offTerminal
        self.output = output
        if terminal {
            enabled = true
        } else if case .linesAfter = offTerminal {
            enabled = true
        } else {
            enabled = false
        }
    }

    /// Silent unless on a terminal (the old behaviour, for `inspect` and batch workers).
    public convenience init(enabled: Bool) {
        self.init(terminal: enabled && isatty(STDERR_FILENO) == 1, offTerminal: .silent)
    }

    public func step(_ message: String) {
        let elapsed = Date().timeIntervalSince(start)
        let stamp = String(format: "[%6.1fs] ", elapsed)
        let step = state.withLock { state in
            state.step += 1
            state.current = message
            return state.step
        }
        if terminal {
            output("\r\u{1B}[K" + stamp + message)
        } else if case .linesAfter(let seconds) = offTerminal {
            DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { [state, output] in
                state.withLock { state in
                    // Still the same step: it has run `seconds`; say so once.
                    if state.step == step, state.current != nil { output(stamp + message + "\n") }
                }
            }
        }
    }

    public func finish() {
        let had = state.withLock { state in
            defer { state.current = nil; state.step += 1 }
            return state.current != nil
        }
        if terminal && had { output("\r\u{1B}[K") }
    }
}
