import Foundation
import GeoIO
import Scenario

/// The properties the fuzzers check, shared by the libFuzzer executables (Fuzz/) and the
/// corpus replay tests. Each returns nil when the property holds, or what went wrong.
public enum FuzzHarness {
    /// The scenario parser on arbitrary bytes: it either returns a scenario or throws a
    /// `ScenarioError` whose message is one line; it never crashes or hangs (limits on size,
    /// depth and alias expansion apply before the YAML parser).
    public static func scenario(_ data: [UInt8]) -> String? {
        guard let text = String(bytes: data, encoding: .utf8) else { return nil }
        do {
            let s = try ScenarioFile.parse(text: text, file: "/fuzz/scenario.yaml")
            if s.name.isEmpty { return "accepted a scenario without a name" }
            if let r = s.rollout, s.model.tiers[r.targetTier] == nil { return "accepted an undefined target tier" }
            _ = try ScenarioFile.expand(s)
            return nil
        } catch let e as ScenarioError {
            return oneLine(e.description)
        } catch {
            return "unexpected error type \(type(of: error)): \(error)"
        }
    }

    /// The CSV point reader on arbitrary bytes: a table whose columns all have the same length
    /// and whose coordinates are finite, or a one-line `GeoIOError` naming a line.
    public static func csv(_ data: [UInt8]) -> String? {
        let spec = CSVPointSpec(x: "x", y: "y", numberColumns: ["h"], textColumns: ["id"])
        do {
            let t = try CSVPointReader.read(bytes: data, name: "fuzz.csv", spec: spec)
            let n = t.count
            if t.ys.count != n || t.numbers["h"]?.count != n || t.texts["id"]?.count != n {
                return "columns of different lengths"
            }
            if !t.xs.allSatisfy(\.isFinite) || !t.ys.allSatisfy(\.isFinite) { return "a non-finite coordinate was accepted" }
            return nil
        } catch let e as GeoIOError {
            return oneLine(e.description)
        } catch {
            return "unexpected error type \(type(of: error)): \(error)"
        }
    }

    /// The output-name sanitiser: whatever the scenario name, the folder name is non-empty,
    /// at most 80 characters of [a-z0-9-], starts and ends with a letter or digit, so it can
    /// never hold a separator, "..", NUL or a leading dot.
    public static func outputName(_ data: [UInt8]) -> String? {
        let name = String(decoding: data, as: UTF8.self)
        let safe = Scenario.safeFileName(name)
        if safe.isEmpty || safe.count > 80 { return "bad length \(safe.count) for \(name.debugDescription)" }
        if !safe.unicodeScalars.allSatisfy({ ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") || $0 == "-" }) {
            return "unsafe character in \(safe.debugDescription)"
        }
        if safe.hasPrefix("-") || safe.hasSuffix("-") || safe.contains("--") { return "stray dash in \(safe)" }
        if Scenario.safeFileName(safe) != safe { return "not idempotent: \(safe)" }
        return nil
    }

    /// An error message must be one line (it is printed as `bbplan: <message>`).
    static func oneLine(_ message: String) -> String? {
        message.contains("\n") || message.contains("\r") ? "multi-line error: \(message.debugDescription)" : nil
    }
}
