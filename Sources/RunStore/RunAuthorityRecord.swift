import GRDB

/// One row of `run_authorities`: one planned authority's results in a finished run.
///
/// Households are counts (fractional where households are estimated per postcode); gap areas
/// are km² in the working CRS, nil where the scenario built no polygons for that tier. White,
/// grey and black are households by number of NGA networks before the rollout.
public struct RunAuthorityRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "run_authorities"

    public var runID: Int64
    public var code: String
    public var name: String
    public var premises: Int
    public var households: Double
    public var superfastHouseholdsBefore: Double?
    public var superfastHouseholdsAfter: Double?
    public var gigabitHouseholdsBefore: Double?
    public var gigabitHouseholdsAfter: Double?
    public var whiteHouseholdsBefore: Double
    public var greyHouseholdsBefore: Double
    public var blackHouseholdsBefore: Double
    public var superfastGapKm2Before: Double?
    public var superfastGapKm2After: Double?
    public var gigabitGapKm2Before: Double?
    public var gigabitGapKm2After: Double?
    public var costGBP: Double
    public var publicCostGBP: Double
    public var householdsPassed: Double

    enum CodingKeys: String, CodingKey {
        case code, name, premises, households
        case runID = "run_id"
        case superfastHouseholdsBefore = "superfast_households_before", superfastHouseholdsAfter = "superfast_households_after"
        case gigabitHouseholdsBefore = "gigabit_households_before", gigabitHouseholdsAfter = "gigabit_households_after"
        case whiteHouseholdsBefore = "white_households_before", greyHouseholdsBefore = "grey_households_before"
        case blackHouseholdsBefore = "black_households_before"
        case superfastGapKm2Before = "superfast_gap_km2_before", superfastGapKm2After = "superfast_gap_km2_after"
        case gigabitGapKm2Before = "gigabit_gap_km2_before", gigabitGapKm2After = "gigabit_gap_km2_after"
        case costGBP = "cost_gbp", publicCostGBP = "public_cost_gbp", householdsPassed = "households_passed"
    }

    public enum Columns {
        public static let runID = Column(CodingKeys.runID)
        public static let code = Column(CodingKeys.code)
    }

    public init(runID: Int64 = 0, code: String, name: String, premises: Int, households: Double,
                superfastHouseholdsBefore: Double? = nil, superfastHouseholdsAfter: Double? = nil,
                gigabitHouseholdsBefore: Double? = nil, gigabitHouseholdsAfter: Double? = nil,
                whiteHouseholdsBefore: Double = 0, greyHouseholdsBefore: Double = 0, blackHouseholdsBefore: Double = 0,
                superfastGapKm2Before: Double? = nil, superfastGapKm2After: Double? = nil,
                gigabitGapKm2Before: Double? = nil, gigabitGapKm2After: Double? = nil,
                costGBP: Double = 0, publicCostGBP: Double = 0, householdsPassed: Double = 0) {
        self.runID = runID
        self.code = code
        self.name = name
        self.premises = premises
        self.households = households
        self.superfastHouseholdsBefore = superfastHouseholdsBefore
        self.superfastHouseholdsAfter = superfastHouseholdsAfter
        self.gigabitHouseholdsBefore = gigabitHouseholdsBefore
        self.gigabitHouseholdsAfter = gigabitHouseholdsAfter
        self.whiteHouseholdsBefore = whiteHouseholdsBefore
        self.greyHouseholdsBefore = greyHouseholdsBefore
        self.blackHouseholdsBefore = blackHouseholdsBefore
        self.superfastGapKm2Before = superfastGapKm2Before
        self.superfastGapKm2After = superfastGapKm2After
        self.gigabitGapKm2Before = gigabitGapKm2Before
        self.gigabitGapKm2After = gigabitGapKm2After
        self.costGBP = costGBP
        self.publicCostGBP = publicCostGBP
        self.householdsPassed = householdsPassed
    }
}
