import Foundation

/// Which slice of a batch's variants this process runs: shard `index` of `count` (0-based),
/// the variants at positions p (in the batch's stable order) with p % count == index.
///
/// From `--shard I/N`, or, with no flag, from the standard variables of the scheduler that
/// started the process (docs/BATCH.md, "Shards"):
///
/// | scheduler | index | count |
/// |---|---|---|
/// | Slurm job array | `SLURM_ARRAY_TASK_ID` (less `SLURM_ARRAY_TASK_MIN`, divided by `SLURM_ARRAY_TASK_STEP`) | `SLURM_ARRAY_TASK_COUNT` or `--shard-count` |
/// | Kubernetes Indexed Job | `JOB_COMPLETION_INDEX` | `--shard-count` (the Job's `completions`) |
/// | AWS Batch array job | `AWS_BATCH_JOB_ARRAY_INDEX` | `AWS_BATCH_JOB_ARRAY_SIZE` or `--shard-count` |
/// | Cloud Run job | `CLOUD_RUN_TASK_INDEX` | `CLOUD_RUN_TASK_COUNT` |
///
/// The flag wins over the variables. Anything inconsistent (an index outside 0..<count, two
/// schedulers' variables at once, a `--shard-count` that disagrees) is bad input: a one-line
/// error, exit 2, before anything runs.
public struct BatchShard: Sendable, Equatable, CustomStringConvertible {
    public let index: Int
    public let count: Int
    /// Where it came from, for messages: `--shard`, or the variables read.
    public let source: String

    public var description: String { "\(index)/\(count)" }

    public init(index: Int, count: Int, source: String) {
        self.index = index
        self.count = count
        self.source = source
    }

    /// Every scheduler variable bbplan reads (the test runner removes them, so tests are
    /// never sharded by the environment they happen to run in).
    public static let environmentKeys = [
        "SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT", "SLURM_ARRAY_TASK_MIN", "SLURM_ARRAY_TASK_STEP",
        "JOB_COMPLETION_INDEX", "AWS_BATCH_JOB_ARRAY_INDEX", "AWS_BATCH_JOB_ARRAY_SIZE",
        "CLOUD_RUN_TASK_INDEX", "CLOUD_RUN_TASK_COUNT",
    ]

    /// The variants of this shard, in their order.
    public func select<T>(_ items: [T]) -> [T] {
        items.enumerated().filter { $0.offset % count == index }.map(\.element)
    }

    /// The shard to run, or nil to run every variant.
    ///
    /// - Parameters:
    ///   - flag: `--shard I/N`, as typed.
    ///   - shardCount: `--shard-count N`.
    ///   - environment: the process's environment.
    public static func resolve(flag: String?, shardCount: Int?, environment: [String: String]) throws -> BatchShard? {
        if let shardCount, shardCount < 1 {
            throw failure("--shard-count must be at least 1, not \(shardCount)")
        }
        if let flag {
            let shard = try parse(flag)
            if let shardCount, shardCount != shard.count {
                throw failure("--shard \(flag) and --shard-count \(shardCount) disagree on the number of shards")
            }
            return shard
        }
        let found = try schedulers.compactMap { try $0(environment, shardCount) }
        if found.count > 1 {
            throw failure("the environment has the variables of more than one scheduler (\(found.map(\.source).joined(separator: "; "))); give --shard I/N")
        }
        guard let shard = found.first else {
            if shardCount != nil {
                throw failure("--shard-count needs a shard index: --shard I/N, or a scheduler's index variable (SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX, AWS_BATCH_JOB_ARRAY_INDEX, CLOUD_RUN_TASK_INDEX)")
            }
            return nil
        }
        return shard
    }

    /// `I/N`: 0 ≤ I < N.
    static func parse(_ text: String) throws -> BatchShard {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else {
            throw failure("--shard '\(text)': expected I/N, the shard's index (from 0) and the number of shards, e.g. 0/4")
        }
        return try checked(index: index, count: count, source: "--shard \(text)")
    }

    static func checked(index: Int, count: Int, source: String) throws -> BatchShard {
        guard count >= 1 else { throw failure("\(source): the number of shards must be at least 1, not \(count)") }
        guard index >= 0, index < count else {
            throw failure("\(source): shard index \(index) is outside 0 to \(count - 1) (\(count) shards)")
        }
        return BatchShard(index: index, count: count, source: source)
    }

    static func failure(_ message: String) -> CommandFailure {
        CommandFailure(message: message, code: 2)
    }

    /// An integer variable, or nil when unset; a value that is not a whole number is an error.
    static func integer(_ name: String, _ environment: [String: String]) throws -> Int? {
        guard let text = environment[name] else { return nil }
        guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
            throw failure("\(name)='\(text)' is not a whole number")
        }
        return value
    }

    /// The count from a variable and/or `--shard-count`, which must agree when both are set.
    static func count(_ variable: String?, _ environment: [String: String], shardCount: Int?, index: String) throws -> (Int, String) {
        let fromVariable = try variable.flatMap { try integer($0, environment) }
        switch (fromVariable, shardCount) {
        case (let v?, let c?) where v != c:
            throw failure("\(variable!)=\(v) and --shard-count \(c) disagree on the number of shards")
        case (let v?, _):
            return (v, "\(variable!)=\(v)")
        case (nil, let c?):
            return (c, "--shard-count \(c)")
        case (nil, nil):
            let which = variable.map { "\($0) is not set; give --shard-count" } ?? "give --shard-count"
            throw failure("\(index) is set but not the number of shards: \(which)")
        }
    }

    typealias Scheduler = @Sendable ([String: String], Int?) throws -> BatchShard?

    static let schedulers: [Scheduler] = [slurm, kubernetes, awsBatch, cloudRun]

    /// Slurm job arrays: task ids may start anywhere and step (`--array=1-7:2`), so the
    /// index is (ID − MIN) / STEP; Slurm sets MIN, STEP and COUNT for every array task.
    static func slurm(_ environment: [String: String], _ shardCount: Int?) throws -> BatchShard? {
        guard let id = try integer("SLURM_ARRAY_TASK_ID", environment) else { return nil }
        let min = try integer("SLURM_ARRAY_TASK_MIN", environment) ?? 0
        let step = try integer("SLURM_ARRAY_TASK_STEP", environment) ?? 1
        let (count, countSource) = try count("SLURM_ARRAY_TASK_COUNT", environment, shardCount: shardCount, index: "SLURM_ARRAY_TASK_ID")
        var source = "SLURM_ARRAY_TASK_ID=\(id)"
        if min != 0 { source += " SLURM_ARRAY_TASK_MIN=\(min)" }
        if step != 1 { source += " SLURM_ARRAY_TASK_STEP=\(step)" }
        source += " \(countSource)"
        guard step >= 1, id >= min, (id - min) % step == 0 else {
            throw failure("\(source): the task ids are not MIN, MIN+STEP, ...; give --shard I/N")
        }
        return try checked(index: (id - min) / step, count: count, source: source)
    }

    /// Kubernetes Indexed Jobs set only the index; the count is the Job's `completions`.
    static func kubernetes(_ environment: [String: String], _ shardCount: Int?) throws -> BatchShard? {
        guard let index = try integer("JOB_COMPLETION_INDEX", environment) else { return nil }
        let (count, countSource) = try count(nil, environment, shardCount: shardCount, index: "JOB_COMPLETION_INDEX")
        return try checked(index: index, count: count, source: "JOB_COMPLETION_INDEX=\(index) \(countSource)")
    }

    static func awsBatch(_ environment: [String: String], _ shardCount: Int?) throws -> BatchShard? {
        guard let index = try integer("AWS_BATCH_JOB_ARRAY_INDEX", environment) else { return nil }
        let (count, countSource) = try count("AWS_BATCH_JOB_ARRAY_SIZE", environment, shardCount: shardCount, index: "AWS_BATCH_JOB_ARRAY_INDEX")
        return try checked(index: index, count: count, source: "AWS_BATCH_JOB_ARRAY_INDEX=\(index) \(countSource)")
    }

    static func cloudRun(_ environment: [String: String], _ shardCount: Int?) throws -> BatchShard? {
        guard let index = try integer("CLOUD_RUN_TASK_INDEX", environment) else { return nil }
        let (count, countSource) = try count("CLOUD_RUN_TASK_COUNT", environment, shardCount: shardCount, index: "CLOUD_RUN_TASK_INDEX")
        return try checked(index: index, count: count, source: "CLOUD_RUN_TASK_INDEX=\(index) \(countSource)")
    }
}
