import Foundation
import Testing
import TestSupport
@testable import Availability
@testable import Coverage
@testable import Scenario

/// `bbplan calibrate`'s fit (docs/MODEL.md, "Calibration"): it must recover parameters that
/// made the observed shares, and on the sample data lower the error on held-out postcodes.
@Suite("Calibration")
struct CalibrationTests {
    /// A straight-line curve: 100 Mbit/s at 0 m falling to 0 at 2,000 m.
    static let curve = try! SpeedCurve([SpeedCurve.Point(metres: 0, mbps: 100), SpeedCurve.Point(metres: 2000, mbps: 0)])

    /// 60 postcodes of 10 rows each at distances spread over 0-2,000 m; observed shares are the
    /// model's own under `truth`.
    static func synthetic(truth: Calibration.Parameters) -> Calibration.Rows {
        var rows = Calibration.Rows()
        for k in 0..<60 {
            rows.ofcomRow.append(k)
            rows.keys.append(PostcodeKey("AA\(k / 10) \(k % 10)AA")!)
            rows.postcodeHouseholds.append(10)
            rows.fitting.append(k % 2 == 0)
            rows.postcodeAuthority.append(0)
            for j in 0..<10 {
                rows.postcode.append(Int32(k))
                rows.households.append(1)
                rows.cabinetDistance.append(Double((k * 37 + j * 113) % 1900) + 0.5)
                rows.otherFixed.append(0)
                rows.fwa.append(0)
                rows.authority.append(0)
            }
        }
        let shares = Calibration.modelShares(rows, curve: curve, truth, thresholds: Calibration.fitThresholds)
        rows.observed = shares.map { $0 + [0, 0, 0] }
        return rows
    }

    @Test func modelSharesFollowTheScaledCurveAndFactor() {
        // One row at 500 m, scale 1.2, factor 1.5: line 750 m, 1.2 x (100 - 750 / 20) = 75 Mbit/s:
        // at or above 2, 5, 10 and 30.
        var rows = Self.synthetic(truth: .init(scale: 1, routeFactor: 1))
        rows.cabinetDistance = rows.cabinetDistance.map { _ in 500 }
        let at = Calibration.modelShares(rows, curve: Self.curve, .init(scale: 1.2, routeFactor: 1.5), thresholds: [2, 30, 75, 76])
        #expect(at[0] == [1, 1, 1, 0])
        // Other fixed networks count whatever the curve.
        rows.otherFixed = rows.otherFixed.map { _ in 1000 }
        #expect(Calibration.modelShares(rows, curve: Self.curve, .init(scale: 0.5, routeFactor: 2.5), thresholds: [1000])[0] == [1])
    }

    @Test func theFitRecoversTheParametersThatMadeTheData() {
        let truth = Calibration.Parameters(scale: 1.24, routeFactor: 1.62)
        let rows = Self.synthetic(truth: truth)
        let start = Calibration.Parameters(scale: 1, routeFactor: 1.3)
        #expect(Calibration.error(rows, curve: Self.curve, start, include: { _ in true }) > 0.001)
        let (best, error, evaluations) = Calibration.fit(rows, curve: Self.curve, start: start, include: { rows.fitting[$0] })
        #expect(error < 1e-12)
        #expect(abs(best.scale - truth.scale) < 0.05, "\(best)")
        #expect(abs(best.routeFactor - truth.routeFactor) < 0.08, "\(best)")
        #expect(evaluations > 400)
        // The held-out half is fitted as well as the fitting half.
        #expect(Calibration.error(rows, curve: Self.curve, best, include: { !rows.fitting[$0] }) < 1e-4)
    }

    @Test func theHalvesSplitThePostcodesEvenly() throws {
        let pc = try OfcomCoverageReader.readPostcodes([TestPaths.repo("GeoData/availability/ofcom/202601_fixed_pc_coverage_r1_CA.csv.gz")])
        let fitting = pc.keys.filter(Calibration.isFittingHalf).count
        #expect(abs(Double(fitting) / Double(pc.count) - 0.5) < 0.02)
    }

    @Test func onTheSampleTheFitLowersTheHeldOutError() throws {
        let scenario = try ScenarioFile.load(path: TestPaths.repo("Scenarios/cumbria-observed-rollout.yaml"))
        let result = try Calibration.run(scenario, inputs: try InputLoader.load(scenario))
        #expect(result.heldOutRMSEAfter < result.heldOutRMSEBefore - 1, "\(result.heldOutRMSEBefore) -> \(result.heldOutRMSEAfter)")
        #expect(result.fitRMSEAfter <= result.fitRMSEBefore)
        #expect(result.authorities.map(\.code) == ["E06000063", "E06000064"])
    }
}
