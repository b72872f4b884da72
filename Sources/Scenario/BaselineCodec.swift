import Coverage
import Foundation
import Geometry

extension BaselineResult {
    /// The baseline in the batch cache's binary form (`ByteWriter`): classification columns,
    /// statistics, unplanned counts, coverage and gap polygons (WKB), gap clusters and the
    /// unassigned premises by region. Timings are not stored: they describe one computation.
    public func encoded() throws -> Data {
        var w = ByteWriter()
        classification.encode(&w)
        w.int(statistics.count); for s in statistics { s.encode(&w) }
        unplanned.encode(&w)
        w.int(coverage.count); for c in coverage { try c.encode(&w) }
        w.int(gapClusters.count); for g in gapClusters { try g.encode(&w) }
        w.bool(unassignedByRegion != nil)
        if let regions = unassignedByRegion {
            w.int(regions.count)
            for r in regions { w.string(r.region); w.int(r.premises); w.double(r.households) }
        }
        return w.data
    }

    /// Decodes `encoded()`; throws `ByteReader.Damaged` on anything malformed or left over.
    public static func decode(_ data: Data, timings: [(step: String, seconds: Double)]) throws -> BaselineResult {
        var r = ByteReader(data)
        let classification = try Classification.decode(&r)
        let statistics = try r.list { try AuthorityStatistics.decode(&$0) }
        let unplanned = try Unplanned.decode(&r)
        let coverage = try r.list { try AuthorityCoverage.decode(&$0) }
        let clusters = try r.list { try TierGapClusters.decode(&$0) }
        var regions: [RegionCount]? = nil
        if try r.bool() {
            regions = try r.list { RegionCount(region: try $0.string(), premises: try $0.int(), households: try $0.double()) }
        }
        guard r.atEnd else { throw ByteReader.Damaged() }
        return BaselineResult(classification: classification, statistics: statistics, unplanned: unplanned, coverage: coverage,
                              gapClusters: clusters, timings: timings, unassignedByRegion: regions)
    }
}

/// What a scenario's baseline depends on, as the key of the batch's shared baseline cache
/// (docs/BATCH.md, "Baseline reuse").
public enum BaselineKey {
    /// Top-level scenario keys the baseline does not read: the rollout and what follows it
    /// (uncertainty runs over rollout costs), outputs, the sweep and the labels.
    public static let rolloutOnlyKeys: Set<String> = ["name", "description", "extends", "rollout", "uncertainty", "outputs", "sweep"]

    /// The canonical text hashed into the key: the tool version, the expanded settings
    /// without `rolloutOnlyKeys` (sorted-key JSON), the SHA-256 of every input the baseline
    /// reads (by role; `rollout.*` inputs left out) and the datum transformations applied.
    public static func canonical(settings: Any, inputs: [(role: String, sha256: String)], datumShifts: [String],
                                 toolVersion: String) throws -> String {
        var kept: Any = settings
        if let dict = settings as? [String: Any] { kept = dict.filter { !rolloutOnlyKeys.contains($0.key) } }
        let object: [String: Any] = [
            "format": 1, "tool": toolVersion, "settings": kept,
            "inputs": inputs.filter { !$0.role.hasPrefix("rollout") }.sorted { $0.role < $1.role }.map { [$0.role, $0.sha256] },
            "datum": datumShifts.sorted(),
        ]
        guard JSONSerialization.isValidJSONObject(object) else { throw ByteReader.Damaged() }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}
