import Foundation
import Reports
import RunStore
import RunSummary
import Testing
@testable import Batch

@Suite("batch report")
struct BatchReportPageTests {
    /// Runs without results (failed, still running, finished but unreadable) are listed with
    /// the reason, escaped, in the catalogue's order; none is compared.
    @Test func runsWithoutResultsAreListedWithTheReason() throws {
        let w = try Workspace("batch-report")
        let a = try w.scenario("a.yaml", name: "Alpha <b>")
        let b = try w.scenario("b.yaml", name: "Beta")
        let c = try w.scenario("c.yaml", name: "Gamma")
        let variants = try w.variants([a, b, c])
        let folder = w.url("batch")
        let catalogue = try RunCatalogue.open(path: w.path("runs.sqlite"))
        let ids = try variants.map { try #require(try catalogue.beginRun(.started($0, folder: folder)).id) }
        try catalogue.failRun(id: ids[0], error: "premises.csv:3: x is <not> a number", exitCode: 2, finishedAt: Date())
        try catalogue.finishRun(id: ids[2], summary: Summaries.with(inputs: []), finishedAt: Date())

        let (html, compared) = try BatchReport.page(catalogue: catalogue, folder: folder)
        #expect(compared == 0)
        let section = try #require(html.range(of: "<section id=\"without-results\">").map { String(html[$0.lowerBound...]) })
        let rows = section.components(separatedBy: "<tr><td>").dropFirst()
        #expect(rows.count == 3)
        #expect(rows.first?.hasPrefix("Alpha &lt;b&gt;</td><td>failed</td><td>premises.csv:3: x is &lt;not&gt; a number</td>") == true)
        #expect(rows.dropFirst().first?.hasPrefix("Beta</td><td>running</td><td>not finished</td>") == true)
        #expect(rows.last?.contains("Gamma</td><td>finished</td><td>outputs unreadable: ") == true)
        #expect(rows.last?.contains("summary.json: cannot read") == true)
        #expect(html.hasSuffix("</section>\n</main>\n</body>\n</html>\n"))
    }

    @Test func withEveryRunReadableThereIsNoSuchSection() {
        #expect(!HTMLReport.batchPage([]).contains("without-results"))
    }

    @Test func runsAreOrderedByFileThenNumbersAsNumbers() {
        func record(_ file: String, _ name: String) -> RunRecord {
            RunRecord(scenarioName: name, safeName: name, scenarioFile: file, scenarioHash: String(repeating: "a", count: 64),
                      settingsJSON: "{}", toolVersion: "0", outputDir: "/o", startedAt: Date())
        }
        let runs = [record("/b.yaml", "b-1"), record("/a.yaml", "a-budget-10000"), record("/a.yaml", "a-budget-500")]
        #expect(BatchReport.ordered(runs).map(\.safeName) == ["a-budget-500", "a-budget-10000", "b-1"])
    }
}
