import Dispatch
import Locking

/// Independent jobs run at the same time (the vector files of a run's outputs, each written
/// by its own GDAL dataset: GDAL allows that from several threads). Throws the error of the
/// first job, in the order given, that failed, after every job has ended.
public enum ParallelJobs {
    public static func run(_ jobs: [@Sendable () throws -> Void], threads: Int? = nil) throws {
        let count = max(1, threads ?? ParallelWork.defaultThreads)
        _ = try ParallelWork.chunks(count: jobs.count, threads: count, minimumChunk: 1) { range in
            for i in range { try jobs[i]() }
        }
    }

    /// As `run`, and returns when each job started and ended (seconds on the uptime clock).
    public static func timed(_ jobs: [@Sendable () throws -> Void], threads: Int? = nil) throws -> [(start: Double, end: Double)] {
        let count = max(1, threads ?? ParallelWork.defaultThreads)
        @Sendable func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
        return try ParallelWork.chunks(count: jobs.count, threads: count, minimumChunk: 1) { range in
            try range.map { i -> (start: Double, end: Double) in
                let start = now()
                try jobs[i]()
                return (start, now())
            }
        }.flatMap { $0 }
    }
}
