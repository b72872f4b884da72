import Coverage
import Foundation

/// Monte Carlo over unit costs (docs/MODEL.md, "Rollout" step 8): each run draws one
/// multiplier per unit-cost parameter from triangular(1 − spread, 1, 1 + spread), reprices
/// and reselects; P10/P50/P90 of cost and households passed are reported. Each run's random
/// stream is derived from the seed and the run number alone, so the same seed gives the same
/// numbers however the runs are spread over threads.
public enum Uncertainty {
    public static func run(
        _ settings: UncertaintySettings, areas: [BuildArea], rollout: RolloutSettings, targetMbps: Double,
        context: SelectionContext
    ) throws -> UncertaintyResult {
        let outcomes = try Parallel.map(Array(0..<settings.runs)) { r -> (Double, Double, Double, Set<String>) in
            var rng = SplitMix64(seed: settings.seed &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(r + 1))
            var m = CostMultipliers()
            let s = settings.costSpread
            m.fttpPerArea = triangular(&rng, spread: s)
            m.fttpPerPremises = triangular(&rng, spread: s)
            m.fttpPerKm = triangular(&rng, spread: s)
            m.fwaPerMast = triangular(&rng, spread: s)
            m.fwaPerPremises = triangular(&rng, spread: s)
            // Drawn after the unit costs, and only when their spread is above 0 (a spread of
            // 0 draws nothing), so runs without these spreads repeat the earlier numbers.
            m.takeUp = triangular(&rng, spread: settings.takeUpSpread)
            m.arpu = triangular(&rng, spread: settings.arpuSpread)
            m.payback = triangular(&rng, spread: settings.paybackSpread)
            m.margin = triangular(&rng, spread: settings.marginSpread)
            let priced = Pricing.price(areas, rollout: rollout, targetMbps: targetMbps, multipliers: m)
            let selection = Selector.select(priced: priced, areas: areas, rollout: rollout, context: context)
            return (selection.costGBP, selection.publicCostGBP, selection.householdsPassed, boundLimits(selection))
        }
        // A limit pins households passed when it left areas unbuilt in every run.
        let pinned = outcomes.dropFirst().reduce(outcomes.first?.3 ?? []) { $0.intersection($1.3) }
        return UncertaintyResult(
            runs: settings.runs, seed: settings.seed, costSpread: settings.costSpread,
            costGBP: percentiles(outcomes.map(\.0)), publicCostGBP: percentiles(outcomes.map(\.1)),
            householdsPassed: percentiles(outcomes.map(\.2)),
            takeUpSpread: settings.takeUpSpread, arpuSpread: settings.arpuSpread,
            paybackSpread: settings.paybackSpread, marginSpread: settings.marginSpread,
            householdsPassedLimitedBy: ["budget", "capacity", "total_budget"].filter(pinned.contains))
    }

    /// The limits that left at least one candidate area unbuilt in a selection: `budget`
    /// (`over_budget`), `capacity` (`over_capacity`), `total_budget` (`over_total_budget`).
    static func boundLimits(_ selection: Selection) -> Set<String> {
        var out = Set<String>()
        for status in selection.status {
            switch status {
            case .overBudget: out.insert("budget")
            case .overCapacity: out.insert("capacity")
            case .overTotalBudget: out.insert("total_budget")
            default: break
            }
        }
        return out
    }

    /// Inverse-CDF draw from the symmetric triangular distribution on [1 − s, 1 + s], mode 1.
    static func triangular(_ rng: inout SplitMix64, spread s: Double) -> Double {
        guard s > 0 else { return 1 }
        let u = rng.nextUnit()
        let a = 1 - s, b = 1 + s
        return u < 0.5 ? a + (u * (b - a) * s).squareRoot() : b - ((1 - u) * (b - a) * s).squareRoot()
    }

    /// Percentiles by linear interpolation between order statistics (numpy's default).
    public static func percentiles(_ values: [Double]) -> Percentiles {
        let sorted = values.sorted()
        func at(_ q: Double) -> Double {
            guard !sorted.isEmpty else { return 0 }
            let position = q * Double(sorted.count - 1)
            let lower = Int(position.rounded(.down)), upper = min(sorted.count - 1, lower + 1)
            return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - Double(lower))
        }
        return Percentiles(p10: at(0.1), p50: at(0.5), p90: at(0.9))
    }
}

/// SplitMix64 (Steele, Lea and Flood 2014): small, fast, and the same on every platform.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func nextUnit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
