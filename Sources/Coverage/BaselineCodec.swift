import Foundation
import Geometry

/// A compact little-endian binary encoding of the baseline's parts, for the batch's shared
/// baseline cache (docs/BATCH.md, "Baseline reuse"). Numbers are stored bit for bit (doubles
/// by their bit pattern) and polygons as WKB, so a decoded baseline equals the computed one.
public struct ByteWriter {
    public private(set) var data = Data()
    public init() {}
    public mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { data.append(contentsOf: $0) } }
    public mutating func int(_ v: Int) { u64(UInt64(bitPattern: Int64(v))) }
    public mutating func double(_ v: Double) { u64(v.bitPattern) }
    public mutating func bool(_ v: Bool) { data.append(v ? 1 : 0) }
    public mutating func string(_ s: String) { let b = Array(s.utf8); int(b.count); data.append(contentsOf: b) }
    public mutating func bytes(_ b: [UInt8]) { int(b.count); data.append(contentsOf: b) }
    public mutating func geometry(_ g: Geometry) throws { bytes(try g.wkb()) }
    /// A column of fixed-width integers or doubles, raw.
    public mutating func column<T: BitwiseCopyable>(_ values: [T]) {
        int(values.count)
        values.withUnsafeBytes { data.append(contentsOf: $0) }
    }
    public mutating func doubles(_ d: [String: Double]) {
        int(d.count)
        for k in d.keys.sorted() { string(k); double(d[k]!) }
    }
}

/// Reads what `ByteWriter` wrote; every read is bounds-checked (a damaged entry throws).
public struct ByteReader {
    public struct Damaged: Error { public init() {} }
    let data: [UInt8]
    var at = 0
    public init(_ data: Data) { self.data = Array(data) }
    public var atEnd: Bool { at == data.count }
    mutating func take(_ n: Int) throws -> ArraySlice<UInt8> {
        guard n >= 0, n <= data.count - at else { throw Damaged() }
        defer { at += n }
        return data[at..<at + n]
    }
    public mutating func u64() throws -> UInt64 {
        var v: UInt64 = 0
        for (k, b) in try take(8).enumerated() { v |= UInt64(b) << (8 * UInt64(k)) }
        return v
    }
    public mutating func int() throws -> Int { Int(Int64(bitPattern: try u64())) }
    public mutating func count() throws -> Int {
        let n = try int()
        guard n >= 0, n <= data.count else { throw Damaged() }
        return n
    }
    public mutating func double() throws -> Double { Double(bitPattern: try u64()) }
    public mutating func bool() throws -> Bool { try take(1).first! != 0 }
    public mutating func string() throws -> String {
        let b = try take(try count())
        guard let s = String(bytes: b, encoding: .utf8) else { throw Damaged() }
        return s
    }
    public mutating func bytes() throws -> [UInt8] { Array(try take(try count())) }
    public mutating func geometry() throws -> Geometry { try Geometry(wkb: try bytes()) }
    public mutating func column<T: BitwiseCopyable>(_: T.Type) throws -> [T] {
        let n = try count()
        let raw = try take(n * MemoryLayout<T>.stride)
        return raw.withUnsafeBytes { buffer in
            (0..<n).map { buffer.loadUnaligned(fromByteOffset: $0 * MemoryLayout<T>.stride, as: T.self) }
        }
    }
    public mutating func doubles() throws -> [String: Double] {
        var d: [String: Double] = [:]
        for _ in 0..<(try count()) { let k = try string(); d[k] = try double() }
        return d
    }
    public mutating func list<T>(_ item: (inout ByteReader) throws -> T) throws -> [T] {
        var out: [T] = []
        for _ in 0..<(try count()) { out.append(try item(&self)) }
        return out
    }
}

extension Tier {
    func encode(_ w: inout ByteWriter) { w.string(name); w.double(mbps) }
    static func decode(_ r: inout ByteReader) throws -> Tier { Tier(name: try r.string(), mbps: try r.double()) }
}

extension Classification {
    public func encode(_ w: inout ByteWriter) {
        w.column(authority); w.column(bestMbps); w.column(tier); w.column(ngaOperators); w.column(bestNetwork); w.column(snapped)
    }
    public static func decode(_ r: inout ByteReader) throws -> Classification {
        let c = Classification(authority: try r.column(Int32.self), bestMbps: try r.column(Double.self), tier: try r.column(Int8.self),
                               ngaOperators: try r.column(UInt8.self), bestNetwork: try r.column(Int16.self), snapped: try r.column(Int.self))
        let n = c.authority.count
        guard [c.bestMbps.count, c.tier.count, c.ngaOperators.count, c.bestNetwork.count].allSatisfy({ $0 == n }) else { throw ByteReader.Damaged() }
        return c
    }
}

extension AuthorityStatistics {
    public func encode(_ w: inout ByteWriter) {
        w.string(code); w.string(name); w.int(premises); w.double(households); w.double(areaKm2)
        w.doubles(state.householdsByTier)
        w.doubles(Dictionary(uniqueKeysWithValues: state.ngaHouseholds.map { ($0.key.rawValue, $0.value) }))
        w.doubles(state.gapAreaKm2); w.doubles(state.coverageAreaKm2)
        w.int(snappedPremises); w.double(snappedHouseholds)
    }
    public static func decode(_ r: inout ByteReader) throws -> AuthorityStatistics {
        let code = try r.string(), name = try r.string(), premises = try r.int(), households = try r.double(), area = try r.double()
        var state = CoverageState(tiers: TierSet([]))
        state.householdsByTier = try r.doubles()
        var nga: [NGAClass: Double] = [:]
        for (k, v) in try r.doubles() {
            guard let c = NGAClass(rawValue: k) else { throw ByteReader.Damaged() }
            nga[c] = v
        }
        state.ngaHouseholds = nga
        state.gapAreaKm2 = try r.doubles(); state.coverageAreaKm2 = try r.doubles()
        var s = AuthorityStatistics(code: code, name: name, premises: premises, households: households, areaKm2: area, state: state)
        s.snappedPremises = try r.int(); s.snappedHouseholds = try r.double()
        return s
    }
}

extension Unplanned {
    public func encode(_ w: inout ByteWriter) {
        w.int(unassignedPremises); w.double(unassignedHouseholds); w.int(excludedPremises); w.double(excludedHouseholds)
    }
    public static func decode(_ r: inout ByteReader) throws -> Unplanned {
        var u = Unplanned()
        u.unassignedPremises = try r.int(); u.unassignedHouseholds = try r.double()
        u.excludedPremises = try r.int(); u.excludedHouseholds = try r.double()
        return u
    }
}

extension AuthorityCoverage {
    public func encode(_ w: inout ByteWriter) throws {
        w.int(authority); w.int(tiers.count)
        for t in tiers {
            t.tier.encode(&w); try w.geometry(t.coverage); try w.geometry(t.gap); w.double(t.coverageKm2); w.double(t.gapKm2)
        }
    }
    public static func decode(_ r: inout ByteReader) throws -> AuthorityCoverage {
        let authority = try r.int()
        let tiers = try r.list { r in
            TierCoverage(tier: try Tier.decode(&r), coverage: try r.geometry(), gap: try r.geometry(),
                         coverageKm2: try r.double(), gapKm2: try r.double())
        }
        return AuthorityCoverage(authority: authority, tiers: tiers)
    }
}

extension TierGapClusters {
    public func encode(_ w: inout ByteWriter) throws {
        tier.encode(&w)
        w.int(clusters.count)
        for c in clusters {
            w.string(c.id); try w.geometry(c.geometry); w.double(c.areaKm2); w.int(c.shares.count)
            for s in c.shares { w.int(s.authority); w.string(s.code); w.double(s.areaKm2); w.int(s.premises); w.double(s.households) }
        }
        w.int(authorities.count)
        for a in authorities { w.int(a.authority); w.string(a.code); w.double(a.gapHouseholds); w.double(a.crossBorderHouseholds) }
        w.int(premisesOutside); w.double(householdsOutside)
    }
    public static func decode(_ r: inout ByteReader) throws -> TierGapClusters {
        let tier = try Tier.decode(&r)
        let clusters = try r.list { r in
            GapCluster(id: try r.string(), geometry: try r.geometry(), areaKm2: try r.double(), shares: try r.list { r in
                ClusterShare(authority: try r.int(), code: try r.string(), areaKm2: try r.double(), premises: try r.int(), households: try r.double())
            })
        }
        let authorities = try r.list { r in
            AuthorityGapShare(authority: try r.int(), code: try r.string(), gapHouseholds: try r.double(), crossBorderHouseholds: try r.double())
        }
        return TierGapClusters(tier: tier, clusters: clusters, authorities: authorities, premisesOutside: try r.int(), householdsOutside: try r.double())
    }
}
