import Foundation
import Testing
import TestSupport
@testable import OutputSafety

/// Batch folders: created with their marker, refused when they hold anything else, and a
/// report replaced only when it is the one bbplan wrote.
@Suite("Batch folders")
struct BatchFolderTests {
    static func place() -> OutputLocation {
        let parent = OutputLocation.real(TestPaths.temporaryDirectory("batch-folder").path)
        return OutputLocation(display: parent + "/batch", real: parent + "/batch")
    }

    static func prepare(_ location: OutputLocation, runs: [String] = ["a", "b"]) throws {
        _ = try BatchFolder.prepare(location, runFolders: runs, toolVersion: "test", digest: OutputFolderTests.digest)
    }

    static func report(_ location: OutputLocation, _ text: String) throws {
        try BatchFolder.replace("report.html", with: Data(text.utf8), in: location, toolVersion: "test",
                                digest: OutputFolderTests.digest)
    }

    @Test func aNewBatchFolderCarriesItsMarker() throws {
        let location = Self.place()
        try Self.prepare(location)
        #expect(OutputFolderTests.listing(location.real) == [".bbplan-manifest.json"])
        #expect(Manifest.read(folder: location.real)?.kind == .batch)
        // Preparing again (a resumed batch) is fine and adds nothing.
        try Self.prepare(location)
        #expect(OutputFolderTests.listing(location.real) == [".bbplan-manifest.json"])
    }

    @Test func theReportIsReplacedOnlyWhenBbplanWroteIt() throws {
        let location = Self.place()
        try Self.prepare(location)
        try Self.report(location, "first")
        try Self.report(location, "second")
        #expect(OutputFolderTests.text(location.real + "/report.html") == "second")
        #expect(Manifest.read(folder: location.real)?.files.map(\.path) == ["report.html"])
        #expect(OutputFolderTests.listing(location.real) == [".bbplan-manifest.json", "report.html"])

        try Data("my edited report".utf8).write(to: URL(fileURLWithPath: location.real + "/report.html"))
        let expected = OutputFailure(.refused, "\(location.display)/report.html: not written by bbplan (or changed since); move it aside or choose another --out")
        #expect(throws: expected) { try Self.report(location, "third") }
        #expect(throws: expected) { try Self.prepare(location) }
        #expect(OutputFolderTests.text(location.real + "/report.html") == "my edited report")
    }

    @Test func foldersAndFilesBbplanDidNotWriteAreRefused() throws {
        // A folder of user files.
        let user = Self.place()
        try OutputFolderTests.write("my notes", user.real + "/notes.txt")
        #expect(throws: OutputFailure.foreignFiles(user.display)) { try Self.prepare(user) }
        #expect(OutputFolderTests.listing(user.real) == ["notes.txt"])

        // A batch folder with a user folder named like a variant.
        let batch = Self.place()
        try Self.prepare(batch)
        try OutputFolderTests.write("mine", batch.real + "/b/analysis.txt")
        #expect(throws: OutputFailure.foreignFiles(batch.display + "/b")) { try Self.prepare(batch) }
        #expect(OutputFolderTests.text(batch.real + "/b/analysis.txt") == "mine")

        // ... or a file named like one.
        let withFile = Self.place()
        try Self.prepare(withFile)
        try OutputFolderTests.write("mine", withFile.real + "/a")
        let error = try #require(throws: OutputFailure.self) { try Self.prepare(withFile) }
        #expect(error.description.hasPrefix("\(withFile.display)/a: is a file bbplan did not write"))

        // A run folder bbplan wrote is fine.
        let good = Self.place()
        try Self.prepare(good)
        try OutputFolderTests.run(OutputLocation(display: good.display + "/a", real: good.real + "/a"), ["summary.json": "1"])
        try Self.prepare(good)
    }
}
