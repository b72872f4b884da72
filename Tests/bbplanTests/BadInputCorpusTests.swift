import Foundation
import Testing
import TestSupport

/// Runs bbplan on every case of the bad-input corpus (Tests/Fixtures/bad/scenarios): each
/// names what it expects on its first line. `# expect: TEXT` — `bbplan validate` exits 2 with
/// exactly one line on stderr, starting "bbplan: " and containing TEXT, and nothing on stdout.
/// `# repaired: N` — `bbplan coverage` succeeds and summary.json counts N repairs.
@Suite("Bad-input corpus")
struct BadInputCorpusTests {
    static let folder = TestPaths.fixture("bad/scenarios")

    static var cases: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
    }

    static func expectation(_ file: String) -> String {
        let data = (try? Data(contentsOf: URL(fileURLWithPath: "\(folder)/\(file)"))) ?? Data()
        let first = data.split(separator: UInt8(ascii: "\n")).first.map { String(decoding: $0, as: UTF8.self) } ?? ""
        return first
    }

    @Test func theCorpusIsThere() {
        #expect(Self.cases.count >= 40)
    }

    @Test("refused with one clear line and exit 2", arguments: cases.filter { expectation($0).hasPrefix("# expect: ") })
    func refused(file: String) throws {
        let expected = String(Self.expectation(file).dropFirst("# expect: ".count))
        let result = try BBPlanBinary.run(["validate", "\(Self.folder)/\(file)"], timeoutSeconds: 60)
        #expect(result.status == 2, "\(file): exit \(result.status), stderr: \(result.stderr)")
        let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: true)
        #expect(lines.count == 1, "\(file): \(lines.count) lines: \(result.stderr)")
        #expect(result.stderr.hasPrefix("bbplan: "), "\(file): \(result.stderr)")
        #expect(result.stderr.contains(expected), "\(file): expected '\(expected)' in: \(result.stderr)")
        #expect(result.stdout.isEmpty, "\(file): stdout: \(result.stdout)")
        #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("Stack dump"))
    }

    @Test("repaired and counted, never silent", arguments: cases.filter { expectation($0).hasPrefix("# repaired: ") })
    func repaired(file: String) throws {
        let count = Int(Self.expectation(file).dropFirst("# repaired: ".count)) ?? -1
        let out = TestPaths.temporaryDirectory("repaired").appendingPathComponent("out").path
        let result = try BBPlanBinary.run(["coverage", "\(Self.folder)/\(file)", "--out", out])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\(count) invalid polygon"))
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(out)/summary.json"))) as? [String: Any]
        let repairs = summary?["repairs"] as? [String: Any]
        #expect(repairs?["count"] as? Int == count)
        let items = repairs?["items"] as? [[String: Any]] ?? []
        #expect(items.first?["reason"] as? String ?? "" != "")
    }
}
