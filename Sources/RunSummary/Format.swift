import Foundation

/// Numbers formatted for people: thousands separators, money in £m with 2 decimals,
/// percentages with 1 decimal. Every figure in the HTML reports, the terminal summaries and
/// the warnings goes through these (here, below both Scenario and Reports, so there is one copy).
public enum Format {
    /// A count rounded to a whole number, with thousands separators: `1,128,066`.
    public static func count(_ v: Double) -> String {
        guard v.isFinite else { return "–" }
        let rounded = v.rounded()
        return grouped(String(format: "%.0f", abs(rounded)), negative: rounded < 0)
    }

    /// Pounds as millions with 2 decimals: `£33.36m`, `£1,234.50m`.
    public static func millions(_ gbp: Double) -> String {
        guard gbp.isFinite else { return "–" }
        let text = String(format: "%.2f", abs(gbp) / 1e6)
        let parts = text.split(separator: ".", maxSplits: 1)
        let whole = grouped(String(parts[0]), negative: false)
        let sign = gbp < 0 && text != "0.00" ? "−" : ""
        return "\(sign)£\(whole).\(parts.count > 1 ? String(parts[1]) : "00")m"
    }

    /// A share (0–1) as a percentage with 1 decimal: `85.1%`.
    public static func percent(_ share: Double) -> String {
        guard share.isFinite else { return "–" }
        var s = String(format: "%.1f", share * 100)
        if s == "-0.0" { s = "0.0" }
        return s + "%"
    }

    /// A number with `decimals` decimals and thousands separators: `1,275.9`.
    public static func decimal(_ v: Double, decimals: Int = 1) -> String {
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
