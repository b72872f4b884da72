import Foundation
import Testing
import TestSupport

/// `bbplan inspect` on a CSV reads the rows through to count them; on a terminal it says so
/// on stderr, and nowhere else.
@Suite("bbplan inspect progress")
struct InspectProgressTests {
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
    func onATerminalTheReadIsAnnounced() throws {
        // script(1) gives bbplan a pseudo-terminal, so stderr is a TTY.
        let command = [BBPlanBinary.path, "inspect", TestPaths.fixture("exchanges.csv.gz")].map { "'\($0)'" }.joined(separator: " ")
        let (status, text) = try #require(try runTool("/usr/bin/script", ["-qec", command, "/dev/null"]))
        #expect(status == 0, "\(text)")
        #expect(text.contains("reading layer 'exchanges' to count its features"), "\(text)")
        #expect(text.contains("\r\u{1B}[K"), "the progress line is erased in place")
        #expect(text.contains("Point, 34 features"))
    }

    @Test func offATerminalNothingButTheReport() throws {
        let result = try BBPlanBinary.run(["inspect", TestPaths.fixture("exchanges.csv.gz")])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty, "\(result.stderr)")
        #expect(!result.stdout.contains("reading layer"))
    }
}
