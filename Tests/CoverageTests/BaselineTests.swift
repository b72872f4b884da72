import Foundation
import Geometry
import Testing
@testable import Coverage

/// A hand-worked region: every number below is worked out in the comments.
///
/// Authority A: the square 0–10 km with a 2 km hole in the middle (96 km²).
/// Authority B: the square 10–20 km east of it (100 km²).
/// Networks: Openreach FTTC cabinets at (2000, 2000) and (15000, 5000); Altnet A FTTP
/// 1000 Mbit/s on 14–16 km × 4–6 km; Altnet B FTTP 900 Mbit/s on 15–17 km × 4–6 km; Wisp FWA
/// 50 Mbit/s, one mast at (8000, 8000) reaching 1000 m.
struct HandWorkedRegion {
    let authorities: [Authority]
    let networks: [Network]
    let premises: PremisesTable
    let model = SpeedModel()

    init() throws {
        authorities = [
            try Authority(code: "A", name: "Holey", geometry: Geometry(wkt: "POLYGON((0 0, 10000 0, 10000 10000, 0 10000, 0 0), (4000 4000, 6000 4000, 6000 6000, 4000 6000, 4000 4000))")),
            try Authority(code: "B", name: "East", geometry: Geometry(wkt: "POLYGON((10000 0, 20000 0, 20000 10000, 10000 10000, 10000 0))")),
        ]
        networks = [
            Network(name: "Openreach FTTC", operatorName: "Openreach", technology: .fttc,
                    assets: .cabinets(xs: [2000, 15000], ys: [2000, 5000]), downMbps: nil),
            Network(name: "Altnet A", operatorName: "Altnet A", technology: .fttp,
                    assets: .footprints([try Geometry(wkt: "POLYGON((14000 4000, 16000 4000, 16000 6000, 14000 6000, 14000 4000))")]), downMbps: 1000),
            Network(name: "Altnet B", operatorName: "Altnet B", technology: .fttp,
                    assets: .footprints([try Geometry(wkt: "POLYGON((15000 4000, 17000 4000, 17000 6000, 15000 6000, 15000 4000))")]), downMbps: 900),
            Network(name: "Wisp", operatorName: "Wisp", technology: .fwa,
                    assets: .masts(xs: [8000], ys: [8000], radiiMetres: [1000]), downMbps: 50),
        ]
        premises = PremisesTable(
            xs: [2800, 1150, 5000, 15500, 14500, 8000, 25000, 19000],
            ys: [2000, 2000, 5000, 5000, 5000, 9000, 5000, 9000],
            households: [10, 20, 5, 30, 40, 50, 1, 7])
    }
}

@Suite("Baseline classification, hand-worked")
struct BaselineTests {
    @Test func everyPremisesByHand() throws {
        let r = try HandWorkedRegion()
        let c = try Baseline.classify(premises: r.premises, authorities: r.authorities, networks: r.networks, model: r.model)
        // p0: 800 m from a cabinet → 1040 m of line → 51 − 440/600 × 26.5 = 31.5667 Mbit/s.
        // p1: 850 m → 1105 m → 51 − 505/600 × 26.5 = 28.6958 (below superfast: no NGA operator).
        // p2: in A's hole: unassigned. p6: outside both: unassigned.
        // p3: in both footprints and 500 m from a cabinet (650 m line → 48.79): best 1000,
        //     three operators at ≥ 30 → black. p4: footprint A only + FTTC 48.79 → black.
        // p5: exactly 1000 m from the mast (on the rim counts) → 50; FTTC 9.2 km away → 4.
        // p7: 5657 m from the nearest cabinet → past the curve's end → 4 Mbit/s, no tier.
        let expectedMbps = [51 - 440.0 / 600 * 26.5, 51 - 505.0 / 600 * 26.5, 4, 1000, 1000, 50, 4, 4]
        for i in 0..<8 { #expect(abs(c.bestMbps[i] - expectedMbps[i]) < 1e-9, "premises \(i)") }
        #expect(c.authority == [0, 0, -1, 1, 1, 0, -1, 1])
        #expect(c.ngaOperators == [1, 0, 0, 3, 2, 1, 0, 0])
        #expect((0..<8).map { c.ngaClass($0) } == [.grey, .white, .white, .black, .black, .grey, .white, .white])
        let tiers = r.model.tiers
        #expect(c.tier.map { $0 < 0 ? "none" : tiers.tiers[Int($0)].name } ==
                ["superfast", "decent", "none", "gigabit", "gigabit", "superfast", "none", "none"])
        #expect(c.bestNetwork == [0, 0, 0, 1, 1, 3, 0, 0])
    }

    @Test func statisticsByHand() throws {
        let r = try HandWorkedRegion()
        let c = try Baseline.classify(premises: r.premises, authorities: r.authorities, networks: r.networks, model: r.model)
        let (stats, unplanned) = Statistics.summarise(classification: c, households: r.premises.households,
                                                      authorities: r.authorities, selected: [0, 1], tiers: r.model.tiers)
        // A: p0 (10), p1 (20), p5 (50). B: p3 (30), p4 (40), p7 (7).
        #expect(stats[0].premises == 3 && stats[0].households == 80)
        #expect(stats[0].state.householdsByTier == ["decent": 80, "superfast": 60, "ultrafast": 0, "gigabit": 0])
        #expect(stats[0].state.ngaHouseholds == [.white: 20, .grey: 60, .black: 0])
        #expect(stats[1].premises == 3 && stats[1].households == 77)
        #expect(stats[1].state.householdsByTier == ["decent": 70, "superfast": 70, "ultrafast": 70, "gigabit": 70])
        #expect(stats[1].state.ngaHouseholds == [.white: 7, .grey: 0, .black: 70])
        #expect(unplanned.unassignedPremises == 2 && unplanned.unassignedHouseholds == 6)
        #expect(unplanned.excludedPremises == 0)
        // Planning only B: A's premises are excluded, not unassigned.
        let (onlyB, u2) = Statistics.summarise(classification: c, households: r.premises.households,
                                               authorities: r.authorities, selected: [1], tiers: r.model.tiers)
        #expect(onlyB.count == 1 && onlyB[0].code == "B")
        #expect(u2.excludedPremises == 3 && u2.excludedHouseholds == 80 && u2.unassignedPremises == 2)
    }

    @Test func noNetworksMeansWhiteAndZero() throws {
        let r = try HandWorkedRegion()
        let c = try Baseline.classify(premises: r.premises, authorities: r.authorities, networks: [], model: r.model)
        #expect(c.bestMbps.allSatisfy { $0 == 0 })
        #expect(c.ngaOperators.allSatisfy { $0 == 0 })
        #expect(c.tier.allSatisfy { $0 == -1 })
    }

    @Test func oneOperatorsTwoNetworksCountOnce() throws {
        // The same operator's FTTC and FTTP: one NGA operator, so grey, not black.
        let r = try HandWorkedRegion()
        let fttp = Network(name: "Openreach FTTP", operatorName: "Openreach", technology: .fttp,
                           assets: .footprints([try Geometry(wkt: "POLYGON((2000 1000, 3000 1000, 3000 3000, 2000 3000, 2000 1000))")]), downMbps: 1000)
        let c = try Baseline.classify(premises: r.premises, authorities: r.authorities, networks: [r.networks[0], fttp], model: r.model)
        #expect(c.bestMbps[0] == 1000)
        #expect(c.ngaOperators[0] == 1)
        #expect(c.ngaClass(0) == .grey)
    }

    @Test func ngaThresholdIsConfigurable() throws {
        // With BDUK's gigabit threshold only the 1000 Mbit/s footprint counts: p3 and p4 grey.
        let r = try HandWorkedRegion()
        var model = r.model
        model.ngaThresholdMbps = 1000
        let c = try Baseline.classify(premises: r.premises, authorities: r.authorities, networks: r.networks, model: model)
        #expect(c.ngaOperators == [0, 0, 0, 1, 1, 0, 0, 0])
    }
}

@Suite("Coverage and gap polygons, hand-worked")
struct CoverageMapperTests {
    /// Area of the 32-sided polygon GEOS makes for a disk of radius r.
    func polygonDisk(_ r: Double, sides: Double = 32) -> Double { sides / 2 * r * r * sin(2 * .pi / sides) }

    @Test func areasByHand() throws {
        let r = try HandWorkedRegion()
        let tiers = [r.model.tiers["superfast"]!, r.model.tiers["gigabit"]!]
        let result = try CoverageMapper(networks: r.networks, model: r.model)
            .build(authorities: r.authorities, selected: [0, 1], tiers: tiers)
        guard case .metres(let reach) = r.model.fttcReach(forMbps: 30) else { Issue.record("no reach"); return }
        // A, superfast: one FTTC disk and the FWA disk, both wholly inside A and apart.
        let a = result[0].tiers[0]
        let expectedA = (polygonDisk(reach) + polygonDisk(1000)) / 1e6
        #expect(abs(a.coverageKm2 - expectedA) < 1e-9)
        #expect(abs(a.gapKm2 - (96 - expectedA)) < 1e-9)
        // B, superfast: the FTTC disk lies inside the two footprints: 3 km × 2 km = 6 km².
        #expect(abs(result[1].tiers[0].coverageKm2 - 6) < 1e-9)
        #expect(abs(result[1].tiers[0].gapKm2 - 94) < 1e-9)
        // Gigabit: only Altnet A (1000 Mbit/s) counts; B's 900 does not. A has none.
        #expect(abs(result[1].tiers[1].coverageKm2 - 4) < 1e-9)
        #expect(abs(result[1].tiers[1].gapKm2 - 96) < 1e-9)
        #expect(result[0].tiers[1].coverageKm2 == 0 && result[0].tiers[1].gapKm2 == 96)
        // Coverage and gap partition the authority.
        for c in result { for t in c.tiers {
            let union = try t.coverage.union(with: t.gap).area() / 1e6
            #expect(abs(union - r.authorities[c.authority].areaKm2) < 1e-6)
            #expect(try t.coverage.intersection(with: t.gap).area() < 1e-3)
        } }
        // The hole is not part of A's gap.
        #expect(try !PreparedGeometry(a.gap).covers(x: 5000, y: 5000))
    }

    @Test func tierAtTheCurvesEndCoversEverything() throws {
        // Decent-with-4-Mbit/s: every location is within "unlimited" reach of a cabinet.
        let r = try HandWorkedRegion()
        let result = try CoverageMapper(networks: r.networks, model: r.model)
            .build(authorities: r.authorities, selected: [0], tiers: [Tier(name: "basic", mbps: 4)])
        #expect(abs(result[0].tiers[0].coverageKm2 - 96) < 1e-9)
        #expect(result[0].tiers[0].gap.isEmpty)
    }

    @Test func premisesAndPolygonsAgreeUpToTheDiskBand() throws {
        // Random cabinets and premises; each premises at or above superfast must lie in the
        // superfast polygon and each below it outside, except in the thin band between a
        // circle and its inscribed 32-gon (width r (1 − cos(π/32))).
        var rng = TestRandom(state: 99)
        let cx = (0..<60).map { _ in rng.uniform(0, 20_000) }, cy = (0..<60).map { _ in rng.uniform(0, 10_000) }
        let px = (0..<20_000).map { _ in rng.uniform(0, 20_000) }, py = (0..<20_000).map { _ in rng.uniform(0, 10_000) }
        let area = try Authority(code: "R", name: "Region", geometry: Geometry(wkt: "POLYGON((0 0, 20000 0, 20000 10000, 0 10000, 0 0))"))
        let model = SpeedModel()
        let network = Network(name: "FTTC", operatorName: "Op", technology: .fttc, assets: .cabinets(xs: cx, ys: cy), downMbps: nil)
        let premises = PremisesTable(xs: px, ys: py, households: [Double](repeating: 1, count: px.count))
        let c = try Baseline.classify(premises: premises, authorities: [area], networks: [network], model: model)
        let superfast = model.tiers["superfast"]!
        let coverage = try CoverageMapper(networks: [network], model: model).build(authorities: [area], selected: [0], tiers: [superfast])[0].tiers[0].coverage
        let prepared = try PreparedGeometry(coverage)
        guard case .metres(let reach) = model.fttcReach(forMbps: 30) else {
            Issue.record("the default model has no FTTC reach for 30 Mbit/s")
            return
        }
        let band = reach * (1 - cos(Double.pi / 32))
        let grid = PointGrid(xs: cx, ys: cy)
        var disagreements = 0
        for i in 0..<px.count {
            let fast = c.bestMbps[i] >= 30
            let inside = try prepared.covers(x: px[i], y: py[i])
            if fast != inside {
                disagreements += 1
                let d = grid.nearest(x: px[i], y: py[i])!.distance
                #expect(fast && !inside, "a premises below superfast lies inside the polygon")
                #expect(d > reach - band - 1e-6 && d <= reach + 1e-6, "disagreement \(d) m from a cabinet, outside the band")
            }
        }
        // At most the premises expected in all the bands together (60 rims of length 2πr,
        // band wide, over 200 km²), with 50% to spare for chance.
        let expected = 60 * 2 * Double.pi * reach * band / 200e6 * Double(px.count)
        #expect(Double(disagreements) < 1.5 * expected, "\(disagreements) disagreements; about \(expected) expected at most")
        #expect(disagreements > 0, "the test should exercise the band")
    }
}
