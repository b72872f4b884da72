import Geometry

/// Two authorities whose polygons' interiors overlap.
public struct AuthorityOverlap: Sendable, Equatable {
    /// Indices into the authorities, `first < second`.
    public let first: Int
    public let second: Int
    /// Planar area of the overlap in m² (working CRS).
    public let areaM2: Double
}

/// Finds authorities whose polygons overlap, so that the area counted in both is reported
/// rather than silently summed twice (docs/MODEL.md, "Statistics per authority").
///
/// **Choice**: overlaps of at most `toleranceM2` are not reported. Neighbouring boundaries
/// that share their edges exactly overlap by 0; generalised or re-projected boundaries leave
/// slivers of a fraction of a square metre where edges are rounded differently, which are not
/// a planning fact.
public enum AuthorityOverlaps {
    /// Overlaps up to this area (m²) are ignored as rounding slivers.
    public static let toleranceM2 = 1.0

    /// The overlapping pairs among `authorities` in which at least one authority is planned
    /// (`planned` holds indices into `authorities`), in order of (first, second). A pair of
    /// authorities that are both not planned changes no figure and is not reported.
    ///
    /// Candidate pairs are those whose envelopes share more than `toleranceM2` (an STRtree);
    /// each candidate's overlap is the area of the GEOS intersection of the two polygons,
    /// computed in parallel with one clone of each polygon per thread. (Clipping both to their
    /// common envelope first was tried and dropped: GEOS's rectangle clip returned an invalid
    /// polygon for County Durham and a 57 km² overlap with Hartlepool that is not there.)
    public static func find(_ authorities: [Authority], planned: [Int]) throws -> [AuthorityOverlap] {
        guard authorities.count > 1 else { return [] }
        var isPlanned = [Bool](repeating: false, count: authorities.count)
        for i in planned where authorities.indices.contains(i) { isPlanned[i] = true }
        let envelopes = authorities.map(\.geometry.envelope)
        let tree = try STRtree(envelopes: envelopes)
        var pairs: [(first: Int, second: Int)] = []
        for i in authorities.indices {
            for j in try tree.query(envelopes[i]) where j > i && (isPlanned[i] || isPlanned[j]) {
                let commonWidth = min(envelopes[i].maxX, envelopes[j].maxX) - max(envelopes[i].minX, envelopes[j].minX)
                let commonHeight = min(envelopes[i].maxY, envelopes[j].maxY) - max(envelopes[i].minY, envelopes[j].minY)
                // The overlap lies inside the common envelope, so it cannot be larger.
                if commonWidth * commonHeight > toleranceM2 { pairs.append((i, j)) }
            }
        }
        let candidates = pairs
        let areas = try Parallel.chunks(count: candidates.count, minimumChunk: 8, cloning: authorities.map(\.geometry)) {
            range, clones -> [Double] in
            try range.map { k in
                try clones.shared(candidates[k].first).intersection(with: clones.shared(candidates[k].second)).area()
            }
        }.flatMap { $0 }
        return zip(candidates, areas).compactMap { pair, area in
            area > toleranceM2 ? AuthorityOverlap(first: pair.first, second: pair.second, areaM2: area) : nil
        }
    }
}
