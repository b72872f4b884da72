/// Finds a table's row by its key.
public protocol RowMap: Sendable {
    associatedtype Key
    init()
    /// Rows held.
    var count: Int { get }
    /// Makes room for `count` rows in all.
    mutating func reserve(_ count: Int)
    /// Adds `key` at `row`, or returns the row already holding it (and changes nothing).
    mutating func insert(_ key: Key, row: Int32) -> Int32?
    /// The row holding `key`, nil when none does.
    func row(_ key: Key) -> Int32?
}

/// A key that Ofcom tables are keyed by, with the map that finds rows by it.
public protocol AreaKey: Hashable, Sendable, CustomStringConvertible {
    associatedtype Rows: RowMap where Rows.Key == Self
}

extension String: AreaKey {
    public typealias Rows = DictionaryRowMap<String>
}

extension PostcodeKey: AreaKey {
    public typealias Rows = PostcodeRowMap
}

/// Rows by key in a Swift dictionary (area codes).
public struct DictionaryRowMap<Key: Hashable & Sendable>: RowMap {
    @usableFromInline var rows: [Key: Int32] = [:]

    public init() {}

    public var count: Int { rows.count }

    public mutating func reserve(_ count: Int) {
        if count > rows.capacity { rows.reserveCapacity(max(count, 2 * rows.capacity)) }
    }

    public mutating func insert(_ key: Key, row: Int32) -> Int32? {
        if let existing = rows[key] { return existing }
        rows[key] = row
        return nil
    }

    @inlinable
    public func row(_ key: Key) -> Int32? { rows[key] }
}

/// Rows by postcode in an open-addressing table of 8-byte keys (linear probing, at most half
/// full): millions of lookups (one per premises) cost a multiplication
/// and a probe or two each, where a dictionary hashes every key with SipHash. The zero key
/// (`PostcodeKey.none`) marks an empty slot and is never stored.
public struct PostcodeRowMap: RowMap {
    /// Per slot: the key (0 when empty) and its row. Two arrays (12 bytes a slot) rather than
    /// one of pairs (16 with padding): reading the GB postcodes took about as long either way.
    @usableFromInline var keys: [UInt64]
    @usableFromInline var rows: [Int32]
    /// 64 - log2(slot count): a slot is the top bits of the mixed key.
    @usableFromInline var shift: UInt64
    public private(set) var count = 0

    public init() {
        keys = Array(repeating: 0, count: 16)
        rows = Array(repeating: 0, count: 16)
        shift = 60
    }

    /// The key's home slot: the key mixed (MurmurHash3's 64-bit finaliser; packed postcodes
    /// differ mostly in a few bytes, which a bare multiplication clusters), top bits kept. On
    /// the 1,684,685 GB postcodes a lookup probes 1.34 slots on average.
    @inlinable
    func home(_ key: UInt64) -> Int {
        var h = key
        h ^= h >> 33
        h = h &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        h = h &* 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 33
        return Int(truncatingIfNeeded: h >> shift)
    }

    public mutating func reserve(_ count: Int) {
        var n = keys.count
        while n < 2 * count { n *= 2 }
        if n > keys.count { rehash(n) }
    }

    public mutating func insert(_ key: PostcodeKey, row: Int32) -> Int32? {
        precondition(!key.isNone, "the empty postcode is not a key")
        if 2 * (count + 1) > keys.count { rehash(2 * keys.count) }
        let mask = keys.count - 1
        var i = home(key.rawValue)
        while true {
            let k = keys[i]
            if k == 0 {
                keys[i] = key.rawValue
                rows[i] = row
                count += 1
                return nil
            }
            if k == key.rawValue { return rows[i] }
            i = (i + 1) & mask
        }
    }

    @inlinable
    public func row(_ key: PostcodeKey) -> Int32? {
        guard !key.isNone else { return nil }
        let mask = keys.count - 1
        var i = home(key.rawValue)
        while true {
            let k = keys[i]
            if k == key.rawValue { return rows[i] }
            if k == 0 { return nil }
            i = (i + 1) & mask
        }
    }

    private mutating func rehash(_ n: Int) {
        let oldKeys = keys, oldRows = rows
        keys = Array(repeating: 0, count: n)
        rows = Array(repeating: 0, count: n)
        shift = UInt64(64 - n.trailingZeroBitCount)
        let mask = n - 1
        for (k, r) in zip(oldKeys, oldRows) where k != 0 {
            var i = home(k)
            while keys[i] != 0 { i = (i + 1) & mask }
            keys[i] = k
            rows[i] = r
        }
    }
}
