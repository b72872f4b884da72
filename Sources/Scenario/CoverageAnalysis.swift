import Coverage
import Foundation
import Geometry
import RunSummary

/// The baseline of a scenario: what every premises gets, per-authority statistics, and
/// coverage and gap polygons per tier (docs/MODEL.md, "Baseline" and "Coverage polygons").
public struct BaselineResult: Sendable {
    public let classification: Classification
    /// Statistics of the planned authorities, in `LoadedInputs.selected` order, with gap and
    /// coverage areas filled in.
    public let statistics: [AuthorityStatistics]
    public let unplanned: Unplanned
    /// Polygons per planned authority (same order as `statistics`).
    public let coverage: [AuthorityCoverage]
    /// The planned authorities' gaps dissolved across borders, per polygon tier (same order as
    /// `coverage[k].tiers`; docs/MODEL.md, "Shared gaps").
    public let gapClusters: [TierGapClusters]
    /// Seconds spent per step, for the run report and benchmarks.
    public let timings: [(step: String, seconds: Double)]
    /// Premises outside every authority, by the region of the authority nearest to each
    /// (`authorities.region`); nil without that key.
    public var unassignedByRegion: [RegionCount]? = nil
}

/// Premises and households counted in one region.
public struct RegionCount: Sendable, Equatable {
    public let region: String
    public var premises: Int
    public var households: Double
}

public enum CoverageAnalysis {
    /// The tiers to build polygons for: those requested plus the contract's, slowest first.
    public static func polygonTiers(_ scenario: Scenario) -> [Tier] {
        // The summary.json contract reports gap areas for its tiers: they always get polygons.
        let names = Set(scenario.coverage.tiers + RunSummary.contractTiers)
        return scenario.model.tiers.tiers.filter { names.contains($0.name) }
    }

    /// Where the premises fall: how many are outside every authority or in authorities not
    /// planned. Throws when none lies in a planned authority (the files cannot be meant
    /// for each other).
    public static func locatePremises(_ scenario: Scenario, inputs: LoadedInputs) throws -> Unplanned {
        let classification = try Baseline.classify(premises: inputs.premises, authorities: inputs.authorities,
                                                   networks: [], model: scenario.model,
                                                   snapMetres: scenario.authorities.snapMetres)
        let (stats, unplanned) = Statistics.summarise(
            classification: classification, households: inputs.premises.households,
            authorities: inputs.authorities, selected: inputs.selected, tiers: scenario.model.tiers,
            countsAsPremises: inputs.firstRowOfPoint)
        try requirePlannedPremises(stats, scenario, inputs)
        return unplanned
    }

    static func requirePlannedPremises(_ stats: [AuthorityStatistics], _ scenario: Scenario, _ inputs: LoadedInputs) throws {
        guard stats.contains(where: { $0.premises > 0 }) else {
            let a = scenario.authorities.source
            throw ScenarioError(file: scenario.premises.source.file, line: scenario.premises.source.line,
                                "premises: none of the \(inputs.premises.count) premises lies inside the planned authorities of \(a.path); are the files for the same region and CRS?")
        }
    }

    public static func run(
        _ scenario: Scenario, inputs: LoadedInputs, progress: (String) -> Void = { _ in }
    ) throws -> BaselineResult {
        var times = StepTimes()
        // With observed data the loader has classified the premises already (model, then the
        // observed sources by precedence: docs/MODEL.md, "Observed data").
        let classification = try times.measure("classifying premises", reporting: progress) {
            try inputs.observed?.classification
                ?? Baseline.classify(premises: inputs.premises, authorities: inputs.authorities,
                                     networks: inputs.networks, model: scenario.model,
                                     snapMetres: scenario.authorities.snapMetres)
        }
        var (stats, unplanned) = Statistics.summarise(
            classification: classification, households: inputs.premises.households,
            authorities: inputs.authorities, selected: inputs.selected, tiers: scenario.model.tiers,
            countsAsPremises: inputs.firstRowOfPoint)
        try requirePlannedPremises(stats, scenario, inputs)
        let tiers = polygonTiers(scenario)
        let coverage = try times.measure("building coverage and gap polygons", reporting: progress) {
            try CoverageMapper(networks: inputs.networks, model: scenario.model,
                               quadrantSegments: scenario.coverage.quadrantSegments)
                .build(authorities: inputs.authorities, selected: inputs.selected, tiers: tiers)
        }
        for (k, c) in coverage.enumerated() {
            for t in c.tiers {
                stats[k].state.gapAreaKm2[t.tier.name] = t.gapKm2
                stats[k].state.coverageAreaKm2[t.tier.name] = t.coverageKm2
            }
        }
        let clusters = try times.measure("dissolving gaps into clusters", reporting: progress) {
            try Parallel.map(Array(tiers.indices)) { t in
                try GapClusters.build(tier: tiers[t], gaps: coverage.map { (authority: $0.authority, gap: $0.tiers[t].gap) },
                                      authorities: inputs.authorities, premises: inputs.premises,
                                      classification: classification)
            }
        }
        let byRegion = try unassignedByRegion(classification, inputs: inputs)
        return BaselineResult(classification: classification, statistics: stats, unplanned: unplanned,
                              coverage: coverage, gapClusters: clusters, timings: times.entries, unassignedByRegion: byRegion)
    }

    /// The premises still outside every authority, counted by the region of their nearest
    /// authority (whatever the distance), regions in name order; nil without
    /// `authorities.region`. An authority with an empty region value counts as "(none)".
    public static func unassignedByRegion(_ c: Classification, inputs: LoadedInputs) throws -> [RegionCount]? {
        guard let regions = inputs.regions else { return nil }
        let unassigned = c.authority.indices.filter { c.authority[$0] == Classification.unassigned }
        guard !unassigned.isEmpty else { return [] }
        let nearest = try NearestAuthority(inputs.authorities)
        var counts: [String: RegionCount] = [:]
        // Once, not per premises: the property builds a flag per row (25.7M rows nationally
        // with observed data: rebuilding it per unassigned premises took 8 minutes).
        let firstRowOfPoint = inputs.firstRowOfPoint
        for i in unassigned {
            let hit = try nearest.nearest(x: inputs.premises.xs[i], y: inputs.premises.ys[i])
            let name = hit.map { regions[$0.authority] }.flatMap { $0.isEmpty ? nil : $0 } ?? "(none)"
            counts[name, default: RegionCount(region: name, premises: 0, households: 0)].premises += firstRowOfPoint.premises(row: i)
            counts[name, default: RegionCount(region: name, premises: 0, households: 0)].households += inputs.premises.households[i]
        }
        return counts.values.sorted { $0.region < $1.region }
    }
}
