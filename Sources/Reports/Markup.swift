import Foundation

/// Escaping for HTML, SVG and XML text and attribute values.
public enum Markup {
    /// `text` with `&`, `<`, `>`, `"` and `'` replaced by character references, safe in element
    /// content and in quoted attribute values. Names and descriptions come from user files.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                // Control characters other than tab and newlines are not allowed in XML 1.0.
                if scalar.value < 0x20 && scalar != "\t" && scalar != "\n" && scalar != "\r" {
                    out += " "
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// A number for SVG coordinates: at most `decimals` decimals, trailing zeros dropped.
    static func coordinate(_ v: Double, decimals: Int = 1) -> String {
        guard v.isFinite else { return "0" }
        var s = String(format: "%.\(decimals)f", v)
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        return s == "-0" ? "0" : s
    }
}

/// Numbers formatted for people: thousands separators, money in £m with 2 decimals,
/// percentages with 1 decimal. Every figure in the HTML reports goes through these.
enum Format {
    /// A count rounded to a whole number, with thousands separators: `1,128,066`.
    static func count(_ v: Double) -> String {
        guard v.isFinite else { return "–" }
        let rounded = v.rounded()
        return grouped(String(format: "%.0f", abs(rounded)), negative: rounded < 0)
    }

    /// Pounds as millions with 2 decimals: `£33.36m`, `£1,234.50m`.
    static func millions(_ gbp: Double) -> String {
        guard gbp.isFinite else { return "–" }
        let text = String(format: "%.2f", abs(gbp) / 1e6)
        let parts = text.split(separator: ".", maxSplits: 1)
        let whole = grouped(String(parts[0]), negative: false)
        let sign = gbp < 0 && text != "0.00" ? "−" : ""
        return "\(sign)£\(whole).\(parts.count > 1 ? String(parts[1]) : "00")m"
    }

    /// A share (0–1) as a percentage with 1 decimal: `85.1%`.
    static func percent(_ share: Double) -> String {
        guard share.isFinite else { return "–" }
        var s = String(format: "%.1f", share * 100)
        if s == "-0.0" { s = "0.0" }
        return s + "%"
    }

    /// A number with `decimals` decimals and thousands separators: `1,275.9`.
    static func decimal(_ v: Double, decimals: Int = 1) -> String {
        guard v.isFinite else { return "–" }
        let text = String(format: "%.\(decimals)f", abs(v))
        let parts = text.split(separator: ".", maxSplits: 1)
        let isZero = Double(text) == 0
        let whole = grouped(String(parts[0]), negative: v < 0 && !isZero)
        return parts.count > 1 ? "\(whole).\(parts[1])" : whole
    }

    /// Inserts a comma every three digits from the right.
    private static func grouped(_ digits: String, negative: Bool) -> String {
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (negative ? "−" : "") + out
    }
}
