import Foundation
import GeoIO
import RunStore

/// Whether a batch variant's recorded results still stand, so a rerun can skip it.
///
/// A variant is skipped only when the catalogue holds a finished run for its folder with the
/// same settings hash (settings and bbplan version), every input file still has the SHA-256
/// recorded for it, and the folder still holds summary.json. Anything else is run again.
enum BatchResume {
    enum Decision {
        case skip(RunRecord)
        /// Run it; `reason` says why earlier results do not stand (nil for a new variant).
        case run(reason: String?)
    }

    static func decide(_ variant: BatchVariant, catalogue: RunCatalogue, folder: URL, digests: InputDigests) throws -> Decision {
        guard let row = try catalogue.run(safeName: variant.safeName) else { return .run(reason: nil) }
        guard row.status == .finished, let id = row.id else { return .run(reason: "previous run \(row.status.rawValue)") }
        guard row.scenarioHash == variant.scenarioHash else {
            return .run(reason: row.toolVersion == BBPlanVersion.current ? "settings changed" : "bbplan version changed")
        }
        guard FileManager.default.fileExists(atPath: folder.appendingPathComponent("summary.json").path) else {
            return .run(reason: "outputs missing")
        }
        let recorded = Dictionary(try catalogue.inputs(runID: id).map { ($0.role, $0) }, uniquingKeysWith: { a, _ in a })
        let current = variant.inputSources
        guard Set(recorded.keys) == Set(current.map(\.role)) else { return .run(reason: "inputs changed") }
        for (role, path) in current {
            guard let before = recorded[role], before.path == path else { return .run(reason: "\(role) is another file") }
            guard let sha = digests.sha256(path) else { return .run(reason: "\(role) cannot be read") }
            guard sha == before.sha256 else { return .run(reason: "\(role) changed") }
        }
        return .skip(row)
    }
}

/// SHA-256 of input files, each hashed once per batch however many variants read it.
final class InputDigests {
    private var cache: [String: String?] = [:]

    /// Nil when the file cannot be read (the run then reports the problem itself).
    func sha256(_ path: String) -> String? {
        if let known = cache[path] { return known }
        let digest = try? FileDigest.sha256(path: path)
        cache[path] = digest
        return digest
    }
}
