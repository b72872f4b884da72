import Foundation
import Testing
import TestSupport
@testable import Coverage
@testable import Scenario

/// Procurement lots worked by hand (docs/MODEL.md, "Procurement lots"). Grid 1 km; each area's
/// centroid is its cell's centre.
///
///   area  cell    authority  households  public cost  year
///   a0    (0, 0)  E1         100         100,000      2027
///   a1    (1, 0)  E2         200         300,000      2028   touches a0 (edge, across the border)
///   a2    (4, 0)  E2          50          60,000      2027   2 empty cells from a1: 2,000 m ≤ join_m
///   a3    (8, 0)  E1          30          20,000      2029   3 empty cells from a2: 3,000 m > join_m
///   a4    (8, 3)  E1          40          30,000      2029   2 empty cells above a3: joins it
///   a5    (20, 20) E1         10          10,000      —      not built
///   a6    (11, 6) E1          60          90,000      2028   2 × 2 empty cells from a4: 2,828 m > join_m
///
/// With join_m 2,000 and max 10,000: L001 = {a0, a1, a2} (350 households, across E1 and E2),
/// L002 = {a3, a4}, L003 = {a6}.
///
/// With max 250, L001 (350) splits along x (its long side) at the household median:
/// cumulative 100, 300 ≥ 175 → {a0, a1} (300) and {a2}; {a0, a1} again: 100, 300 ≥ 150 →
/// the cut would leave nothing on the right, so {a0} and {a1}. Lots: L001 {a0}, L002 {a1},
/// L003 {a2}, L004 {a3, a4}, L005 {a6}.
@Suite("Procurement lots")
struct ProcurementLotTests {
    let cells = [(0, 0), (1, 0), (4, 0), (8, 0), (8, 3), (20, 20), (11, 6)]
    let authority = [0, 1, 1, 0, 0, 0, 0]
    let households: [Double] = [100, 200, 50, 30, 40, 10, 60]
    let publicCost: [Double] = [100_000, 300_000, 60_000, 20_000, 30_000, 10_000, 90_000]
    let years: [Int?] = [2027, 2028, 2027, 2029, 2029, nil, 2028]
    let built = [2, 0, 1, 3, 4, 6]

    var areas: [BuildArea] {
        cells.indices.map { k in
            BuildArea(id: "E\(authority[k] + 1)/\(cells[k].0)_\(cells[k].1)", authority: authority[k], cellX: cells[k].0,
                      cellY: cells[k].1, premises: [k], households: households[k],
                      centroidX: Double(cells[k].0) * 1000 + 500, centroidY: Double(cells[k].1) * 1000 + 500,
                      fibreDistanceMetres: 0, radiusMetres: 0)
        }
    }

    var priced: [PricedArea] {
        cells.indices.map { k in
            PricedArea(area: k, technology: .fttp, downMbps: 1000, costGBP: publicCost[k] * 2, publicCostGBP: publicCost[k],
                       fttpCostGBP: publicCost[k] * 2, fwaCostGBP: nil)
        }
    }

    func lots(maxPremises: Double, joinM: Double = 2000) -> [Lot] {
        ProcurementLots.group(built: built, areas: areas, priced: priced, years: years, codes: ["E1", "E2"],
                              gridMetres: 1000, settings: LotSettings(joinM: joinM, maxPremises: maxPremises))
    }

    @Test func contiguousAreasFormLots() {
        let lots = lots(maxPremises: 10_000)
        #expect(lots.map(\.id) == ["L001", "L002", "L003"])
        #expect(lots.map(\.areas) == [[0, 1, 2], [3, 4], [6]])
        let first = lots[0]
        #expect(first.households == 350 && first.premises == 3)
        #expect(first.publicCostGBP == 460_000 && first.costGBP == 920_000)
        #expect(first.publicCostPerPremisesGBP == 460_000.0 / 350)
        #expect(first.authorities == ["E1", "E2"])
        #expect(first.years == [2027, 2028])
        #expect(lots.allSatisfy { !$0.aboveMax })
    }

    @Test func lotsAboveTheLimitSplitIntoCompactPieces() {
        let lots = lots(maxPremises: 250)
        #expect(lots.map(\.areas) == [[0], [1], [2], [3, 4], [6]])
        #expect(lots.map(\.id) == ["L001", "L002", "L003", "L004", "L005"])
        #expect(lots.allSatisfy { $0.households <= 250 })
    }

    /// A single area above the limit cannot be split: it stays one lot, flagged.
    @Test func aSingleAreaAboveTheLimitIsFlagged() {
        let lots = lots(maxPremises: 150)
        let a1 = lots.first { $0.areas == [1] }
        #expect(a1?.aboveMax == true)
        #expect(lots.filter(\.aboveMax).count == 1)
    }

    /// join_m 0 joins only touching cells; a wide join distance takes the sweep path and
    /// gives the same answer as the cell search.
    @Test func joinDistance() {
        #expect(lots(maxPremises: 10_000, joinM: 0).map(\.areas) == [[0, 1], [2], [3], [4], [6]])
        #expect(lots(maxPremises: 10_000, joinM: 3000).map(\.areas) == [[0, 1, 2, 3, 4, 6]])
        #expect(lots(maxPremises: 10_000, joinM: 50_000).map(\.areas) == [[0, 1, 2, 3, 4, 6]])
    }

    /// Every built area is in exactly one lot, whatever the limit; the same inputs give the same lots.
    @Test func everyBuiltAreaOnce() {
        for most in [1.0, 45, 100, 250, 400, 10_000] {
            let all = lots(maxPremises: most).flatMap(\.areas).sorted()
            #expect(all == built.sorted(), "max \(most)")
            #expect(lots(maxPremises: most) == lots(maxPremises: most))
        }
    }

    @Test func settingsAreParsed() throws {
        let path = try writeScenario(cumbriaScenario(extra: "rollout:\n  target_tier: superfast\n  lots: { join_m: 500, max_premises: 4000 }\n"
            + "  options:\n    fwa: { per_mast_gbp: 1, per_premises_gbp: 1 }"))
        let scenario = try #require(try ScenarioFile.variants(path: path).first)
        #expect(scenario.rollout?.lots == LotSettings(joinM: 500, maxPremises: 4000))
        let defaults = try writeScenario(cumbriaScenario(extra: "rollout:\n  target_tier: superfast\n  lots: true\n"
            + "  options:\n    fwa: { per_mast_gbp: 1, per_premises_gbp: 1 }"))
        #expect(try ScenarioFile.variants(path: defaults).first?.rollout?.lots == LotSettings(joinM: 2000, maxPremises: 10_000))
    }
}
