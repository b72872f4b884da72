/// A text column with few distinct values (authority codes, supplier names, statuses), held as
/// one 4-byte code per row plus each distinct value once: millions of rows cost one array.
public struct CategoryColumn: Sendable, Equatable {
    /// Per row, the index of its value in `values`.
    public private(set) var codes: [UInt32] = []
    /// The distinct values, in order of first appearance.
    public private(set) var values: [String] = []
    private var codeOf: [String: UInt32] = [:]
    /// The bytes and code of the last value appended: sorted files repeat a value for long
    /// runs, which then cost a comparison instead of a hash lookup.
    private var lastBytes: [UInt8] = []
    private var lastCode: UInt32?

    public init() {}

    public init(_ strings: [String]) {
        for s in strings { append(s) }
    }

    public var count: Int { codes.count }

    public subscript(i: Int) -> String { values[Int(codes[i])] }

    /// The code of a value, nil when no row has it.
    public func code(of value: String) -> UInt32? { codeOf[value] }

    public mutating func append(_ value: String) {
        if let code = codeOf[value] {
            codes.append(code)
        } else {
            let code = UInt32(values.count)
            values.append(value)
            codeOf[value] = code
            codes.append(code)
        }
        lastCode = nil
    }

    /// Appends a value given as UTF-8 bytes the caller has checked (valid UTF-8, trimmed).
    public mutating func append(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        if let code = lastCode, bytes.elementsEqual(lastBytes) {
            codes.append(code)
            return
        }
        append(String(decoding: bytes, as: UTF8.self))
        lastBytes = Array(bytes)
        lastCode = codes.last
    }

    public static func == (a: CategoryColumn, b: CategoryColumn) -> Bool {
        a.count == b.count && (0..<a.count).allSatisfy { a[$0] == b[$0] }
    }
}
