import Foundation
import Testing
import TestSupport
@testable import Reports
import GeoIO
import RunSummary
@testable import Scenario

/// What a programme board reads (issue 11): value for money (item 4), the accounts in the
/// report (item 1), the modelled-data caveat (item 7) and the assumptions (item 3).
@Suite("Board report")
struct BoardReportTests {
    @Test func valueForMoneyByHand() {
        // £1m of cost, £600k public, 500 premises passed: £2,000 and £1,200 per premises;
        // 500 premises per £1m of cost, 833.3 per £1m of public cost.
        let v = RunSummary.ValueForMoney(costGBP: 1_000_000, publicCostGBP: 600_000, premisesPassed: 500)
        #expect(v.costPerPremisesGBP == 2000 && v.publicCostPerPremisesGBP == 1200)
        #expect(v.premisesPerMillionGBP == 500)
        #expect(abs((v.premisesPerMillionPublicGBP ?? 0) - 833.333_333) < 1e-6)
        // Nothing passed, nothing spent: no ratio rather than 0 or infinity.
        let none = RunSummary.ValueForMoney(costGBP: 0, publicCostGBP: 0, premisesPassed: 0)
        #expect(none.costPerPremisesGBP == nil && none.premisesPerMillionPublicGBP == nil)
    }

    @Test func valueForMoneyPerAuthorityAndInTotal() throws {
        let run = try Runs.hostile.get()
        let s = try RunSummary.load(runFolder: run.folder)
        let total = try #require(s.totals.valueForMoney)
        #expect(s.totals.householdsPassed > 0)
        #expect(abs((total.costPerPremisesGBP ?? 0) - s.totals.costGBP / s.totals.householdsPassed) < 1e-3)
        #expect(abs((total.premisesPerMillionPublicGBP ?? 0) - s.totals.householdsPassed / s.totals.publicCostGBP * 1e6) < 1e-3)
        let csv = try String(contentsOf: run.folder.appendingPathComponent("authorities.csv"), encoding: .utf8)
        let rows = csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = rows[0]
        let column = try #require(header.firstIndex(of: "cost_per_premises_gbp"))
        let publicColumn = try #require(header.firstIndex(of: "public_cost_per_premises_gbp"))
        for a in s.authorities {
            let v = try #require(a.valueForMoney)
            let row = try #require(rows.first { $0[0] == a.code || $0[0] == "\"\(a.code)\"" })
            if a.householdsPassed > 0 {
                #expect(abs((v.costPerPremisesGBP ?? 0) - a.costGBP / a.householdsPassed) < 1e-3)
                #expect(abs((Double(row[column]) ?? 0) - a.costGBP / a.householdsPassed) < 0.01)
                #expect(abs((Double(row[publicColumn]) ?? 0) - a.publicCostGBP / a.householdsPassed) < 0.01)
            } else {
                #expect(v.costPerPremisesGBP == nil && row[column].isEmpty)
            }
        }
        let html = try run.report()
        #expect(html.contains("id=\"value-table\""))
    }

    @Test func theReportAccountsForBudgetAndCapacity() throws {
        let run = try Runs.cumbria.get()
        let s = try RunSummary.load(runFolder: run.folder)
        // Three years of £4m and 4,000 premises each.
        let limits = try #require(s.totals.limits)
        #expect(limits.budgetGBP == 12_000_000 && limits.capacityPremises == 12_000)
        #expect(limits.spentGBP == s.totals.publicCostGBP && limits.usedPremises == s.totals.householdsPassed)
        #expect(abs((limits.unspentGBP ?? 0) - (12_000_000 - s.totals.publicCostGBP)) < 1e-6)
        let programme = s.years.filter { $0.limits != nil }
        #expect(programme.map(\.year) == [2027, 2028, 2029])
        for y in programme {
            let l = try #require(y.limits)
            #expect(l.usedPremises <= 4000 && l.spentGBP == y.publicCostGBP)
        }
        // The last year's unspent is what the programme left.
        #expect(abs((programme.last?.limits?.unspentGBP ?? 0) - (limits.unspentGBP ?? 0)) < 1e-6)
        // Each status with its reason; the statuses add up to the candidates.
        let byStatus = try #require(s.totals.areasByStatus)
        #expect(byStatus.map(\.value).reduce(0, +) == s.totals.candidateAreas)
        #expect(limits.bound == (byStatus["over_budget"] ?? 0 > 0 ? ["budget"] : []) + (byStatus["over_capacity"] ?? 0 > 0 ? ["capacity"] : []))
        let html = try run.report()
        #expect(html.contains("id=\"limits-table\"") && html.contains("<tr data-year=\"total\">"))
        let years = try String(contentsOf: run.folder.appendingPathComponent("years.csv"), encoding: .utf8)
        #expect(years.hasPrefix("year,cost_gbp,public_cost_gbp,households_passed,households_connected,build_areas,budget_gbp,unspent_gbp,capacity_premises,bound\n"))
        #expect(years.contains("\n2027,") && years.split(separator: "\n")[1].hasSuffix(",4000000,\(CSVWriter.number(programme[0].limits?.unspentGBP ?? 0, digits: 2)),4000,\(programme[0].limits?.bound.isEmpty == false ? programme[0].limits!.bound.joined(separator: "+") : "none")"))
    }

    @Test func modelledInputsAreNamedAtTheTop() throws {
        let run = try Runs.hostile.get()
        let s = try RunSummary.load(runFolder: run.folder)
        let modelled = s.inputs.filter { $0.modelled == true }.map(\.role)
        // GeoData's postcodes (estimated households) and cabinets are modelled; the fixture
        // districts and exchanges are not.
        #expect(modelled == ["premises", "networks[0]", "networks[1]"], "\(s.inputs.map { ($0.role, $0.modelled) })")
        let html = try run.report()
        let header = try #require(HTMLScan.blocks(html, from: "<header class=\"report\">", to: "</header>").first)
        #expect(header.contains("<strong>Modelled data.</strong>") && header.contains("<code>networks[0]</code>"))
        #expect(!header.contains("<code>authorities</code>"))

        // No modelled input, no caveat; one declared modelled, just that one.
        var observed = s
        for k in observed.inputs.indices { observed.inputs[k].modelled = false }
        #expect(!HTMLReport.page(ReportedRun(summary: observed)).contains("Modelled data."))
        observed.inputs[0].modelled = true
        let page = HTMLReport.page(ReportedRun(summary: observed))
        #expect(page.contains("This input is modelled, not observed: <code>authorities</code>"))
    }

    @Test(arguments: [
        ("/data/gb_cabinets_modelled.csv.gz", nil, true), ("/data/cumbria_uprn_synthetic.csv.gz", nil, true),
        ("/repo/GeoData/network/cumbria-cabinets.csv", nil, true), ("/data/postcodes.csv", "households_est", true),
        ("/data/postcodes.csv", "households", false), ("/data/districts.gpkg", nil, false),
    ] as [(String, String?, Bool)])
    func modelledIsInferredFromNames(path: String, column: String?, expected: Bool) {
        #expect(InputRecord.isModelled(path: path, householdsColumn: column) == expected)
    }

    @Test func theAssumptionsAreShown() throws {
        let run = try Runs.hostile.get()
        let s = try RunSummary.load(runFolder: run.folder)
        let a = try #require(s.assumptions)
        #expect(a.targetTier == "gigabit" && a.targetMbps == 1000 && a.eligible == ["white", "grey"] && a.gridM == 1000)
        #expect(a.fttp?["per_area_gbp"] == 15000 && a.fttp?["per_premises_gbp"] == 550 && a.fttp?["per_km_gbp"] == 40000)
        #expect(a.fwa == nil && a.subsidy == nil && a.takeUpCurve == [0.2, 0.4, 0.6] && a.costSpread == 0.2)
        #expect(a.years.map(\.budgetGBP) == [3_000_000, 3_000_000] && a.targetReached == nil)
        let html = try run.report()
        let section = try #require(HTMLScan.blocks(html, from: "<section id=\"assumptions\"", to: "</section>").first)
        for text in ["per area £15,000", "per premises £550", "per km £40,000", "20.0%, 40.0%, 60.0%", "2027: budget £3.00m, capacity no limit",
                     "none: the public pays the full cost", "least cost per household"] {
            #expect(section.contains(text), "\(text) in \(section)")
        }
    }

    @Test func aCoverageTargetSaysWhetherItWasReached() throws {
        let dir = TestPaths.temporaryDirectory("target")
        let yaml = """
            extends: \(TestPaths.repo("Scenarios/cumbria-superfast.yaml"))
            name: Cumbria target
            rollout: { strategy: coverage_target, target_share: 0.999 }
            uncertainty: { runs: 2 }
            outputs: { formats: [html] }
            """
        let file = dir.appendingPathComponent("t.yaml")
        try Data(yaml.utf8).write(to: file)
        let written = try Runs.run(file.path, rollout: true)
        let s = try RunSummary.load(runFolder: written.folder)
        let a = try #require(s.assumptions)
        // 99.9% superfast cannot be reached on £12m: the share reached is the after share.
        #expect(a.targetShare == 0.999 && a.targetReached == false)
        #expect(abs((a.targetShareReached ?? 0) - s.totals.after.share("superfast")) < 1e-6 && s.totals.after.share("superfast") < 0.999)
        #expect(try written.report().contains("<strong>not reached</strong>"))
    }
}
