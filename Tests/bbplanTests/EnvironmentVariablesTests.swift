import Foundation
import Testing
import TestSupport

/// Every environment variable that bbplan, its tests or its scripts read is in the README's
/// tables: found by reading the code, so a new one cannot go undocumented.
@Suite("Environment variables are documented")
struct EnvironmentVariablesTests {
    /// Ways the code reads a variable: Swift, C, shell `${NAME:-default}`, Python, and any
    /// BBPLAN_ name at all.
    static let patterns = [
        #"environment\["([A-Z][A-Z0-9_]*)"\]"#, #"getenv\("([A-Z][A-Z0-9_]*)"\)"#, #"\$\{([A-Z][A-Z0-9_]*):?-"#,
        #"environ\.get\("([A-Z][A-Z0-9_]*)""#, #"environ\["([A-Z][A-Z0-9_]*)"\]"#, #"\b(BBPLAN_[A-Z0-9_]+)"#,
    ].compactMap { try? NSRegularExpression(pattern: $0) }

    /// Variable name → a file that reads it.
    static func variablesRead() -> [String: String] {
        var found: [String: String] = [:]
        for folder in ["Sources", "Tests", "scripts"] {
            let root = TestPaths.repo(folder)
            guard let walker = FileManager.default.enumerator(atPath: root) else { continue }
            // This file names the patterns, not variables.
            for case let relative as String in walker where !relative.contains("__pycache__") && !relative.hasSuffix("EnvironmentVariablesTests.swift") {
                guard let text = try? String(contentsOfFile: "\(root)/\(relative)", encoding: .utf8) else { continue }
                let range = NSRange(text.startIndex..., in: text)
                for pattern in patterns {
                    for match in pattern.matches(in: text, range: range) {
                        guard let r = Range(match.range(at: 1), in: text) else { continue }
                        found[String(text[r])] = "\(folder)/\(relative)"
                    }
                }
            }
        }
        return found
    }

    @Test func everyVariableReadIsInTheReadme() throws {
        let readme = try String(contentsOfFile: TestPaths.repo("README.md"), encoding: .utf8)
        let read = Self.variablesRead()
        // The ones known today must be found, or the scan itself is broken.
        for name in ["BBPLAN_PROJ_GRIDS", "BBPLAN_THREADS", "COLUMNS", "BBPLAN_BIN", "BBPLAN_TEST_TMP"] {
            #expect(read[name] != nil, "the scan did not find \(name)")
        }
        for (name, file) in read.sorted(by: { $0.key < $1.key }) {
            #expect(readme.contains("| `\(name)` |"), "\(name) (read in \(file)) is not in README.md's environment tables")
        }
    }
}
