import Foundation
import Reports
import RunStore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a batch's variants as worker processes, `jobs` at a time, and records each in the
/// catalogue. Only this (the parent) process writes the catalogue.
final class BatchRunner {
    let variants: [BatchVariant]
    let catalogue: RunCatalogue
    let folder: URL
    let jobs: Int
    let progress: BatchProgress

    private struct Running {
        let index: Int
        let runID: Int64
        let started: Date
    }

    init(variants: [BatchVariant], catalogue: RunCatalogue, folder: URL, jobs: Int) {
        self.variants = variants
        self.catalogue = catalogue
        self.folder = folder
        self.jobs = jobs
        progress = BatchProgress(total: variants.count, longestName: variants.map(\.safeName.count).max() ?? 0)
    }

    /// Runs what needs running; returns each variant's outcome, in order.
    func run() throws -> [BatchOutcome] {
        var outcomes = [BatchOutcome?](repeating: nil, count: variants.count)
        var pending: [(index: Int, reason: String?)] = []
        let digests = InputDigests()
        for (i, variant) in variants.enumerated() {
            switch try BatchResume.decide(variant, catalogue: catalogue, folder: runFolder(variant), digests: digests) {
            case .skip(let row):
                outcomes[i] = .skipped
                let when = row.finishedAt.map { " at \(BatchReport.timestamp($0))" } ?? ""
                progress.ended(variant.safeName, .skipped, detail: "finished earlier\(when); settings and inputs unchanged", seconds: nil)
            case .run(let reason):
                pending.append((i, reason))
            }
        }

        let events = CompletionQueue()
        let (executable, name) = Self.executable()
        var running: [pid_t: Running] = [:]
        while !pending.isEmpty || !running.isEmpty {
            while running.count < jobs, !pending.isEmpty {
                let (i, reason) = pending.removeFirst()
                let variant = variants[i]
                let row = try catalogue.beginRun(RunRecord(
                    scenarioName: variant.name, safeName: variant.safeName, scenarioFile: variant.file,
                    scenarioHash: variant.scenarioHash, settingsJSON: variant.settingsJSON,
                    toolVersion: BBPlanVersion.current, outputDir: runFolder(variant).path, startedAt: Date()))
                guard let runID = row.id else { continue }
                progress.started(variant.safeName, note: reason.map { "rerun: \($0)" })
                do {
                    let child = try ChildProcess.spawn(executable: executable, name: name, arguments: [
                        "batch-worker", variant.file, "--variant", variant.safeName, "--out", runFolder(variant).path,
                        "--scenario-hash", variant.scenarioHash, "--parent-pid", String(getpid()),
                    ])
                    running[child.pid] = Running(index: i, runID: runID, started: Date())
                    DispatchQueue.global().async { events.push(child.pid, child.wait()) }
                } catch let failure as CommandFailure {
                    try catalogue.failRun(id: runID, error: failure.message, exitCode: nil, finishedAt: Date())
                    outcomes[i] = .failed(failure.message)
                    progress.ended(variant.safeName, .failed(failure.message), seconds: nil)
                }
            }
            for (pid, outcome) in events.wait(timeout: progress.interactive ? 0.25 : 2) {
                guard let r = running.removeValue(forKey: pid) else { continue }
                outcomes[r.index] = try record(r, outcome)
            }
            progress.redraw()
        }
        progress.finish()
        return outcomes.map { $0 ?? .failed("not run") }
    }

    /// Records a worker's end in the catalogue (one transaction) and shows it.
    private func record(_ r: Running, _ outcome: ChildProcess.Outcome) throws -> BatchOutcome {
        let variant = variants[r.index]
        let seconds = Date().timeIntervalSince(r.started)
        let message: String
        let exitCode: Int
        switch outcome.termination {
        case .exited(0):
            do {
                let results = try RunResults.load(runFolder: runFolder(variant))
                try catalogue.finishRun(id: r.runID, results: results, finishedAt: Date())
                progress.ended(variant.safeName, .finished, seconds: seconds)
                return .finished
            } catch let error as BatchRunSummary.LoadError {
                message = error.description
                exitCode = 0
            } catch let failure as CommandFailure {
                message = failure.message
                exitCode = 0
            }
        case .exited(let code):
            message = Self.lastLine(outcome.stderr) ?? "the worker exited with code \(code)"
            exitCode = Int(code)
        case .signalled(let signal):
            message = "killed by signal \(signal)" + (Self.lastLine(outcome.stderr).map { ": \($0)" } ?? "")
            exitCode = 128 + Int(signal)
        }
        try catalogue.failRun(id: r.runID, error: message, exitCode: exitCode, finishedAt: Date())
        progress.ended(variant.safeName, .failed(message), seconds: seconds)
        return .failed(message)
    }

    func runFolder(_ variant: BatchVariant) -> URL {
        folder.appendingPathComponent(variant.safeName)
    }

    /// The line of a worker's stderr that says what went wrong: bbplan's own one-line error
    /// if there is one, else a Swift runtime error, else the last line.
    static func lastLine(_ stderr: String) -> String? {
        let lines = stderr.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let chosen = lines.last { $0.hasPrefix("bbplan: ") }.map { String($0.dropFirst("bbplan: ".count)) }
            ?? lines.last { $0.contains("Fatal error") } ?? lines.last
        return chosen.map { String($0.prefix(500)) }
    }

    /// This very executable (through /proc/self/exe on Linux, so a rebuild during the batch
    /// does not mix versions), and the name to show as its argv[0].
    static func executable() -> (path: String, name: String) {
        let name = Bundle.main.executablePath ?? CommandLine.arguments.first ?? "bbplan"
        if FileManager.default.fileExists(atPath: "/proc/self/exe") { return ("/proc/self/exe", name) }
        return (name, name)
    }
}

/// Worker completions, handed from the threads that wait for workers to the main loop.
final class CompletionQueue: @unchecked Sendable {
    private let lock = NSLock()
    private let signal = DispatchSemaphore(value: 0)
    private var items: [(pid_t, ChildProcess.Outcome)] = []

    func push(_ pid: pid_t, _ outcome: ChildProcess.Outcome) {
        lock.lock()
        items.append((pid, outcome))
        lock.unlock()
        signal.signal()
    }

    /// Everything completed so far, waiting up to `timeout` seconds for the first.
    func wait(timeout: Double) -> [(pid_t, ChildProcess.Outcome)] {
        _ = signal.wait(timeout: .now() + timeout)
        lock.lock()
        defer { lock.unlock() }
        let drained = items
        items.removeAll()
        return drained
    }
}
