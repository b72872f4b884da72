/// A column of strings held as one UTF-8 byte buffer and offsets, so millions of ids cost
/// two arrays rather than one object each.
public struct StringColumn: Sendable, Equatable {
    private(set) var bytes: [UInt8] = []
    private(set) var ends: [Int] = []

    public init() {}

    public init(_ strings: [String]) {
        for s in strings { append(s) }
    }

    public var count: Int { ends.count }

    public mutating func append(_ s: String) {
        bytes.append(contentsOf: s.utf8)
        ends.append(bytes.count)
    }

    mutating func append(bytes source: UnsafeBufferPointer<UInt8>) {
        bytes.append(contentsOf: source)
        ends.append(bytes.count)
    }

    public subscript(i: Int) -> String {
        let start = i == 0 ? 0 : ends[i - 1]
        return String(decoding: bytes[start..<ends[i]], as: UTF8.self)
    }

    /// The values at the given rows, in order.
    public func selecting(_ rows: [Int]) -> StringColumn {
        var out = StringColumn()
        for r in rows {
            let start = r == 0 ? 0 : ends[r - 1]
            out.bytes.append(contentsOf: bytes[start..<ends[r]])
            out.ends.append(out.bytes.count)
        }
        return out
    }
}
