/// A UK postcode normalised for joining: upper case, spaces removed (`M1  1AD`, `M1 1AD` and
/// `m11ad` are all `M11AD`), packed into 8 bytes so that millions of premises carry their
/// postcode as one integer each, and tables join on integer hashes.
///
/// Accepted: 2 to 8 ASCII letters and digits once spaces are removed (every UK postcode is 5
/// to 7). Nothing else is checked: the key is for joining files that name the same postcodes,
/// not for validating them against Royal Mail's rules.
public struct PostcodeKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The characters in ASCII, first character in the most significant byte, zero-padded.
    public let rawValue: UInt64

    public init(rawValue: UInt64) { self.rawValue = rawValue }

    /// No postcode (an empty field in a file where the postcode is optional): the zero key,
    /// which no postcode packs to.
    public static let none = PostcodeKey(rawValue: 0)

    @inlinable
    public var isNone: Bool { rawValue == 0 }

    /// Normalises text; nil when it is not 2 to 8 letters and digits (spaces ignored).
    public init?(_ text: String) {
        var utf8 = Array(text.utf8)
        guard let key = utf8.withUnsafeMutableBufferPointer({ PostcodeKey(utf8: UnsafeBufferPointer($0)) }) else {
            return nil
        }
        self = key
    }

    /// Normalises UTF-8 bytes (a CSV field); nil when they are not 2 to 8 letters and digits
    /// once spaces and tabs are removed.
    @inline(__always)
    public init?(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        var value: UInt64 = 0
        var length = 0
        for var c in bytes {
            if c == 0x20 || c == 0x09 { continue }
            if c >= 97 && c <= 122 { c -= 32 }
            guard (c >= 48 && c <= 57) || (c >= 65 && c <= 90), length < 8 else { return nil }
            value = value << 8 | UInt64(c)
            length += 1
        }
        guard length >= 2 else { return nil }
        rawValue = value << (8 * UInt64(8 - length))
    }

    /// The postcode without spaces, e.g. `M11AD`.
    public var compact: String {
        var bytes: [UInt8] = []
        for shift in stride(from: 56, through: 0, by: -8) {
            let c = UInt8(truncatingIfNeeded: rawValue >> UInt64(shift))
            if c == 0 { break }
            bytes.append(c)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The postcode as usually written, with one space before the last three characters
    /// (`M1 1AD`, `CA10 1AA`); 4 characters or fewer are shown as they are.
    public var spaced: String {
        let c = compact
        guard c.count > 4 else { return c }
        return String(c.dropLast(3)) + " " + String(c.suffix(3))
    }

    public var description: String { spaced }

    public static func < (a: PostcodeKey, b: PostcodeKey) -> Bool { a.rawValue < b.rawValue }
}
