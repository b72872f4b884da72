import Coverage
import Foundation
import Geometry

/// What a rollout decided about one premises (`scope`, docs/MODEL.md, "Intervention area").
public enum ScopeDecision: UInt8, Sendable, CaseIterable {
    /// Outside the planned authorities: not considered.
    case none
    /// A candidate: the programme may build here.
    case inScope
    /// Not a candidate in this programme, but not ruled out: it may return later.
    case deferred
    /// Not a candidate.
    case descoped

    public var name: String {
        switch self {
        case .none: "none"
        case .inScope: "in_scope"
        case .deferred: "deferred"
        case .descoped: "descoped"
        }
    }
}

/// Why a premises was deferred or descoped (`scope_reason`); the first rule that applies, in
/// this order (docs/MODEL.md, "Intervention area").
public enum ScopeReason: UInt8, Sendable, CaseIterable {
    case none
    /// Its speed already meets the rollout's target tier.
    case atTarget
    /// BDUK: in a BDUK gigabit contract (`bduk_gis`).
    case inContract
    /// BDUK: `Gigabit Grey/Black` (and `grey`/`black` are not both in `rollout.eligible`).
    case greyBlack
    /// Its modelled NGA class is not in `rollout.eligible` (premises without a BDUK class, or
    /// `Unassessed`).
    case notEligible
    /// BDUK: `Gigabit Under Review`, with `rollout.under_review` exclude (descoped) or defer
    /// (deferred).
    case underReview
    /// BDUK: a supplier plans gigabit here (`future_gigabit`), not Under Review.
    case commercialPlan
    /// Intervention area: White/Under Review at the exact location of a Grey/Black premises.
    case sharedLocation
    /// Intervention area: White/Under Review inside a built-up area where more than
    /// `built_up_grey_black_share` of the premises are Grey/Black.
    case builtUpAreaMajorityGreyBlack
    /// Intervention area: inside a voucher priority area (deferred).
    case voucherPriorityArea

    public var name: String {
        switch self {
        case .none: "none"
        case .atTarget: "at_target"
        case .inContract: "in_contract"
        case .greyBlack: "grey_black"
        case .notEligible: "not_eligible"
        case .underReview: "under_review"
        case .commercialPlan: "commercial_plan"
        case .sharedLocation: "shared_location"
        case .builtUpAreaMajorityGreyBlack: "built_up_area_majority_grey_black"
        case .voucherPriorityArea: "voucher_priority_area"
        }
    }
}

/// Each premises row's scope decision and reason.
public struct Scope: Sendable {
    public var decision: [ScopeDecision]
    public var reason: [ScopeReason]

    public var inScope: [Bool] { decision.map { $0 == .inScope } }
}

/// BDUK's published intervention-area rules and the rollout's eligibility, as one pass over
/// the premises (docs/MODEL.md, "Intervention area").
public enum InterventionArea {
    /// - Parameters:
    ///   - gigabitClass: BDUK's class of each row (`none` where BDUK does not cover it); nil
    ///     without BDUK data.
    ///   - builtUp, vouchers: the polygon index (-1: none) of each row, when the rules use them.
    public static func decide(
        premises: PremisesTable, classification c: Classification, planned: [Bool], eligible: Set<NGAClass>,
        targetMbps: Double, gigabitClass: [GigabitClass]?, futureGigabit: [Bool]?, inContract: [Bool]?,
        underReview: UnderReviewChoice, rules: InterventionAreaSettings?, builtUp: [Int32]?, vouchers: [Int32]?
    ) -> Scope {
        let n = premises.count
        var decision = [ScopeDecision](repeating: .none, count: n)
        var reason = [ScopeReason](repeating: .none, count: n)
        let greyBlackEligible = eligible.contains(.grey) && eligible.contains(.black)
        func isWhiteOrUR(_ i: Int) -> Bool {
            guard let g = gigabitClass?[i] else { return false }
            return g == .white || g == .underReview
        }
        // Grey/Black locations, and the Grey/Black share of each built-up area's households
        // among its premises with a BDUK class.
        var greyBlackAt = Set<Location>()
        var builtUpShare: [Int32: (gb: Double, all: Double)] = [:]
        if let g = gigabitClass {
            for i in 0..<n where g[i] != .none {
                if g[i] == .greyBlack { greyBlackAt.insert(Location(premises.xs[i], premises.ys[i])) }
                if let b = builtUp?[i], b >= 0 {
                    var s = builtUpShare[b] ?? (0, 0)
                    s.all += premises.households[i]
                    if g[i] == .greyBlack { s.gb += premises.households[i] }
                    builtUpShare[b] = s
                }
            }
        }
        for i in 0..<n {
            let a = c.authority[i]
            guard a >= 0, planned[Int(a)] else { continue }
            let g = gigabitClass?[i] ?? .none
            func set(_ d: ScopeDecision, _ r: ScopeReason) {
                decision[i] = d
                reason[i] = r
            }
            if c.bestMbps[i] >= targetMbps { set(.descoped, .atTarget); continue }
            if inContract?[i] == true { set(.descoped, .inContract); continue }
            switch g {
            case .greyBlack where !greyBlackEligible:
                set(.descoped, .greyBlack); continue
            case .white where !eligible.contains(.white):
                set(.descoped, .notEligible); continue
            case .none, .unassessed:
                if !eligible.contains(c.ngaClass(i)) { set(.descoped, .notEligible); continue }
            default: break
            }
            if g == .underReview {
                switch underReview {
                case .include: break
                case .exclude: set(.descoped, .underReview); continue
                case .defer: set(.deferred, .underReview); continue
                }
            } else if futureGigabit?[i] == true {
                set(.descoped, .commercialPlan); continue
            }
            if let rules {
                if rules.sharedLocation, isWhiteOrUR(i), greyBlackAt.contains(Location(premises.xs[i], premises.ys[i])) {
                    set(.descoped, .sharedLocation); continue
                }
                if isWhiteOrUR(i), let b = builtUp?[i], b >= 0, let s = builtUpShare[b], s.all > 0,
                   s.gb / s.all > rules.builtUpGreyBlackShare {
                    set(.descoped, .builtUpAreaMajorityGreyBlack); continue
                }
                if let v = vouchers?[i], v >= 0 { set(.deferred, .voucherPriorityArea); continue }
            }
            set(.inScope, .none)
        }
        return Scope(decision: decision, reason: reason)
    }

    /// An exact location (the coordinates' bits): "share an exact location" is equality.
    struct Location: Hashable {
        let x: UInt64, y: UInt64
        init(_ x: Double, _ y: Double) {
            self.x = x.bitPattern
            self.y = y.bitPattern
        }
    }
}
