import Foundation

extension RunSummary {
    /// The `observed` block of summary.json (docs/MODEL.md, "Observed data").
    public struct Observed: Codable, Sendable, Equatable {
        /// Premises points read, and the rows they became (a point split over speed classes
        /// is one row per class).
        public var points: Int
        public var rows: Int
        public var sources: [ObservedSource]
        /// Households where two sources disagreed, by case; the documented precedence decided.
        public var disagreements: OrderedMap<Double>
        /// With a rollout: premises of built areas that observed data already puts at or
        /// above the target tier.
        public var alreadyServed: AlreadyServed?
        /// With an `ofcom_laua` source: published shares beside the run's baseline.
        public var authorityCheck: [AuthorityCheck]?

        enum CodingKeys: String, CodingKey {
            case points, rows, sources, disagreements
            case alreadyServed = "already_served", authorityCheck = "authority_check"
        }

        public init(points: Int, rows: Int, sources: [ObservedSource], disagreements: OrderedMap<Double>,
                    alreadyServed: AlreadyServed?, authorityCheck: [AuthorityCheck]?) {
            self.points = points
            self.rows = rows
            self.sources = sources
            self.disagreements = disagreements
            self.alreadyServed = alreadyServed
            self.authorityCheck = authorityCheck
        }
    }

    /// One observed source: its files and what it matched.
    public struct ObservedSource: Codable, Sendable, Equatable {
        public var type: String
        public var use: String
        public var snapshot: String?
        public var files: [String]
        public var skippedMembers: [String]
        public var rows: Int
        public var matchedRows: Int
        public var unmatchedRows: Int
        /// The first keys (postcodes or UPRNs) that match no premises, at most 20.
        public var unmatchedExamples: [String]
        public var premisesWithoutKey: Int
        public var householdsWithoutKey: Double
        public var premisesNotInSource: Int
        public var householdsNotInSource: Double

        enum CodingKeys: String, CodingKey {
            case type, use, snapshot, files, rows
            case skippedMembers = "skipped_members", matchedRows = "matched_rows", unmatchedRows = "unmatched_rows"
            case unmatchedExamples = "unmatched_examples", premisesWithoutKey = "premises_without_key"
            case householdsWithoutKey = "households_without_key", premisesNotInSource = "premises_not_in_source"
            case householdsNotInSource = "households_not_in_source"
        }

        public init(type: String, use: String, snapshot: String?, files: [String], skippedMembers: [String], rows: Int,
                    matchedRows: Int, unmatchedRows: Int, unmatchedExamples: [String], premisesWithoutKey: Int,
                    householdsWithoutKey: Double, premisesNotInSource: Int, householdsNotInSource: Double) {
            self.type = type
            self.use = use
            self.snapshot = snapshot
            self.files = files
            self.skippedMembers = skippedMembers
            self.rows = rows
            self.matchedRows = matchedRows
            self.unmatchedRows = unmatchedRows
            self.unmatchedExamples = unmatchedExamples
            self.premisesWithoutKey = premisesWithoutKey
            self.householdsWithoutKey = householdsWithoutKey
            self.premisesNotInSource = premisesNotInSource
            self.householdsNotInSource = householdsNotInSource
        }
    }

    public struct AlreadyServed: Codable, Sendable, Equatable {
        public var buildAreas: Int
        public var premises: Int
        public var households: Double

        enum CodingKeys: String, CodingKey {
            case premises, households
            case buildAreas = "build_areas"
        }

        public init(buildAreas: Int, premises: Int, households: Double) {
            self.buildAreas = buildAreas
            self.premises = premises
            self.households = households
        }
    }

    /// One authority and tier of the `ofcom_laua` check: the published share beside the run's
    /// baseline share (0-1), and the difference in percentage points (run - published).
    public struct AuthorityCheck: Codable, Sendable, Equatable {
        public var code: String
        public var tier: String
        public var publishedShare: Double
        public var runShare: Double
        public var differencePP: Double

        enum CodingKeys: String, CodingKey {
            case code, tier
            case publishedShare = "published_share", runShare = "run_share", differencePP = "difference_pp"
        }

        public init(code: String, tier: String, publishedShare: Double, runShare: Double, differencePP: Double) {
            self.code = code
            self.tier = tier
            self.publishedShare = publishedShare
            self.runShare = runShare
            self.differencePP = differencePP
        }
    }

    /// Per authority, with observed data: households by `speed_source`, by BDUK gigabit class
    /// (with a BDUK baseline source), and, with a rollout, by scope decision and reason
    /// (`in_scope`, `deferred:voucher_priority_area`, `descoped:at_target`, ...).
    public struct AuthorityObserved: Codable, Sendable, Equatable {
        public var speedSourceHouseholds: OrderedMap<Double>
        public var gigabitClassHouseholds: OrderedMap<Double>?
        public var scopeHouseholds: OrderedMap<Double>?

        enum CodingKeys: String, CodingKey {
            case speedSourceHouseholds = "speed_source_households", gigabitClassHouseholds = "gigabit_class_households"
            case scopeHouseholds = "scope_households"
        }

        public init(speedSourceHouseholds: OrderedMap<Double>, gigabitClassHouseholds: OrderedMap<Double>?, scopeHouseholds: OrderedMap<Double>?) {
            self.speedSourceHouseholds = speedSourceHouseholds
            self.gigabitClassHouseholds = gigabitClassHouseholds
            self.scopeHouseholds = scopeHouseholds
        }
    }
}
