import Foundation

/// Writes RFC 4180 CSV: comma-separated, LF line ends, fields quoted only when they hold a
/// comma, quote or line break (quotes doubled).
public struct CSVWriter {
    private var text = ""

    public init(header: [String]) {
        appendRow(header)
    }

    public mutating func appendRow(_ fields: [String]) {
        text += fields.map(CSVWriter.escape).joined(separator: ",")
        text += "\n"
    }

    public static func escape(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A number for a table: integers without a decimal point, others with up to `digits`
    /// decimals and no trailing zeros.
    public static func number(_ v: Double, digits: Int = 4) -> String {
        guard v.isFinite else { return "" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        var s = String(format: "%.\(digits)f", v)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        // A small negative value rounds to "-0", which no table should show.
        return s == "-0" ? "0" : s
    }

    public var contents: String { text }

    public func write(to path: String) throws {
        do {
            try text.write(toFile: path, atomically: false, encoding: .utf8)
        } catch {
            throw GeoIOError(path: path, "cannot write: \(error.localizedDescription)")
        }
    }
}
