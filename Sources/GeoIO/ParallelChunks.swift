import Dispatch
import Foundation

/// Contiguous chunks of 0..<count run on several threads, results in order: the writers'
/// per-feature work (coordinate conversion, snapping to GeoJSON's grid). Each chunk runs on
/// one thread from start to end, so a chunk's PROJ transform and the thread's GEOS context
/// stay on their thread. (The same scheme as `Coverage.Parallel`, which GeoIO cannot import.)
enum ParallelChunks {
    /// BBPLAN_THREADS when set to a positive whole number, else the active cores
    /// (README.md, "Environment variables").
    static var defaultThreads: Int {
        if let text = ProcessInfo.processInfo.environment["BBPLAN_THREADS"], let n = Int(text), n > 0 { return n }
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
    }

    /// Calls `body` for chunks of 0..<count (at least `minimumChunk` long, about four per
    /// thread) on up to `threads` threads; returns the chunks' results in order. The first
    /// error (by chunk order) is thrown.
    static func map<T>(count: Int, threads: Int, minimumChunk: Int, _ body: @Sendable (Range<Int>) throws -> T) throws -> [T] {
        if count == 0 { return [] }
        let chunkCount = max(1, min(threads * 4, (count + minimumChunk - 1) / minimumChunk))
        let size = (count + chunkCount - 1) / chunkCount
        let ranges = (0..<chunkCount).map { i in min(count, i * size)..<min(count, (i + 1) * size) }.filter { !$0.isEmpty }
        if threads <= 1 || ranges.count == 1 { return try ranges.map(body) }
        let slots = Slots<T>(count: ranges.count)
        DispatchQueue.concurrentPerform(iterations: min(threads, ranges.count)) { _ in
            while let i = slots.next() {
                slots.set(i, Result { try body(ranges[i]) })
            }
        }
        return try slots.values()
    }
}

/// Results by chunk and the next chunk to hand out, behind one lock: every access to
/// `results` and `taken` holds `lock`, which is what makes sharing it between threads safe.
private final class Slots<T>: @unchecked Sendable {
    private var results: [Result<T, Error>?]
    private var taken = 0
    private let lock = NSLock()

    init(count: Int) { results = Array(repeating: nil, count: count) }

    func next() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard taken < results.count else { return nil }
        taken += 1
        return taken - 1
    }

    func set(_ i: Int, _ result: Result<T, Error>) {
        lock.lock()
        results[i] = result
        lock.unlock()
    }

    func values() throws -> [T] {
        lock.lock()
        defer { lock.unlock() }
        return try results.map { slot in
            guard let slot else { preconditionFailure("a chunk produced no result") }
            return try slot.get()
        }
    }
}

/// Independent jobs run at the same time (the vector files of a run's outputs, each written
/// by its own GDAL dataset: GDAL allows that from several threads). Throws the error of the
/// first job, in the order given, that failed, after every job has ended.
public enum ParallelJobs {
    public static func run(_ jobs: [@Sendable () throws -> Void], threads: Int? = nil) throws {
        let count = max(1, threads ?? ParallelChunks.defaultThreads)
        _ = try ParallelChunks.map(count: jobs.count, threads: count, minimumChunk: 1) { range in
            for i in range { try jobs[i]() }
        }
    }

    /// As `run`, and returns when each job started and ended (seconds on the uptime clock).
    public static func timed(_ jobs: [@Sendable () throws -> Void], threads: Int? = nil) throws -> [(start: Double, end: Double)] {
        let count = max(1, threads ?? ParallelChunks.defaultThreads)
        @Sendable func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
        return try ParallelChunks.map(count: jobs.count, threads: count, minimumChunk: 1) { range in
            try range.map { i -> (start: Double, end: Double) in
                let start = now()
                try jobs[i]()
                return (start, now())
            }
        }.flatMap { $0 }
    }
}
