import Foundation
import Locking
import RunSummary
import OutputSafety
import Reports
import RunStore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a batch's variants as worker processes, `jobs` at a time, and records each in the
/// catalogue. Only this (the parent) process writes the catalogue.
///
/// Another process holding the catalogue's lock (a `sqlite3` session, a backup) does not stop
/// the batch: a write that waits longer than `catalogueBusyTimeout` is kept in memory, in
/// order, and retried on every turn of the loop and at the end for up to
/// `catalogueWaitLimit` seconds (docs/BATCH.md).
final class BatchRunner {
    /// Seconds one catalogue write waits for another process's lock before it is deferred.
    static let catalogueBusyTimeout: TimeInterval = 1
    /// Seconds the batch waits at its end for the lock, to record the deferred writes.
    static let catalogueWaitLimit: TimeInterval = 120
    /// Seconds between SIGTERM and SIGKILL for a variant past `--variant-timeout`.
    static let terminationGrace: TimeInterval = 5

    let variants: [BatchVariant]
    let catalogue: RunCatalogue
    let folder: URL
    let jobs: Int
    let variantTimeout: Double?
    let progress: BatchProgress
    /// Finished or failed runs whose result could not be recorded (the lock never freed).
    private(set) var unrecorded = 0

    private struct Running {
        let index: Int
        let started: Date
        /// When SIGTERM was sent for running past the time limit.
        var terminated: Date?
    }

    /// A catalogue write, kept until the catalogue's lock lets it through.
    private enum Record {
        case begin(index: Int, RunRecord)
        case finish(index: Int, RunSummary, Date)
        case fail(index: Int, message: String, exitCode: Int?, Date)
    }

    private var deferred: [Record] = []
    private var runIDs: [Int: Int64] = [:]

    let baselineCache: BaselineCache?

    init(variants: [BatchVariant], catalogue: RunCatalogue, folder: URL, jobs: Int, variantTimeout: Double? = nil,
         baselineCache: BaselineCache? = nil) {
        self.baselineCache = baselineCache
        self.variants = variants
        self.catalogue = catalogue
        self.folder = folder
        self.jobs = jobs
        self.variantTimeout = variantTimeout
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
                try record(.begin(index: i, RunRecord(
                    scenarioName: variant.name, safeName: variant.safeName, scenarioFile: variant.file,
                    scenarioHash: variant.scenarioHash, settingsJSON: variant.settingsJSON,
                    toolVersion: BBPlanVersion.current, outputDir: runFolder(variant).path, startedAt: Date())))
                progress.started(variant.safeName, note: reason.map { "rerun: \($0)" })
                do {
                    let child = try ChildProcess.spawn(executable: executable, name: name, arguments: [
                        "batch-worker", variant.file, "--variant", variant.safeName, "--out", runFolder(variant).path,
                        "--scenario-hash", variant.scenarioHash, "--parent-pid", String(getpid()),
                    ] + (baselineCache.map { ["--baseline-cache", $0.folder] } ?? []))
                    running[child.pid] = Running(index: i, started: Date())
                    DispatchQueue.global().async { events.push(child.pid, child.wait()) }
                } catch let failure as CommandFailure {
                    try record(.fail(index: i, message: failure.message, exitCode: nil, Date()))
                    outcomes[i] = .failed(failure.message)
                    progress.ended(variant.safeName, .failed(failure.message), seconds: nil)
                }
            }
            for (pid, outcome) in events.wait(timeout: progress.interactive ? 0.25 : 1) {
                guard let r = running.removeValue(forKey: pid) else { continue }
                outcomes[r.index] = try ended(r, outcome)
            }
            enforceTimeLimit(&running)
            if !deferred.isEmpty { try flush() }
            progress.redraw()
        }
        try finishDeferred()
        progress.finish()
        return outcomes.map { $0 ?? .failed("not run") }
    }

    /// Stops workers past `--variant-timeout`: SIGTERM, then SIGKILL after the grace period.
    private func enforceTimeLimit(_ running: inout [pid_t: Running]) {
        guard let limit = variantTimeout else { return }
        let now = Date()
        for (pid, r) in running {
            if let terminated = r.terminated {
                if now.timeIntervalSince(terminated) > Self.terminationGrace { kill(pid, SIGKILL) }
            } else if now.timeIntervalSince(r.started) > limit {
                kill(pid, SIGTERM)
                running[pid]?.terminated = now
            }
        }
    }

    /// Records a worker's end in the catalogue (one transaction) and shows it.
    private func ended(_ r: Running, _ outcome: ChildProcess.Outcome) throws -> BatchOutcome {
        let variant = variants[r.index]
        let seconds = Date().timeIntervalSince(r.started)
        let message: String
        let exitCode: Int
        switch outcome.termination {
        case .exited(0) where r.terminated == nil:
            do {
                let summary = try RunSummary.load(runFolder: runFolder(variant))
                try record(.finish(index: r.index, summary, Date()))
                progress.ended(variant.safeName, .finished, seconds: seconds)
                return .finished
            } catch let error as RunSummary.LoadError {
                message = error.description
                exitCode = 0
            }
        case .exited(let code):
            message = r.terminated != nil ? Self.timedOut(variantTimeout)
                : Self.lastLine(outcome.stderr) ?? "the worker exited with code \(code)"
            exitCode = Int(code)
        case .signalled(let signal):
            message = r.terminated != nil ? Self.timedOut(variantTimeout)
                : "killed by signal \(signal)" + (Self.lastLine(outcome.stderr).map { ": \($0)" } ?? "")
            exitCode = 128 + Int(signal)
        }
        // A worker that was stopped leaves its temporary folder: put its folder back in order.
        if case .signalled = outcome.termination {
            let path = runFolder(variant).path
            Pipeline.note(OutputFolder.recover(OutputLocation(display: path, real: OutputLocation.real(path))))
        }
        try record(.fail(index: r.index, message: message, exitCode: exitCode, Date()))
        progress.ended(variant.safeName, .failed(message), seconds: seconds)
        return .failed(message)
    }

    static func timedOut(_ limit: Double?) -> String {
        guard let limit else { return "timed out" }
        let seconds = limit == limit.rounded() && limit < 1e15 ? String(Int64(limit)) : String(limit)
        return "timed out after \(seconds) s"
    }

    // MARK: - Catalogue writes that wait for the lock

    /// Makes a catalogue write now, or keeps it (after the ones already kept) while another
    /// process holds the lock.
    private func record(_ record: Record) throws {
        deferred.append(record)
        try flush()
    }

    /// Makes the kept writes, in order, until the lock stops one; says so when that starts
    /// and when it ends.
    private func flush() throws {
        let waiting = deferred.count
        while let next = deferred.first {
            do {
                try apply(next)
            } catch CatalogueError.locked {
                if !lockNoted {
                    lockNoted = true
                    progress.note("catalogue \(catalogue.path) is locked by another process; "
                                  + "results are kept and recorded when it is free")
                }
                return
            }
            deferred.removeFirst()
        }
        if lockNoted {
            lockNoted = false
            progress.note("catalogue free again: recorded \(waiting) kept result\(waiting == 1 ? "" : "s")")
        }
    }

    private var lockNoted = false

    private func apply(_ record: Record) throws {
        switch record {
        case .begin(let index, let row):
            runIDs[index] = try catalogue.beginRun(row).id
        case .finish(let index, let summary, let date):
            guard let id = runIDs[index] else { return }
            try catalogue.finishRun(id: id, summary: summary, finishedAt: date)
        case .fail(let index, let message, let exitCode, let date):
            guard let id = runIDs[index] else { return }
            try catalogue.failRun(id: id, error: message, exitCode: exitCode, finishedAt: date)
        }
    }

    /// At the end: waits up to `catalogueWaitLimit` for the lock to record what was kept;
    /// what still cannot be recorded is counted in `unrecorded`.
    private func finishDeferred() throws {
        let deadline = Date().addingTimeInterval(Self.catalogueWaitLimit)
        while !deferred.isEmpty && Date() < deadline {
            try flush()
            if !deferred.isEmpty { usleep(200_000) }
        }
        unrecorded = deferred.filter { if case .begin = $0 { return false } else { return true } }.count
    }

    /// Runs `body` (opening the catalogue, a write before any variant runs), waiting up to
    /// `catalogueWaitLimit` for another process's lock.
    @discardableResult
    static func waitForCatalogue<T>(_ body: () throws -> T) throws -> T {
        let deadline = Date().addingTimeInterval(catalogueWaitLimit)
        while true {
            do {
                return try body()
            } catch CatalogueError.locked where Date() < deadline {
                usleep(200_000)
            }
        }
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
final class CompletionQueue: Sendable {
    private let signal = DispatchSemaphore(value: 0)
    private let items = LockedBox<[(pid_t, ChildProcess.Outcome)]>([])

    func push(_ pid: pid_t, _ outcome: ChildProcess.Outcome) {
        items.withLock { $0.append((pid, outcome)) }
        signal.signal()
    }

    /// Everything completed so far, waiting up to `timeout` seconds for the first.
    func wait(timeout: Double) -> [(pid_t, ChildProcess.Outcome)] {
        _ = signal.wait(timeout: .now() + timeout)
        return items.withLock { items in
            defer { items.removeAll() }
            return items
        }
    }
}
