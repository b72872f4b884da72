import Foundation
import GeoIO
import Testing
import TestSupport
@testable import Reports
import Scenario

/// The terminal summary's words and layout: counts agree with their nouns, names are never cut,
/// and the headline says which figures are the whole file and which the planned region.
@Suite("Terminal summary wording")
struct TerminalSummaryWordingTests {
    @Test func nounsAgreeWithTheCountAsPrinted() {
        #expect(Noun.authority.counted(1) == "1 authority")
        #expect(Noun.authority.counted(12) == "12 authorities")
        #expect(Noun("invalid input polygon").counted(1) == "1 invalid input polygon")
        #expect(Noun("invalid input polygon").counted(0) == "0 invalid input polygons")
        #expect(Noun.premises.counted(1) == "1 premises")
        // Households are printed rounded: 0.6 reads "1", 1.5 reads "2".
        #expect(Noun.household.form(for: 0.6) == "household")
        #expect(Noun.household.form(for: 1.5) == "households")
        #expect(PremisesKind.postcodes.noun.form(for: 1) == "postcode")
        #expect(PremisesKind.addresses.noun.form(for: 3) == "addresses")
        #expect(TerminalSummary.households(1) == "1 household")
        #expect(TerminalSummary.households(1_350_108) == "1,350,108 households")
    }

    @Test func longNamesWrapAtASpaceAndAreNeverCut() {
        #expect(TerminalSummary.wrap("Bournemouth, Christchurch and Poole", width: 30) == ["Bournemouth, Christchurch and", "Poole"])
        #expect(TerminalSummary.wrap("Westmorland and Furness", width: 30) == ["Westmorland and Furness"])
        // A word longer than the width keeps a line of its own, whole.
        #expect(TerminalSummary.wrap("Llanfairpwllgwyngyll borough", width: 10) == ["Llanfairpwllgwyngyll", "borough"])
        let joined = TerminalSummary.wrap("Armagh City, Banbridge and Craigavon", width: 12).joined(separator: " ")
        #expect(joined == "Armagh City, Banbridge and Craigavon")
    }

    @Test func theTableWidensToTheWrappedNameAndLeavesContinuationCellsBlank() {
        let rows = [["code", "name", "n"], ["E1", "Bournemouth, Christchurch and Poole", "1,234"], ["E2", "Bath", "5"]]
        let lines = TerminalSummary.table(rows, leftAligned: 2, wrapping: 1, wrapWidth: 30)
        #expect(lines == [
            "code  name                               n",
            "E1    Bournemouth, Christchurch and  1,234",
            "      Poole",
            "E2    Bath                               5",
        ])
    }

    @Test func theHeadlineNamesWhatWasReadAndWhatIsPlanned() throws {
        let run = try Runs.cumbriaBaseline.get()
        // Read from the premises file by hand: every row, wherever it lies.
        let rows = try readSimpleCSV(TestPaths.repo("GeoData/premises/cumbria-postcodes.csv"))
        let readHouseholds = rows.reduce(0.0) { $0 + (Double($1["households_est"] ?? "") ?? .nan) }
        let st = run.result.baseline.statistics
        let planned = st.reduce(0) { $0 + $1.premises }
        let plannedHouseholds = st.reduce(0.0) { $0 + $1.households }
        // What is read but not planned is exactly what lies outside every authority.
        let u = run.result.baseline.unplanned
        #expect(planned + u.unassignedPremises + u.excludedPremises == rows.count)
        #expect(abs(plannedHouseholds + u.unassignedHouseholds + u.excludedHouseholds - readHouseholds) < 1e-6)
        #expect(run.result.scenario.premises.kind == .postcodes)

        let g = { (v: Double) in
            let f = NumberFormatter()
            f.numberStyle = .decimal
            f.locale = Locale(identifier: "en_GB")
            f.maximumFractionDigits = 0
            return f.string(from: NSNumber(value: v)) ?? "?"
        }
        let expected = "Cumbria baseline: read \(g(Double(rows.count))) postcodes (\(g(readHouseholds)) households); "
            + "planned: 2 authorities, \(g(Double(planned))) postcodes, \(g(plannedHouseholds)) households"
        let text = TerminalSummary.text(run.result, outputDirectory: "/out")
        #expect(text.split(separator: "\n").first.map(String.init) == expected)
        #expect(text.contains("  note: \(u.unassignedPremises) postcodes (\(g(u.unassignedHouseholds)) households) outside every authority"))
        // Names whole: the longest Cumbrian name is not cut.
        #expect(text.contains("Westmorland and Furness "))
    }

    @Test func aRunCountsItsAreasAndRunsWithTheRightNouns() throws {
        let run = try Runs.cumbria.get()
        let text = TerminalSummary.text(run.result, outputDirectory: "/out")
        let rollout = try #require(run.result.rollout)
        #expect(rollout.areas.count > 1)
        #expect(text.contains("of \(rollout.areas.count) candidate areas built"))
        #expect(text.contains("uncertainty (200 runs)"))
        #expect(!text.contains("1 runs") && !text.contains("1 authorities"))
    }
}
