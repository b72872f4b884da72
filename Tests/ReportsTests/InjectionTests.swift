import Foundation
import Testing
import TestSupport
@testable import Reports
import Scenario

/// Text from the inputs is neutralised where it goes (docs/RELIABILITY.md): CSV cells a
/// spreadsheet would run as formulas are written as text, and the terminal summary escapes
/// control characters. The run renames the fixture districts (`Runs.injectedNames`): Manchester
/// is `=HYPERLINK("http://x","y")` with code `+1`, Salford holds ESC [2J and a line break.
@Suite("Formula and escape injection")
struct InjectionTests {
    static func csv(_ name: String) throws -> String {
        try String(contentsOf: try Runs.injection.get().folder.appendingPathComponent(name), encoding: .utf8)
    }

    @Test func authoritiesCSVWritesFormulasAsText() throws {
        let text = try Self.csv("authorities.csv")
        // The code `+1` and the name as one quoted text cell each, a single quote first.
        #expect(text.contains("\n\"'+1\",\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\","), "\(text.prefix(600))")
        #expect(text.contains(",\"'@SUM(1+1)\","))
        // No cell starts a formula: no line or cell begins with = + - @ unless it is a number.
        for (n, line) in text.split(separator: "\n").enumerated() {
            for cell in line.split(separator: ",", omittingEmptySubsequences: false) {
                guard let first = cell.first, "=+-@".contains(first) else { continue }
                #expect(Double(cell) != nil, "line \(n + 1): cell \(cell) would run as a formula")
            }
        }
        // Numbers are never prefixed.
        #expect(text.range(of: "'-?[0-9]", options: .regularExpression) == nil)
    }

    @Test func buildAreasCSVWritesFormulasAsText() throws {
        let text = try Self.csv("build_areas.csv")
        let rows = text.split(separator: "\n").dropFirst()
        let manchester = rows.filter { $0.hasPrefix("\"'+1/") }
        #expect(!manchester.isEmpty, "no Manchester build areas")
        // id `+1/<x>_<y>`, then the authority code `+1`, both as text.
        #expect(manchester.allSatisfy { $0.range(of: "^\"'\\+1/[0-9]+_[0-9]+\",\"'\\+1\",[0-9]", options: .regularExpression) != nil })
        #expect(!rows.contains { $0.hasPrefix("+") })
        #expect(text.range(of: "'-?[0-9]", options: .regularExpression) == nil)
    }

    /// ESC [2J would clear the screen, the line break would forge a row: both are escaped as
    /// error messages escape them.
    @Test func terminalSummaryEscapesControlCharacters() throws {
        let run = try Runs.injection.get()
        let text = TerminalSummary.text(run.result, outputDirectory: run.folder.path)
        #expect(!text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
        let salford = text.split(separator: "\n").filter { $0.contains("Salford") }
        #expect(salford.count == 1)
        #expect(salford.first?.contains("Salford\\u{1B}[2J\\nEccles") == true, "\(text)")
        #expect(text.contains("+1"))
    }

    /// Counts of any size are grouped without converting to Int (9.22e18 trapped there).
    @Test("terminal counts of any size", arguments: [
        (1_234_567.4, "1,234,567"), (9.22e18, "9,220,000,000,000,000,000"), (-1500, "−1,500"),
        (Double.infinity, "–"), (Double.nan, "–"),
    ])
    func groupedCounts(value: Double, text: String) {
        #expect(TerminalSummary.group(value) == text)
    }
}
