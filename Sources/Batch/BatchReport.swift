import Foundation
import GeoIO
import OutputSafety
import Reports
import RunStore

/// The batch report (report.html in the batch folder): the finished runs of the catalogue
/// compared side by side (`HTMLReport.batchPage`, from each run folder's summary.json), and
/// the runs without results with the reason. Built from the catalogue and the run folders
/// alone, so it can be rebuilt without rerunning anything.
enum BatchReport {
    static let fileName = BatchFolder.reportName

    /// Writes `folder/report.html` (atomically, and only over a report bbplan wrote) and
    /// returns its path and the number of runs it compares.
    @discardableResult
    static func write(catalogue: RunCatalogue, folder: URL) throws -> (path: String, runs: Int) {
        var summaries: [BatchRunSummary] = []
        var withoutResults: [(name: String, status: String, reason: String)] = []
        for run in ordered(try catalogue.runs()) {
            guard run.status == .finished else {
                withoutResults.append((run.scenarioName, run.status.rawValue, run.error ?? "not finished"))
                continue
            }
            do {
                summaries.append(try BatchRunSummary.load(runFolder: folder.appendingPathComponent(run.safeName)))
            } catch {
                withoutResults.append((run.scenarioName, "finished", "outputs unreadable: \(error)"))
            }
        }
        var html = HTMLReport.batchPage(summaries)
        if !withoutResults.isEmpty {
            var section = "<section id=\"without-results\"><h2>Runs without results</h2><table><thead><tr>"
            section += "<th>scenario</th><th>status</th><th>reason</th></tr></thead><tbody>"
            for r in withoutResults {
                section += "<tr><td>\(Markup.escape(r.name))</td><td>\(r.status)</td><td>\(Markup.escape(r.reason))</td></tr>"
            }
            section += "</tbody></table></section>\n"
            if let end = html.range(of: "</main>", options: .backwards) {
                html.insert(contentsOf: section, at: end.lowerBound)
            } else {
                html += section
            }
        }
        let url = folder.appendingPathComponent(fileName)
        // Replaced only when the report there is the one bbplan wrote (or there is none).
        let location = OutputLocation(display: folder.path, real: OutputLocation.real(folder.path))
        try BatchFolder.replace(fileName, with: Data(html.utf8), in: location, toolVersion: BBPlanVersion.current,
                                digest: FileDigest.sha256(path:))
        return (url.path, summaries.count)
    }

    /// Runs by scenario file, then by name with numbers compared as numbers (so a budget
    /// sweep reads 500000, 1000000, 2000000): the same order however often runs were redone.
    static func ordered(_ runs: [RunRecord]) -> [RunRecord] {
        runs.sorted {
            if $0.scenarioFile != $1.scenarioFile { return $0.scenarioFile < $1.scenarioFile }
            return $0.safeName.compare($1.safeName, options: .numeric) == .orderedAscending
        }
    }

    static func timestamp(_ date: Date) -> String {
        ISO8601DateFormatter().string(from: date)
    }
}
