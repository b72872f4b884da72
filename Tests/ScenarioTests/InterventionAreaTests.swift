import Foundation
import Testing
import TestSupport
@testable import Coverage
@testable import Scenario

/// Hand-worked cases of each scope rule and reason code (docs/MODEL.md, "Intervention area").
@Suite("Intervention area")
struct InterventionAreaTests {
    /// One premises: location, speed, model NGA operators, BDUK class and flags, built-up and
    /// voucher polygon (-1: none), authority (0 planned, 1 not planned).
    struct P {
        var x: Double
        var y: Double = 0
        var mbps: Double = 20
        var operators: UInt8 = 0
        var g: GigabitClass = .white
        var future = false
        var contract = false
        var builtUp: Int32 = -1
        var voucher: Int32 = -1
        var authority: Int32 = 0
        var households: Double = 1
    }

    static func decide(_ ps: [P], eligible: Set<NGAClass> = [.white], underReview: UnderReviewChoice = .include,
                       rules: InterventionAreaSettings? = InterventionAreaSettings(
                           sharedLocation: true, builtUpAreas: nil, builtUpGreyBlackShare: 0.5, voucherPriorityAreas: nil)) -> [String] {
        let premises = PremisesTable(xs: ps.map(\.x), ys: ps.map(\.y), households: ps.map(\.households))
        let c = Classification(authority: ps.map(\.authority), bestMbps: ps.map(\.mbps), tier: ps.map { _ in 0 },
                               ngaOperators: ps.map(\.operators), bestNetwork: ps.map { _ in -1 })
        let scope = InterventionArea.decide(
            premises: premises, classification: c, planned: [true, false], eligible: eligible, targetMbps: 1000,
            gigabitClass: ps.map(\.g), futureGigabit: ps.map(\.future), inContract: ps.map(\.contract),
            underReview: underReview, rules: rules, builtUp: ps.map(\.builtUp), vouchers: ps.map(\.voucher))
        return zip(scope.decision, scope.reason).map { $1 == .none ? $0.name : "\($0.name):\($1.name)" }
    }

    @Test func eachRuleGivesItsReason() {
        let got = Self.decide([
            P(x: 0),                                        // white, nothing else: in scope
            P(x: 1, mbps: 1000),                            // already gigabit
            P(x: 2, contract: true),                        // in a BDUK contract
            P(x: 3, g: .greyBlack),                         // grey/black
            P(x: 4, future: true),                          // white with a commercial plan
            P(x: 5, operators: 1, g: .none),                // no BDUK class, model grey
            P(x: 6, operators: 0, g: .none),                // no BDUK class, model white
            P(x: 7, operators: 2, g: .unassessed),          // unassessed: the model decides (black)
            P(x: 8, voucher: 0),                            // in a voucher priority area
            P(x: 9, authority: 1),                          // not planned
            P(x: 10, authority: -1),                        // outside every authority
        ])
        #expect(got == [
            "in_scope", "descoped:at_target", "descoped:in_contract", "descoped:grey_black", "descoped:commercial_plan",
            "descoped:not_eligible", "in_scope", "descoped:not_eligible", "deferred:voucher_priority_area", "none", "none",
        ])
    }

    @Test func underReviewIsIncludedExcludedOrDeferred() {
        // Under Review premises carry future_gigabit (an unverified plan): the under_review
        // choice decides them, not the commercial-plan rule.
        let ur = [P(x: 0, g: .underReview, future: true)]
        #expect(Self.decide(ur, underReview: .include) == ["in_scope"])
        #expect(Self.decide(ur, underReview: .exclude) == ["descoped:under_review"])
        #expect(Self.decide(ur, underReview: .defer) == ["deferred:under_review"])
    }

    @Test func sharedLocationDescopesWhiteAndUnderReviewOnly() {
        let ps = [
            P(x: 5, y: 5, g: .greyBlack),
            P(x: 5, y: 5, g: .white),                 // same spot as the grey/black one
            P(x: 5, y: 5, g: .underReview),
            P(x: 5, y: 5.001, g: .white),             // 1 mm away: not the same location
        ]
        #expect(Self.decide(ps) == ["descoped:grey_black", "descoped:shared_location", "descoped:shared_location", "in_scope"])
        let off = InterventionAreaSettings(sharedLocation: false, builtUpAreas: nil, builtUpGreyBlackShare: 0.5, voucherPriorityAreas: nil)
        #expect(Self.decide(ps, rules: off) == ["descoped:grey_black", "in_scope", "in_scope", "in_scope"])
    }

    @Test func builtUpAreasNeedMoreThanTheShareGreyBlack() {
        // Area 0: 2 of 4 households grey/black = 50%: not more than half, so kept.
        // Area 1: 3 of 5 = 60%: its white and under-review premises are descoped.
        let ps = [
            P(x: 0, g: .greyBlack, builtUp: 0), P(x: 1, g: .greyBlack, builtUp: 0), P(x: 2, builtUp: 0), P(x: 3, g: .underReview, builtUp: 0),
            P(x: 10, g: .greyBlack, builtUp: 1), P(x: 11, g: .greyBlack, builtUp: 1), P(x: 12, g: .greyBlack, builtUp: 1),
            P(x: 13, builtUp: 1), P(x: 14, g: .underReview, builtUp: 1),
        ]
        let got = Self.decide(ps)
        #expect(Array(got[2...3]) == ["in_scope", "in_scope"])
        #expect(Array(got[7...8]) == ["descoped:built_up_area_majority_grey_black", "descoped:built_up_area_majority_grey_black"])
        // Households weigh: one grey/black premises of 3 households against two white of 1 = 60%.
        let weighted = [P(x: 0, g: .greyBlack, builtUp: 0, households: 3), P(x: 1, builtUp: 0), P(x: 2, builtUp: 0)]
        #expect(Self.decide(weighted) == ["descoped:grey_black", "descoped:built_up_area_majority_grey_black", "descoped:built_up_area_majority_grey_black"])
        // A lower threshold descopes area 0 too.
        let strict = InterventionAreaSettings(sharedLocation: true, builtUpAreas: nil, builtUpGreyBlackShare: 0.4, voucherPriorityAreas: nil)
        #expect(Array(Self.decide(ps, rules: strict)[2...3]) == ["descoped:built_up_area_majority_grey_black", "descoped:built_up_area_majority_grey_black"])
    }

    @Test func withoutRulesOnlyEligibilityAndBDUKFlagsApply() {
        let ps = [P(x: 0, voucher: 0), P(x: 1, future: true), P(x: 2, g: .greyBlack)]
        #expect(Self.decide(ps, rules: nil) == ["in_scope", "descoped:commercial_plan", "descoped:grey_black"])
        // Grey/Black is eligible only when grey and black both are.
        #expect(Self.decide(ps, eligible: [.white, .grey, .black], rules: nil)[2] == "in_scope")
        #expect(Self.decide(ps, eligible: [.white, .grey], rules: nil)[2] == "descoped:grey_black")
    }
}
