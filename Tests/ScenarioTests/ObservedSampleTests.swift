import Foundation
import Testing
import TestSupport
@testable import Availability
@testable import Coverage
@testable import Scenario

/// The example scenarios on the sample data in GeoData/availability (MODELLED values in Ofcom's
/// and BDUK's layouts): shares computed from the postcode files must equal the published
/// authority file's within 0.5 percentage points (issue 9's acceptance test), and the warning
/// about build areas observed data already serves must fire where it should.
@Suite("Observed data on the sample files", .serialized)
struct ObservedSampleTests {
    static let authorityFile = TestPaths.repo("GeoData/availability/ofcom/202601_fixed_laua_coverage_r1.csv")

    static func baseline(_ scenarioPath: String) throws -> (Scenario, LoadedInputs, BaselineResult) {
        let scenario = try ScenarioFile.load(path: TestPaths.repo(scenarioPath))
        let inputs = try InputLoader.load(scenario)
        return (scenario, inputs, try CoverageAnalysis.run(scenario, inputs: inputs))
    }

    /// Worst difference, in percentage points, between each authority's decent, superfast
    /// and gigabit shares and the authority file's published ones.
    static func checkAgainstAuthorityFile(_ stats: [AuthorityStatistics]) throws -> Double {
        let la = try OfcomCoverageReader.readLocalAuthorities([authorityFile])
        var worst = 0.0
        for st in stats {
            let row = try #require(la.row(st.code), "\(st.code) is not in the authority file")
            let published: [(String, Double)] = [
                ("decent", 100 - (la.percent(.unableDecent, row: row) ?? .nan)),
                ("superfast", la.percent(.sfbb, row: row) ?? .nan),
                ("gigabit", la.percent(.gigabit, row: row) ?? .nan),
            ]
            for (tier, share) in published {
                let run = 100 * (st.state.householdsByTier[tier] ?? .nan) / st.households
                let d = abs(run - share)
                #expect(d <= 0.5, "\(st.code) \(tier): \(run) from the postcode files, \(share) published")
                worst = max(worst, d)
            }
        }
        return worst
    }

    @Test func greaterManchesterPostcodeSharesMatchTheAuthorityFile() throws {
        let (_, inputs, baseline) = try Self.baseline("Scenarios/greater-manchester-observed.yaml")
        #expect(baseline.statistics.count == 10)
        let worst = try Self.checkAgainstAuthorityFile(baseline.statistics)
        #expect(worst > 0) // the premises are estimated households per postcode, not the addresses
        // Each postcode counts once, however many class rows it became.
        #expect(baseline.statistics.reduce(0) { $0 + $1.premises } == inputs.pointCount)
        #expect(inputs.premises.count > inputs.pointCount)
        #expect(abs(inputs.premises.households.reduce(0, +) - 1_128_066) < 0.5)
    }

    @Test func cumbriaAddressSharesMatchTheAuthorityFile() throws {
        let (_, inputs, baseline) = try Self.baseline("Scenarios/cumbria-observed-rollout.yaml")
        #expect(baseline.statistics.count == 2)
        _ = try Self.checkAgainstAuthorityFile(baseline.statistics)
        // One address is one household: no address is split over classes.
        #expect(inputs.premises.count == inputs.pointCount)
        let o = try #require(inputs.observed)
        // Every address joins BDUK's release; BDUK and the postcode split agree on gigabit
        // wherever both speak (the sample data were made from one truth).
        #expect(o.matches.first { $0.type == "bduk_uprn" }?.premisesNotInSource == 0)
        #expect(o.disagreements.bdukGigabitPostcodeNot == 0)
        #expect(o.disagreements.postcodeGigabitBDUKNot == 0)
    }

    @Test func buildAreasObservedDataServesAreCountedAndWarnedAbout() throws {
        let dir = TestPaths.temporaryDirectory("observed-check")
        // The modelled-only gigabit scenario, with Ofcom's postcode files as a check only.
        let path = dir.appendingPathComponent("checked.yaml").path
        try Data("""
            extends: \(TestPaths.repo("Scenarios/greater-manchester-gigabit.yaml"))
            name: GM gigabit checked
            authorities: { only: [E08000009, E08000003] }
            uncertainty: null
            observed:
              - type: ofcom_postcode
                use: check
                path: \(TestPaths.repo("GeoData/availability/ofcom"))/202601_fixed_pc_coverage_r1_*.csv.gz
            """.utf8).write(to: URL(fileURLWithPath: path))
        let scenario = try ScenarioFile.load(path: path)
        let inputs = try InputLoader.load(scenario)
        let baseline = try CoverageAnalysis.run(scenario, inputs: inputs)
        let rollout = try Simulator.run(scenario, inputs: inputs, baseline: baseline)
        let served = try #require(rollout.alreadyServed)
        // Recount independently: households of built rows times the postcode's published
        // gigabit share.
        let pc = try #require(inputs.observedData?.postcodes)
        var households = 0.0
        for a in rollout.selection.buildOrder {
            for i in rollout.areas[a].premises {
                let key = try #require(PostcodeKey(inputs.premises.ids?[i] ?? ""))
                guard let row = pc.row(key) else { continue }
                households += inputs.premises.households[i] * (pc.percent(.gigabit, row: row) ?? 0) / 100
            }
        }
        #expect(served.households > 0)
        #expect(abs(served.households - households) < 1e-6 * max(1, households))
        // In check mode the model's speeds stand: every row is the model's.
        #expect(inputs.observed?.speedSource.allSatisfy { $0 == .model } == true)
    }
}
