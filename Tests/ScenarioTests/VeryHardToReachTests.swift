import Foundation
import Testing
import TestSupport
@testable import Coverage
@testable import Scenario

/// Very hard to reach areas and their alternatives, worked by hand (docs/MODEL.md, "Very hard
/// to reach"). Options: FTTP £10,000 per area + £500 per premises + £20,000 per route km
/// (route factor 1.3, 1 Gbit/s); FWA £80,000 per mast + £250 per premises (50 Mbit/s, 5 km).
/// Target superfast; threshold £3,400 per premises.
///
///   area     households  fibre m  FTTP     FWA                cheapest per premises
///   near     100          1,000    86,000   105,000            860 (FTTP): not hard to reach
///   far       10         20,000   535,000   82,500             8,250 (FWA): hard to reach
///   far-out   10         20,000   535,000   none (6 km radius) 53,500 (FTTP): hard to reach
///
/// FTTP far = 10,000 + 500 × 10 + 20,000 × 20 km × 1.3 = 535,000.
/// Voucher (cap £4,500): public min(535,000, 4,500 × 10) = 45,000, cost 535,000, 1 Gbit/s.
/// Satellite at £600 per premises, 200 Mbit/s: 6,000; at £5,000: 50,000 (dearer than the voucher).
@Suite("Very hard to reach")
struct VeryHardToReachTests {
    func area(_ households: Double, distance: Double, radius: Double = 100) -> BuildArea {
        BuildArea(id: "X/0_0", authority: 0, cellX: 0, cellY: 0, premises: [0], households: households,
                  centroidX: 0, centroidY: 0, fibreDistanceMetres: distance, radiusMetres: radius)
    }

    func rollout(satelliteGBP: Double?) -> RolloutSettings {
        var r = FiveAreas().rollout()
        r.targetTier = "superfast"
        r.fttp = FTTPOption(perAreaGBP: 10_000, perPremisesGBP: 500, perKmGBP: 20_000, routeFactor: 1.3, downMbps: 1000)
        r.fwa = FWAOption(perMastGBP: 80_000, perPremisesGBP: 250, radiusM: 5000, downMbps: 50)
        r.veryHardToReachGBP = 3_400
        r.voucher = VoucherOption(capGBP: 4_500)
        r.satellite = satelliteGBP.map { SatelliteOption(perPremisesGBP: $0, downMbps: 200) }
        return r
    }

    var areas: [BuildArea] { [area(100, distance: 1000), area(10, distance: 20_000), area(10, distance: 20_000, radius: 6000)] }

    @Test func takenByVoucher() {
        let p = Pricing.price(areas, rollout: rollout(satelliteGBP: 5_000), targetMbps: 30)
        #expect(p.map(\.veryHardToReach) == [false, true, true])
        #expect(p[0].technology == .fttp && abs(p[0].costGBP - 86_000) < 1e-6)
        for k in [1, 2] {
            #expect(p[k].technology == .voucher, "\(k)")
            #expect(abs(p[k].costGBP - 535_000) < 1e-6 && abs(p[k].publicCostGBP - 45_000) < 1e-6, "\(k)")
            #expect(p[k].downMbps == 1000)
        }
    }

    @Test func takenBySatellite() {
        let p = Pricing.price(areas, rollout: rollout(satelliteGBP: 600), targetMbps: 30)
        #expect(p[0].technology == .fttp)
        for k in [1, 2] {
            #expect(p[k].technology == .satellite && p[k].costGBP == 6_000 && p[k].publicCostGBP == 6_000 && p[k].downMbps == 200, "\(k)")
        }
    }

    /// A voucher pays only what the build costs: below the cap the public pays the whole FTTP
    /// cost. With no alternative available the area has no option, and is still counted as
    /// very hard to reach.
    @Test func voucherBelowTheCapAndNoAlternative() {
        var r = rollout(satelliteGBP: nil)
        r.veryHardToReachGBP = 800   // the near area: 860 per premises, now hard to reach
        r.voucher = VoucherOption(capGBP: 4_500)
        let p = Pricing.price([area(100, distance: 1000)], rollout: r, targetMbps: 30)
        #expect(p[0].technology == .voucher && abs(p[0].publicCostGBP - 86_000) < 1e-6)
        r.voucher = nil
        r.satellite = nil
        let none = Pricing.price([area(100, distance: 1000)], rollout: r, targetMbps: 30)
        #expect(none[0].technology == nil && none[0].veryHardToReach)
    }

    static let bad: [(String, String)] = [
        ("  very_hard_to_reach_gbp: 400\n  options:\n    fttp: { per_area_gbp: 1, per_premises_gbp: 650, per_km_gbp: 1 }\n    voucher: {}",
         "rollout.very_hard_to_reach_gbp: 400 is below the cheapest option's cost per premises (options.fttp.per_premises_gbp 650): every area would be very hard to reach"),
        ("  very_hard_to_reach_gbp: 4000\n  options:\n    fwa: { per_mast_gbp: 1, per_premises_gbp: 1 }",
         "rollout.very_hard_to_reach_gbp: needs an alternative for the areas above it: rollout.options.voucher or rollout.options.satellite"),
        ("  options:\n    fwa: { per_mast_gbp: 1, per_premises_gbp: 1 }\n    satellite: { per_premises_gbp: 500, down_mbps: 100 }",
         "rollout: rollout.options.voucher and satellite serve very hard to reach areas: set rollout.very_hard_to_reach_gbp too"),
        ("  very_hard_to_reach_gbp: 4000\n  options:\n    fwa: { per_mast_gbp: 1, per_premises_gbp: 1 }\n    voucher: { cap_gbp: 4500 }",
         "rollout.options.voucher: pays towards an FTTP build: it needs rollout.options.fttp"),
    ]

    @Test("bad settings: one line", arguments: bad)
    func badSettings(fragment: String, message: String) throws {
        let path = try writeScenario(cumbriaScenario(extra: "rollout:\n  target_tier: superfast\n" + fragment))
        do {
            _ = try ScenarioFile.variants(path: path)
            Issue.record("accepted: \(fragment)")
        } catch let e as ScenarioError {
            #expect(e.message == message)
            #expect(e.isBadInput)
        }
    }

    @Test func defaultsAreParsed() throws {
        let path = try writeScenario(cumbriaScenario(extra: "rollout:\n  target_tier: superfast\n  very_hard_to_reach_gbp: 3400\n"
            + "  options:\n    fttp: { per_area_gbp: 1, per_premises_gbp: 650, per_km_gbp: 1 }\n    voucher: {}\n"
            + "    satellite: { per_premises_gbp: 700, down_mbps: 150 }"))
        let r = try #require(try ScenarioFile.variants(path: path).first?.rollout)
        #expect(r.veryHardToReachGBP == 3400 && r.voucher == VoucherOption(capGBP: 4500))
        #expect(r.satellite == SatelliteOption(perPremisesGBP: 700, downMbps: 150))
        let defaults = try writeScenario(cumbriaScenario(extra: "rollout:\n  target_tier: superfast\n  very_hard_to_reach_gbp: 3400\n"
            + "  options:\n    fwa: { per_mast_gbp: 1, per_premises_gbp: 1 }\n    satellite: {}"))
        #expect(try ScenarioFile.variants(path: defaults).first?.rollout?.satellite == SatelliteOption(perPremisesGBP: 469, downMbps: 100))
    }
}
