import Foundation
import GeoIO
import Testing
import TestSupport
@testable import Reports
import RunSummary
import Scenario

/// The cross-border outputs of Scenarios/cumbria-lots.yaml agree with each other and with the
/// programme: summary.json, the GIS layers, the CSV tables and the report (docs/MODEL.md,
/// "Shared gaps", "Procurement lots", "Price check").
@Suite("Cross-border outputs")
struct CrossBorderOutputTests {
    static let lots: Result<WrittenRun, Error> = Result { try Runs.run(TestPaths.repo("Scenarios/cumbria-lots.yaml"), rollout: true) }

    /// Lots hold every built area once, so their households and costs add up to the
    /// programme's; none exceeds max_premises unless flagged.
    @Test func lotsAddUpToTheProgramme() throws {
        let run = try Self.lots.get()
        let rollout = try #require(run.result.rollout)
        let lots = try #require(rollout.lots)
        #expect(lots.flatMap(\.areas).sorted() == rollout.selection.buildOrder.sorted())
        let households = lots.reduce(0) { $0 + $1.households }, publicCost = lots.reduce(0) { $0 + $1.publicCostGBP }
        #expect(abs(households - rollout.selection.householdsPassed) < 1e-6)
        #expect(abs(publicCost - rollout.selection.publicCostGBP) < 1e-3)
        #expect(lots.allSatisfy { $0.households <= 500 || $0.aboveMax })
        #expect(lots.contains { $0.authorities.count > 1 }, "the sample has a lot across the border")
        // The same inputs give the same lots.
        let again = try Runs.run(TestPaths.repo("Scenarios/cumbria-lots.yaml"), rollout: true)
        #expect(again.result.rollout?.lots == lots)
    }

    @Test func summaryLayersAndTablesAgree() throws {
        let run = try Self.lots.get()
        let summary = try RunSummary.load(runFolder: run.folder)
        let lots = try #require(summary.lots)
        #expect(lots.count == run.result.rollout?.lots?.count)
        #expect(lots.maxPremises == 500 && lots.joinM == 2000)
        let csv = try String(contentsOf: run.folder.appendingPathComponent("lots.csv"), encoding: .utf8)
        #expect(csv.split(separator: "\n").count == lots.count + 1)
        let gpkg = Dictionary(uniqueKeysWithValues: try VectorSource(path: run.gpkgPath).describe().map { ($0.name, $0.featureCount) })
        #expect(gpkg["lots"] == lots.count)
        let clusters = try #require(summary.gapClusters)
        #expect(clusters.keys.contains("superfast") && clusters.keys.contains("gigabit"))
        for (tier, t) in clusters {
            #expect(gpkg["gap_clusters_\(tier)"] == t.clusters, "\(tier)")
            // Largest first.
            #expect(t.crossBorder.map(\.households) == t.crossBorder.map(\.households).sorted(by: >), "\(tier)")
            #expect(t.crossBorder.allSatisfy { $0.authorities.count > 1 })
        }
        let check = try #require(summary.priceCheck)
        let programme = try #require(check.programme)
        #expect(abs(programme.publicCostPerPremisesGBP - summary.totals.publicCostGBP / summary.totals.householdsPassed) < 1e-3)
        #expect(check.lots.count == lots.items.count)
    }

    @Test func theReportShowsThem() throws {
        let run = try Self.lots.get()
        let html = try run.report()
        let summary = try RunSummary.load(runFolder: run.folder)
        for id in ["shared-gaps", "lots", "price-check"] { #expect(html.contains("<section id=\"\(id)\""), "\(id)") }
        for c in summary.gapClusters?["superfast"]?.crossBorder.prefix(HTMLReport.clusterRows) ?? [] {
            #expect(html.contains("data-cluster=\"\(c.id)\""))
        }
        #expect(HTMLScan.count("<tr data-lot=", in: html) == summary.lots?.count)
    }

    /// The map of shared gaps and lots draws the same shapes from a run in memory and from its
    /// folder's GeoJSON: every cross-border superfast cluster and every lot.
    @Test func theMapShowsClustersAndLots() throws {
        let run = try Self.lots.get()
        let direct = try ReportedRun(run.result)
        let loaded = try ReportedRun.load(runFolder: run.folder)
        let summary = try RunSummary.load(runFolder: run.folder)
        let clusterIds = summary.gapClusters?["superfast"]?.crossBorder.map(\.id).sorted() ?? []
        let lotIds = summary.lots?.items.map(\.id) ?? []
        for reported in [direct, loaded] {
            let clusters = reported.overlays.first { $0.kind == .crossBorderClusters }
            let lots = reported.overlays.first { $0.kind == .lots }
            #expect(clusters?.shapes.map(\.code).sorted() == clusterIds)
            #expect(lots?.shapes.map(\.code) == lotIds)
            #expect(lots?.shapes.allSatisfy { !$0.rings.isEmpty } == true)
        }
        let html = try run.report()
        #expect(HTMLScan.count("class=\"cross-border-clusters\"", in: html) == clusterIds.count)
        #expect(HTMLScan.count("<path class=\"lots\"", in: html) == lotIds.count)
    }

    /// The terminal summary says the same: clusters across a border, lots, the price verdict.
    @Test func theTerminalSummaryShowsThem() throws {
        let run = try Self.lots.get()
        let summary = try RunSummary.load(runFolder: run.folder)
        let text = TerminalSummary.text(run.result, outputDirectory: "/out")
        let superfast = try #require(summary.gapClusters?["superfast"])
        let clusters = superfast.clusters == 1 ? "cluster" : "clusters"
        #expect(text.contains("shared gaps: superfast \(superfast.crossBorderClusters) of \(superfast.clusters) \(clusters) across a border"))
        #expect(text.contains("lots: \(summary.lots?.count ?? -1) (largest "))
        let verdict = try #require(summary.priceCheck?.programme?.verdict.rawValue).replacingOccurrences(of: "_", with: " ")
        #expect(text.contains("per premises passed, \(verdict) (published contracts £1,650–£2,980)"))
    }
}
