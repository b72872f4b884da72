import ArgumentParser
import Batch
import Foundation
import GeoIO
import RunStore

/// `bbplan report DIR`: rebuilds a batch folder's report.html from its run catalogue.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Rebuild a batch folder's report.html from its run catalogue, without rerunning.",
        discussion: "Prints one line per catalogued run, or with --json the catalogue's runs (with their inputs and authorities) as JSON.")

    @Argument(help: "The batch folder (holding runs.sqlite).")
    var folder: String

    @Flag(help: "Print the catalogue's runs as JSON.")
    var json = false

    func run() throws {
        let url = URL(fileURLWithPath: folder).standardizedFileURL
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CommandFailure(message: "\(url.path): not a batch folder (run bbplan batch first)", code: 2)
        }
        let catalogue = try RunCatalogue.open(path: url.appendingPathComponent(RunCatalogue.fileName).path, create: false)
        let report = try BatchReport.write(catalogue: catalogue, folder: url)
        let runs = try catalogue.runs()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .iso8601
            let listing = Listing(catalogue: catalogue.path, report: report.path,
                                  runs: try runs.map { run in
                                      Listing.Run(run: run, inputs: try run.id.map { try catalogue.inputs(runID: $0) } ?? [],
                                                  authorities: try run.id.map { try catalogue.authorities(runID: $0) } ?? [])
                                  })
            print(String(decoding: try encoder.encode(listing), as: UTF8.self))
        } else {
            for run in runs {
                var line = "  \(run.status.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) \(run.safeName)"
                if let error = run.error { line += ": \(error)" }
                print(line)
            }
            print("report: \(report.path) (\(Noun.run.counted(report.runs)))")
        }
    }

    /// The JSON form: the catalogue's rows as they are stored.
    struct Listing: Encodable {
        struct Run: Encodable {
            let run: RunRecord
            let inputs: [RunInputRecord]
            let authorities: [RunAuthorityRecord]

            func encode(to encoder: Encoder) throws {
                try run.encode(to: encoder)
                var container = encoder.container(keyedBy: Key.self)
                try container.encode(inputs, forKey: .inputs)
                try container.encode(authorities, forKey: .authorities)
            }

            enum Key: String, CodingKey { case inputs, authorities }
        }

        let catalogue: String
        let report: String
        let runs: [Run]
    }
}
