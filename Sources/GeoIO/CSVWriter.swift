import Foundation

/// Writes RFC 4180 CSV: comma-separated, LF line ends, fields quoted only when they hold a
/// comma, quote or line break (quotes doubled), and text that a spreadsheet would run as a
/// formula neutralised (`escape`).
public struct CSVWriter {
    private var text = ""

    public init(header: [String]) {
        appendRow(header)
    }

    public mutating func appendRow(_ fields: [String]) {
        text += fields.map(CSVWriter.escape).joined(separator: ",")
        text += "\n"
    }

    /// One field as written.
    ///
    /// **Choice** (OWASP, "CSV Injection"): a field beginning with `=`, `+`, `-`, `@`, tab or
    /// carriage return is one that Excel, LibreOffice and Google Sheets may evaluate as a
    /// formula (`=HYPERLINK(...)`, `+cmd|...`), so it is written as text: prefixed with a single
    /// quote and quoted (`=1+2` becomes `"'=1+2"`). Numbers as bbplan writes them (an optional
    /// `-`, digits, optionally `.` and digits: `-1.5`, `-3`) are left alone: a spreadsheet reads
    /// them as the same number either way, and they must stay numbers. Anything else
    /// beginning with those characters, such as `+1` or `-1+2`, is escaped.
    public static func escape(_ field: String) -> String {
        let isFormula = field.unicodeScalars.first.map(formulaStarts.contains) == true && !isPlainNumber(field)
        let text = isFormula ? "'" + field : field
        guard isFormula || text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// First characters that make a spreadsheet treat a cell as a formula (OWASP).
    static let formulaStarts: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]

    /// Whether `field` is a plain decimal: `-?[0-9]+(\.[0-9]+)?`.
    static func isPlainNumber(_ field: String) -> Bool {
        var bytes = field.utf8[...]
        if bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        let isDigit = { (c: UInt8) in c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }
        let whole = bytes.prefix(while: isDigit)
        guard !whole.isEmpty else { return false }
        bytes = bytes.dropFirst(whole.count)
        if bytes.isEmpty { return true }
        guard bytes.first == UInt8(ascii: ".") else { return false }
        bytes = bytes.dropFirst()
        return !bytes.isEmpty && bytes.allSatisfy(isDigit)
    }

    /// A number as plain text, the one formatter for tables and messages: integers without a
    /// decimal point, others with up to `digits` decimals and no trailing zeros, never "-0";
    /// non-finite values give "" (a table's empty cell).
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
