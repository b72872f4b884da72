import Foundation

/// Paths and helpers shared by the test targets.
public enum TestPaths {
    /// The repository root (found from this file's location).
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static func repo(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    /// The shared national data, or nil when absent (tests that need it are skipped):
    /// `../shared/data` from the repository, or the folder in BBPLAN_SHARED_DATA (as for the
    /// benchmarks), for checkouts that are not beside it (git worktrees).
    public static let shared: String? = {
        let path = ProcessInfo.processInfo.environment["BBPLAN_SHARED_DATA"]
            ?? root.deletingLastPathComponent().appendingPathComponent("shared/data").path
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }()

    public static func fixture(_ name: String) -> String { repo("Tests/Fixtures/\(name)") }

    /// A fresh empty folder under BBPLAN_TEST_TMP when set (scripts/test sets it, then
    /// validates every run output the tests wrote there), else the system's temporary folder.
    public static func temporaryDirectory(_ label: String = "bbplan-test") -> URL {
        let base = ProcessInfo.processInfo.environment["BBPLAN_TEST_TMP"].map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory
        let url = base.appendingPathComponent("\(label)-\(UUID().uuidString.prefix(8))")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// Reads a simple CSV (no quoted commas) into rows of named fields.
public func readSimpleCSV(_ path: String) throws -> [[String: String]] {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    var lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    guard !lines.isEmpty else { return [] }
    let header = lines.removeFirst().split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    return lines.map { line in
        let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        return Dictionary(uniqueKeysWithValues: zip(header, fields))
    }
}

/// Runs a command-line tool and returns its exit status and its standard output and error
/// together, or nil when the tool is not installed.
public func runTool(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String)? {
    guard FileManager.default.isExecutableFile(atPath: executable) else { return nil }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// Runs the built bbplan executable and captures its exit code and output.
public struct CommandResult: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String
}

/// The environment bbplan's tests run their processes with.
public enum TestEnvironment {
    /// Scheduler variables that make `bbplan batch` run one shard (docs/BATCH.md, "Shards";
    /// the same list as `BatchShard.environmentKeys`, checked by a test). Tests run under a
    /// Slurm job or in a Kubernetes pod must not be sharded by accident: `BBPlanBinary.run`
    /// removes them (a test sets them explicitly through `environment:`).
    public static let schedulerKeys = [
        "SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT", "SLURM_ARRAY_TASK_MIN", "SLURM_ARRAY_TASK_STEP",
        "JOB_COMPLETION_INDEX", "AWS_BATCH_JOB_ARRAY_INDEX", "AWS_BATCH_JOB_ARRAY_SIZE",
        "CLOUD_RUN_TASK_INDEX", "CLOUD_RUN_TASK_COUNT",
    ]

    /// This process's environment without the scheduler variables.
    public static var unsharded: [String: String] {
        var env = ProcessInfo.processInfo.environment
        for key in schedulerKeys { env.removeValue(forKey: key) }
        return env
    }
}

public enum BBPlanBinary {
    /// `.build/debug/bbplan` (or the folder in BBPLAN_BIN).
    public static var path: String {
        if let bin = ProcessInfo.processInfo.environment["BBPLAN_BIN"] { return bin }
        return TestPaths.repo(".build/debug/bbplan")
    }

    /// - Parameter timeoutSeconds: when set, the process is killed (SIGKILL) after this long,
    ///   so a test of something that used to hang fails instead of blocking the run.
    public static func run(_ arguments: [String], in directory: String? = nil, environment: [String: String] = [:],
                           timeoutSeconds: Double? = nil) throws -> CommandResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        var env = TestEnvironment.unsharded
        env["SWIFT_BACKTRACE"] = "enable=no"
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let pid = process.processIdentifier
        let killer = DispatchWorkItem { kill(pid, SIGKILL) }
        if let timeoutSeconds { DispatchQueue.global().asyncAfter(deadline: .now() + timeoutSeconds, execute: killer) }
        defer { killer.cancel() }
        // Drain both pipes concurrently so a chatty process cannot block on a full pipe.
        let group = DispatchGroup()
        nonisolated(unsafe) var errData = Data()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return CommandResult(
            status: process.terminationStatus,
            stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }
}
