import Foundation

// summary.json's cross-border sections (docs/MODEL.md, "Shared gaps", "Procurement lots",
// "Price check"). Each CodingKeys lists the keys in the order summary.json writes them.

extension RunSummary {
    /// The gaps of one polygon tier dissolved across authority borders.
    public struct TierClusters: Codable, Sendable, Equatable {
        /// Clusters (connected pieces of the dissolved gap).
        public var clusters: Int
        public var crossBorderClusters: Int
        /// Households below the tier lying in some cluster.
        public var households: Double
        /// Premises below the tier lying in no cluster polygon (the band between a reach
        /// circle and its inscribed polygon).
        public var premisesOutsideClusters: Int
        public var householdsOutsideClusters: Double
        /// The clusters spanning two or more authorities, most households first.
        public var crossBorder: [Cluster]
        /// Per planned authority.
        public var authorities: [AuthorityClusters]

        enum CodingKeys: String, CodingKey {
            case clusters, households, authorities
            case crossBorderClusters = "cross_border_clusters"
            case premisesOutsideClusters = "premises_outside_clusters", householdsOutsideClusters = "households_outside_clusters"
            case crossBorder = "cross_border"
        }

        public init(clusters: Int, crossBorderClusters: Int, households: Double, premisesOutsideClusters: Int,
                    householdsOutsideClusters: Double, crossBorder: [Cluster], authorities: [AuthorityClusters]) {
            self.clusters = clusters
            self.crossBorderClusters = crossBorderClusters
            self.households = households
            self.premisesOutsideClusters = premisesOutsideClusters
            self.householdsOutsideClusters = householdsOutsideClusters
            self.crossBorder = crossBorder
            self.authorities = authorities
        }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(clusters, forKey: .clusters)
            try c.encode(crossBorderClusters, forKey: .crossBorderClusters)
            try c.encode(households, forKey: .households)
            try c.encode(premisesOutsideClusters, forKey: .premisesOutsideClusters)
            try c.encode(householdsOutsideClusters, forKey: .householdsOutsideClusters)
            try c.encode(crossBorder, forKey: .crossBorder)
            try c.encode(authorities, forKey: .authorities)
        }
    }

    /// One gap cluster.
    public struct Cluster: Codable, Sendable, Equatable {
        public var id: String
        public var areaKm2: Double
        public var households: Double
        /// The authorities it spans, by code.
        public var authorities: [ClusterPart]

        enum CodingKeys: String, CodingKey {
            case id, households, authorities
            case areaKm2 = "area_km2"
        }

        public init(id: String, areaKm2: Double, households: Double, authorities: [ClusterPart]) {
            self.id = id
            self.areaKm2 = areaKm2
            self.households = households
            self.authorities = authorities
        }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(areaKm2, forKey: .areaKm2)
            try c.encode(households, forKey: .households)
            try c.encode(authorities, forKey: .authorities)
        }
    }

    /// One authority's part of a cluster.
    public struct ClusterPart: Codable, Sendable, Equatable {
        public var code: String
        public var areaKm2: Double
        public var households: Double

        enum CodingKeys: String, CodingKey {
            case code, households
            case areaKm2 = "area_km2"
        }

        public init(code: String, areaKm2: Double, households: Double) {
            self.code = code
            self.areaKm2 = areaKm2
            self.households = households
        }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(code, forKey: .code)
            try c.encode(areaKm2, forKey: .areaKm2)
            try c.encode(households, forKey: .households)
        }
    }

    /// One planned authority's gap households and the part in cross-border clusters.
    public struct AuthorityClusters: Codable, Sendable, Equatable {
        public var code: String
        public var gapHouseholds: Double
        public var crossBorderHouseholds: Double
        /// crossBorderHouseholds / gapHouseholds (0 without a gap).
        public var crossBorderShare: Double

        enum CodingKeys: String, CodingKey {
            case code
            case gapHouseholds = "gap_households", crossBorderHouseholds = "cross_border_households"
            case crossBorderShare = "cross_border_share"
        }

        public init(code: String, gapHouseholds: Double, crossBorderHouseholds: Double, crossBorderShare: Double) {
            self.code = code
            self.gapHouseholds = gapHouseholds
            self.crossBorderHouseholds = crossBorderHouseholds
            self.crossBorderShare = crossBorderShare
        }
    }

    /// `rollout.lots`: the built areas grouped into procurement lots.
    public struct Lots: Codable, Sendable, Equatable {
        public var joinM: Double
        public var maxPremises: Double
        public var count: Int
        /// Lots above max_premises: single areas that cannot be split.
        public var aboveMax: Int
        public var items: [Lot]

        enum CodingKeys: String, CodingKey {
            case count, items
            case joinM = "join_m", maxPremises = "max_premises", aboveMax = "above_max"
        }

        public init(joinM: Double, maxPremises: Double, aboveMax: Int, items: [Lot]) {
            self.joinM = joinM
            self.maxPremises = maxPremises
            count = items.count
            self.aboveMax = aboveMax
            self.items = items
        }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(joinM, forKey: .joinM)
            try c.encode(maxPremises, forKey: .maxPremises)
            try c.encode(count, forKey: .count)
            try c.encode(aboveMax, forKey: .aboveMax)
            try c.encode(items, forKey: .items)
        }
    }

    public struct Lot: Codable, Sendable, Equatable {
        public var id: String
        public var buildAreas: Int
        public var premises: Int
        public var households: Double
        public var costGBP: Double
        public var publicCostGBP: Double
        /// Public cost per household passed; nil with none.
        public var publicCostPerPremisesGBP: Double?
        public var authorities: [String]
        public var years: [Int]

        enum CodingKeys: String, CodingKey {
            case id, premises, households, authorities, years
            case buildAreas = "build_areas", costGBP = "cost_gbp", publicCostGBP = "public_cost_gbp"
            case publicCostPerPremisesGBP = "public_cost_per_premises_gbp"
        }

        public init(id: String, buildAreas: Int, premises: Int, households: Double, costGBP: Double, publicCostGBP: Double,
                    publicCostPerPremisesGBP: Double?, authorities: [String], years: [Int]) {
            self.id = id
            self.buildAreas = buildAreas
            self.premises = premises
            self.households = households
            self.costGBP = costGBP
            self.publicCostGBP = publicCostGBP
            self.publicCostPerPremisesGBP = publicCostPerPremisesGBP
            self.authorities = authorities
            self.years = years
        }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(buildAreas, forKey: .buildAreas)
            try c.encode(premises, forKey: .premises)
            try c.encode(households, forKey: .households)
            try c.encode(costGBP, forKey: .costGBP)
            try c.encode(publicCostGBP, forKey: .publicCostGBP)
            try c.encode(publicCostPerPremisesGBP, forKey: .publicCostPerPremisesGBP)
            try c.encode(authorities, forKey: .authorities)
            try c.encode(years, forKey: .years)
        }
    }

    /// `rollout.very_hard_to_reach_gbp`: the candidate areas above the threshold and the route
    /// each took (built or not; `totals.by_technology` counts what was built).
    public struct VeryHardToReach: Codable, Sendable, Equatable {
        public var thresholdGBP: Double
        public var areas: Int
        public var households: Double
        /// voucher, satellite and no_option.
        public var byRoute: OrderedMap<RouteCount>

        enum CodingKeys: String, CodingKey {
            case areas, households
            case thresholdGBP = "threshold_gbp", byRoute = "by_route"
        }

        public init(thresholdGBP: Double, areas: Int, households: Double, byRoute: OrderedMap<RouteCount>) {
            self.thresholdGBP = thresholdGBP
            self.areas = areas
            self.households = households
            self.byRoute = byRoute
        }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(thresholdGBP, forKey: .thresholdGBP)
            try c.encode(areas, forKey: .areas)
            try c.encode(households, forKey: .households)
            try c.encode(byRoute, forKey: .byRoute)
        }
    }

    public struct RouteCount: Codable, Sendable, Equatable {
        public var areas: Int
        public var households: Double

        public init(areas: Int, households: Double) {
            self.areas = areas
            self.households = households
        }
    }

    /// `rollout.partnership`: who delivers jointly, the cost-share rule, and the joint areas.
    public struct PartnershipSummary: Codable, Sendable, Equatable {
        public var authorities: [String]
        public var costShare: String
        /// Candidate areas spanning two or more authorities.
        public var jointAreas: Int
        public var jointAreasBuilt: Int
        /// Cells across a border delivered as separate areas because that cost less.
        public var splitAreas: Int

        enum CodingKeys: String, CodingKey {
            case authorities
            case costShare = "cost_share", jointAreas = "joint_areas", jointAreasBuilt = "joint_areas_built", splitAreas = "split_areas"
        }

        public init(authorities: [String], costShare: String, jointAreas: Int, jointAreasBuilt: Int, splitAreas: Int) {
            self.authorities = authorities
            self.costShare = costShare
            self.jointAreas = jointAreas
            self.jointAreasBuilt = jointAreasBuilt
            self.splitAreas = splitAreas
        }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(authorities, forKey: .authorities)
            try c.encode(costShare, forKey: .costShare)
            try c.encode(jointAreas, forKey: .jointAreas)
            try c.encode(jointAreasBuilt, forKey: .jointAreasBuilt)
            try c.encode(splitAreas, forKey: .splitAreas)
        }
    }
}
