import Foundation

extension RunSummary {
    /// A budget and a capacity, and how much of each was used (a programme year, or the whole
    /// programme): docs/MODEL.md, "Budgets and years". Money in GBP of public cost,
    /// capacity in premises (households) passed. A limit that is not set is written `null`
    /// (no limit).
    public struct Limits: Codable, Sendable, Equatable {
        public var budgetGBP: Double?
        public var spentGBP: Double
        /// Budget not spent: for a year, carried out of it into the next; nil without a
        /// budget limit.
        public var unspentGBP: Double?
        public var capacityPremises: Double?
        public var usedPremises: Double
        /// The limits that turned areas away: for a year, "budget" and/or "capacity" when it
        /// sent at least one area to a later year or left it unbuilt; for the programme, the
        /// limits behind the areas left unbuilt ("budget", "capacity", "total_budget").
        public var bound: [String]

        enum CodingKeys: String, CodingKey {
            case budgetGBP = "budget_gbp", spentGBP = "spent_gbp", unspentGBP = "unspent_gbp"
            case capacityPremises = "capacity_premises", usedPremises = "used_premises", bound
        }

        public init(budgetGBP: Double?, spentGBP: Double, unspentGBP: Double?, capacityPremises: Double?,
                    usedPremises: Double, bound: [String]) {
            self.budgetGBP = budgetGBP
            self.spentGBP = spentGBP
            self.unspentGBP = unspentGBP
            self.capacityPremises = capacityPremises
            self.usedPremises = usedPremises
            self.bound = bound
        }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(budgetGBP, forKey: .budgetGBP)
            try c.encode(spentGBP, forKey: .spentGBP)
            try c.encode(unspentGBP, forKey: .unspentGBP)
            try c.encode(capacityPremises, forKey: .capacityPremises)
            try c.encode(usedPremises, forKey: .usedPremises)
            try c.encode(bound, forKey: .bound)
        }
    }

    /// What the money bought (docs/MODEL.md, "Value for money"): cost and public cost per
    /// premises passed (nil when none was passed), premises passed per £1m of cost and of
    /// public cost (nil when nothing was spent).
    public struct ValueForMoney: Codable, Sendable, Equatable {
        public var costPerPremisesGBP: Double?
        public var publicCostPerPremisesGBP: Double?
        public var premisesPerMillionGBP: Double?
        public var premisesPerMillionPublicGBP: Double?

        enum CodingKeys: String, CodingKey {
            case costPerPremisesGBP = "cost_per_premises_gbp", publicCostPerPremisesGBP = "public_cost_per_premises_gbp"
            case premisesPerMillionGBP = "premises_per_million_gbp", premisesPerMillionPublicGBP = "premises_per_million_public_gbp"
        }

        /// From the totals of an authority or of the programme.
        public init(costGBP: Double, publicCostGBP: Double, premisesPassed: Double) {
            costPerPremisesGBP = premisesPassed > 0 ? costGBP / premisesPassed : nil
            publicCostPerPremisesGBP = premisesPassed > 0 ? publicCostGBP / premisesPassed : nil
            premisesPerMillionGBP = costGBP > 0 ? premisesPassed / costGBP * 1e6 : nil
            premisesPerMillionPublicGBP = publicCostGBP > 0 ? premisesPassed / publicCostGBP * 1e6 : nil
        }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(costPerPremisesGBP, forKey: .costPerPremisesGBP)
            try c.encode(publicCostPerPremisesGBP, forKey: .publicCostPerPremisesGBP)
            try c.encode(premisesPerMillionGBP, forKey: .premisesPerMillionGBP)
            try c.encode(premisesPerMillionPublicGBP, forKey: .premisesPerMillionPublicGBP)
        }
    }

    /// Premises outside every authority in one region (the region of their nearest authority).
    public struct RegionTotal: Codable, Sendable, Equatable {
        public var region: String
        public var premises: Int
        public var households: Double

        public init(region: String, premises: Int, households: Double) {
            self.region = region
            self.premises = premises
            self.households = households
        }
    }

    /// The rollout's assumptions as the run used them (defaults filled in), for the report's
    /// assumptions section (docs/SCENARIO.md, "rollout").
    public struct Assumptions: Codable, Sendable, Equatable {
        public var targetTier: String
        public var targetMbps: Double
        public var eligible: [String]
        public var gridM: Double
        public var strategy: String
        /// coverage_target only.
        public var targetShare: Double?
        public var perAuthority: Bool
        /// coverage_target only: the share of planned households at or above the target tier
        /// after the programme, and whether the target was reached (every authority's, with
        /// per_authority).
        public var targetShareReached: Double?
        public var targetReached: Bool?
        public var authorityOrder: [String]
        public var fttp: OrderedMap<Double>?
        public var fwa: OrderedMap<Double>?
        public var subsidy: OrderedMap<Double>?
        public var takeUpCurve: [Double]
        public var budgetGBP: Double?
        public var years: [YearPlan]
        /// Uncertainty runs' cost spread (nil without an uncertainty block).
        public var costSpread: Double?

        public struct YearPlan: Codable, Sendable, Equatable {
            public var year: Int
            public var budgetGBP: Double?
            public var capacityPremises: Double?

            enum CodingKeys: String, CodingKey {
                case year, budgetGBP = "budget_gbp", capacityPremises = "capacity_premises"
            }

            public init(year: Int, budgetGBP: Double?, capacityPremises: Double?) {
                self.year = year
                self.budgetGBP = budgetGBP
                self.capacityPremises = capacityPremises
            }

            public func encode(to encoder: Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(year, forKey: .year)
                try c.encode(budgetGBP, forKey: .budgetGBP)
                try c.encode(capacityPremises, forKey: .capacityPremises)
            }
        }

        enum CodingKeys: String, CodingKey {
            case targetTier = "target_tier", targetMbps = "target_mbps", eligible, gridM = "grid_m", strategy
            case targetShare = "target_share", perAuthority = "per_authority", targetShareReached = "target_share_reached"
            case targetReached = "target_reached", authorityOrder = "authority_order", fttp, fwa, subsidy
            case takeUpCurve = "take_up_curve", budgetGBP = "budget_gbp", years, costSpread = "cost_spread"
        }

        public init(targetTier: String, targetMbps: Double, eligible: [String], gridM: Double, strategy: String,
                    targetShare: Double?, perAuthority: Bool, targetShareReached: Double?, targetReached: Bool?,
                    authorityOrder: [String], fttp: OrderedMap<Double>?, fwa: OrderedMap<Double>?,
                    subsidy: OrderedMap<Double>?, takeUpCurve: [Double], budgetGBP: Double?, years: [YearPlan],
                    costSpread: Double?) {
            self.targetTier = targetTier
            self.targetMbps = targetMbps
            self.eligible = eligible
            self.gridM = gridM
            self.strategy = strategy
            self.targetShare = targetShare
            self.perAuthority = perAuthority
            self.targetShareReached = targetShareReached
            self.targetReached = targetReached
            self.authorityOrder = authorityOrder
            self.fttp = fttp
            self.fwa = fwa
            self.subsidy = subsidy
            self.takeUpCurve = takeUpCurve
            self.budgetGBP = budgetGBP
            self.years = years
            self.costSpread = costSpread
        }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(targetTier, forKey: .targetTier)
            try c.encode(targetMbps, forKey: .targetMbps)
            try c.encode(eligible, forKey: .eligible)
            try c.encode(gridM, forKey: .gridM)
            try c.encode(strategy, forKey: .strategy)
            try c.encode(targetShare, forKey: .targetShare)
            try c.encode(perAuthority, forKey: .perAuthority)
            try c.encode(targetShareReached, forKey: .targetShareReached)
            try c.encode(targetReached, forKey: .targetReached)
            try c.encode(authorityOrder, forKey: .authorityOrder)
            try c.encode(fttp, forKey: .fttp)
            try c.encode(fwa, forKey: .fwa)
            try c.encode(subsidy, forKey: .subsidy)
            try c.encode(takeUpCurve, forKey: .takeUpCurve)
            try c.encode(budgetGBP, forKey: .budgetGBP)
            try c.encode(years, forKey: .years)
            try c.encode(costSpread, forKey: .costSpread)
        }
    }
}
