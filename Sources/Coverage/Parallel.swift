import Dispatch
import Foundation

/// Runs work over index ranges on all cores. Each chunk runs on one thread from start to end,
/// so per-thread resources (a GEOS context, a prepared geometry) stay with their thread.
public enum Parallel {
    /// Worker threads to use: the machine's active cores, or BBPLAN_THREADS when set.
    public static var threadCount: Int {
        if let text = ProcessInfo.processInfo.environment["BBPLAN_THREADS"], let n = Int(text), n > 0 { return n }
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
    }

    /// Splits 0..<count into contiguous chunks and calls `body` for each, concurrently.
    /// Returns the chunks' results in order.
    public static func chunks<T: Sendable>(
        count: Int, minimumChunk: Int = 4096, _ body: @Sendable (Range<Int>) throws -> T
    ) throws -> [T] {
        if count == 0 { return [] }
        let threads = threadCount
        let chunkCount = max(1, min(threads * 4, (count + minimumChunk - 1) / minimumChunk))
        let size = (count + chunkCount - 1) / chunkCount
        let ranges = (0..<chunkCount).map { i in (i * size)..<min(count, (i + 1) * size) }.filter { !$0.isEmpty }
        return try map(ranges, body)
    }

    /// Calls `body` for every item, concurrently, returning results in item order.
    public static func map<Item: Sendable, T: Sendable>(_ items: [Item], _ body: @Sendable (Item) throws -> T) throws -> [T] {
        if items.isEmpty { return [] }
        let results = ResultSlots<T>(count: items.count)
        if threadCount == 1 || items.count == 1 {
            for (i, item) in items.enumerated() { results.set(i, Result { try body(item) }) }
        } else {
            // A shared counter hands out items in order, so big items early do not leave one
            // thread idle at the end.
            let next = Counter()
            DispatchQueue.concurrentPerform(iterations: min(threadCount, items.count)) { _ in
                while true {
                    let i = next.take()
                    if i >= items.count { break }
                    results.set(i, Result { try body(items[i]) })
                }
            }
        }
        return try results.values()
    }
}

/// One result slot per item, written by exactly one thread each.
private final class ResultSlots<T>: @unchecked Sendable {
    private var slots: [Result<T, Error>?]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ i: Int, _ r: Result<T, Error>) {
        lock.lock()
        slots[i] = r
        lock.unlock()
    }

    func values() throws -> [T] {
        try slots.map { slot in
            guard let slot else { preconditionFailure("a parallel item produced no result") }
            return try slot.get()
        }
    }
}

private final class Counter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()

    func take() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value - 1
    }
}
