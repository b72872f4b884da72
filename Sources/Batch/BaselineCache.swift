import Foundation
import GeoIO
import Locking
import OutputSafety
import Scenario
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The batch's shared baseline (docs/BATCH.md, "Baseline reuse"): variants whose baseline
/// inputs and settings are identical compute it once. Entries live in `folder` (the batch
/// folder's `.baseline-cache`), one file per key, `<key>.baseline`, written atomically with
/// their own SHA-256 (`CacheEntryFile`); within one process they are also kept in memory.
/// While one worker computes a key's baseline it holds an flock on `<key>.lock`, so a worker
/// needing the same key waits and then reads the entry instead of computing it again.
public final class BaselineCache: Sendable {
    public static let folderName = ".baseline-cache"
    /// Suffix of an entry found damaged (moved aside, counted by the batch, then removed).
    public static let corruptSuffix = ".corrupt"

    public let folder: String
    private static let memory = LockedBox<[String: BaselineResult]>([:])

    public init(folder: String) { self.folder = folder }

    /// The cache key of a scenario's baseline given its loaded inputs: hex SHA-256 of
    /// `BaselineKey.canonical`.
    public static func key(_ scenario: Scenario, inputs: LoadedInputs) throws -> String {
        let shifts = inputs.datumShifts.map { "\($0.key): \($0.value.name) [\($0.value.grids.joined(separator: ","))]" }
        return try key(settings: scenario.settings.plain, inputs: inputs.inputs.map { ($0.role, $0.sha256) }, datumShifts: shifts)
    }

    public static func key(settings: Any, inputs: [(role: String, sha256: String)], datumShifts: [String]) throws -> String {
        let text = try BaselineKey.canonical(settings: settings, inputs: inputs, datumShifts: datumShifts, toolVersion: BBPlanVersion.current)
        return FileDigest.sha256(Data(text.utf8))
    }

    /// The baseline for `key`: from memory, else from a valid entry, else `compute()` (and
    /// stored). A damaged entry is moved aside as `<key>.corrupt` and recomputed.
    public func baseline(key: String, compute: () throws -> BaselineResult) throws -> BaselineResult {
        if let hit = Self.memory.withLock({ $0[key] }) { return hit }
        try CacheEntryFile.makeFolder(folder)
        let entry = folder + "/" + key + ".baseline"
        let lockPath = folder + "/" + key + ".lock"
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw CommandFailure(message: "\(lockPath): cannot open the baseline cache lock", code: 1) }
        defer { flock(fd, LOCK_UN); close(fd) }
        while flock(fd, LOCK_EX) != 0 && errno == EINTR {}
        let started = Date()
        switch CacheEntryFile.read(entry, digest: FileDigest.sha256) {
        case .valid(let data):
            if let result = try? BaselineResult.decode(data, timings: [("reading the shared baseline", Date().timeIntervalSince(started))]) {
                Self.memory.withLock { $0[key] = result }
                return result
            }
            try? FileManager.default.removeItem(atPath: entry + Self.corruptSuffix)
            rename(entry, entry + Self.corruptSuffix)
        case .corrupt:
            try? FileManager.default.removeItem(atPath: entry + Self.corruptSuffix)
            rename(entry, entry + Self.corruptSuffix)
        case .absent:
            break
        }
        let result = try compute()
        try CacheEntryFile.write(try result.encoded(), to: entry, digest: FileDigest.sha256)
        Self.memory.withLock { $0[key] = result }
        return result
    }

    /// Removes what killed workers left (temporary files); call before any worker starts.
    public func removeLeftovers() { CacheEntryFile.removeLeftovers(folder) }

    /// Entries found damaged since the last call (their names), removed.
    public func takeCorrupt() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        let corrupt = names.filter { $0.hasSuffix(Self.corruptSuffix) }.sorted()
        for name in corrupt { try? FileManager.default.removeItem(atPath: folder + "/" + name) }
        return corrupt
    }
}
