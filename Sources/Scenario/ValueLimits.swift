import Foundation

/// The largest numbers a scenario and its premises may give, so that every total bbplan
/// forms stays finite and exact, whatever the input (docs/RELIABILITY.md, "Limits").
///
/// With these maxima the largest possible sums are far inside a Double's range: 60 million
/// rows (`Limits.maxCSVRows`) × 100,000 households = 6 × 10¹² households, a whole number
/// below 2⁵³ and so exact; a cost of £10¹² per unit × 6 × 10¹² households is 6 × 10²⁴, far
/// from the 1.8 × 10³⁰⁸ at which a Double overflows to infinity.
public enum ValueLimits {
    /// Households at one premises point. The largest values in real inputs are 26 per postcode
    /// (Code-Point Open with 2011 household estimates, `gb_postcodes_households_est.csv.gz`),
    /// 251 per Trafford output area (Census 2021) and 26,850 per modelled exchange area
    /// (`gb_exchanges_modelled.csv`); no premises, postcode, output area or ward holds 100,000.
    /// A larger value is a wrong column (an id, an area in m²) or a hostile file.
    public static let maxHouseholdsPerPoint = 100_000.0

    /// Any amount of money in GBP (unit costs, budgets, ARPU): £1 trillion. Project Gigabit is
    /// a £5 billion programme (DCMS, 2021) and the National Infrastructure Commission put full
    /// fibre for the whole UK at £33.4 billion (National Infrastructure Assessment, 2018); an
    /// amount 30 times that is a typo.
    public static let maxGBP = 1e12

    /// Households passed in one year (`capacity_premises`): a billion, over 30 times the
    /// premises of the UK.
    public static let maxCapacityPremises = 1e9

    /// Years for the subsidy's payback period: a century.
    public static let maxPaybackYears = 100.0

    /// A limit as written in messages: the whole number, e.g. "100000".
    static func describe(_ limit: Double) -> String { String(format: "%.0f", limit) }
}
