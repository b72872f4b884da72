import Dispatch
import Foundation

/// Work spread over threads, results in order: bbplan's one scheduler. `Coverage.Parallel`
/// adds the GEOS clone rule on top of it; GeoIO's writers and `ParallelJobs` use it directly.
/// Each chunk or item runs on one thread from start to end, so per-thread resources (a GEOS
/// context, a PROJ transform, a prepared geometry) stay with their thread.
public enum ParallelWork {
    /// BBPLAN_THREADS when set to a positive whole number, else the active cores
    /// (README.md, "Environment variables").
    public static var defaultThreads: Int {
        if let text = ProcessInfo.processInfo.environment["BBPLAN_THREADS"], let n = Int(text), n > 0 { return n }
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
    }

    /// Splits 0..<count into contiguous chunks (at least `minimumChunk` long, about four per
    /// thread) and calls `body` for each on up to `threads` threads; returns the chunks'
    /// results in order. The first error (by chunk order) is thrown, after every chunk ended.
    public static func chunks<T>(
        count: Int, threads: Int = defaultThreads, minimumChunk: Int, _ body: @Sendable (Range<Int>) throws -> T
    ) throws -> [T] {
        if count == 0 { return [] }
        let chunkCount = max(1, min(max(1, threads) * 4, (count + minimumChunk - 1) / minimumChunk))
        let size = (count + chunkCount - 1) / chunkCount
        let ranges = (0..<chunkCount).map { i in min(count, i * size)..<min(count, (i + 1) * size) }.filter { !$0.isEmpty }
        return try map(ranges, threads: threads, body)
    }

    /// Calls `body` for every item on up to `threads` threads, returning results in item
    /// order. A shared counter hands out items in order, so big items early do not leave one
    /// thread idle at the end. The first error (by item order) is thrown.
    public static func map<Item: Sendable, T>(
        _ items: [Item], threads: Int = defaultThreads, _ body: @Sendable (Item) throws -> T
    ) throws -> [T] {
        if items.isEmpty { return [] }
        let results = LockedBox([Result<T, Error>?](repeating: nil, count: items.count))
        if threads <= 1 || items.count == 1 {
            for (i, item) in items.enumerated() {
                let result = Result { try body(item) }
                results.withLock { $0[i] = result }
            }
        } else {
            let next = LockedBox(0)
            DispatchQueue.concurrentPerform(iterations: min(threads, items.count)) { _ in
                while true {
                    let i = next.withLock { n in defer { n += 1 }; return n }
                    if i >= items.count { break }
                    let result = Result { try body(items[i]) }
                    results.withLock { $0[i] = result }
                }
            }
        }
        return try results.current.map { slot in
            guard let slot else { preconditionFailure("a parallel item produced no result") }
            return try slot.get()
        }
    }
}
