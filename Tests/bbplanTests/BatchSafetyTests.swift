import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// `bbplan batch` keeps what the user put in its folder, survives a catalogue locked by
/// another process, stops variants past a time limit, and refuses a catalogue holding values
/// it cannot have written, each in one line.
@Suite("Batch safety")
struct BatchSafetyTests {
    typealias Workspace = BatchTests.Workspace

    static func sqlite(_ file: String, _ sql: String) throws -> String {
        let result = try #require(try runTool("/usr/bin/sqlite3", [file, sql]), "sqlite3 is not installed")
        #expect(result.status == 0, "\(sql): \(result.output)")
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    // MARK: - What the user put in the batch folder

    @Test func aReportTheUserWroteIsKept() throws {
        let w = try BatchTests.workspace(sweep: "rollout.budget_gbp: [500000]")
        #expect(try BatchTests.batch(w).status == 0)
        let report = w.batch.appendingPathComponent("report.html")
        try Data("<p>my own notes on these runs</p>".utf8).write(to: report)
        let again = try BatchTests.batch(w)
        OutputFolderSafetyTests.expectOneLine(again, status: 2, ["\(report.path): not written by bbplan"], "batch")
        let rebuild = try BBPlanBinary.run(["report", w.batch.path])
        OutputFolderSafetyTests.expectOneLine(rebuild, status: 2, ["\(report.path): not written by bbplan"], "report")
        #expect(try String(contentsOf: report, encoding: .utf8) == "<p>my own notes on these runs</p>")
    }

    @Test func aUserFolderNamedLikeAVariantIsKept() throws {
        let w = try BatchTests.workspace(sweep: "rollout.budget_gbp: [500000]")
        #expect(try BatchTests.batch(w).status == 0)
        let catalogue = try Data(contentsOf: w.batch.appendingPathComponent("runs.sqlite"))
        let mine = w.batch.appendingPathComponent("small-budget-gbp-1000000")
        try FileManager.default.createDirectory(at: mine, withIntermediateDirectories: true)
        try Data("analysis".utf8).write(to: mine.appendingPathComponent("analysis.txt"))
        try w.scenario("small.yaml", BatchTests.scenario(name: "Small", sweep: "rollout.budget_gbp: [500000, 1000000]"))
        let result = try BatchTests.batch(w)
        OutputFolderSafetyTests.expectOneLine(result, status: 2, [], "variant folder")
        #expect(result.stderr == "bbplan: \(mine.path)/: holds files bbplan did not write; choose another --out or empty it\n")
        #expect(OutputFolderSafetyTests.listing(mine.path) == ["analysis.txt"])
        #expect(try Data(contentsOf: w.batch.appendingPathComponent("runs.sqlite")) == catalogue, "nothing ran")

        // A variant folder bbplan wrote, with a file the user added, is refused the same way.
        try FileManager.default.removeItem(at: mine)
        let done = w.batch.appendingPathComponent("small-budget-gbp-500000")
        try Data("mine".utf8).write(to: done.appendingPathComponent("notes.txt"))
        OutputFolderSafetyTests.expectOneLine(try BatchTests.batch(w), status: 2, ["\(done.path)/: holds files bbplan did not write"])
        #expect(try String(contentsOf: done.appendingPathComponent("notes.txt"), encoding: .utf8) == "mine")
    }

    @Test func aFolderOfUserFilesIsNotABatchFolder() throws {
        let w = try BatchTests.workspace()
        try FileManager.default.createDirectory(at: w.batch, withIntermediateDirectories: true)
        try Data("mine".utf8).write(to: w.batch.appendingPathComponent("thesis.docx"))
        let result = try BatchTests.batch(w)
        OutputFolderSafetyTests.expectOneLine(result, status: 2, ["\(w.batch.path)/: holds files bbplan did not write"])
        #expect(OutputFolderSafetyTests.listing(w.batch.path) == ["thesis.docx"])
        // The working folder and the scenario's folder are refused outright.
        let here = try BBPlanBinary.run(["batch", w.path("small.yaml"), "--out", "."], in: w.root.path)
        OutputFolderSafetyTests.expectOneLine(here, status: 2, ["--out .: is the working folder"])
    }

    // MARK: - The catalogue under stress

    /// Another process holds the catalogue's write lock (`BEGIN EXCLUSIVE` in sqlite3) for
    /// longer than SQLite's busy timeout used to wait (30 s), while the batch's other variants
    /// finish. They are recorded once the lock is released; nothing is left `running`.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3")))
    func aCatalogueLockedMidBatchDelaysTheRecordsOnly() throws {
        let w = try BatchTests.workspace()
        let log = w.path("batch.stderr")
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let batch = Process()
        batch.executableURL = URL(fileURLWithPath: BBPlanBinary.path)
        batch.arguments = ["batch", w.path("small.yaml"), "--out", w.batch.path, "--jobs", "1"]
        batch.standardOutput = FileHandle.nullDevice
        batch.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        try batch.run()

        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline, batch.isRunning,
              !(((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").contains("[1/3] finished")) {
            usleep(50_000)
        }
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        holder.arguments = [w.batch.appendingPathComponent("runs.sqlite").path]
        let input = Pipe(), output = Pipe()
        holder.standardInput = input
        holder.standardOutput = output
        try holder.run()
        input.fileHandleForWriting.write(Data(".timeout 10000\nBEGIN EXCLUSIVE;\nSELECT 'locked';\n".utf8))
        var answer = Data()
        while !String(decoding: answer, as: UTF8.self).contains("locked") {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            answer += chunk
        }
        #expect(String(decoding: answer, as: UTF8.self).contains("locked"))
        Thread.sleep(forTimeInterval: 36)
        input.fileHandleForWriting.write(Data("COMMIT;\n".utf8))
        try input.fileHandleForWriting.close()
        holder.waitUntilExit()
        batch.waitUntilExit()

        let stderr = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        #expect(batch.terminationStatus == 0, "\(stderr)")
        #expect(stderr.contains("is locked by another process; results are kept and recorded when it is free"), "\(stderr)")
        #expect(stderr.contains("catalogue free again: recorded"), "\(stderr)")
        let runs = try BatchTests.catalogue(w)
        #expect(Set(runs.keys) == Set(BatchTests.variants))
        #expect(runs.values.allSatisfy { $0["status"] as? String == "finished" }, "\(runs.mapValues { $0["status"] ?? "-" })")
    }

    @Test func aVariantPastTheTimeLimitIsStoppedAndRecordedFailed() throws {
        // 100,000 uncertainty runs take over a minute; the limit stops it after 4 s.
        let w = try BatchTests.workspace(sweep: "uncertainty.runs: [100000]")
        let result = try BatchTests.batch(w, ["--variant-timeout", "4"])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(BatchTests.outcomes(result.stdout) == ["small-runs-100000": "failed"])
        let stopped = try #require(try BatchTests.catalogue(w)["small-runs-100000"])
        #expect(stopped["status"] as? String == "failed")
        #expect(stopped["error"] as? String == "timed out after 4 s")
        #expect(stopped["exit_code"] as? Int == 128 + Int(SIGTERM))
        // The stopped worker's temporary folder is gone; its variant has no folder.
        #expect(OutputFolderSafetyTests.listing(w.batch.path) == [".baseline-cache", ".bbplan-manifest.json", "report.html", "runs.sqlite"])

        let bad = try BatchTests.batch(w, ["--variant-timeout", "0"])
        #expect(bad.status == 2 && bad.stderr.contains("--variant-timeout"), "\(bad.stderr)")
    }

    /// Values bbplan cannot have written: text where a number belongs (SQLite's CHECK lets
    /// 'lots' >= 0 pass), and, with CHECK constraints switched off, an unknown status and a
    /// share above 1. Each is refused in one line, the catalogue left as it was.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3")),
          arguments: [
            ("UPDATE runs SET households = 'lots'", "runs row 1: households holds 'lots', expected a number ≥ 0"),
            ("PRAGMA ignore_check_constraints = ON; UPDATE runs SET status = 'paused'",
             "runs row 1: status holds 'paused', expected running, finished or failed"),
            ("PRAGMA ignore_check_constraints = ON; UPDATE runs SET superfast_share_after = 5",
             "runs row 1: superfast_share_after holds 5.0, expected a share from 0 to 1"),
            ("UPDATE run_inputs SET features = 'many' WHERE role = 'premises'", "features holds 'many', expected a whole number ≥ 0"),
          ])
    func unexpectedCatalogueValuesAreRefusedInOneLine(_ damage: String, _ reason: String) throws {
        let w = try BatchTests.workspace(sweep: "rollout.budget_gbp: [500000]")
        #expect(try BatchTests.batch(w).status == 0)
        let catalogue = w.batch.appendingPathComponent("runs.sqlite")
        _ = try Self.sqlite(catalogue.path, damage)
        let bytes = try Data(contentsOf: catalogue)
        for arguments in [["report", w.batch.path], ["report", w.batch.path, "--json"],
                          ["batch", w.path("small.yaml"), "--out", w.batch.path]] {
            let result = try BBPlanBinary.run(arguments)
            OutputFolderSafetyTests.expectOneLine(result, status: 2, ["\(catalogue.path): the run catalogue is damaged (", reason],
                                                  arguments.joined(separator: " "))
        }
        #expect(try Data(contentsOf: catalogue) == bytes, "left as it was")
    }
}
