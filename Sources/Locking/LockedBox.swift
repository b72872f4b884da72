import Foundation

/// A value shared between threads, reached only through a lock: the one lock box of bbplan
/// (progress lines, parallel results, background digests, worker completions).
///
/// `@unchecked Sendable` is sound because `value` is private and every access goes through
/// `withLock`, which holds `lock` for the whole access. (NSLock rather than `Mutex`: the
/// package supports macOS 13, and `Synchronization.Mutex` needs macOS 15.)
public final class LockedBox<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()

    public init(_ value: Value) { self.value = value }

    /// Runs `body` with the value while holding the lock; keep it short.
    @inline(__always)
    public func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }

    /// A copy of the value.
    public var current: Value { withLock { $0 } }
}

/// Work started on background threads, one task per key, whose results are collected later
/// (file digests computed while the files are read).
public final class BackgroundResults<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private let results = LockedBox<[Key: Result<Value, Error>]>([:])
    /// One group per key, so a caller waits for its own key's task only.
    private let finished: [Key: DispatchGroup]

    /// Starts `work` for every distinct key.
    public init(keys: [Key], work: @escaping @Sendable (Key) throws -> Value) {
        var finished: [Key: DispatchGroup] = [:]
        for key in Set(keys) {
            let group = DispatchGroup()
            group.enter()
            finished[key] = group
            DispatchQueue.global(qos: .userInitiated).async { [results] in
                let result = Result { try work(key) }
                results.withLock { $0[key] = result }
                group.leave()
            }
        }
        self.finished = finished
    }

    /// The result for `key` once its task has finished (the others may still run): nil when
    /// `key` was not given to `init`; rethrows the task's error.
    public func value(for key: Key) throws -> Value? {
        guard let group = finished[key] else { return nil }
        group.wait()
        return try results.withLock { $0[key] }?.get()
    }
}
