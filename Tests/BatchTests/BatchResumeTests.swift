import Foundation
import GeoIO
import RunStore
import RunSummary
import Testing
@testable import Batch

/// Every path of the resume decision, against a catalogue in a temporary folder, without
/// running anything.
@Suite("batch resume decision")
struct BatchResumeTests {
    struct Case {
        let workspace: Workspace
        let variant: BatchVariant
        let catalogue: RunCatalogue
        let folder: URL

        func decide() throws -> BatchResume.Decision {
            try BatchResume.decide(variant, catalogue: catalogue, folder: folder, digests: InputDigests())
        }

        /// Records `variant` as started (and finished with `inputs`, unless `status` says
        /// otherwise); writes summary.json into its folder.
        func record(hash: String? = nil, version: String = BBPlanVersion.current, status: RunStatus = .finished,
                    inputs: [RunSummary.Input]? = nil) throws {
            let id = try #require(try catalogue.beginRun(.started(variant, folder: folder, hash: hash, version: version)).id)
            switch status {
            case .finished:
                try catalogue.finishRun(id: id, summary: Summaries.with(inputs: inputs ?? currentInputs()), finishedAt: Date())
            case .failed:
                try catalogue.failRun(id: id, error: "boom", exitCode: 1, finishedAt: Date())
            case .running:
                break
            }
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data("{}".utf8).write(to: folder.appendingPathComponent("summary.json"))
        }

        /// The variant's inputs with their digests now.
        func currentInputs() throws -> [RunSummary.Input] {
            try variant.inputSources.map { RunSummary.Input(role: $0.role, path: $0.path, sha256: try FileDigest.sha256(path: $0.path), features: 1) }
        }
    }

    static func setUp() throws -> Case {
        let w = try Workspace("batch-resume")
        let file = try w.scenario("s.yaml", name: "Resume")
        let variant = try #require(try w.variants([file]).first)
        let catalogue = try RunCatalogue.open(path: w.path("runs.sqlite"))
        return Case(workspace: w, variant: variant, catalogue: catalogue, folder: w.url("batch").appendingPathComponent(variant.safeName))
    }

    static func reason(_ decision: BatchResume.Decision) -> String? {
        if case .run(let reason) = decision { return reason ?? "new" }
        return nil
    }

    @Test func aNewVariantRuns() throws {
        let c = try Self.setUp()
        #expect(Self.reason(try c.decide()) == "new")
    }

    @Test func aFinishedRunWithNothingChangedIsSkipped() throws {
        let c = try Self.setUp()
        try c.record()
        guard case .skip(let row) = try c.decide() else {
            Issue.record("expected skip")
            return
        }
        #expect(row.safeName == c.variant.safeName)
    }

    @Test(arguments: [RunStatus.failed, .running])
    func aRunThatDidNotFinishRunsAgain(_ status: RunStatus) throws {
        let c = try Self.setUp()
        try c.record(status: status)
        #expect(Self.reason(try c.decide()) == "previous run \(status.rawValue)")
    }

    @Test func changedSettingsRunAgain() throws {
        let c = try Self.setUp()
        try c.record(hash: String(repeating: "f", count: 64))
        #expect(Self.reason(try c.decide()) == "settings changed")
    }

    @Test func aNewBbplanVersionRunsAgain() throws {
        let c = try Self.setUp()
        try c.record(hash: String(repeating: "f", count: 64), version: "0.0.1")
        #expect(Self.reason(try c.decide()) == "bbplan version changed")
    }

    @Test func missingOutputsRunAgain() throws {
        let c = try Self.setUp()
        try c.record()
        try FileManager.default.removeItem(at: c.folder.appendingPathComponent("summary.json"))
        #expect(Self.reason(try c.decide()) == "outputs missing")
    }

    @Test func anInputAddedOrRemovedRunsAgain() throws {
        let c = try Self.setUp()
        var inputs = try c.currentInputs()
        inputs.removeLast()
        try c.record(inputs: inputs)
        #expect(Self.reason(try c.decide()) == "inputs changed")

        let d = try Self.setUp()
        try d.record(inputs: try d.currentInputs() + [RunSummary.Input(role: "rollout.fibre_nodes", path: "/x.csv", sha256: String(repeating: "0", count: 64), features: 1)])
        #expect(Self.reason(try d.decide()) == "inputs changed")
    }

    @Test func anInputThatIsAnotherFileRunsAgain() throws {
        let c = try Self.setUp()
        var inputs = try c.currentInputs()
        let k = try #require(inputs.firstIndex { $0.role == "premises" })
        inputs[k].path = c.workspace.path("other.csv")
        try c.record(inputs: inputs)
        #expect(Self.reason(try c.decide()) == "premises is another file")
    }

    @Test func aChangedInputRunsAgain() throws {
        let c = try Self.setUp()
        try c.record()
        try Data("postcode,easting,northing,households_est\nCA1 1AA,339557,555539,15\n".utf8).write(to: c.workspace.url("premises.csv"))
        #expect(Self.reason(try c.decide()) == "premises changed")
    }

    @Test func anUnreadableInputRunsAgain() throws {
        let c = try Self.setUp()
        try c.record()
        try FileManager.default.removeItem(at: c.workspace.url("premises.csv"))
        #expect(Self.reason(try c.decide()) == "premises cannot be read")
    }
}
