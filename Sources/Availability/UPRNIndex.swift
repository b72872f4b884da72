/// Finds rows by UPRN in a column of UPRNs, and proves them unique.
///
/// When the column is already in ascending order (OS Open UPRN and BDUK's files are sorted by
/// UPRN) it is used as it is; otherwise the rows are sorted once by UPRN, 4 bytes a row.
/// Lookups are binary searches.
public struct UPRNIndex: Sendable {
    /// The UPRNs in ascending order.
    private let sorted: [UInt64]
    /// The row of each entry of `sorted`; nil when the column was already sorted.
    private let rows: [Int32]?

    /// Two rows holding the same UPRN: the earlier and the later row.
    public struct Duplicate: Error, Equatable, Sendable {
        public let uprn: UInt64
        public let first: Int
        public let second: Int
    }

    /// Indexes the column.
    /// - Throws: `Duplicate` for a UPRN held by two rows (the pair found first in UPRN order).
    public init(_ uprns: [UInt64]) throws {
        var ascending = true
        for i in uprns.indices.dropFirst() where uprns[i] <= uprns[i - 1] {
            if uprns[i] == uprns[i - 1] { throw Duplicate(uprn: uprns[i], first: i - 1, second: i) }
            ascending = false
            break
        }
        if ascending {
            sorted = uprns
            rows = nil
            return
        }
        var order = (0..<uprns.count).map { Int32($0) }
        uprns.withUnsafeBufferPointer { u in
            order.sort { a, b in
                let x = u[Int(a)], y = u[Int(b)]
                return x != y ? x < y : a < b
            }
        }
        var values = [UInt64]()
        values.reserveCapacity(uprns.count)
        for (k, r) in order.enumerated() {
            let v = uprns[Int(r)]
            if k > 0 && v == values[k - 1] {
                throw Duplicate(uprn: v, first: Int(order[k - 1]), second: Int(r))
            }
            values.append(v)
        }
        sorted = values
        rows = order
    }

    /// An index of no rows.
    public static let empty = UPRNIndex(sorted: [], rows: nil)

    private init(sorted: [UInt64], rows: [Int32]?) {
        self.sorted = sorted
        self.rows = rows
    }

    public var count: Int { sorted.count }

    /// The row holding `uprn`, nil when none does.
    @inline(__always)
    public func row(of uprn: UInt64) -> Int? {
        var lo = 0, hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if sorted[mid] < uprn { lo = mid + 1 } else { hi = mid }
        }
        guard lo < sorted.count, sorted[lo] == uprn else { return nil }
        return rows.map { Int($0[lo]) } ?? lo
    }
}
