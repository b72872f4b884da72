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
        let isFormula = field.utf8.first.map(startsFormula) == true && !isPlainNumber(field)
        let text = isFormula ? "'" + field : field
        // By byte, not by Character: "\r\n" is one Character, equal to neither "\r" nor "\n".
        guard isFormula || text.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// First bytes that make a spreadsheet treat a cell as a formula (OWASP): `=`, `+`, `-`,
    /// `@`, tab, carriage return.
    static func startsFormula(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D: return true
        default: return false
        }
    }

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
        return fixedDecimals(v, digits: digits) ?? formatted(v, digits: digits)
    }

    /// `number` through printf's `%.Nf`, which rounds the exact binary value; slow on Linux
    /// (about a microsecond a call), so only for what `fixedDecimals` leaves.
    static func formatted(_ v: Double, digits: Int) -> String {
        var s = String(format: "%.\(digits)f", v)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        // A small negative value rounds to "-0", which no table should show.
        return s == "-0" ? "0" : s
    }

    private static let powersOfTen: [Double] = (0...9).map { pow(10, Double($0)) }

    /// `formatted`'s text without printf, or nil where it could differ: |v| × 10^digits is
    /// computed with an error of at most half a unit in its last place, so when its fraction
    /// is further than that from one half, rounding it gives what printf gives by rounding
    /// the exact value. Near a tie, for large values or many digits, nil.
    static func fixedDecimals(_ v: Double, digits: Int) -> String? {
        guard digits >= 0, digits < powersOfTen.count else { return nil }
        let scaled = abs(v) * powersOfTen[digits]
        guard scaled < 1e15 else { return nil }
        let whole = scaled.rounded(.down)
        let fraction = scaled - whole
        guard abs(fraction - 0.5) > 4 * scaled.ulp else { return nil }
        let n = UInt64(whole) + (fraction > 0.5 ? 1 : 0)
        if n == 0 { return "0" }
        let unit = UInt64(powersOfTen[digits])
        var text = (v < 0 ? "-" : "") + String(n / unit)
        var decimals = n % unit
        if decimals == 0 { return text }
        var width = digits
        while decimals % 10 == 0 {
            decimals /= 10
            width -= 1
        }
        let tail = String(decimals)
        text += "." + String(repeating: "0", count: width - tail.count) + tail
        return text
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
