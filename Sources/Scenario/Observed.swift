import Availability
import Coverage
import Foundation
import GeoIO

/// Which source decided a premises' speed (`speed_source`, docs/MODEL.md, "Observed data").
public enum SpeedSource: UInt8, Sendable, CaseIterable {
    /// The modelled networks: no observed source covers the premises (or none is a baseline).
    case model
    /// Ofcom's postcode percentages, split over the postcode's premises.
    case ofcomPostcode
    /// BDUK's UPRN release: its `current_gigabit` decided the gigabit status.
    case bdukUPRN

    /// The name in outputs: `model`, `ofcom_postcode`, `bduk_uprn`.
    public var name: String {
        switch self {
        case .model: "model"
        case .ofcomPostcode: "ofcom_postcode"
        case .bdukUPRN: "bduk_uprn"
        }
    }
}

/// BDUK's gigabit subsidy-control class of a premises (`gigabit_class`), or `none` where
/// BDUK's release does not cover it.
public enum GigabitClass: UInt8, Sendable, CaseIterable {
    case none
    case white
    case greyBlack
    case underReview
    case unassessed

    /// The name in outputs: `none`, `white`, `grey_black`, `under_review`, `unassessed`.
    public var name: String {
        switch self {
        case .none: "none"
        case .white: "white"
        case .greyBlack: "grey_black"
        case .underReview: "under_review"
        case .unassessed: "unassessed"
        }
    }

    init(_ s: SubsidyControlStatus) {
        switch s {
        case .white: self = .white
        case .greyBlack: self = .greyBlack
        case .underReview: self = .underReview
        case .unassessed: self = .unassessed
        }
    }
}

/// Observed data as read: the sources of a scenario's `observed:` block.
public struct ObservedData: Sendable {
    public var postcodes: OfcomCoverage<PostcodeKey>?
    public var postcodeUse: ObservedUse = .baseline
    public var bduk: BDUKRelease?
    public var bdukUse: ObservedUse = .baseline
    public var authorities: OfcomCoverage<String>?

    public init() {}
}

/// Counts of what an observed source matched; every row is either matched or counted.
public struct ObservedMatch: Sendable, Equatable {
    /// `ofcom_postcode`, `bduk_uprn` or `ofcom_laua`.
    public var type: String
    public var use: String
    /// Files read (`path` or `archive.zip/member`) and zip members skipped.
    public var files: [String] = []
    public var skippedMembers: [String] = []
    public var snapshot: String?
    public var rows = 0
    /// Rows that some premises joined to.
    public var matchedRows = 0
    /// Rows that no premises joined to, and the first few of their keys (`examplesLimit`).
    public var unmatchedRows = 0
    public var unmatchedExamples: [String] = []
    /// Premises points (and their households) that had no key to join on (no postcode, or no
    /// valid UPRN), and those whose key is not in the source.
    public var premisesWithoutKey = 0
    public var householdsWithoutKey = 0.0
    public var premisesNotInSource = 0
    public var householdsNotInSource = 0.0

    public static let examplesLimit = 20
}

/// Where observed and modelled or two observed sources disagree, in households.
public struct ObservedDisagreements: Sendable, Equatable {
    /// BDUK says gigabit today, the postcode split did not give the premises gigabit: BDUK
    /// decided (gigabit).
    public var bdukGigabitPostcodeNot = 0.0
    /// The postcode split gave gigabit, BDUK says not gigabit today: BDUK decided.
    public var postcodeGigabitBDUKNot = 0.0
    /// No postcode data; the model gives gigabit and BDUK says not: BDUK decided.
    public var modelGigabitBDUKNot = 0.0
    /// No postcode data; BDUK says gigabit and the model does not: BDUK decided.
    public var bdukGigabitModelNot = 0.0
}

/// The premises after the observed join: one row per (point, speed class) part, with where
/// each row's speed came from (docs/MODEL.md, "Observed data").
public struct ObservedPremises: Sendable {
    /// For each row of the joined premises table, the point of the premises file it is a part of.
    public var origin: [Int32]
    /// The classification of the joined rows: observed speeds where a baseline source decides.
    public var classification: Classification
    /// The speed the modelled networks give each row (Mbit/s), whatever decided.
    public var modelMbps: [Double]
    public var speedSource: [SpeedSource]
    /// The observed speed class of each row (`ObservedSpeedClass.rawValue`), -1 where none.
    public var speedClass: [Int8]
    /// BDUK's class (baseline BDUK sources only; `none` elsewhere).
    public var gigabitClass: [GigabitClass]
    /// BDUK: a supplier plans gigabit (`future_gigabit`), and the premises is in a BDUK
    /// gigabit contract (`bduk_gis`). False where BDUK does not cover it.
    public var futureGigabit: [Bool]
    public var inContract: [Bool]
    /// The Ofcom postcode row and BDUK row each joined row came from (-1: none), for checks.
    public var postcodeRow: [Int32]
    /// Empty when the scenario has no BDUK source.
    public var bdukRow: [Int32]
    public var matches: [ObservedMatch]
    public var disagreements: ObservedDisagreements
}

extension ObservedPremises {
    /// The share of row `i`'s households that observed data (any source, baseline or check)
    /// puts at or above `mbps`; nil where no observed source covers the row.
    public func observedShare(atLeast mbps: Double, row i: Int, data: ObservedData) -> Double? {
        if speedSource[i] != .model, speedClass[i] >= 0 || speedSource[i] == .bdukUPRN {
            return classification.bestMbps[i] >= mbps ? 1 : 0
        }
        // A check source: the share its data gives.
        if data.bdukUse == .check, let bduk = data.bduk, bdukRow[i] >= 0, bduk.currentGigabit[Int(bdukRow[i])], mbps <= 1000 {
            return 1
        }
        if data.postcodeUse == .check, let pc = data.postcodes, postcodeRow[i] >= 0 {
            let shares = PostcodeSplit.shares(pc.percentages(row: Int(postcodeRow[i]))).shares
            return shares.atLeast(mbps: mbps) / 100
        }
        return nil
    }
}

/// Joins observed data to premises (docs/MODEL.md, "Observed data").
public enum ObservedJoin {
    /// The speed a row of observed class `c` gets: the model's where it lies in the class's
    /// range, else the class's lower bound (the least the data guarantees). The FWA class gets
    /// 10 (decent), since Ofcom does not say how fast the FWA is.
    public static func speed(of c: ObservedSpeedClass, model: Double) -> Double {
        if c == .fwaDecent { return c.guaranteedMbps }
        let (lower, upper) = c.fixedRangeMbps
        return model >= lower && model < upper ? model : lower
    }

    /// The speed of a premises BDUK says is not gigabit today: the model's when below
    /// 1000 Mbit/s, else 300, the lower bound of Ofcom's 300-1000 class (BDUK says no more).
    public static func belowGigabit(model: Double) -> Double { model < 1000 ? model : 300 }

    /// Joins every premises point to a source's rows by its key: the row each point joins
    /// (-1: none), with the counts in `m` (points without a key, points not in the source,
    /// rows matched and unmatched, the first unmatched keys as examples).
    static func joinRows(
        _ m: inout ObservedMatch, households: [Double], rows: Int,
        hasKey: (Int) -> Bool, row: (Int) -> Int?, example: (Int) -> String
    ) -> [Int32] {
        var rowOf = [Int32](repeating: -1, count: households.count)
        var used = [Bool](repeating: false, count: rows)
        for i in households.indices {
            guard hasKey(i) else {
                m.premisesWithoutKey += 1
                m.householdsWithoutKey += households[i]
                continue
            }
            if let r = row(i) {
                rowOf[i] = Int32(r)
                used[r] = true
            } else {
                m.premisesNotInSource += 1
                m.householdsNotInSource += households[i]
            }
        }
        m.matchedRows = used.filter { $0 }.count
        m.unmatchedRows = rows - m.matchedRows
        for r in 0..<rows where !used[r] && m.unmatchedExamples.count < ObservedMatch.examplesLimit {
            m.unmatchedExamples.append(example(r))
        }
        return rowOf
    }

    /// - Parameters:
    ///   - postcodes: each point's postcode (`.none` when it has none), or nil when the
    ///     premises have no postcode column.
    ///   - uprns: each point's UPRN (0 when it has no valid one), or nil without UPRNs.
    ///   - model: the modelled classification of the points.
    public static func join(
        premises: PremisesTable, postcodes: [PostcodeKey]?, uprns: [UInt64]?, model c: Classification,
        data: ObservedData, speedModel: SpeedModel
    ) -> (premises: PremisesTable, observed: ObservedPremises) {
        let n = premises.count
        var matches: [ObservedMatch] = []
        var disagreements = ObservedDisagreements()

        // UPRN join.
        var bdukOf = [Int32](repeating: -1, count: data.bduk == nil ? 0 : n)
        if let bduk = data.bduk {
            var m = ObservedMatch(type: ObservedSourceType.bdukUPRN.rawValue, use: data.bdukUse.rawValue)
            m.files = bduk.sources.map(\.file)
            m.skippedMembers = bduk.skippedMembers
            m.snapshot = bduk.sources.compactMap(\.snapshot).first
            m.rows = bduk.count
            bdukOf = joinRows(&m, households: premises.households, rows: bduk.count,
                              hasKey: { (uprns?[$0] ?? 0) != 0 }, row: { i in uprns.flatMap { bduk.index.row(of: $0[i]) } },
                              example: { String(bduk.uprns[$0]) })
            matches.append(m)
        }
        let bdukDecides = data.bduk != nil && data.bdukUse == .baseline

        // Postcode join: the points of each postcode in the Ofcom files, as groups.
        var postcodeOf = [Int32](repeating: -1, count: n)
        if let pc = data.postcodes {
            var m = ObservedMatch(type: ObservedSourceType.ofcomPostcode.rawValue, use: data.postcodeUse.rawValue)
            m.files = pc.sources.map(\.file)
            m.skippedMembers = pc.skippedMembers
            m.snapshot = pc.snapshot
            m.rows = pc.count
            postcodeOf = joinRows(&m, households: premises.households, rows: pc.count,
                                  hasKey: { !(postcodes?[$0] ?? .none).isNone }, row: { i in postcodes.flatMap { pc.row($0[i]) } },
                                  example: { pc.keys[$0].spaced })
            matches.append(m)
        }
        let postcodeDecides = data.postcodes != nil && data.postcodeUse == .baseline

        // Output columns. When every point becomes exactly one row (no postcode split puts a
        // point's households in two classes: always so for address points of one household),
        // row k is point k, and the points' coordinates, ids, model speeds, authorities and
        // postcode and BDUK rows are shared with the input instead of copied (at national scale, 25.7M address points,
        // the copies cost 1.2 GB; docs/BENCHMARKS.md, "Observed data at address level").
        var identity = true
        // With `identity`, the households too are the points' until a row's differ (a sliver
        // of rounding); then the rows so far are copied and the column is the join's own.
        var ownHouseholds = false
        var out = Builder()
        func append(_ i: Int, households h: Double, speed: Double, source: SpeedSource, cls: Int8) {
            out.origin.append(Int32(i))
            if ownHouseholds || !identity {
                out.households.append(h)
            } else if h != premises.households[i] {
                out.households = Array(premises.households[0..<i])
                out.households.append(h)
                ownHouseholds = true
            }
            if !identity {
                out.xs.append(premises.xs[i])
                out.ys.append(premises.ys[i])
                if let ids = premises.ids { out.ids.append(ids[i]) }
                out.modelMbps.append(c.bestMbps[i])
            }
            out.speed.append(speed)
            out.source.append(source)
            out.speedClass.append(cls)
            if !identity {
                out.postcodeRow.append(postcodeOf[i])
                if data.bduk != nil { out.bdukRow.append(bdukOf[i]) }
            }
        }
        func bdukGigabit(_ i: Int) -> Bool? {
            guard bdukDecides, let bduk = data.bduk, bdukOf[i] >= 0 else { return nil }
            return bduk.currentGigabit[Int(bdukOf[i])]
        }

        // Points with no postcode data: the model, corrected by BDUK's gigabit status.
        func single(_ i: Int) {
            let model = c.bestMbps[i]
            switch bdukGigabit(i) {
            case true?:
                if model < 1000 { disagreements.bdukGigabitModelNot += premises.households[i] }
                append(i, households: premises.households[i], speed: max(model, 1000), source: .bdukUPRN, cls: -1)
            case false?:
                if model >= 1000 {
                    disagreements.modelGigabitBDUKNot += premises.households[i]
                    append(i, households: premises.households[i], speed: belowGigabit(model: model), source: .bdukUPRN, cls: -1)
                } else {
                    append(i, households: premises.households[i], speed: model, source: .model, cls: -1)
                }
            case nil:
                append(i, households: premises.households[i], speed: model, source: .model, cls: -1)
            }
        }

        if postcodeDecides, let pc = data.postcodes {
            // Group the points by postcode row (a counting sort: no dictionary per point).
            var start = [Int32](repeating: 0, count: pc.count + 1)
            for i in 0..<n where postcodeOf[i] >= 0 { start[Int(postcodeOf[i]) + 1] += 1 }
            for r in 0..<pc.count { start[r + 1] += start[r] }
            var fillAt = start
            // Members in point order within each postcode (the counting sort keeps it).
            var members = [Int32](repeating: 0, count: Int(start[pc.count]))
            for i in 0..<n where postcodeOf[i] >= 0 {
                let r = Int(postcodeOf[i])
                members[Int(fillAt[r])] = Int32(i)
                fillAt[r] += 1
            }
            // Each point's parts, decided per postcode and kept in flat columns (one array per
            // point cost 25.7M allocations nationally); rows are then written in point order.
            var parts = Parts(points: n)
            var ranked: [Int] = []
            for r in 0..<pc.count where start[r + 1] > start[r] {
                let group = members[Int(start[r])..<Int(start[r + 1])]
                let shares = PostcodeSplit.shares(pc.percentages(row: r)).shares
                var total = 0.0
                for i in group { total += premises.households[Int(i)] }
                fill(members: group, households: premises.households, shares: shares, total: total,
                     rank: { i in (bdukGigabit(i) == true ? 1 : 0, c.bestMbps[i]) }, into: &parts, scratch: &ranked)
            }
            identity = parts.maxPerPoint <= 1
            out.reserve(rows: n + parts.extraRows, perRowCopies: !identity, ids: premises.ids != nil, bduk: data.bduk != nil)
            for i in 0..<n {
                let whole = parts.whole[i]
                guard whole != Parts.none else {
                    single(i)
                    continue
                }
                let model = c.bestMbps[i]
                let bg = bdukGigabit(i)
                let (first, count) = whole >= 0 ? (0, 1) : parts.split[Int32(i)]!
                for p in first..<first + count {
                    let part = whole >= 0 ? (h: premises.households[i], cls: ObservedSpeedClass(rawValue: Int(whole))!)
                        : (h: parts.h[p], cls: ObservedSpeedClass(rawValue: Int(parts.cls[p]))!)
                    var speed = speed(of: part.cls, model: model)
                    var source = SpeedSource.ofcomPostcode
                    var cls = Int8(part.cls.rawValue)
                    if bg == true, part.cls != .gigabit {
                        disagreements.bdukGigabitPostcodeNot += part.h
                        speed = max(model, 1000)
                        source = .bdukUPRN
                        cls = Int8(ObservedSpeedClass.gigabit.rawValue)
                    } else if bg == false, part.cls == .gigabit {
                        disagreements.postcodeGigabitBDUKNot += part.h
                        speed = belowGigabit(model: model)
                        source = .bdukUPRN
                        cls = Int8(ObservedSpeedClass.from300To1000.rawValue)
                    }
                    append(i, households: part.h, speed: speed, source: source, cls: cls)
                }
            }
        } else {
            out.reserve(rows: n, perRowCopies: false, ids: premises.ids != nil, bduk: data.bduk != nil)
            for i in 0..<n { single(i) }
        }

        // The classification of the joined rows.
        let m = out.origin.count
        var joined = Classification(
            authority: identity ? c.authority : out.origin.map { c.authority[Int($0)] }, bestMbps: out.speed,
            tier: out.speed.map { Int8(speedModel.tiers.highestMet($0)) },
            ngaOperators: identity ? c.ngaOperators : out.origin.map { c.ngaOperators[Int($0)] },
            bestNetwork: identity ? c.bestNetwork : out.origin.map { c.bestNetwork[Int($0)] })
        // Points assigned by `authorities.snap_m`: every row of such a point (ascending, as
        // the rows are in point order).
        if !c.snapped.isEmpty {
            var isSnapped = [Bool](repeating: false, count: c.count)
            for i in c.snapped { isSnapped[i] = true }
            joined.snapped = (0..<m).filter { isSnapped[Int(out.origin[$0])] }
        }
        for k in 0..<m where out.source[k] != .model {
            let o = Int(out.origin[k])
            // Observed data names no operator: below the NGA threshold a premises is white;
            // at or above it, it keeps the model's count of operators, at least one.
            if out.speed[k] < speedModel.ngaThresholdMbps {
                joined.ngaOperators[k] = 0
            } else if joined.ngaOperators[k] == 0 {
                joined.ngaOperators[k] = 1
            }
            if out.speed[k] != c.bestMbps[o] { joined.bestNetwork[k] = -1 }
        }
        var gigabitClass = [GigabitClass](repeating: .none, count: m)
        var future = [Bool](repeating: false, count: m)
        var contract = [Bool](repeating: false, count: m)
        let postcodeRows = identity ? postcodeOf : out.postcodeRow
        let bdukRows = identity ? bdukOf : out.bdukRow
        if bdukDecides, let bduk = data.bduk {
            for k in 0..<m where bdukRows[k] >= 0 {
                let r = Int(bdukRows[k])
                gigabitClass[k] = GigabitClass(bduk.status[r])
                future[k] = bduk.futureGigabit[r]
                contract[k] = bduk.bdukGIS[r]
            }
        }
        let table = identity
            ? PremisesTable(xs: premises.xs, ys: premises.ys, households: ownHouseholds ? out.households : premises.households,
                            ids: premises.ids)
            : PremisesTable(xs: out.xs, ys: out.ys, households: out.households, ids: premises.ids == nil ? nil : out.ids)
        let observed = ObservedPremises(
            origin: out.origin, classification: joined, modelMbps: identity ? c.bestMbps : out.modelMbps, speedSource: out.source,
            speedClass: out.speedClass, gigabitClass: gigabitClass, futureGigabit: future, inContract: contract,
            postcodeRow: postcodeRows, bdukRow: bdukRows, matches: matches, disagreements: disagreements)
        return (table, observed)
    }

    /// The parts of the points of the postcodes, one byte per point: `whole[i]` is the class
    /// (`ObservedSpeedClass.rawValue`) of a point that is one part holding all its households
    /// (every address point of one household), `none` for a point of no postcode in the files,
    /// `splitPoint` for any other, whose parts are `h`/`cls`[first ..< first + count] with
    /// (first, count) = `split[i]` (postcode centroids: one entry per centroid).
    struct Parts {
        static let none: Int8 = -1
        static let splitPoint: Int8 = -2
        var whole: [Int8]
        var split: [Int32: (first: Int, count: Int)] = [:]
        var h: [Double] = []
        var cls: [Int8] = []
        /// The most parts any point has (1: every point is one row).
        var maxPerPoint = 0
        /// Rows beyond one per point.
        var extraRows = 0

        init(points n: Int) {
            whole = [Int8](repeating: Parts.none, count: n)
        }
    }

    /// Splits a postcode's households over its points: the class counts come from the
    /// postcode split of the total (largest remainder when whole), and are handed out from the
    /// fastest class down to the points in `rank` order (highest first; ties by point order).
    /// A point whose households straddle two classes gets a part in each. `members` are in
    /// point order; the parts go into `parts`; `ranked` is scratch space reused across calls.
    static func fill(
        members: ArraySlice<Int32>, households: [Double], shares: SpeedClassValues, total: Double,
        rank: (Int) -> (Int, Double), into parts: inout Parts, scratch ranked: inout [Int]
    ) {
        let counts = PostcodeSplit.split(shares: shares, households: total)
        ranked.removeAll(keepingCapacity: true)
        for m in members { ranked.append(Int(m)) }
        if ranked.count > 1 {
            // Points of one postcode usually share a rank (one location): no sort needed then.
            let r0 = rank(ranked[0])
            if ranked.dropFirst().contains(where: { rank($0) != r0 }) {
                ranked.sort { a, b in
                    let ra = rank(a), rb = rank(b)
                    if ra.0 != rb.0 { return ra.0 > rb.0 }
                    if ra.1 != rb.1 { return ra.1 > rb.1 }
                    return a < b
                }
            }
        }
        // The classes with households, fastest first: `k` walks down them (-1: none left).
        var left = counts.values
        func next(below c: Int) -> Int {
            var j = c - 1
            while j >= 0 && !(left[j] > 0) { j -= 1 }
            return j
        }
        let fastest = next(below: 9)
        var slowest = -1
        for j in 0..<9 where left[j] > 0 { slowest = j; break }
        var k = fastest
        for i in ranked {
            var need = households[i]
            let first = parts.h.count
            while need > 1e-9 && k >= 0 {
                let take = min(need, left[k])
                parts.h.append(take)
                parts.cls.append(Int8(k))
                need -= take
                left[k] -= take
                if left[k] <= 1e-9 { k = next(below: k) }
            }
            // Rounding can leave a sliver over: it joins the last part (or the slowest class).
            if need > 1e-9 {
                if parts.h.count == first {
                    parts.h.append(need)
                    parts.cls.append(Int8(slowest >= 0 ? slowest : ObservedSpeedClass.below2.rawValue))
                } else {
                    parts.h[parts.h.count - 1] += need
                }
            }
            if parts.h.count == first {
                let cls = fastest >= 0 ? fastest
                    : (ObservedSpeedClass.allCases.reversed().first { shares[$0] > 0 } ?? .below2).rawValue
                parts.h.append(0)
                parts.cls.append(Int8(cls))
            }
            let made = parts.h.count - first
            parts.maxPerPoint = max(parts.maxPerPoint, made)
            parts.extraRows += made - 1
            if made == 1 && parts.h[first] == households[i] {
                parts.whole[i] = parts.cls[first]
                parts.h.removeLast()
                parts.cls.removeLast()
            } else {
                parts.whole[i] = Parts.splitPoint
                parts.split[Int32(i)] = (first, made)
            }
        }
    }

    struct Builder {
        var origin: [Int32] = [], xs: [Double] = [], ys: [Double] = [], households: [Double] = [], ids: [String] = []
        var modelMbps: [Double] = [], speed: [Double] = [], source: [SpeedSource] = [], speedClass: [Int8] = []
        var postcodeRow: [Int32] = [], bdukRow: [Int32] = []
        /// Reserves `rows` rows; the columns copied from the points (`households`, `xs`, `ys`,
        /// `ids`, `modelMbps`, `postcodeRow`, `bdukRow`) only with `perRowCopies`, since
        /// otherwise they are shared.
        mutating func reserve(rows: Int, perRowCopies: Bool, ids: Bool, bduk: Bool) {
            origin.reserveCapacity(rows)
            speed.reserveCapacity(rows)
            source.reserveCapacity(rows)
            speedClass.reserveCapacity(rows)
            if perRowCopies {
                postcodeRow.reserveCapacity(rows)
                if bduk { bdukRow.reserveCapacity(rows) }
                households.reserveCapacity(rows)
                xs.reserveCapacity(rows)
                ys.reserveCapacity(rows)
                modelMbps.reserveCapacity(rows)
                if ids { self.ids.reserveCapacity(rows) }
            }
        }
    }
}
