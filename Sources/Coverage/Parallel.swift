import Dispatch
import Foundation
import Geometry
import Locking

/// Runs work over index ranges on all cores. Each chunk runs on one thread from start to end,
/// so per-thread resources (a GEOS context, a prepared geometry) stay with their thread.
///
/// **The clone rule**: a GEOS geometry shared between tasks is never operated on by a task,
/// only cloned (GEOS caches envelopes and prepared indexes inside a geometry, so two threads
/// working on one geometry race). The `cloning:` forms hand each task a `GeometryClones` that
/// makes and keeps the task's private copies; parallel geometry work goes through them.
public enum Parallel {
    /// Worker threads to use: the machine's active cores, or BBPLAN_THREADS when set.
    public static var threadCount: Int { ParallelWork.defaultThreads }

    /// Splits 0..<count into contiguous chunks and calls `body` for each, concurrently.
    /// Returns the chunks' results in order.
    public static func chunks<T: Sendable>(
        count: Int, minimumChunk: Int = 4096, _ body: @Sendable (Range<Int>) throws -> T
    ) throws -> [T] {
        try ParallelWork.chunks(count: count, threads: threadCount, minimumChunk: minimumChunk, body)
    }

    /// `chunks` where each chunk gets its own clones of `shared` (made on first use).
    public static func chunks<T: Sendable>(
        count: Int, minimumChunk: Int = 4096, cloning shared: [Geometry?],
        _ body: @Sendable (Range<Int>, inout GeometryClones) throws -> T
    ) throws -> [T] {
        try chunks(count: count, minimumChunk: minimumChunk) { range in
            var clones = GeometryClones(shared)
            return try body(range, &clones)
        }
    }

    /// `map` where each item's task gets its own clones of `shared` (made on first use).
    public static func map<Item: Sendable, T: Sendable>(
        _ items: [Item], cloning shared: [Geometry?], _ body: @Sendable (Item, inout GeometryClones) throws -> T
    ) throws -> [T] {
        try map(items) { item in
            var clones = GeometryClones(shared)
            return try body(item, &clones)
        }
    }

    /// Calls `body` for every item, concurrently, returning results in item order.
    public static func map<Item: Sendable, T: Sendable>(_ items: [Item], _ body: @Sendable (Item) throws -> T) throws -> [T] {
        try ParallelWork.map(items, threads: threadCount, body)
    }
}

/// One task's private copies of geometries shared between tasks (the clone rule of
/// `Parallel`): `shared(i)` clones `geometries[i]` the first time and returns the same copy
/// after; `own(g)` clones a geometry the task uses once. Not Sendable: it stays in its task.
public struct GeometryClones {
    private let geometries: [Geometry?]
    private var copies: [Int: Geometry] = [:]

    public init(_ geometries: [Geometry?]) { self.geometries = geometries }

    /// The task's copy of shared geometry `i`; nil when that geometry is nil.
    public mutating func sharedIfPresent(_ i: Int) throws -> Geometry? {
        if let copy = copies[i] { return copy }
        guard let original = geometries[i] else { return nil }
        let copy = try original.clone()
        copies[i] = copy
        return copy
    }

    /// The task's copy of shared geometry `i`, which must not be nil.
    public mutating func shared(_ i: Int) throws -> Geometry {
        guard let g = try sharedIfPresent(i) else { preconditionFailure("shared geometry \(i) is nil") }
        return g
    }

    /// A private copy of a geometry shared with other tasks, used once by this task.
    public func own(_ geometry: Geometry) throws -> Geometry { try geometry.clone() }
}
