import Foundation
import Geometry
import Testing
import TestSupport
@testable import Coverage
@testable import Scenario

/// Joint programmes worked by hand (docs/MODEL.md, "Joint programmes"). Two authorities, A
/// (x 0–500) and B (x 500–1000), split the 1 km cell (0, 0). Eligible premises (all white,
/// 0 Mbit/s), in metres:
///
///   A: (100, 500) 10 households, (200, 500) 10, (300, 500) 20 → 3 premises, 40 households
///   B: (800, 500) 60 households                               → 1 premises, 60 households
///
/// FTTP: £10,000 per area + £100 per premises, nothing per km (a fibre node at (500, 500)).
/// Separately: A 10,000 + 4,000 = 14,000; B 10,000 + 6,000 = 16,000; together 30,000.
/// Jointly: one area, 10,000 + 10,000 = 20,000, shared
///   by households 40 : 60 → A 8,000, B 12,000;
///   by premises    3 : 1  → A 15,000, B 5,000;
///   equally             → 10,000 each.
@Suite("Joint programmes")
struct PartnershipTests {
    static func authority(_ code: String, _ minX: Double) throws -> Authority {
        try Authority(code: code, name: code, geometry: Geometry.rectangle(Envelope(minX: minX, minY: 0, maxX: minX + 500, maxY: 1000)))
    }

    let premises = PremisesTable(xs: [100, 200, 300, 800], ys: [500, 500, 500, 500], households: [10, 10, 20, 60])
    var classification: Classification {
        Classification(authority: [0, 0, 0, 1], bestMbps: [0, 0, 0, 0], tier: [-1, -1, -1, -1], ngaOperators: [0, 0, 0, 0],
                       bestNetwork: [-1, -1, -1, -1])
    }

    var rollout: RolloutSettings {
        var r = FiveAreas().rollout()
        r.targetTier = "superfast"
        r.fttp = FTTPOption(perAreaGBP: 10_000, perPremisesGBP: 100, perKmGBP: 0, routeFactor: 1.3, downMbps: 1000)
        r.fwa = nil
        return r
    }

    func areas(joint: Set<Int>) throws -> [BuildArea] {
        BuildAreaFinder.find(premises: premises, classification: classification,
                             authorities: [try Self.authority("A", 0), try Self.authority("B", 500)], planned: [true, true],
                             eligible: [.white], targetMbps: 30, gridMetres: 1000, fibreNodes: PointGrid(xs: [500], ys: [500]), joint: joint)
    }

    @Test func aBorderCellIsOneJointArea() throws {
        let separate = try areas(joint: [])
        #expect(separate.map(\.id) == ["A/0_0", "B/0_0"])
        let separateCost = Pricing.price(separate, rollout: rollout, targetMbps: 30).map(\.costGBP)
        #expect(separateCost == [14_000, 16_000])

        let joint = try areas(joint: [0, 1])
        #expect(joint.map(\.id) == ["B+A/0_0"], "the lead authority (most households) first")
        let area = try #require(joint.first)
        #expect(area.authority == 1 && area.households == 100 && area.premises.count == 4)
        #expect(area.shares == [AreaShare(authority: 0, premises: 3, households: 40), AreaShare(authority: 1, premises: 1, households: 60)])
        #expect(Pricing.price(joint, rollout: rollout, targetMbps: 30).map(\.costGBP) == [20_000])
    }

    @Test("each cost-share rule", arguments: [(CostShare.households, [8_000.0, 12_000]), (.premises, [15_000, 5_000]), (.equal, [10_000, 10_000])])
    func costShares(rule: CostShare, expected: [Double]) throws {
        let area = try #require(try areas(joint: [0, 1]).first)
        let shares = area.weights(rule).map { $0 * 20_000 }
        for (got, want) in zip(shares, expected) { #expect(abs(got - want) < 1e-9, "\(rule)") }
        #expect(abs(area.weights(rule).reduce(0, +) - 1) < 1e-12)
    }

    /// When the parts cost less separately (a joint centroid far from the fibre node that each
    /// part is next to), the cell is delivered as its parts.
    @Test func partsCheaperSeparatelyAreSplit() throws {
        var r = rollout
        r.fttp = FTTPOption(perAreaGBP: 0, perPremisesGBP: 0, perKmGBP: 1_000_000, routeFactor: 1, downMbps: 1000)
        let nodes = PointGrid(xs: [200, 800], ys: [500, 500])
        let authorities = [try Self.authority("A", 0), try Self.authority("B", 500)]
        let found = BuildAreaFinder.find(premises: premises, classification: classification, authorities: authorities, planned: [true, true],
                                         eligible: [.white], targetMbps: 30, gridMetres: 1000, fibreNodes: nodes, joint: [0, 1])
        let resolved = JointAreas.resolve(found, rollout: r, targetMbps: 30) {
            BuildAreaFinder.parts(of: $0, premises: premises, classification: classification, authorities: authorities, fibreNodes: nodes)
        }
        #expect(resolved.split == 1)
        #expect(resolved.areas.map(\.id).sorted() == ["A/0_0", "B/0_0"])

        // Costs per premises only (£0.1 each, sums that differ in the last bits): a tie keeps
        // the joint area.
        r.fttp = FTTPOption(perAreaGBP: 0, perPremisesGBP: 0.1, perKmGBP: 0, routeFactor: 1, downMbps: 1000)
        let tie = JointAreas.resolve(found, rollout: r, targetMbps: 30) {
            BuildAreaFinder.parts(of: $0, premises: premises, classification: classification, authorities: authorities, fibreNodes: nodes)
        }
        #expect(tie.split == 0 && tie.areas.map(\.id) == ["B+A/0_0"])
    }

    /// On the Cumbria sample (two authorities, every candidate built: no budget), a partnership
    /// of both costs no more than separate delivery, passes the same households, and every
    /// per-authority figure adds up to the totals.
    @Test func aPartnershipNeverCostsMore() throws {
        var results: [String: RolloutResult] = [:]
        for partnership in ["none", "all"] {
            let dir = TestPaths.temporaryDirectory("partnership")
            let path = try writeScenario("""
                extends: \(TestPaths.repo("Scenarios/cumbria-superfast.yaml"))
                name: partnership \(partnership)
                uncertainty: { runs: 1 }
                rollout:
                  partnership: \(partnership)
                  cost_share: premises
                  years: [{ year: 2027 }]
                """, in: dir)
            let scenario = try ScenarioFile.load(path: path)
            let inputs = try InputLoader.load(scenario)
            let baseline = try CoverageAnalysis.run(scenario, inputs: inputs)
            results[partnership] = try Simulator.run(scenario, inputs: inputs, baseline: baseline)
        }
        let separate = try #require(results["none"]), joint = try #require(results["all"])
        #expect(joint.areas.contains { !$0.shares.isEmpty }, "the sample has cells across the border")
        #expect(joint.selection.costGBP <= separate.selection.costGBP + 1e-6)
        #expect(abs(joint.selection.householdsPassed - separate.selection.householdsPassed) < 1e-6)
        for r in [separate, joint] {
            #expect(abs(r.perAuthority.reduce(0) { $0 + $1.costGBP } - r.selection.costGBP) < 1e-3)
            #expect(abs(r.perAuthority.reduce(0) { $0 + $1.publicCostGBP } - r.selection.publicCostGBP) < 1e-3)
            #expect(abs(r.perAuthority.reduce(0) { $0 + $1.householdsPassed } - r.selection.householdsPassed) < 1e-6)
        }
    }

    @Test func settingsAreParsed() throws {
        func rollout(_ text: String) throws -> RolloutSettings? {
            let path = try writeScenario(cumbriaScenario(extra: "rollout:\n  target_tier: superfast\n" + text
                + "  options:\n    fwa: { per_mast_gbp: 1, per_premises_gbp: 1 }"))
            return try ScenarioFile.variants(path: path).first?.rollout
        }
        #expect(try rollout("  partnership: all\n")?.partnership == .all)
        #expect(try rollout("  partnership: none\n")?.partnership == nil)
        let codes = try rollout("  partnership: [E06000063, E06000064]\n  cost_share: equal\n")
        #expect(codes?.partnership == .codes(["E06000063", "E06000064"]) && codes?.costShare == .equal)
        #expect(try rollout("")?.costShare == .households)
    }

    /// coverage_target per authority (share 0.4 of 100 households each): the joint area (A 40,
    /// B 60 households; £1 per household) is taken first and counts 40 towards A and 60
    /// towards B, so A's next area (£2 per household) finds A's target reached, as does B's
    /// (£3). Counting the whole area for its lead (B) would have built A's.
    @Test func aJointAreaCountsTowardsEachAuthoritysTarget() {
        let areas = [
            BuildArea(id: "B+A/0_0", authority: 1, cellX: 0, cellY: 0, premises: [0, 1], households: 100, centroidX: 0, centroidY: 0,
                      fibreDistanceMetres: 0, radiusMetres: 0,
                      shares: [AreaShare(authority: 0, premises: 1, households: 40), AreaShare(authority: 1, premises: 1, households: 60)]),
            BuildArea(id: "A/1_0", authority: 0, cellX: 1, cellY: 0, premises: [2], households: 10, centroidX: 0, centroidY: 0,
                      fibreDistanceMetres: 0, radiusMetres: 0),
            BuildArea(id: "B/2_0", authority: 1, cellX: 2, cellY: 0, premises: [3], households: 10, centroidX: 0, centroidY: 0,
                      fibreDistanceMetres: 0, radiusMetres: 0),
        ]
        let costs: [Double] = [100, 20, 30]
        let priced = costs.indices.map {
            PricedArea(area: $0, technology: .fttp, downMbps: 1000, costGBP: costs[$0], publicCostGBP: costs[$0], fttpCostGBP: costs[$0], fwaCostGBP: nil)
        }
        var r = FiveAreas().rollout(strategy: .coverageTarget, share: 0.4, perAuthority: true)
        r.partnership = .all
        let context = SelectionContext(areaSlot: [1, 0, 1], households: [100, 100], householdsAtTarget: [0, 0], codes: ["A", "B"],
                                       slotOfAuthority: [0, 1])
        let s = Selector.select(priced: priced, areas: areas, rollout: r, context: context)
        #expect(s.status == [.built, .targetReached, .targetReached])
        var lead = context
        lead.slotOfAuthority = []
        #expect(Selector.select(priced: priced, areas: areas, rollout: r, context: lead).status == [.built, .built, .targetReached])
    }
}
