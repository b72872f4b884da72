import Coverage
import Foundation
import GeoIO

/// Parses and validates the `rollout` block (docs/SCENARIO.md, "rollout").
enum RolloutParser {
    static func parse(_ reader: MappingReader, tiers: TierSet) throws -> RolloutSettings {
        var r = reader
        let target = try r.requiredString("target_tier")
        guard tiers.index(of: target) != nil else {
            throw r.error("target_tier", "'\(target)' is not a tier; tiers are: \(tiers.names.joined(separator: ", "))")
        }
        let eligible = try r.stringList("eligible").map { list in
            try list.map { item, name -> NGAClass in
                guard let c = NGAClass(rawValue: name) else { throw item.error("'\(name)' is not an NGA class (white, grey, black)") }
                return c
            }
        } ?? [.white]
        guard !eligible.isEmpty else { throw r.error("eligible", "is an empty list") }
        let grid = try r.number("grid_m") ?? 1000
        guard grid >= 10, grid <= 100_000 else { throw r.error("grid_m", "must be between 10 and 100000 metres") }

        var fibreNodes: DataSourceSpec?
        if let node = r.raw("fibre_nodes") {
            if let path = node.scalar {
                // Short form: a point file with easting/northing columns in the working CRS.
                fibreNodes = DataSourceSpec(
                    path: ScenarioParser.resolve(path, relativeTo: node.file), layer: nil,
                    x: VectorSource.isDelimitedText(path) ? "easting" : nil,
                    y: VectorSource.isDelimitedText(path) ? "northing" : nil,
                    crs: nil, key: "rollout.fibre_nodes", file: node.file, line: node.line)
            } else {
                var f = try MappingReader(node, path: "rollout.fibre_nodes", keys: ScenarioKeys.source)
                fibreNodes = try ScenarioParser.source(&f, key: "rollout.fibre_nodes")
                try f.finish()
            }
        }

        var fttp: FTTPOption?
        var fwa: FWAOption?
        var options = try ScenarioParser.requiredMapping(&r, "options", keys: ScenarioKeys.options)
        if var o = try options.mapping("fttp", keys: ScenarioKeys.fttp) {
            fttp = FTTPOption(
                perAreaGBP: try cost(&o, "per_area_gbp"), perPremisesGBP: try cost(&o, "per_premises_gbp"),
                perKmGBP: try cost(&o, "per_km_gbp"),
                routeFactor: try positive(&o, "route_factor", default: 1.3, minimum: 1),
                downMbps: try positive(&o, "down_mbps", default: 1000))
            try o.finish()
        }
        if var o = try options.mapping("fwa", keys: ScenarioKeys.fwa) {
            fwa = FWAOption(
                perMastGBP: try cost(&o, "per_mast_gbp"), perPremisesGBP: try cost(&o, "per_premises_gbp"),
                radiusM: try positive(&o, "radius_m", default: 5000),
                downMbps: try positive(&o, "down_mbps", default: 100))
            try o.finish()
        }
        var voucher: VoucherOption?
        var satellite: SatelliteOption?
        if let node = options.raw("voucher") {
            var o = try MappingReader(node, path: "rollout.options.voucher", keys: ScenarioKeys.voucher)
            let cap = try o.number("cap_gbp") ?? VoucherOption.defaultCapGBP
            try checkAmount(cap, o, "cap_gbp", maximum: ValueLimits.maxGBP)
            voucher = VoucherOption(capGBP: cap)
            try o.finish()
        }
        if let node = options.raw("satellite") {
            var o = try MappingReader(node, path: "rollout.options.satellite", keys: ScenarioKeys.satellite)
            satellite = SatelliteOption(perPremisesGBP: try optionalCost(&o, "per_premises_gbp") ?? SatelliteOption.defaultPerPremisesGBP,
                                        downMbps: try positive(&o, "down_mbps", default: SatelliteOption.defaultDownMbps))
            try o.finish()
        }
        try options.finish()
        if fttp == nil && fwa == nil { throw options.error(nil, "needs at least one option: fttp or fwa") }
        if voucher != nil && fttp == nil {
            throw options.error("voucher", "pays towards an FTTP build: it needs rollout.options.fttp")
        }
        let veryHardToReach = try optionalCost(&r, "very_hard_to_reach_gbp")
        if let threshold = veryHardToReach {
            guard voucher != nil || satellite != nil else {
                throw r.error("very_hard_to_reach_gbp", "needs an alternative for the areas above it: rollout.options.voucher or rollout.options.satellite")
            }
            // No area costs less per premises than its option's per-premises cost: a threshold
            // below the cheapest of them would send every area to the alternative.
            let cheapest = [fttp.map { ("fttp", $0.perPremisesGBP) }, fwa.map { ("fwa", $0.perPremisesGBP) }].compactMap { $0 }
                .min { $0.1 < $1.1 }
            if let (name, unit) = cheapest, threshold < unit {
                throw r.error("very_hard_to_reach_gbp", "\(ValueLimits.describe(threshold)) is below the cheapest option's cost per premises (options.\(name).per_premises_gbp \(ValueLimits.describe(unit))): every area would be very hard to reach")
            }
        } else if voucher != nil || satellite != nil {
            throw r.error(nil, "rollout.options.voucher and satellite serve very hard to reach areas: set rollout.very_hard_to_reach_gbp too")
        }

        let strategyText = try r.string("strategy") ?? Strategy.leastCostPerHousehold.rawValue
        guard let strategy = Strategy(rawValue: strategyText) else {
            throw r.error("strategy", "unknown strategy '\(strategyText)'; strategies are: \(Strategy.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let budget = try optionalCost(&r, "budget_gbp")
        let startYear = try r.number("start_year") ?? 2027
        guard startYear == startYear.rounded(), startYear >= 1900, startYear <= 2200 else {
            throw r.error("start_year", "must be a year such as 2027")
        }
        var years: [YearPlan] = []
        if let list = r.raw("years") {
            guard let items = list.sequence, !items.isEmpty else { throw r.error("years", "must be a non-empty list") }
            for (i, item) in items.enumerated() {
                var y = try MappingReader(item, path: "rollout.years[\(i)]", keys: ScenarioKeys.year)
                let year = try y.requiredNumber("year")
                guard year == year.rounded(), year >= 1900, year <= 2200 else { throw y.error("year", "must be a year such as 2027") }
                let plan = YearPlan(year: Int(year), budgetGBP: try optionalCost(&y, "budget_gbp"),
                                    capacityPremises: try optionalCost(&y, "capacity_premises", maximum: ValueLimits.maxCapacityPremises))
                if let last = years.last, plan.year <= last.year {
                    throw y.error("year", "years must increase (\(plan.year) after \(last.year))")
                }
                years.append(plan)
                try y.finish()
            }
        } else {
            years = [YearPlan(year: Int(startYear), budgetGBP: nil, capacityPremises: nil)]
        }

        var targetShare: Double?
        if let share = try r.number("target_share") {
            guard share > 0, share <= 1 else { throw r.error("target_share", "must be a share above 0 and at most 1 (e.g. 0.95)") }
            targetShare = share
        }
        let perAuthority = try r.bool("per_authority") ?? false
        let order = try r.stringList("authority_order")?.map(\.value) ?? []
        switch strategy {
        case .coverageTarget:
            guard targetShare != nil else { throw r.error(nil, "the coverage_target strategy needs target_share") }
        case .authorityPriority:
            guard !order.isEmpty else { throw r.error(nil, "the authority_priority strategy needs authority_order (a list of codes)") }
        case .leastCostPerHousehold:
            break
        }

        var takeUp = [0.15, 0.3, 0.45, 0.55]
        if let items = try r.list("take_up_curve", singleAllowed: false) {
            guard !items.isEmpty else { throw r.error("take_up_curve", "must be a non-empty list of shares") }
            takeUp = []
            for item in items {
                let v = try item.number()
                guard v >= 0, v <= 1 else { throw item.error("\(item.node) is not a share between 0 and 1") }
                if let before = takeUp.last, v < before {
                    throw item.error("\(item.node) is below the year before (\(items[takeUp.count - 1].node)); take-up must not fall from one year to the next")
                }
                takeUp.append(v)
            }
        }

        var subsidy: SubsidySettings?
        if var s = try r.mapping("subsidy", keys: ScenarioKeys.subsidy) {
            subsidy = SubsidySettings(
                arpuGBPMonth: try cost(&s, "arpu_gbp_month"),
                takeUp: try share(&s, "take_up"),
                paybackYears: try cost(&s, "payback_years", maximum: ValueLimits.maxPaybackYears),
                margin: try share(&s, "margin"))
            try s.finish()
        }
        let urText = try r.string("under_review") ?? UnderReviewChoice.include.rawValue
        guard let underReview = UnderReviewChoice(rawValue: urText) else {
            throw r.error("under_review", "'\(urText)' is not a choice; choices are: \(UnderReviewChoice.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let intervention = try r.mapping("intervention_area", keys: ScenarioKeys.interventionArea).map { try ScenarioParser.interventionArea($0) }
        let lots = try lotSettings(&r)
        var partnership: Partnership?
        if let node = r.raw("partnership") {
            switch node.scalar {
            case "all": partnership = .all
            case "none": partnership = nil
            default:
                let codes = try r.stringList("partnership")?.map(\.value) ?? []
                guard Set(codes).count >= 2 else {
                    throw r.error("partnership", "needs at least two authority codes, or all (or none)", line: node.line)
                }
                partnership = .codes(codes)
            }
        }
        let shareText = try r.string("cost_share") ?? CostShare.households.rawValue
        guard let costShare = CostShare(rawValue: shareText) else {
            throw r.error("cost_share", "unknown cost_share '\(shareText)'; rules are: \(CostShare.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        try r.finish()
        return RolloutSettings(
            targetTier: target, eligible: eligible, gridM: grid, fibreNodes: fibreNodes, fttp: fttp, fwa: fwa,
            strategy: strategy, budgetGBP: budget, years: years, targetShare: targetShare,
            perAuthority: perAuthority, authorityOrder: order, takeUpCurve: takeUp, subsidy: subsidy,
            underReview: underReview, interventionArea: intervention, lots: lots,
            veryHardToReachGBP: veryHardToReach, voucher: voucher, satellite: satellite,
            partnership: partnership, costShare: costShare)
    }

    /// `lots`: a mapping (`{}` for the defaults), or `true` / `false`.
    static func lotSettings(_ r: inout MappingReader) throws -> LotSettings? {
        guard let node = r.raw("lots") else { return nil }
        if node.scalar != nil {
            guard let on = try? r.bool("lots") else {
                throw r.error("lots", "must be a mapping (join_m, max_premises), {} for the defaults, or true / false", line: node.line)
            }
            return on ? LotSettings() : nil
        }
        var l = try MappingReader(node, path: "rollout.lots", keys: ScenarioKeys.lots)
        var settings = LotSettings()
        if let join = try l.number("join_m") {
            guard join >= 0, join <= 100_000 else { throw l.error("join_m", "must be between 0 and 100000 metres") }
            settings.joinM = join
        }
        if let most = try l.number("max_premises") {
            guard most > 0 else { throw l.error("max_premises", "must be a positive number of premises (BDUK's Type A limit is 10000)") }
            guard most <= ValueLimits.maxCapacityPremises else {
                throw l.error("max_premises", "must be at most \(ValueLimits.describe(ValueLimits.maxCapacityPremises)) (see docs/RELIABILITY.md)")
            }
            settings.maxPremises = most
        }
        try l.finish()
        return settings
    }

    /// A required amount from 0 to `maximum` (money by default: `ValueLimits.maxGBP`).
    static func cost(_ r: inout MappingReader, _ key: String, maximum: Double = ValueLimits.maxGBP) throws -> Double {
        let v = try r.requiredNumber(key)
        try checkAmount(v, r, key, maximum: maximum)
        return v
    }

    static func optionalCost(_ r: inout MappingReader, _ key: String, maximum: Double = ValueLimits.maxGBP) throws -> Double? {
        guard let v = try r.number(key) else { return nil }
        try checkAmount(v, r, key, maximum: maximum)
        return v
    }

    static func checkAmount(_ v: Double, _ r: MappingReader, _ key: String, maximum: Double) throws {
        guard v >= 0 else { throw r.error(key, "must not be negative") }
        guard v <= maximum else { throw r.error(key, "must be at most \(ValueLimits.describe(maximum)) (see docs/RELIABILITY.md)") }
    }

    static func share(_ r: inout MappingReader, _ key: String) throws -> Double {
        let v = try r.requiredNumber(key)
        guard v >= 0, v <= 1 else { throw r.error(key, "must be a share between 0 and 1") }
        return v
    }

    static func positive(_ r: inout MappingReader, _ key: String, default value: Double, minimum: Double = 0) throws -> Double {
        guard let v = try r.number(key) else { return value }
        guard v > minimum || (minimum > 0 && v == minimum) else { throw r.error(key, minimum > 0 ? "must be at least \(minimum)" : "must be positive") }
        return v
    }
}
