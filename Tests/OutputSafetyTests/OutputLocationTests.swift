import Foundation
import Testing
import TestSupport
@testable import OutputSafety

/// The locations bbplan refuses to write outputs to, checked against a made-up working
/// folder and home folder in a temporary tree:
///
///     root/work/            the working folder
///     root/home/            the home folder
///     root/scen/s.yaml      the scenario
///     root/data/in.csv      an input
///     root/shapes/          an input that is a folder (a dataset)
///     root/elsewhere/       a folder outside the scenario's
@Suite("Output locations")
struct OutputLocationTests {
    struct Tree {
        let root: String
        var context: OutputLocation.Context { .init(workingFolder: root + "/work", homeFolders: [root + "/home"]) }
        var scenario: String { root + "/scen/s.yaml" }
        var protected: [OutputLocation.Protected] {
            [.init(path: scenario, role: .scenario), .init(path: root + "/data/in.csv", role: .input),
             .init(path: root + "/shapes", role: .input)]
        }

        func check(_ path: String, origin: OutputLocation.Origin = .option("--out"), allowOutside: Bool = false) throws -> OutputLocation {
            try OutputLocation.check(path, origin: origin, protecting: protected, allowOutside: allowOutside, context: context)
        }

        /// `outputs.dir: TEXT` in the scenario, as the parser resolves it.
        func checkScenarioDir(_ text: String, allowOutside: Bool = false) throws -> OutputLocation {
            let resolved = text.hasPrefix("/") ? text : OutputLocation.absolute(text, against: root + "/scen")
            return try check(resolved, origin: .scenario(text: text, file: scenario, line: 7), allowOutside: allowOutside)
        }
    }

    static func tree() throws -> Tree {
        let root = OutputLocation.real(TestPaths.temporaryDirectory("output-locations").path)
        let fm = FileManager.default
        for folder in ["work", "home", "scen", "data", "shapes", "elsewhere"] {
            try fm.createDirectory(atPath: root + "/" + folder, withIntermediateDirectories: true)
        }
        try Data("name: x\n".utf8).write(to: URL(fileURLWithPath: root + "/scen/s.yaml"))
        try Data("x,y\n".utf8).write(to: URL(fileURLWithPath: root + "/data/in.csv"))
        try Data("a".utf8).write(to: URL(fileURLWithPath: root + "/elsewhere/a-file"))
        try fm.createSymbolicLink(atPath: root + "/to-data", withDestinationPath: root + "/data")
        try fm.createSymbolicLink(atPath: root + "/to-work", withDestinationPath: root + "/work")
        try fm.createSymbolicLink(atPath: root + "/scen/escape", withDestinationPath: root + "/elsewhere")
        return Tree(root: root)
    }

    /// The refusal's message, or nil when the location is accepted.
    static func refusal(_ body: () throws -> OutputLocation) -> String? {
        do {
            _ = try body()
            return nil
        } catch let failure as OutputFailure {
            #expect(failure.kind == .refused, "\(failure)")
            return failure.description
        } catch {
            return "unexpected \(error)"
        }
    }

    @Test func refusedCommandLineFolders() throws {
        let t = try Self.tree()
        let cases: [(String, String)] = [
            ("", "--out \"\": an empty folder name"),
            ("/", "is the root folder"),
            (t.root + "/home", "is your home folder"),
            (t.root, "holds your home folder"),
            (t.root + "/work", "is the working folder"),
            (".", "is the working folder"),
            ("..", "holds your home folder"),
            (t.root + "/to-work", "is the working folder"),
            (t.root + "/scen", "is the folder of the scenario file \(t.scenario)"),
            (t.root + "/data", "holds the input \(t.root)/data/in.csv"),
            (t.root + "/to-data", "holds the input"),
            (t.root + "/shapes", "is the input \(t.root)/shapes"),
            (t.root + "/shapes/out", "is inside the input \(t.root)/shapes"),
            (t.root + "/elsewhere/a-file", "is a file, not a folder"),
            ("out\u{0}x", "contains a control character or NUL"),
        ]
        for (path, expected) in cases {
            let message = Self.refusal { try t.check(path) }
            #expect(message?.contains(expected) == true, "\(path): \(message ?? "accepted")")
        }
    }

    @Test func acceptedFoldersResolveLinksButKeepTheNameGiven() throws {
        let t = try Self.tree()
        let fresh = try t.check("results/gm")
        #expect(fresh.display == t.root + "/work/results/gm")
        #expect(fresh.real == t.root + "/work/results/gm")
        let beside = try t.check(t.root + "/elsewhere/out")
        #expect(beside.real == t.root + "/elsewhere/out")
        let inScenarioFolder = try t.check(t.root + "/scen/out")
        #expect(inScenarioFolder.real == t.root + "/scen/out")
        // Through a link: written where the link leads.
        let linked = try t.check(t.root + "/scen/escape/x")
        #expect(linked.display == t.root + "/scen/escape/x")
        #expect(linked.real == t.root + "/elsewhere/x")
    }

    @Test func outputsDirStaysInsideTheScenariosFolder() throws {
        let t = try Self.tree()
        let refused: [(String, String)] = [
            ("../..", "leaves the scenario's folder"),
            ("../out", "leaves the scenario's folder"),
            ("sub/../../out", "leaves the scenario's folder"),
            ("/tmp/bbplan-out", "an absolute path"),
            ("escape/out", "leaves the scenario's folder"),   // a link out of the folder
            (".", "is the folder of the scenario file"),
        ]
        for (text, expected) in refused {
            let message = Self.refusal { try t.checkScenarioDir(text) }
            #expect(message?.hasPrefix("\(t.scenario):7: outputs.dir '\(text)': ") == true, "\(text): \(message ?? "accepted")")
            #expect(message?.contains(expected) == true, "\(text): \(message ?? "accepted")")
        }
        #expect(try t.checkScenarioDir("out/gm").real == t.root + "/scen/out/gm")
        #expect(try t.checkScenarioDir("sub/../out").real == t.root + "/scen/out")
    }

    @Test func allowOutsideLiftsOnlyTheScenarioFolderRule() throws {
        let t = try Self.tree()
        #expect(try t.checkScenarioDir("../elsewhere/out", allowOutside: true).real == t.root + "/elsewhere/out")
        #expect(try t.checkScenarioDir(t.root + "/elsewhere/abs", allowOutside: true).real == t.root + "/elsewhere/abs")
        // Still never a folder holding the scenario or an input, nor the working or home folder.
        #expect(Self.refusal { try t.checkScenarioDir("..", allowOutside: true) }?.contains("holds your home folder") == true)
        #expect(Self.refusal { try t.checkScenarioDir("../data", allowOutside: true) }?.contains("holds the input") == true)
        #expect(Self.refusal { try t.checkScenarioDir("../work", allowOutside: true) }?.contains("is the working folder") == true)
    }

    @Test func climbingIsReadFromThePathAsWritten() {
        #expect(OutputLocation.climbs(".."))
        #expect(OutputLocation.climbs("a/../.."))
        #expect(OutputLocation.climbs("./../a"))
        #expect(!OutputLocation.climbs("a/.."))
        #expect(!OutputLocation.climbs("a/./b/../c"))
        #expect(!OutputLocation.climbs("out"))
    }

    @Test func realPathsFollowLinksBeforeDotDot() throws {
        let t = try Self.tree()
        // to-data/.. is the link target's parent (root), as the kernel resolves it.
        #expect(OutputLocation.real(t.root + "/to-data/../work") == t.root + "/work")
        #expect(OutputLocation.real(t.root + "/scen/escape/../data") == t.root + "/data")
        #expect(OutputLocation.real(t.root + "/missing/a/../b") == t.root + "/missing/b")
    }
}
