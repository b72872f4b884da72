import Foundation

/// A procurement lot: contiguous built areas bought as one contract (docs/MODEL.md,
/// "Procurement lots").
public struct Lot: Sendable, Equatable {
    /// `L001`, `L002`, ... numbered in the order of each lot's first area (cell x, cell y,
    /// authority code): the same inputs always give the same ids.
    public let id: String
    /// Indices of its build areas (into `RolloutResult.areas`), ascending.
    public let areas: [Int]
    /// Premises points in its areas.
    public let premises: Int
    /// Households passed (each household counts as one premises passed).
    public let households: Double
    public let costGBP: Double
    public let publicCostGBP: Double
    /// Codes of the authorities its areas lie in, sorted.
    public let authorities: [String]
    /// Build years of its areas, ascending, each once.
    public let years: [Int]
    /// A single area passing more than `max_premises`: it cannot be split further.
    public let aboveMax: Bool

    /// Public cost per premises passed (nil with no households).
    public var publicCostPerPremisesGBP: Double? { households > 0 ? publicCostGBP / households : nil }
}

/// Groups the built areas into contiguous lots, splitting lots above `max_premises`.
public enum ProcurementLots {
    /// - Parameters:
    ///   - built: indices of the built areas.
    ///   - years: each area's build year (by area index).
    ///   - gridMetres: the build-area cell size (`rollout.grid_m`).
    public static func group(
        built: [Int], areas: [BuildArea], priced: [PricedArea], years: [Int?], codes: [String],
        gridMetres: Double, settings: LotSettings
    ) -> [Lot] {
        let members = built.sorted()
        let pieces = split(components(members, areas: areas, gridMetres: gridMetres, joinM: settings.joinM),
                           areas: areas, gridMetres: gridMetres, settings: settings)
            .map { $0.sorted() }
            .sorted { $0[0] < $1[0] }
        let width = max(3, String(pieces.count).count)
        return pieces.enumerated().map { n, piece in
            let number = String(n + 1)
            let households = piece.reduce(0) { $0 + areas[$1].households }
            return Lot(
                id: "L" + String(repeating: "0", count: width - number.count) + number, areas: piece,
                premises: piece.reduce(0) { $0 + areas[$1].premises.count }, households: households,
                costGBP: piece.reduce(0) { $0 + priced[$1].costGBP }, publicCostGBP: piece.reduce(0) { $0 + priced[$1].publicCostGBP },
                authorities: Set(piece.flatMap { areas[$0].members.map { codes[$0.authority] } }).sorted(),
                years: Set(piece.compactMap { years[$0] }).sorted(),
                aboveMax: households > settings.maxPremises)
        }
    }

    /// Gap between two areas' grid cells in metres: 0 when they touch (edge or corner) or
    /// share a cell (an area on each side of a border).
    static func cellGapMetres(_ a: BuildArea, _ b: BuildArea, gridMetres: Double) -> Double {
        let dx = max(0, abs(a.cellX - b.cellX) - 1), dy = max(0, abs(a.cellY - b.cellY) - 1)
        return gridMetres * hypot(Double(dx), Double(dy))
    }

    /// Connected groups of `members` under "cells within `joinM`".
    static func components(_ members: [Int], areas: [BuildArea], gridMetres: Double, joinM: Double) -> [[Int]] {
        guard members.count > 1 else { return members.isEmpty ? [] : [members] }
        var parent = Array(members.indices)
        func root(_ i: Int) -> Int {
            var i = i
            while parent[i] != i {
                parent[i] = parent[parent[i]]
                i = parent[i]
            }
            return i
        }
        func join(_ i: Int, _ j: Int) {
            let a = root(i), b = root(j)
            if a != b { parent[max(a, b)] = min(a, b) }
        }
        // Cells up to k apart can be within joinM (a gap of k − 1 whole cells).
        let k = Int((joinM / gridMetres).rounded(.down)) + 1
        struct Cell: Hashable { let x: Int, y: Int }
        if (2 * k + 1) * (2 * k + 1) <= 4 * members.count + 64 {
            var byCell: [Cell: [Int]] = [:]
            for (i, a) in members.enumerated() { byCell[Cell(x: areas[a].cellX, y: areas[a].cellY), default: []].append(i) }
            for (i, a) in members.enumerated() {
                for dx in -k...k {
                    for dy in -k...k {
                        guard let others = byCell[Cell(x: areas[a].cellX + dx, y: areas[a].cellY + dy)] else { continue }
                        for j in others where j > i && cellGapMetres(areas[a], areas[members[j]], gridMetres: gridMetres) <= joinM {
                            join(i, j)
                        }
                    }
                }
            }
        } else {
            // A wide join distance: a sweep along x instead of visiting (2k + 1)² cells each.
            let byX = members.indices.sorted { areas[members[$0]].cellX < areas[members[$1]].cellX }
            for (p, i) in byX.enumerated() {
                for j in byX[(p + 1)...] {
                    if areas[members[j]].cellX - areas[members[i]].cellX > k { break }
                    if cellGapMetres(areas[members[i]], areas[members[j]], gridMetres: gridMetres) <= joinM { join(i, j) }
                }
            }
        }
        var groups: [Int: [Int]] = [:]
        for i in members.indices { groups[root(i), default: []].append(members[i]) }
        return groups.keys.sorted().map { groups[$0]! }
    }

    /// Splits every group above `maxPremises` households in two along the longer side of its
    /// centroids' envelope, at the household-weighted median, then regroups each half into
    /// connected pieces; repeats until every piece fits or is a single area.
    static func split(_ groups: [[Int]], areas: [BuildArea], gridMetres: Double, settings: LotSettings) -> [[Int]] {
        var done: [[Int]] = []
        var pending = groups
        while let group = pending.popLast() {
            let households = group.reduce(0) { $0 + areas[$1].households }
            if households <= settings.maxPremises || group.count == 1 {
                done.append(group)
                continue
            }
            let xs = group.map { areas[$0].centroidX }, ys = group.map { areas[$0].centroidY }
            let alongX = ((xs.max() ?? 0) - (xs.min() ?? 0)) >= ((ys.max() ?? 0) - (ys.min() ?? 0))
            let ordered = group.sorted {
                let a = alongX ? areas[$0].centroidX : areas[$0].centroidY
                let b = alongX ? areas[$1].centroidX : areas[$1].centroidY
                return a != b ? a < b : $0 < $1
            }
            var cumulative = 0.0, cut = ordered.count - 1
            for (i, a) in ordered.enumerated() {
                cumulative += areas[a].households
                if 2 * cumulative >= households {
                    cut = i + 1
                    break
                }
            }
            cut = min(max(cut, 1), ordered.count - 1)
            for half in [Array(ordered[..<cut]), Array(ordered[cut...])] {
                pending += components(half.sorted(), areas: areas, gridMetres: gridMetres, joinM: settings.joinM)
            }
        }
        return done
    }
}
