import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// `bbplan run` never deletes what it did not write, refuses dangerous output folders before
/// any work, reports a full disk, a file size limit or a read-only folder as the machine's
/// failure (exit 1) with the previous results intact, repairs a kill between its renames, and
/// writes into a mount point. Each case deleted files or exited 0 with broken results before.
@Suite("Output folder safety", .serialized)
struct OutputFolderSafetyTests {
    typealias Workspace = BatchTests.Workspace

    /// The small Cumbria scenario (2,000 postcodes) with the given output formats.
    static func workspace(formats: String = "csv") throws -> Workspace {
        let w = try BatchTests.workspace()
        try w.scenario("small.yaml", BatchTests.scenario(name: "Small", sweep: nil)
            .replacingOccurrences(of: "outputs: { formats: [csv] }", with: "outputs: { formats: [\(formats)] }"))
        return w
    }

    /// Every file under `folder` (hidden ones too) with its contents.
    static func snapshot(_ folder: String) -> [String: Data] {
        var files: [String: Data] = [:]
        guard let walker = FileManager.default.enumerator(atPath: folder) else { return files }
        while let relative = walker.nextObject() as? String {
            let path = folder + "/" + relative
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                files[relative] = FileManager.default.contents(atPath: path)
            }
        }
        return files
    }

    static func listing(_ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
    }

    /// The run id in a folder's manifest.
    static func runID(_ folder: String) -> String? {
        guard let data = FileManager.default.contents(atPath: folder + "/.bbplan-manifest.json"),
              let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        return json["run_id"] as? String
    }

    /// Checks a failure: `status`, exactly one line on stderr starting `bbplan: ` and holding
    /// every word, nothing on stdout.
    static func expectOneLine(_ result: CommandResult, status: Int32, _ words: [String], _ comment: String = "") {
        #expect(result.status == status, "\(comment): exit \(result.status): \(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1 && result.stderr.hasPrefix("bbplan: "), "\(comment): \(result.stderr)")
        for word in words { #expect(result.stderr.contains(word), "\(comment): '\(word)' in \(result.stderr)") }
        #expect(result.stdout.isEmpty, "\(comment): \(result.stdout)")
    }

    // MARK: - Refused folders

    @Test func aFolderOfUserFilesIsRefusedAndKept() throws {
        let w = try Self.workspace()
        let mine = w.root.appendingPathComponent("mine")
        try FileManager.default.createDirectory(at: mine.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try Data("my thesis".utf8).write(to: mine.appendingPathComponent("thesis.docx"))
        try Data("notes".utf8).write(to: mine.appendingPathComponent("sub/notes.txt"))
        // A results folder of the previous bbplan (no manifest) is the user's too now.
        let old = w.root.appendingPathComponent("old")
        try FileManager.default.createDirectory(at: old, withIntermediateDirectories: true)
        try Data("{}".utf8).write(to: old.appendingPathComponent("summary.json"))
        try Data("code,name\n".utf8).write(to: old.appendingPathComponent("authorities.csv"))
        let before = Self.snapshot(w.root.path)

        for (command, folder) in [("run", mine), ("coverage", mine), ("run", old)] {
            let result = try BBPlanBinary.run([command, w.path("small.yaml"), "--out", folder.path])
            Self.expectOneLine(result, status: 2, [], "\(command) \(folder.lastPathComponent)")
            #expect(result.stderr == "bbplan: \(folder.path)/: holds files bbplan did not write; choose another --out or empty it\n")
        }
        let validate = try BBPlanBinary.run(["validate", w.path("small.yaml"), "--out", mine.path])
        Self.expectOneLine(validate, status: 2, ["holds files bbplan did not write"], "validate")
        #expect(Self.snapshot(w.root.path) == before, "every file kept, nothing added")
    }

    @Test func emptyDotAndTheScenariosFolderAreRefused() throws {
        let w = try Self.workspace()
        let elsewhere = TestPaths.temporaryDirectory("elsewhere").path
        let before = Self.snapshot(w.root.path)
        let cases: [(out: String, cwd: String, words: [String])] = [
            ("", w.root.path, [#"--out "": an empty folder name"#]),
            (".", w.root.path, ["--out .: is the working folder"]),
            (w.root.path, elsewhere, ["is the folder of the scenario file \(w.path("small.yaml"))"]),
            (w.path("cumbria.gpkg"), elsewhere, ["is the input \(w.path("cumbria.gpkg"))"]),
        ]
        for c in cases {
            let result = try BBPlanBinary.run(["run", w.path("small.yaml"), "--out", c.out], in: c.cwd)
            Self.expectOneLine(result, status: 2, c.words, "--out '\(c.out)'")
            #expect(Self.snapshot(w.root.path) == before, "--out '\(c.out)': every file kept")
        }
        #expect(Self.listing(elsewhere).isEmpty)
    }

    @Test func outputsDirMayNotClimbAboveTheScenario() throws {
        let w = try Self.workspace()
        let deep = w.root.appendingPathComponent("a/b")
        try FileManager.default.createDirectory(at: deep, withIntermediateDirectories: true)
        func scenario(_ dir: String) throws -> (path: String, line: Int) {
            let text = BatchTests.scenario(name: "Deep", sweep: nil)
                .replacingOccurrences(of: "source: ", with: "source: ../../")
                .replacingOccurrences(of: "fibre_nodes: ", with: "fibre_nodes: ../../")
                .replacingOccurrences(of: "outputs: { formats: [csv] }", with: "outputs: { dir: \(dir), formats: [csv] }")
            let path = deep.appendingPathComponent("s.yaml").path
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            let line = (text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("outputs:") } ?? -1) + 1
            return (path, line)
        }
        let elsewhere = TestPaths.temporaryDirectory("cwd").path
        let (file, line) = try scenario("../..")
        let before = Self.snapshot(w.root.path)
        for command in ["run", "validate"] {
            let result = try BBPlanBinary.run([command, file], in: elsewhere)
            Self.expectOneLine(result, status: 2, ["\(file):\(line): outputs.dir '../..': leaves the scenario's folder"], command)
        }
        // --allow-outside lets it leave, but never into a folder holding the scenario.
        let allowed = try BBPlanBinary.run(["run", file, "--allow-outside"], in: elsewhere)
        Self.expectOneLine(allowed, status: 2, ["outputs.dir '../..': holds the scenario file"], "--allow-outside")
        #expect(Self.snapshot(w.root.path) == before, "every file kept")

        let results = try scenario("../../results").path
        Self.expectOneLine(try BBPlanBinary.run(["run", results], in: elsewhere), status: 2, ["leaves the scenario's folder"])
        let outside = try BBPlanBinary.run(["run", results, "--allow-outside"], in: elsewhere)
        #expect(outside.status == 0, "\(outside.stderr)")
        #expect(Set(Self.listing(w.path("results"))) == [".bbplan-manifest.json", "summary.json", "authorities.csv", "gap_clusters.csv", "years.csv", "build_areas.csv"])
        // --out overrides outputs.dir, so the scenario's rule does not apply.
        let overridden = try BBPlanBinary.run(["run", file, "--out", w.path("mine")], in: elsewhere)
        #expect(overridden.status == 0, "\(overridden.stderr)")
    }

    // MARK: - Environment failures

    @Test(.enabled(if: Mounts.available, "needs permission to mount a tmpfs (run as root)"))
    func aFullDiskFailsInOneLineAndKeepsThePreviousResults() throws {
        let w = try Self.workspace(formats: "geojson")
        let disk = w.path("disk")
        try Mounts.tmpfs(disk, size: "8m")
        defer { Mounts.unmount(disk) }
        let out = disk + "/out"
        let first = try BBPlanBinary.run(["run", w.path("small.yaml"), "--out", out])
        #expect(first.status == 0, "\(first.stderr)")
        let previous = Self.snapshot(out)
        #expect(previous.count == 14, "summary.json, 12 GeoJSON layers (2 of them gap clusters) and the manifest: \(previous.keys.sorted())")

        // Room for the first small layers, not for the rest: the GeoJSON writer (or
        // summary.json, written last so that it can time the other files) finds the disk
        // full; the read-back would find a truncated GeoJSON (RunWriterTests.
        // aTruncatedGeoJSONIsFound). Either way the message names the file and the cause.
        try Mounts.fill(disk, leavingKiB: 64)
        let full = try BBPlanBinary.run(["run", w.path("small.yaml"), "--out", out])
        Self.expectOneLine(full, status: 1, ["\(out)/", ": no space left on device"], "GeoJSON on a full disk")
        #expect(full.stderr.contains("/summary.json: ") || full.stderr.contains(".geojson: "), "\(full.stderr)")
        #expect(Self.snapshot(out) == previous, "the previous results are intact")
        #expect(Self.listing(disk) == ["filler", "out"], "no temporary folder left")

        // No room at all: refused before the computation.
        try Mounts.fill(disk, leavingKiB: 0)
        let none = try BBPlanBinary.run(["run", w.path("small.yaml"), "--out", out])
        Self.expectOneLine(none, status: 1, ["\(out)/: no space left on device"], "no room")
        #expect(Self.snapshot(out) == previous)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/prlimit")))
    func aFileSizeLimitIsAnErrorNotACrash() throws {
        let w = try Self.workspace(formats: "gpkg, csv")
        let out = w.path("out")
        #expect(try BBPlanBinary.run(["run", w.path("small.yaml"), "--out", out]).status == 0)
        let previous = Self.snapshot(out)
        // coverage.gpkg is over 1 MB; 200 kB is over every CSV.
        let (status, output) = try #require(try runTool(
            "/usr/bin/prlimit", ["--fsize=200000", BBPlanBinary.path, "run", w.path("small.yaml"), "--out", out]))
        // stdout and stderr together: nothing but the one line.
        #expect(status == 1, "\(output)")
        #expect(output == "bbplan: \(out)/coverage.gpkg: file too large (over the file size limit, ulimit -f)\n")
        #expect(Self.snapshot(out) == previous)
        #expect(Self.listing(w.root.path).filter { $0.hasPrefix(".out.") }.isEmpty)
    }

    @Test(.enabled(if: Mounts.available, "needs permission to mount a tmpfs (run as root)"))
    func aReadOnlyFolderFailsBeforeTheComputation() throws {
        let w = try Self.workspace()
        let disk = w.path("ro")
        try Mounts.tmpfs(disk, size: "1m", readOnly: true)
        defer { Mounts.unmount(disk) }
        // The premises file is missing too: the output folder is checked before any input is read.
        try FileManager.default.removeItem(atPath: w.path("premises.csv"))
        let result = try BBPlanBinary.run(["run", w.path("small.yaml"), "--out", disk + "/out"])
        Self.expectOneLine(result, status: 1, ["\(disk)/out/: read-only file system"])
        // validate finds it too, without writing (it used to check only for foreign files).
        let validate = try BBPlanBinary.run(["validate", w.path("small.yaml"), "--out", disk + "/out"])
        Self.expectOneLine(validate, status: 1, ["\(disk)/out/: read-only file system"], "validate")
    }

    /// A file given as `--out`, or as a folder above it, is refused before any input is read
    /// (the premises file is missing, so reading would fail with another message), by `run`,
    /// `coverage` and `validate` alike, and the file is left as it was.
    @Test func aFileAsTheOutputFolderIsRefusedBeforeAnyInputIsRead() throws {
        let w = try Self.workspace()
        try FileManager.default.removeItem(atPath: w.path("premises.csv"))
        let file = w.path("results.txt")
        try Data("mine".utf8).write(to: URL(fileURLWithPath: file))
        for command in ["run", "coverage", "validate"] {
            let plain = try BBPlanBinary.run([command, w.path("small.yaml"), "--out", file])
            Self.expectOneLine(plain, status: 2, [], "\(command) --out FILE")
            #expect(plain.stderr == "bbplan: --out \(file): is a file, not a folder\n", "\(command): \(plain.stderr)")
            let below = try BBPlanBinary.run([command, w.path("small.yaml"), "--out", file + "/sub/out"])
            Self.expectOneLine(below, status: 2, [], "\(command) --out FILE/sub/out")
            #expect(below.stderr == "bbplan: \(file)/sub/out: \(file) is a file, not a folder\n", "\(command): \(below.stderr)")
        }
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "mine")
    }

    // MARK: - Kills and mount points

    @Test func aKillBetweenTheRenamesIsRepairedByTheNextRun() throws {
        let w = try Self.workspace()
        let out = w.path("out")
        #expect(try BBPlanBinary.run(["run", w.path("small.yaml"), "--out", out]).status == 0)
        let previous = Self.snapshot(out)
        let previousID = try #require(Self.runID(out))
        let killed = try BBPlanBinary.run(["run", w.path("small.yaml"), "--out", out],
                                          environment: ["BBPLAN_TEST_KILL_AT": "between-renames"])
        #expect(killed.status == SIGKILL, "killed by the test hook: \(killed.status) \(killed.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out), "killed with the old folder aside")
        #expect(Self.listing(w.root.path).contains { $0.hasPrefix(".out.bbplan-old-") })

        // The next run restores the previous results before anything else, so even a run that
        // then fails on its input leaves them in place.
        try FileManager.default.moveItem(atPath: w.path("premises.csv"), toPath: w.path("premises.moved"))
        let failing = try BBPlanBinary.run(["run", w.path("small.yaml"), "--out", out])
        #expect(failing.status == 2)
        #expect(failing.stderr.contains("note: restored the previous results in \(out) after a killed run"), "\(failing.stderr)")
        #expect(Self.snapshot(out) == previous)
        #expect(Self.listing(w.root.path).filter { $0.hasPrefix(".out.") }.isEmpty, "no leftovers")
        try FileManager.default.moveItem(atPath: w.path("premises.moved"), toPath: w.path("premises.csv"))
        #expect(try BBPlanBinary.run(["run", w.path("small.yaml"), "--out", out]).status == 0)
        #expect(Self.runID(out) != nil && Self.runID(out) != previousID)
    }

    @Test(.enabled(if: Mounts.available, "needs permission to bind-mount a folder (run as root)"))
    func aMountPointIsWrittenInsideAndSwappedFileByFile() throws {
        let w = try Self.workspace()
        let real = w.path("real"), out = w.path("out")
        try FileManager.default.createDirectory(atPath: real, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try Mounts.bind(real, out)
        defer { Mounts.unmount(out) }
        let files = [".bbplan-manifest.json", "authorities.csv", "build_areas.csv", "gap_clusters.csv", "summary.json", "years.csv"]

        var ids: [String?] = []
        for round in 1...2 {
            let result = try BBPlanBinary.run(["run", w.path("small.yaml"), "--out", out])
            #expect(result.status == 0, "run \(round): \(result.stderr)")
            #expect(Self.listing(out) == files, "run \(round): only the new outputs")
            ids.append(Self.runID(out))
        }
        #expect(ids[0] != nil && ids[1] != nil && ids[0] != ids[1])
        let second = Self.snapshot(out)

        // Killed half-way through swapping the files: the next run puts the second run back.
        let killed = try BBPlanBinary.run(["run", w.path("small.yaml"), "--out", out], environment: ["BBPLAN_TEST_KILL_AT": "mid-swap"])
        #expect(killed.status == SIGKILL)
        #expect(Self.listing(out).contains(".bbplan-journal.json"))
        try FileManager.default.moveItem(atPath: w.path("premises.csv"), toPath: w.path("premises.moved"))
        #expect(try BBPlanBinary.run(["run", w.path("small.yaml"), "--out", out]).status == 2)
        #expect(Self.snapshot(out) == second)
        try FileManager.default.moveItem(atPath: w.path("premises.moved"), toPath: w.path("premises.csv"))
        #expect(try BBPlanBinary.run(["run", w.path("small.yaml"), "--out", out]).status == 0)
        #expect(Self.listing(out) == files)
    }
}

/// Mounting file systems for the tests (root only; the tests are skipped otherwise).
enum Mounts {
    static let available: Bool = {
        let probe = TestPaths.temporaryDirectory("mount-probe").path
        guard (try? runTool("/bin/mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", probe]))??.status == 0 else { return false }
        unmount(probe)
        return true
    }()

    static func tmpfs(_ path: String, size: String, readOnly: Bool = false) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try mount(["-t", "tmpfs", "-o", "size=\(size)" + (readOnly ? ",ro" : ""), "tmpfs", path])
    }

    static func bind(_ from: String, _ to: String) throws {
        try mount(["--bind", from, to])
    }

    static func mount(_ arguments: [String]) throws {
        let result = try #require(try runTool("/bin/mount", arguments))
        try #require(result.status == 0, "mount \(arguments): \(result.output)")
    }

    static func unmount(_ path: String) {
        _ = try? runTool("/bin/umount", [path])
    }

    /// Fills the file system at `path` with a file `filler`, leaving about `leavingKiB` free.
    static func fill(_ path: String, leavingKiB: Int) throws {
        var info = statvfs()
        try #require(statvfs(path, &info) == 0)
        let free = Int(info.f_bavail) * Int(info.f_frsize)
        let existing = (try? FileManager.default.attributesOfItem(atPath: path + "/filler")[.size] as? Int) ?? 0
        let size = max(0, existing + free - leavingKiB * 1024)
        _ = FileManager.default.createFile(atPath: path + "/filler", contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path + "/filler"))
        defer { try? handle.close() }
        try handle.truncate(atOffset: 0)
        let chunk = Data(count: 1 << 16)
        var written = 0
        while written < size {
            let n = min(chunk.count, size - written)
            try? handle.write(contentsOf: chunk.prefix(n))
            written += n
        }
        try? handle.synchronize()
    }
}
