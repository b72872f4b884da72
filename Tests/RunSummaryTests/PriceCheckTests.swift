import Foundation
import Testing
@testable import RunSummary

/// The price check's figures and verdicts (docs/MODEL.md, "Price check").
@Suite("Price check")
struct PriceCheckTests {
    /// The published figures worked out: £6.6m / 4,000 = £1,650 (Teesdale); £73.47m / 39,900 =
    /// £1,841.35 (North Yorkshire); £577m / 228,000 = £2,530.70 (Openreach Type C).
    @Test func benchmarksAreThePublishedFiguresDivided() {
        #expect(PriceCheck.teesdaleGBP == 1650)
        #expect(abs(PriceCheck.northYorkshireGBP - 1841.35) < 0.01)
        #expect(abs(PriceCheck.openreachTypeCGBP - 2530.70) < 0.01)
        #expect(PriceCheck.benchmarks.map(\.gbpPerPremises).sorted() == PriceCheck.benchmarks.map(\.gbpPerPremises))
    }

    /// Each boundary falls on the side the docs state: half the low end (£825) is "below
    /// range", not "far below"; £2,980, £3,400 and £4,500 belong to the band they close.
    static let cases: [(Double, PriceCheck.Verdict, Bool)] = [
        (0, .farBelow, true), (824.99, .farBelow, true), (825, .belowRange, false), (1649.99, .belowRange, false),
        (1650, .withinRange, false), (2980, .withinRange, false), (2980.01, .aboveRange, false), (3400, .aboveRange, false),
        (3400.01, .aboveUSOThreshold, true), (4500, .aboveUSOThreshold, true), (4500.01, .aboveVoucherCap, true), (1e6, .aboveVoucherCap, true),
    ]

    @Test("verdicts and notes", arguments: cases)
    func verdict(value: Double, verdict: PriceCheck.Verdict, noted: Bool) {
        let item = PriceCheck.Item(id: "x", publicCostPerPremisesGBP: value)
        #expect(item.verdict == verdict)
        #expect((item.note != nil) == noted)
    }

    /// The programme is public cost ÷ households passed; a lot with no households is left out
    /// (no figure to check) and so is the programme when nothing was built.
    @Test func programmeAndLots() throws {
        let check = PriceCheck(programmePublicCostGBP: 9_000_000, householdsPassed: 2_000,
                               lots: [("L001", 1_000_000, 500), ("L002", 0, 0), ("L003", 300_000, 1_000)])
        #expect(check.programme?.publicCostPerPremisesGBP == 4_500)
        #expect(check.programme?.verdict == .aboveUSOThreshold)
        #expect(check.lots.map(\.id) == ["L001", "L003"])
        #expect(check.lots.map(\.verdict) == [.withinRange, .farBelow])
        #expect(PriceCheck(programmePublicCostGBP: 0, householdsPassed: 0, lots: []).programme == nil)
        // Written and read back as summary.json writes it.
        let data = try JSONEncoder().encode(check)
        #expect(try JSONDecoder().decode(PriceCheck.self, from: data) == check)
    }
}
