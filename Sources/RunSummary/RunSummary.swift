import Foundation

/// The figures of one run, as summary.json states them (docs/MODEL.md defines them). Built once from the run (`Reports`: `RunSummary(result)`),
/// written through `OrderedJSONEncoder` (`rendered()`), read back with `JSONDecoder`
/// (`decode(_:source:)`); the HTML report, the terminal summary, the batch report and the
/// run catalogue all read their numbers from it, so none can say something summary.json
/// does not.
///
/// Households are counts (fractional where they are estimated per postcode), money is GBP,
/// areas km² (planar, in the working CRS), shares 0–1.
public struct RunSummary: Codable, Sendable, Equatable {
    /// The tiers every report and the catalogue show (always present in a run: see
    /// `CoverageAnalysis`, which builds their polygons whatever the scenario asks for).
    public static let contractTiers = ["superfast", "gigabit"]

    public var scenario: String
    public var description: String
    /// The bbplan version that made the run.
    public var version: String
    public var scenarioFile: String
    /// The sweep variant's values by key (empty for a single run).
    public var variant: OrderedMap<String>
    /// ISO 8601, UTC.
    public var startedAt: String
    public var finishedAt: String
    public var crs: CRS
    /// Each tier's threshold, Mbit/s, in the scenario's order.
    public var tiersMbps: OrderedMap<Double>
    public var ngaThresholdMbps: Double
    /// Nil for coverage-only runs.
    public var targetTier: String?
    public var strategy: String?
    public var inputs: [Input]
    public var repairs: Repairs
    public var authorityOverlaps: AuthorityOverlaps
    public var totals: Totals
    public var authorities: [Authority]
    public var years: [Year]
    public var uncertainty: Uncertainty
    /// Per polygon tier, the planned authorities' gaps dissolved across borders (nil only in
    /// summaries written before bbplan had it).
    public var gapClusters: OrderedMap<TierClusters>? = nil
    /// Procurement lots, with `rollout.lots` only.
    public var lots: Lots? = nil
    /// Public cost per premises against published programmes, with a rollout only.
    public var priceCheck: PriceCheck? = nil
    /// With `rollout.very_hard_to_reach_gbp` only.
    public var veryHardToReach: VeryHardToReach? = nil
    /// With `rollout.partnership` only.
    public var partnership: PartnershipSummary? = nil
    /// Seconds per step.
    public var timingsS: OrderedMap<Double>
    /// The scenario's settings after `extends` and the sweep, as read.
    public var settings: JSON
    /// Observed availability data: what each source matched, where sources disagree
    /// (docs/MODEL.md, "Observed data"); nil without `observed:`.
    public var observed: Observed? = nil
    /// One line each: what a planner should look at before trusting the run and that is not
    /// an error (a total budget that can never bind; with observed data, build areas whose
    /// premises the data already puts at the target tier). Nil in summaries written before
    /// bbplan reported them; always present (possibly empty) with observed data or a rollout.
    public var warnings: [String]? = nil
    /// The rollout's assumptions with defaults filled in; nil for coverage-only runs.
    public var assumptions: Assumptions?

    enum CodingKeys: String, CodingKey {
        case scenario, description, version, variant, crs, strategy, inputs, repairs, totals, authorities, years, uncertainty, settings
        case observed, warnings, assumptions
        case scenarioFile = "scenario_file", startedAt = "started_at", finishedAt = "finished_at"
        case tiersMbps = "tiers_mbps", ngaThresholdMbps = "nga_threshold_mbps", targetTier = "target_tier"
        case authorityOverlaps = "authority_overlaps", timingsS = "timings_s"
        case gapClusters = "gap_clusters", lots, priceCheck = "price_check", veryHardToReach = "very_hard_to_reach", partnership
    }

    /// Whether the run simulated a rollout (else before and after are the same).
    public var hasRollout: Bool { targetTier != nil }

    /// The working CRS and the datum shifts the inputs needed.
    public struct CRS: Codable, Sendable, Equatable {
        /// "EPSG:27700".
        public var working: String
        public var name: String
        /// Whether datum shifts used the OSTN15 grid; nil when no input needed a datum shift.
        public var ostn15Grid: Bool?
        public var ostn15GridFound: Bool
        /// The operation used per input role.
        public var transformations: OrderedMap<Transformation>

        enum CodingKeys: String, CodingKey {
            case working, name, transformations
            case ostn15Grid = "ostn15_grid", ostn15GridFound = "ostn15_grid_found"
        }

        public init(working: String, name: String, ostn15Grid: Bool?, ostn15GridFound: Bool, transformations: OrderedMap<Transformation>) {
            self.working = working
            self.name = name
            self.ostn15Grid = ostn15Grid
            self.ostn15GridFound = ostn15GridFound
            self.transformations = transformations
        }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(working, forKey: .working)
            try c.encode(name, forKey: .name)
            try c.encode(ostn15Grid, forKey: .ostn15Grid)
            try c.encode(ostn15GridFound, forKey: .ostn15GridFound)
            try c.encode(transformations, forKey: .transformations)
        }
    }

    /// One coordinate operation PROJ chose for an input.
    public struct Transformation: Codable, Sendable, Equatable {
        public var operation: String
        public var grids: [String]
        /// Metres; nil when PROJ does not know.
        public var accuracyM: Double?

        enum CodingKeys: String, CodingKey {
            case operation, grids
            case accuracyM = "accuracy_m"
        }

        public init(operation: String, grids: [String], accuracyM: Double?) {
            self.operation = operation
            self.grids = grids
            self.accuracyM = accuracyM
        }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(operation, forKey: .operation)
            try c.encode(grids, forKey: .grids)
            try c.encode(accuracyM, forKey: .accuracyM)
        }
    }

    /// One input file read.
    public struct Input: Codable, Sendable, Equatable {
        /// The scenario key that read it ("authorities", "premises", "networks[1]", "rollout.fibre_nodes").
        public var role: String
        public var path: String
        /// Hex SHA-256 of the file (for a Shapefile, with its companions).
        public var sha256: String
        /// Features (or points) read.
        public var features: Int
        /// Whether the data is modelled rather than observed (docs/SCENARIO.md, `modelled`);
        /// nil in summaries written before bbplan recorded it.
        public var modelled: Bool?

        public init(role: String, path: String, sha256: String, features: Int, modelled: Bool? = nil) {
            self.role = role
            self.path = path
            self.sha256 = sha256
            self.features = features
            self.modelled = modelled
        }

        public var fileName: String { URL(fileURLWithPath: path).lastPathComponent }
    }

    /// Invalid input polygons repaired with make-valid.
    public struct Repairs: Codable, Sendable, Equatable {
        public var count: Int
        public var items: [Repair]

        public init(items: [Repair]) {
            count = items.count
            self.items = items
        }
    }

    public struct Repair: Codable, Sendable, Equatable {
        public var role: String
        public var path: String
        /// 1-based feature number in the file.
        public var feature: Int
        public var reason: String

        public init(role: String, path: String, feature: Int, reason: String) {
            self.role = role
            self.path = path
            self.feature = feature
            self.reason = reason
        }
    }

    /// Pairs of authorities that overlap by more than `toleranceM2`.
    public struct AuthorityOverlaps: Codable, Sendable, Equatable {
        public var count: Int
        public var toleranceM2: Double
        public var items: [Overlap]

        enum CodingKeys: String, CodingKey {
            case count
            case toleranceM2 = "tolerance_m2"
            case items
        }

        public init(toleranceM2: Double, items: [Overlap]) {
            count = items.count
            self.toleranceM2 = toleranceM2
            self.items = items
        }
    }

    public struct Overlap: Codable, Sendable, Equatable {
        /// The two authorities' codes.
        public var codes: [String]
        public var areaKm2: Double

        enum CodingKeys: String, CodingKey {
            case codes
            case areaKm2 = "area_km2"
        }

        public init(codes: [String], areaKm2: Double) {
            self.codes = codes
            self.areaKm2 = areaKm2
        }
    }

    // Each CodingKeys lists the keys in the order summary.json writes them (the synthesized
    // encode(to:) follows it).

    /// Households by tier, NGA class and the gap and coverage areas of one state (before or
    /// after the programme).
    public struct State: Codable, Sendable, Equatable {
        /// Households at or above each tier.
        public var householdsByTier: OrderedMap<Double>
        /// Share (0–1) of the planned households at or above each tier.
        public var shareByTier: OrderedMap<Double>
        /// White, grey and black households.
        public var ngaHouseholds: OrderedMap<Double>
        /// Area outside each polygon tier's coverage, km² (only the tiers with polygons).
        public var gapAreaKm2: OrderedMap<Double>
        /// Area of each polygon tier's coverage, km².
        public var coverageAreaKm2: OrderedMap<Double>

        enum CodingKeys: String, CodingKey {
            case householdsByTier = "households_by_tier", shareByTier = "share_by_tier", ngaHouseholds = "nga_households"
            case gapAreaKm2 = "gap_area_km2", coverageAreaKm2 = "coverage_area_km2"
        }

        public init(householdsByTier: OrderedMap<Double>, shareByTier: OrderedMap<Double>, ngaHouseholds: OrderedMap<Double>,
                    gapAreaKm2: OrderedMap<Double>, coverageAreaKm2: OrderedMap<Double>) {
            self.householdsByTier = householdsByTier
            self.shareByTier = shareByTier
            self.ngaHouseholds = ngaHouseholds
            self.gapAreaKm2 = gapAreaKm2
            self.coverageAreaKm2 = coverageAreaKm2
        }

        public func households(_ tier: String) -> Double { householdsByTier[tier] ?? 0 }
        public func share(_ tier: String) -> Double { shareByTier[tier] ?? 0 }
        public func nga(_ colour: String) -> Double { ngaHouseholds[colour] ?? 0 }
        public func gap(_ tier: String) -> Double? { gapAreaKm2[tier] }
    }

    /// Figures over every planned authority, and what was read outside them.
    public struct Totals: Codable, Sendable, Equatable {
        /// Premises points read (every one, wherever it lies).
        public var premises: Int
        /// Households of every premises read.
        public var households: Double
        /// Outside every authority.
        public var unassignedPremises: Int
        public var unassignedHouseholds: Double
        /// In authorities not planned.
        public var excludedPremises: Int
        public var excludedHouseholds: Double
        /// Households in the planned authorities (the denominator of every share).
        public var plannedHouseholds: Double
        public var areaKm2: Double
        public var before: State
        public var after: State
        public var costGBP: Double
        public var publicCostGBP: Double
        public var householdsPassed: Double
        public var buildAreas: Int
        /// The rest only with a rollout.
        public var candidateAreas: Int?
        public var areasByStatus: OrderedMap<Int>?
        public var commerciallyViableHouseholds: Double?
        public var byTechnology: OrderedMap<TechnologyTotals>?
        /// Premises outside every polygon assigned by `authorities.snap_m` (in the planned
        /// authorities' figures).
        public var snappedPremises: Int?
        public var snappedHouseholds: Double?
        /// The unassigned premises by the region of their nearest authority (only with
        /// `authorities.region`).
        public var unassignedByRegion: [RegionTotal]?
        /// The authorities' field the regions come from (`authorities.region`, or inferred).
        public var unassignedRegionField: String?
        /// The programme's budget and capacity and their use; rollout only.
        public var limits: Limits?
        public var valueForMoney: ValueForMoney?

        enum CodingKeys: String, CodingKey {
            case premises, households
            case unassignedPremises = "unassigned_premises", unassignedHouseholds = "unassigned_households"
            case excludedPremises = "excluded_premises", excludedHouseholds = "excluded_households"
            case plannedHouseholds = "planned_households", areaKm2 = "area_km2"
            case before, after
            case costGBP = "cost_gbp", publicCostGBP = "public_cost_gbp", householdsPassed = "households_passed"
            case buildAreas = "build_areas", candidateAreas = "candidate_areas", areasByStatus = "areas_by_status"
            case commerciallyViableHouseholds = "commercially_viable_households", byTechnology = "by_technology"
            case snappedPremises = "snapped_premises", snappedHouseholds = "snapped_households"
            case unassignedByRegion = "unassigned_by_region", unassignedRegionField = "unassigned_region_field"
            case limits, valueForMoney = "value_for_money"
        }

        public init(premises: Int, households: Double, unassignedPremises: Int, unassignedHouseholds: Double,
                    excludedPremises: Int, excludedHouseholds: Double, plannedHouseholds: Double, areaKm2: Double,
                    before: State, after: State, costGBP: Double, publicCostGBP: Double, householdsPassed: Double,
                    buildAreas: Int, candidateAreas: Int? = nil, areasByStatus: OrderedMap<Int>? = nil,
                    commerciallyViableHouseholds: Double? = nil, byTechnology: OrderedMap<TechnologyTotals>? = nil) {
            self.premises = premises
            self.households = households
            self.unassignedPremises = unassignedPremises
            self.unassignedHouseholds = unassignedHouseholds
            self.excludedPremises = excludedPremises
            self.excludedHouseholds = excludedHouseholds
            self.plannedHouseholds = plannedHouseholds
            self.areaKm2 = areaKm2
            self.before = before
            self.after = after
            self.costGBP = costGBP
            self.publicCostGBP = publicCostGBP
            self.householdsPassed = householdsPassed
            self.buildAreas = buildAreas
            self.candidateAreas = candidateAreas
            self.areasByStatus = areasByStatus
            self.commerciallyViableHouseholds = commerciallyViableHouseholds
            self.byTechnology = byTechnology
        }
    }

    /// The areas built with one technology.
    public struct TechnologyTotals: Codable, Sendable, Equatable {
        public var buildAreas: Int
        public var householdsPassed: Double
        public var costGBP: Double

        enum CodingKeys: String, CodingKey {
            case buildAreas = "build_areas", householdsPassed = "households_passed", costGBP = "cost_gbp"
        }

        public init(buildAreas: Int, householdsPassed: Double, costGBP: Double) {
            self.buildAreas = buildAreas
            self.householdsPassed = householdsPassed
            self.costGBP = costGBP
        }
    }

    /// One planned authority.
    public struct Authority: Codable, Sendable, Equatable {
        public var code: String
        public var name: String
        public var premises: Int
        public var households: Double
        public var areaKm2: Double
        public var before: State
        public var after: State
        public var costGBP: Double
        public var publicCostGBP: Double
        public var householdsPassed: Double
        public var buildAreas: Int
        /// With observed data: households by speed source, BDUK class and scope decision.
        public var observed: AuthorityObserved? = nil
        /// Of `premises` and `households`: those outside the polygon assigned by
        /// `authorities.snap_m`.
        public var snappedPremises: Int?
        public var snappedHouseholds: Double?
        /// Rollout only.
        public var valueForMoney: ValueForMoney?

        enum CodingKeys: String, CodingKey {
            case code, name, premises, households
            case areaKm2 = "area_km2"
            case before, after
            case costGBP = "cost_gbp", publicCostGBP = "public_cost_gbp"
            case householdsPassed = "households_passed", buildAreas = "build_areas"
            case observed
            case snappedPremises = "snapped_premises", snappedHouseholds = "snapped_households"
            case valueForMoney = "value_for_money"
        }

        public init(code: String, name: String, premises: Int, households: Double, areaKm2: Double, before: State, after: State,
                    costGBP: Double, publicCostGBP: Double, householdsPassed: Double, buildAreas: Int) {
            self.code = code
            self.name = name
            self.premises = premises
            self.households = households
            self.areaKm2 = areaKm2
            self.before = before
            self.after = after
            self.costGBP = costGBP
            self.publicCostGBP = publicCostGBP
            self.householdsPassed = householdsPassed
            self.buildAreas = buildAreas
        }
    }

    /// One programme year.
    public struct Year: Codable, Sendable, Equatable {
        public var year: Int
        public var costGBP: Double
        public var publicCostGBP: Double
        public var householdsPassed: Double
        /// Cumulative, at the end of the year (rounded to whole households).
        public var householdsConnected: Double
        public var buildAreas: Int
        /// The year's budget and capacity and their use; programme years only (the later
        /// years only count connections).
        public var limits: Limits?

        enum CodingKeys: String, CodingKey {
            case year
            case costGBP = "cost_gbp", publicCostGBP = "public_cost_gbp", householdsPassed = "households_passed"
            case householdsConnected = "households_connected", buildAreas = "build_areas", limits
        }

        public init(year: Int, costGBP: Double, publicCostGBP: Double, householdsPassed: Double, householdsConnected: Double, buildAreas: Int) {
            self.year = year
            self.costGBP = costGBP
            self.publicCostGBP = publicCostGBP
            self.householdsPassed = householdsPassed
            self.householdsConnected = householdsConnected
            self.buildAreas = buildAreas
        }
    }

    /// P10, P50 and P90 (rounded to whole pounds or households).
    public struct Spread: Codable, Sendable, Equatable {
        public var p10: Double
        public var p50: Double
        public var p90: Double

        public init(p10: Double, p50: Double, p90: Double) {
            self.p10 = p10
            self.p50 = p50
            self.p90 = p90
        }
    }

    /// The spread of the programme over runs of drawn unit costs; without an `uncertainty`
    /// block `runs` is 0 and each spread is the central result three times.
    public struct Uncertainty: Codable, Sendable, Equatable {
        public var runs: Int
        /// Only when runs were made.
        public var seed: Int?
        public var costSpread: Double?
        public var costGBP: Spread
        public var publicCostGBP: Spread
        public var householdsPassed: Spread
        /// The spreads of the subsidy's revenue parameters (only when runs were made; absent
        /// in summaries written before bbplan drew them).
        public var takeUpSpread: Double?
        public var arpuSpread: Double?
        public var paybackSpread: Double?
        public var marginSpread: Double?
        /// The limits that left areas unbuilt in every run (`budget`, `capacity`,
        /// `total_budget`): when not empty, households passed is pinned by them and its band
        /// is not a measure of certainty. Only when runs were made.
        public var householdsPassedLimitedBy: [String]?

        enum CodingKeys: String, CodingKey {
            case runs, seed
            case costSpread = "cost_spread", costGBP = "cost_gbp", publicCostGBP = "public_cost_gbp", householdsPassed = "households_passed"
            case takeUpSpread = "take_up_spread", arpuSpread = "arpu_spread", paybackSpread = "payback_spread", marginSpread = "margin_spread"
            case householdsPassedLimitedBy = "households_passed_limited_by"
        }

        public init(runs: Int, seed: Int?, costSpread: Double?, costGBP: Spread, publicCostGBP: Spread, householdsPassed: Spread) {
            self.runs = runs
            self.seed = seed
            self.costSpread = costSpread
            self.costGBP = costGBP
            self.publicCostGBP = publicCostGBP
            self.householdsPassed = householdsPassed
        }
    }

    public init(scenario: String, description: String, version: String, scenarioFile: String, variant: OrderedMap<String>,
                startedAt: String, finishedAt: String, crs: CRS, tiersMbps: OrderedMap<Double>, ngaThresholdMbps: Double,
                targetTier: String?, strategy: String?, inputs: [Input], repairs: Repairs, authorityOverlaps: AuthorityOverlaps,
                totals: Totals, authorities: [Authority], years: [Year], uncertainty: Uncertainty, timingsS: OrderedMap<Double>,
                settings: JSON) {
        self.scenario = scenario
        self.description = description
        self.version = version
        self.scenarioFile = scenarioFile
        self.variant = variant
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.crs = crs
        self.tiersMbps = tiersMbps
        self.ngaThresholdMbps = ngaThresholdMbps
        self.targetTier = targetTier
        self.strategy = strategy
        self.inputs = inputs
        self.repairs = repairs
        self.authorityOverlaps = authorityOverlaps
        self.totals = totals
        self.authorities = authorities
        self.years = years
        self.uncertainty = uncertainty
        self.timingsS = timingsS
        self.settings = settings
    }

    /// `target_tier` and `strategy` are written as null for a coverage-only run.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(scenario, forKey: .scenario)
        try c.encode(description, forKey: .description)
        try c.encode(version, forKey: .version)
        try c.encode(scenarioFile, forKey: .scenarioFile)
        try c.encode(variant, forKey: .variant)
        try c.encode(startedAt, forKey: .startedAt)
        try c.encode(finishedAt, forKey: .finishedAt)
        try c.encode(crs, forKey: .crs)
        try c.encode(tiersMbps, forKey: .tiersMbps)
        try c.encode(ngaThresholdMbps, forKey: .ngaThresholdMbps)
        try c.encode(targetTier, forKey: .targetTier)
        try c.encode(strategy, forKey: .strategy)
        try c.encodeIfPresent(warnings, forKey: .warnings)
        try c.encodeIfPresent(assumptions, forKey: .assumptions)
        try c.encode(inputs, forKey: .inputs)
        try c.encode(repairs, forKey: .repairs)
        try c.encode(authorityOverlaps, forKey: .authorityOverlaps)
        try c.encode(totals, forKey: .totals)
        try c.encode(authorities, forKey: .authorities)
        try c.encode(years, forKey: .years)
        try c.encode(uncertainty, forKey: .uncertainty)
        try c.encodeIfPresent(gapClusters, forKey: .gapClusters)
        try c.encodeIfPresent(lots, forKey: .lots)
        try c.encodeIfPresent(partnership, forKey: .partnership)
        try c.encodeIfPresent(veryHardToReach, forKey: .veryHardToReach)
        try c.encodeIfPresent(priceCheck, forKey: .priceCheck)
        try c.encode(timingsS, forKey: .timingsS)
        try c.encodeIfPresent(observed, forKey: .observed)
        try c.encode(settings, forKey: .settings)
    }
}
