import Foundation
import GeoIO
import OutputSafety
import Reports
import RunStore

/// The batch report (report.html in the batch folder): the finished runs of the catalogue
/// compared side by side (`HTMLReport.batchPage`, from each run folder's summary.json), and
/// the runs without results with the reason. Built from the catalogue and the run folders
/// alone, so it can be rebuilt without rerunning anything.
public enum BatchReport {
    static let fileName = BatchFolder.reportName

    /// Writes `folder/report.html` (atomically, and only over a report bbplan wrote) and
    /// returns its path and the number of runs it compares.
    @discardableResult
    public static func write(catalogue: RunCatalogue, folder: URL) throws -> (path: String, runs: Int) {
        let (html, runs) = try page(catalogue: catalogue, folder: folder)
        let url = folder.appendingPathComponent(fileName)
        // Replaced only when the report there is the one bbplan wrote (or there is none).
        let location = OutputLocation(display: folder.path, real: OutputLocation.real(folder.path))
        try BatchFolder.replace(fileName, with: Data(html.utf8), in: location, toolVersion: BBPlanVersion.current,
                                digest: FileDigest.sha256(path:))
        return (url.path, runs)
    }

    /// The report's page and the number of runs it compares: the finished runs whose folder
    /// reads back, in `ordered` order; the others are listed with the reason.
    static func page(catalogue: RunCatalogue, folder: URL) throws -> (html: String, runs: Int) {
        var reported: [ReportedRun] = []
        var withoutResults: [HTMLReport.RunWithoutResults] = []
        for run in ordered(try catalogue.runs()) {
            guard run.status == .finished else {
                withoutResults.append(.init(name: run.scenarioName, status: run.status.rawValue, reason: run.error ?? "not finished"))
                continue
            }
            do {
                reported.append(try ReportedRun.load(runFolder: folder.appendingPathComponent(run.safeName)))
            } catch {
                withoutResults.append(.init(name: run.scenarioName, status: "finished", reason: "outputs unreadable: \(error)"))
            }
        }
        return (HTMLReport.batchPage(reported, withoutResults: withoutResults), reported.count)
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
