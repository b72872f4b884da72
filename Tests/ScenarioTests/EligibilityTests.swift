import Foundation
import Testing
import TestSupport
@testable import Coverage
@testable import Scenario

/// Which premises a gigabit programme may build, as Scenarios/greater-manchester-gigabit.yaml's
/// comment and docs/MODEL.md (Rollout, step 1) state it: classes count operators at
/// nga_threshold_mbps, not at the target tier.
@Suite("Eligibility and the NGA threshold")
struct EligibilityTests {
    /// The Greater Manchester gigabit scenario as written, planning Trafford only (to be quick),
    /// loaded once for both tests.
    static let loaded = Result { try load() }

    static func trafford() throws -> (Scenario, LoadedInputs) { try loaded.get() }

    static func load() throws -> (Scenario, LoadedInputs) {
        let dir = TestPaths.temporaryDirectory("eligibility")
        let path = try writeScenario("""
            extends: \(TestPaths.repo("Scenarios/greater-manchester-gigabit.yaml"))
            name: Trafford gigabit
            authorities: { only: [E08000009] }
            """, in: dir)
        let scenario = try ScenarioFile.load(path: path)
        return (scenario, try InputLoader.load(scenario))
    }

    /// The premises `eligible` admits in planned authorities, below the target.
    static func eligible(_ c: Classification, _ inputs: LoadedInputs, classes: Set<NGAClass>, targetMbps: Double) -> Set<Int> {
        let planned = Set(inputs.selected.map(Int32.init))
        return Set((0..<c.count).filter { i in
            planned.contains(c.authority[i]) && c.bestMbps[i] < targetMbps && classes.contains(c.ngaClass(i))
        })
    }

    @Test func atTheDefaultThresholdGreyMeansOneSuperfastOperatorWithoutGigabit() throws {
        let (s, inputs) = try Self.trafford()
        let rollout = try #require(s.rollout)
        #expect(s.model.ngaThresholdMbps == 30)             // from the baseline, as the comment says
        #expect(rollout.targetTier == "gigabit" && rollout.eligible == [.white, .grey])
        let c = try Baseline.classify(premises: inputs.premises, authorities: inputs.authorities,
                                      networks: inputs.networks, model: s.model)
        let both = Self.eligible(c, inputs, classes: [.white, .grey], targetMbps: 1000)
        let white = Self.eligible(c, inputs, classes: [.white], targetMbps: 1000)
        // Grey premises below gigabit exist, so [white, grey] builds more than [white] here.
        #expect(both.count > white.count)
        for i in both.subtracting(white) {
            #expect(c.ngaOperators[i] == 1 && c.bestMbps[i] >= 30 && c.bestMbps[i] < 1000)
        }
        // The same set the simulator's build areas are made of.
        let areas = BuildAreaFinder.find(premises: inputs.premises, classification: c, authorities: inputs.authorities,
                                         planned: inputs.authorities.indices.map { inputs.selected.contains($0) },
                                         eligible: [.white, .grey], targetMbps: 1000, gridMetres: 1000, fibreNodes: nil)
        #expect(Set(areas.flatMap(\.premises)) == both)
    }

    @Test func atTheGigabitThresholdGreyPremisesAlreadyHaveGigabit() throws {
        let (s, inputs) = try Self.trafford()
        var model = s.model
        model.ngaThresholdMbps = 1000
        let c = try Baseline.classify(premises: inputs.premises, authorities: inputs.authorities,
                                      networks: inputs.networks, model: model)
        let planned = Set(inputs.selected.map(Int32.init))
        // Grey at the gigabit threshold (one gigabit network) exists in Trafford...
        let grey = (0..<c.count).filter { planned.contains(c.authority[$0]) && c.ngaClass($0) == .grey }
        #expect(!grey.isEmpty)
        // ...and every such premises already has gigabit, so it is never eligible.
        #expect(grey.allSatisfy { c.bestMbps[$0] >= 1000 })
        #expect(Self.eligible(c, inputs, classes: [.white, .grey], targetMbps: 1000)
                == Self.eligible(c, inputs, classes: [.white], targetMbps: 1000))
    }
}
