import Foundation
import Testing
import TestSupport
import Locking
@testable import OutputSafety

/// Output folders as transactions: what is replaced, what is refused, what a failure leaves,
/// and how `recover` repairs each state a kill can leave (the states are built by hand here;
/// the command-line tests kill real runs at the same points).
@Suite("Output folders")
struct OutputFolderTests {
    /// A stand-in for SHA-256 in these tests: the contents, so equal files have equal digests.
    static let digest: @Sendable (String) throws -> String = { path in
        try Data(contentsOf: URL(fileURLWithPath: path)).base64EncodedString()
    }

    static func place(_ label: String = "output-folder") -> (parent: String, location: OutputLocation) {
        let parent = OutputLocation.real(TestPaths.temporaryDirectory(label).path)
        return (parent, OutputLocation(display: parent + "/out", real: parent + "/out"))
    }

    /// Writes `files` (name: contents) as one run into `location`.
    @discardableResult
    static func run(_ location: OutputLocation, _ files: [String: String],
                    verify: (String) throws -> Void = { _ in }) throws -> Manifest {
        let (folder, _) = try OutputFolder.begin(location, toolVersion: "test")
        for (name, text) in files.sorted(by: { $0.key < $1.key }) { try folder.write(Data(text.utf8), to: name) }
        try folder.commit(verify: verify, digest: digest)
        return try #require(Manifest.read(folder: location.real))
    }

    static func listing(_ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
    }

    static func text(_ path: String) -> String? {
        (try? Data(contentsOf: URL(fileURLWithPath: path))).map { String(decoding: $0, as: UTF8.self) }
    }

    static func write(_ text: String, _ path: String) throws {
        try FileManager.default.createDirectory(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path,
                                                withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    // MARK: - Replacing

    @Test func aNewFolderHoldsTheFilesAndAManifestListingThem() throws {
        let (parent, location) = Self.place()
        let manifest = try Self.run(location, ["summary.json": "{}\n", "a.csv": "x\n1\n"])
        #expect(Self.listing(location.real) == [".bbplan-manifest.json", "a.csv", "summary.json"])
        #expect(manifest.tool == "bbplan" && manifest.kind == .run && manifest.state == .complete)
        #expect(manifest.files == [.init(path: "a.csv", bytes: 4, sha256: "eAoxCg=="), .init(path: "summary.json", bytes: 3, sha256: "e30K")])
        #expect(Self.listing(parent) == ["out"], "no temporary folders left")
    }

    @Test func aSecondRunReplacesOnlyWhatTheFirstWrote() throws {
        let (parent, location) = Self.place()
        let first = try Self.run(location, ["summary.json": "1", "old-only.csv": "gone"])
        let second = try Self.run(location, ["summary.json": "2"])
        #expect(second.runID != first.runID)
        #expect(Self.listing(location.real) == [".bbplan-manifest.json", "summary.json"])
        #expect(Self.text(location.real + "/summary.json") == "2")
        #expect(Self.listing(parent) == ["out"])
    }

    @Test func aFolderWithFilesBbplanDidNotWriteIsRefusedBeforeAnything() throws {
        let cases: [(String, [String: String])] = [
            ("user files", ["thesis.docx": "my thesis", "sub/notes.txt": "notes"]),
            ("an old-format run folder", ["summary.json": "{}", "authorities.csv": "a"]),
            ("a bbplan run folder with a file added", [:]),
            ("a manifest naming a file outside", ["x": "user"]),
        ]
        for (label, files) in cases {
            let (parent, location) = Self.place()
            if label.hasPrefix("a bbplan") {
                try Self.run(location, ["summary.json": "1"])
                try Self.write("mine", location.real + "/notes.txt")
            } else if label.hasPrefix("a manifest") {
                try Self.write("mine", location.real + "/x")
                try Self.write(#"{"tool":"bbplan","version":"1","format":1,"kind":"run","run_id":"r","state":"complete","written_at":"t","files":[{"path":"../x","bytes":1,"sha256":"s"}]}"#,
                               location.real + "/.bbplan-manifest.json")
            }
            for (name, text) in files { try Self.write(text, location.real + "/" + name) }
            let before = Self.listing(location.real)
            let error = try #require(throws: OutputFailure.self, "\(label)") { try OutputFolder.begin(location, toolVersion: "test") }
            #expect(error.description == "\(location.display)/: holds files bbplan did not write; choose another --out or empty it")
            #expect(error.isBadInput)
            #expect(Self.listing(location.real) == before, "\(label): nothing touched")
            #expect(Self.listing(parent) == ["out"], "\(label): no temporary folder")
            for (name, text) in files { #expect(Self.text(location.real + "/" + name) == text, "\(label): \(name)") }
        }
    }

    @Test func anEmptyFolderIsUsed() throws {
        let (_, location) = Self.place()
        try FileManager.default.createDirectory(atPath: location.real, withIntermediateDirectories: true)
        try Self.run(location, ["summary.json": "1"])
        #expect(Self.listing(location.real) == [".bbplan-manifest.json", "summary.json"])
    }

    @Test func aFileSavedIntoTheFolderDuringTheRunStopsTheSwap() throws {
        let (parent, location) = Self.place()
        try Self.run(location, ["summary.json": "1"])
        let (folder, _) = try OutputFolder.begin(location, toolVersion: "test")
        try folder.write(Data("2".utf8), to: "summary.json")
        try Self.write("saved meanwhile", location.real + "/notes.txt")
        #expect(throws: OutputFailure.foreignFiles(location.display)) {
            try folder.commit(verify: { _ in }, digest: Self.digest)
        }
        #expect(Self.text(location.real + "/summary.json") == "1")
        #expect(Self.text(location.real + "/notes.txt") == "saved meanwhile")
        #expect(Self.listing(parent) == ["out"])
    }

    @Test func aFailedVerificationKeepsThePreviousResults() throws {
        let (parent, location) = Self.place()
        let first = try Self.run(location, ["summary.json": "1"])
        struct Truncated: Error, CustomStringConvertible {
            let path: String
            var description: String { "\(path): layer 'a' holds 3 features when opened again; 5 were written" }
        }
        let (folder, _) = try OutputFolder.begin(location, toolVersion: "test")
        try folder.write(Data("2".utf8), to: "summary.json")
        let error = try #require(throws: OutputFailure.self) {
            try folder.commit(verify: { dir in throw Truncated(path: dir + "/summary.json") }, digest: Self.digest)
        }
        // Named at its final path, not the temporary one; the run failed (exit 1), not the input.
        #expect(error.description == "\(location.display)/summary.json: layer 'a' holds 3 features when opened again; 5 were written")
        #expect(error.kind == .failed)
        #expect(Manifest.read(folder: location.real) == first)
        #expect(Self.text(location.real + "/summary.json") == "1")
        #expect(Self.listing(parent) == ["out"])
    }

    @Test func aFailedRunRemovesTheFoldersItCreated() throws {
        let (parent, _) = Self.place()
        let deep = OutputLocation(display: parent + "/a/b/out", real: parent + "/a/b/out")
        let (folder, _) = try OutputFolder.begin(deep, toolVersion: "test")
        #expect(FileManager.default.fileExists(atPath: parent + "/a/b"))
        folder.abandon()
        #expect(Self.listing(parent).isEmpty)
    }

    // MARK: - Recovery after a kill

    /// The state a kill between the two renames leaves: the old folder set aside, the new
    /// complete folder not yet renamed in, the folder itself missing.
    static func killedBetweenRenames(_ parent: String, _ location: OutputLocation) throws -> Manifest {
        let previous = try run(location, ["summary.json": "previous"])
        try FileSystem.rename(location.real, parent + "/.out.bbplan-old-999999-0123abcd")
        let staging = parent + "/.out.bbplan-tmp-999999-0123abcd"
        try FileSystem.makeDirectory(staging)
        try write("new", staging + "/summary.json")
        try Manifest(kind: .run, runID: UUID(), version: "test", state: .complete,
                     files: [.init(path: "summary.json", bytes: 3, sha256: "bmV3")]).write(folder: staging)
        return previous
    }

    @Test func aKillBetweenTheRenamesIsUndoneByTheNextRun() throws {
        let (parent, location) = Self.place()
        let previous = try Self.killedBetweenRenames(parent, location)
        let notes = OutputFolder.recover(location)
        #expect(notes == ["restored the previous results in \(location.display) after a killed run"])
        #expect(Manifest.read(folder: location.real) == previous)
        #expect(Self.text(location.real + "/summary.json") == "previous")
        #expect(Self.listing(parent) == ["out"])
    }

    @Test func aKillAfterTheSecondRenameLosesOnlyTheOldFolder() throws {
        let (parent, location) = Self.place()
        let current = try Self.run(location, ["summary.json": "current"])
        let previous = OutputLocation(display: parent + "/previous", real: parent + "/previous")
        try Self.run(previous, ["summary.json": "previous"])
        try FileSystem.rename(previous.real, parent + "/.out.bbplan-old-999999-0123abcd")
        // A user file saved into the set-aside folder is kept, with the folder.
        try Self.write("mine", parent + "/.out.bbplan-old-999999-0123abcd/mine.txt")
        OutputFolder.recover(location)
        #expect(Manifest.read(folder: location.real) == current)
        #expect(Self.listing(parent + "/.out.bbplan-old-999999-0123abcd") == ["mine.txt"])
    }

    @Test func foldersThatOnlyLookLikeLeftoversAreNotTouched() throws {
        let (parent, location) = Self.place()
        let ownPID = getpid()
        let lookalikes = [
            ".out.bbplan-old-999999-0123abcd/notes.txt",          // no manifest: the user's
            ".out.bbplan-tmp-999999-0123abcd/notes.txt",
            ".out.bbplan-tmp-\(ownPID)-0123abcd/.bbplan-manifest.json",  // a live process's
            ".other.bbplan-tmp-999999-0123abcd/.bbplan-manifest.json",   // another folder's
        ]
        for path in lookalikes { try Self.write("x", parent + "/" + path) }
        let before = Self.listing(parent)
        #expect(OutputFolder.recover(location).isEmpty)
        #expect(Self.listing(parent) == before)
        for path in lookalikes { #expect(Self.text(parent + "/" + path) == "x", "\(path)") }
    }

    /// The tasks of a job array each write into their own folder under one new parent, at
    /// the same moment: whoever loses the race to create the parent uses it.
    @Test func siblingsCreatedAtOnceShareTheNewParent() throws {
        let (parent, _) = Self.place()
        let failures = LockedBox<[String]>([])
        for round in 0..<100 {
            let shared = "\(parent)/round-\(round)/shards"
            DispatchQueue.concurrentPerform(iterations: 8) { k in
                do { _ = try OutputFolder.makeFolders("\(shared)/shard-\(k)", display: "shard-\(k)") } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
            #expect(Self.listing(shared) == (0..<8).map { "shard-\($0)" }.sorted())
        }
        #expect(failures.current.isEmpty, "\(failures.current.prefix(3))")
    }

    @Test func aKillBeforeTheTemporaryFolderIsMarkedLeavesNothingBehind() throws {
        // Killed between creating the temporary folder and renaming its manifest in: the
        // folder is empty, or holds only that process's half-written manifest.
        let (parent, location) = Self.place()
        try Self.run(location, ["summary.json": "current"])
        try FileSystem.makeDirectory(parent + "/.out.bbplan-tmp-999999-0123abcd")
        try Self.write("{", parent + "/.out.bbplan-tmp-999998-0123abce/.bbplan-manifest-999998.tmp")
        // Inside a batch or mount-point folder too.
        try FileSystem.makeDirectory(location.real + "/.bbplan-tmp-999997-0123abcf")
        // Another process's temporary file, or any other file, is not bbplan's to judge: kept.
        try Self.write("x", parent + "/.out.bbplan-tmp-999996-0123abd0/.bbplan-manifest-12.tmp")
        try Self.write("x", parent + "/.out.bbplan-tmp-999995-0123abd1/notes.txt")
        #expect(OutputFolder.recover(location).isEmpty)
        #expect(Self.listing(parent) == [".out.bbplan-tmp-999995-0123abd1", ".out.bbplan-tmp-999996-0123abd0", "out"])
        #expect(!Self.listing(location.real).contains(".bbplan-tmp-999997-0123abcf"))
        #expect(Self.text(location.real + "/summary.json") == "current")
    }

    /// The state of an in-place swap (inside a mount point) killed half-way: the old files
    /// and manifest moved aside, one new file moved in.
    static func killedMidSwap(_ target: String) throws -> (previous: Manifest, journal: Journal) {
        let location = OutputLocation(display: target, real: target)
        let previous = try run(location, ["a.csv": "old a", "b.csv": "old b"])
        let staging = target + "/.bbplan-tmp-999999-89abcdef"
        let old = target + "/.bbplan-old-999999-89abcdef"
        try FileSystem.makeDirectory(staging)
        try write("new a", staging + "/a.csv")
        try write("new c", staging + "/c.csv")
        let newID = UUID()
        try Manifest(kind: .run, runID: newID, version: "test", state: .complete,
                     files: [.init(path: "a.csv", bytes: 5, sha256: "x"), .init(path: "c.csv", bytes: 5, sha256: "y")]).write(folder: staging)
        let journal = Journal(pid: 999999, runID: newID.uuidString.lowercased(), staging: ".bbplan-tmp-999999-89abcdef",
                              old: ".bbplan-old-999999-89abcdef", newFiles: ["a.csv", "c.csv"],
                              oldFiles: ["a.csv", "b.csv", Manifest.fileName])
        try journal.write(folder: target, scratch: staging)
        try FileSystem.makeDirectory(old)
        for file in journal.oldFiles { try FileSystem.rename(target + "/" + file, old + "/" + file) }
        try FileSystem.rename(staging + "/a.csv", target + "/a.csv")
        return (previous, journal)
    }

    @Test func anInterruptedSwapInsideAMountPointIsUndone() throws {
        let (_, location) = Self.place()
        try FileManager.default.createDirectory(atPath: location.real, withIntermediateDirectories: true)
        let (previous, _) = try Self.killedMidSwap(location.real)
        let notes = OutputFolder.recoverInside(location.real)
        #expect(notes.count == 1 && notes[0].hasPrefix("restored the previous results"))
        #expect(Self.listing(location.real) == [".bbplan-manifest.json", "a.csv", "b.csv"])
        #expect(Manifest.read(folder: location.real) == previous)
        #expect(Self.text(location.real + "/a.csv") == "old a")
        #expect(OutputFolder.contents(of: location.real) == .bbplan(previous))
    }

    @Test func aSwapKilledAfterTheNewManifestIsFinished() throws {
        let (_, location) = Self.place()
        try FileManager.default.createDirectory(atPath: location.real, withIntermediateDirectories: true)
        let (_, journal) = try Self.killedMidSwap(location.real)
        let staging = location.real + "/" + journal.staging
        try FileSystem.rename(staging + "/c.csv", location.real + "/c.csv")
        try FileSystem.rename(staging + "/" + Manifest.fileName, location.real + "/" + Manifest.fileName)
        OutputFolder.recoverInside(location.real)
        #expect(Self.listing(location.real) == [".bbplan-manifest.json", "a.csv", "c.csv"])
        #expect(Manifest.read(folder: location.real)?.runID == journal.runID)
        #expect(Self.text(location.real + "/a.csv") == "new a")
    }

    // MARK: - Names and causes

    @Test func leftoverNamesAreParsedStrictly() {
        #expect(Leftover.parse(".out.bbplan-tmp-123-0123abcd", prefix: "out") == Leftover(kind: .staging, pid: 123))
        #expect(Leftover.parse(".out.bbplan-old-9-89abcdef", prefix: "out") == Leftover(kind: .old, pid: 9))
        #expect(Leftover.parse(".bbplan-tmp-9-89abcdef", prefix: "") == Leftover(kind: .staging, pid: 9))
        for name in [".out.bbplan-tmp-123-0123ABCD", ".out.bbplan-tmp-123-0123abc", ".out.bbplan-tmp-x-0123abcd",
                     ".out.bbplan-tmp-123-0123abcd-1", "out.bbplan-tmp-123-0123abcd", ".outer.bbplan-tmp-1-0123abcd",
                     ".out.bbplan-tmp-0-0123abcd"] {
            #expect(Leftover.parse(name, prefix: "out") == nil, "\(name)")
        }
    }

    @Test func environmentCausesAreNamedAndExitOne() {
        #expect(OutputFailure.system("/o/x.gpkg", ENOSPC).description == "/o/x.gpkg: no space left on device")
        #expect(OutputFailure.system("/o/", EROFS).description == "/o/: read-only file system")
        #expect(OutputFailure.system("/o/", EACCES).description == "/o/: permission denied")
        #expect(OutputFailure.system("/o/x", EFBIG).description.contains("file too large"))
        for code in [ENOSPC, EROFS, EACCES, EPERM, EBUSY, EDQUOT, EFBIG] {
            #expect(OutputFailure.system("/o", code).kind == .environment, "\(code)")
        }
        #expect(OutputFailure.system("/o", ENAMETOOLONG).kind == .failed)
    }

    @Test func mountTableEscapesAreRead() {
        #expect(FileSystem.unescapeMountField(#"/mnt/my\040disk"#) == "/mnt/my disk")
        #expect(FileSystem.unescapeMountField(#"/a\134b"#) == #"/a\b"#)
        #expect(FileSystem.unescapeMountField("/plain") == "/plain")
    }
}
