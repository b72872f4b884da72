import Foundation
import Testing
import TestSupport

/// Kills `bbplan run` and `bbplan batch` with SIGKILL at random moments and checks that
/// every output folder is always either absent or complete and valid (never half-written),
/// that no file bbplan did not write is ever deleted or changed, that the run catalogue stays
/// sound, and that a later run clears what killed ones left.
@Suite("Crash safety", .serialized)
struct CrashSafetyTests {
    /// The Cumbria programme with fewer uncertainty runs, to keep the test quick.
    static let scenario: String = {
        let dir = TestPaths.temporaryDirectory("crash-scenario")
        let path = dir.appendingPathComponent("quick.yaml").path
        let text = "extends: \(TestPaths.repo("Scenarios/cumbria-superfast.yaml"))\nname: Crash test\nuncertainty: { runs: 10 }\n"
        try? text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }()

    /// The files a complete run of the scenario writes.
    static let expectedFiles = ["summary.json", "authorities.csv", "gap_clusters.csv", "years.csv", "build_areas.csv",
                                "coverage.gpkg", "authorities.geojson", "build_areas.geojson", "report.html"]

    /// Files of the user's around the output folder, including a folder named like one of
    /// bbplan's set-aside folders but without its marker.
    static func plantUserFiles(in folder: URL) throws -> [String: Data] {
        let files = ["notes.txt": "my notes", "keep/data.csv": "a,b\n1,2\n",
                     ".result.bbplan-old-999999-0123abcd/mine.txt": "not bbplan's"]
        var planted: [String: Data] = [:]
        for (name, text) in files {
            let url = folder.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
            planted[url.path] = Data(text.utf8)
        }
        return planted
    }

    static func expectUntouched(_ planted: [String: Data], _ comment: String) {
        for (path, data) in planted {
            #expect(FileManager.default.contents(atPath: path) == data, "\(comment): \(path) was deleted or changed")
        }
    }

    @Test func killedRunsLeaveNothingHalfWritten() throws {
        let root = TestPaths.temporaryDirectory("crash")
        let out = root.appendingPathComponent("result").path
        let planted = try Self.plantUserFiles(in: root)
        // How long a full run takes here, to spread the kills over it.
        let start = Date()
        let full = try BBPlanBinary.run(["run", Self.scenario, "--out", out])
        #expect(full.status == 0, "\(full.stderr)")
        let duration = max(0.5, Date().timeIntervalSince(start))
        try checkComplete(out)

        var state: UInt64 = 2026
        var killedWhileAbsent = 0, killedWithOldResults = 0
        for round in 0..<20 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let fraction = Double(state >> 11) / Double(1 << 53)
            // Every fourth round starts without previous results, the others over them.
            if round % 4 == 0 { try? FileManager.default.removeItem(atPath: out) }
            let hadResults = FileManager.default.fileExists(atPath: out)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: BBPlanBinary.path)
            process.arguments = ["run", Self.scenario, "--out", out]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            Thread.sleep(forTimeInterval: fraction * duration * 1.1)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            if FileManager.default.fileExists(atPath: out) {
                try checkComplete(out)
                if hadResults { killedWithOldResults += 1 }
            } else {
                killedWhileAbsent += 1
            }
            Self.expectUntouched(planted, "round \(round)")
        }
        #expect(killedWhileAbsent + killedWithOldResults > 0)
        // A new run succeeds and removes the temporary folders the killed runs left.
        let again = try BBPlanBinary.run(["run", Self.scenario, "--out", out])
        #expect(again.status == 0, "\(again.stderr)")
        try checkComplete(out)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.hasPrefix(".result.") }
        #expect(leftovers == [".result.bbplan-old-999999-0123abcd"], "left behind: \(leftovers)")
        Self.expectUntouched(planted, "after the final run")
    }

    /// Kills `bbplan batch` (and its workers) at random moments; after every kill the
    /// catalogue passes SQLite's integrity and foreign-key checks and every variant folder is
    /// absent or complete; a final batch finishes everything.
    @Test func killedBatchesKeepTheCatalogueSound() throws {
        let w = try BatchTests.workspace()
        let timing = try BatchTests.workspace()
        let start = Date()
        #expect(try BatchTests.batch(timing).status == 0)
        let duration = max(1, Date().timeIntervalSince(start))
        // A finished batch first, then the user's files in and around its folder.
        let sweep = try String(contentsOfFile: w.path("small.yaml"), encoding: .utf8)
        try w.scenario("small.yaml", BatchTests.scenario(name: "Small", sweep: "rollout.budget_gbp: [250000]"))
        #expect(try BatchTests.batch(w).status == 0)
        try w.scenario("small.yaml", sweep)
        var planted = try Self.plantUserFiles(in: w.root)
        planted[w.batch.appendingPathComponent("notes.txt").path] = Data("my notes".utf8)
        try Data("my notes".utf8).write(to: w.batch.appendingPathComponent("notes.txt"))

        var state: UInt64 = 1127
        for _ in 0..<20 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let fraction = Double(state >> 11) / Double(1 << 53)
            let batch = try GroupProcess.spawn(
                BBPlanBinary.path, ["batch", w.path("small.yaml"), "--out", w.batch.path, "--jobs", "2"],
                stdout: w.path("out.txt"), stderr: w.path("err.txt"))
            Thread.sleep(forTimeInterval: fraction * duration)
            batch.killGroup()
            let catalogue = w.batch.appendingPathComponent("runs.sqlite").path
            if FileManager.default.fileExists(atPath: catalogue) {
                #expect(try sqlite(catalogue, "PRAGMA integrity_check") == "ok")
                #expect(try sqlite(catalogue, "PRAGMA foreign_key_check") == "")
            }
            for folder in (try? FileManager.default.contentsOfDirectory(atPath: w.batch.path)) ?? []
            where !folder.hasPrefix(".") && !folder.contains(".") {
                // The batch test scenario writes CSV only (outputs: {formats: [csv]}).
                try checkComplete(w.batch.appendingPathComponent(folder).path, files: ["summary.json", "authorities.csv", "gap_clusters.csv", "years.csv", "build_areas.csv"])
            }
            Self.expectUntouched(planted, "batch round")
        }
        let final = try BatchTests.batch(w)
        #expect(final.status == 0, "\(final.stderr)")
        let catalogue = w.batch.appendingPathComponent("runs.sqlite").path
        #expect(try sqlite(catalogue, "SELECT count(*) FROM runs WHERE status = 'finished'") == "4")
        #expect(try sqlite(catalogue, "PRAGMA integrity_check") == "ok")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: w.batch.path).filter { $0.hasPrefix(".") }
        #expect(leftovers.sorted() == [".baseline-cache", ".bbplan-manifest.json"], "left behind: \(leftovers)")
        // Kills while a worker wrote the shared baseline leave no temporary or damaged entry behind.
        let cache = try FileManager.default.contentsOfDirectory(atPath: w.batch.appendingPathComponent(".baseline-cache").path)
        #expect(cache.filter { !$0.hasSuffix(".baseline") && !$0.hasSuffix(".lock") }.isEmpty, "\(cache)")
        Self.expectUntouched(planted, "after the final batch")
    }

    func sqlite(_ file: String, _ sql: String) throws -> String {
        let result = try #require(try runTool("/usr/bin/sqlite3", [file, sql]), "sqlite3 is not installed")
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func checkComplete(_ dir: String, files: [String] = expectedFiles) throws {
        for file in files {
            #expect(FileManager.default.fileExists(atPath: "\(dir)/\(file)"), "\(file) missing from \(dir)")
        }
        // The manifest lists exactly the files there, with their sizes.
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(dir)/.bbplan-manifest.json"))) as? [String: Any]
        let listed = (manifest?["files"] as? [[String: Any]]) ?? []
        let present = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0 != ".bbplan-manifest.json" }
        #expect(Set(listed.compactMap { $0["path"] as? String }) == Set(present), "\(dir): manifest and files differ")
        for entry in listed {
            let size = try FileManager.default.attributesOfItem(atPath: "\(dir)/\(entry["path"] as? String ?? "")")[.size] as? Int
            #expect(size == entry["bytes"] as? Int, "\(dir): \(entry)")
        }
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(dir)/summary.json"))) as? [String: Any]
        #expect(summary?["totals"] != nil && summary?["authorities"] != nil)
        if files.contains("coverage.gpkg") {
            let answer = try sqlite("\(dir)/coverage.gpkg", "PRAGMA integrity_check")
            #expect(answer == "ok", "\(dir)/coverage.gpkg: \(answer)")
        }
    }
}
