import Foundation

extension RunSummary {
    /// The file name in a run folder.
    public static let fileName = "summary.json"

    /// Decimals summary.json gives a number at a key path (whole numbers are written as
    /// integers whatever the rule):
    /// - areas in km² (keys ending `_km2`, and the values of `gap_area_km2` and
    ///   `coverage_area_km2`), shares (and keys ending `_share`), Mbit/s thresholds, `cost_spread`, `tolerance_m2`: 6;
    /// - seconds (`timings_s`) and `accuracy_m`: 3;
    /// - the settings as read: 10;
    /// - the rest, households and money: 4 (they are whole in practice but for estimated
    ///   households per postcode).
    public static func decimals(at path: [String]) -> Int {
        if path.first == "settings" { return 10 }
        let key = path.last ?? "", parent = path.dropLast().last ?? ""
        if parent == "timings_s" || key == "accuracy_m" { return 3 }
        if key.hasSuffix("_km2") || parent.hasSuffix("_km2") || parent == "share_by_tier" || parent == "tiers_mbps"
            || key.hasSuffix("_mbps") || key.hasSuffix("_share") || key.hasSuffix("_spread") || key == "tolerance_m2" || key.hasPrefix("target_share") {
            return 6
        }
        return 4
    }

    /// summary.json's text: keys in the contract's order, numbers by `decimals(at:)`, two
    /// spaces of indent, a final newline.
    public func rendered() throws -> String {
        try OrderedJSONEncoder(decimals: Self.decimals(at:)).encode(self).rendered() + "\n"
    }

    /// What is wrong with a run folder or its summary.
    public struct LoadError: Error, CustomStringConvertible, Sendable {
        public let description: String
        public init(description: String) { self.description = description }
    }

    /// Parses summary.json; `source` names it in errors ("…/summary.json: totals.premises is
    /// missing").
    public static func decode(_ data: Data, source: String) throws -> RunSummary {
        do {
            return try JSONDecoder().decode(RunSummary.self, from: data)
        } catch let error as DecodingError {
            throw LoadError(description: "\(source): \(Self.describe(error))")
        } catch {
            throw LoadError(description: "\(source): not valid JSON: \(error.localizedDescription)")
        }
    }

    /// Reads `summary.json` in `runFolder`.
    public static func load(runFolder: URL) throws -> RunSummary {
        let url = runFolder.appendingPathComponent(fileName)
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw LoadError(description: "\(url.path): cannot read: \(error.localizedDescription)")
        }
        return try decode(data, source: url.path)
    }

    /// A decoding error as the key path and what is wrong there.
    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [CodingKey]) -> String {
            var out = ""
            for key in keys {
                if let index = key.intValue { out += "[\(index)]" } else { out += out.isEmpty ? key.stringValue : ".\(key.stringValue)" }
            }
            return out.isEmpty ? "top level" : out
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])) is missing"
        case .valueNotFound(_, let context):
            return "\(path(context.codingPath)) is missing"
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)) is not \(expected(type))"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return "not valid JSON" }
            return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "cannot be read: \(error)"
        }
    }

    private static func expected(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Double.Type, is Int.Type: "a number"
        case is Bool.Type: "true or false"
        default: type is [Any].Type ? "an array" : "an object"
        }
    }
}
