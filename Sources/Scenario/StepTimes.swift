import Dispatch

/// How long each step of a run took, for summary.json and the benchmarks.
public struct StepTimes {
    public private(set) var entries: [(step: String, seconds: Double)] = []

    public init() {}

    /// Runs `body` as the step `step`: tells `progress`, then records the time it took.
    public mutating func measure<T>(_ step: String, reporting progress: (String) -> Void, _ body: () throws -> T) rethrows -> T {
        progress(step)
        let start = DispatchTime.now()
        let value = try body()
        entries.append((step, Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9))
        return value
    }

    /// Records a step timed elsewhere (steps run at the same time, each timed on its thread).
    public mutating func record(_ step: String, seconds: Double) {
        entries.append((step, seconds))
    }
}
