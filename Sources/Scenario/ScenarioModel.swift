import Coverage
import Foundation
import GeoIO
import Projection

/// Where one block of a scenario reads its data (docs/SCENARIO.md, "Data sources").
public struct DataSourceSpec: Sendable, Equatable {
    /// Absolute path (resolved against the scenario file that named it).
    public var path: String
    public var layer: String?
    public var x: String?
    public var y: String?
    /// Declared CRS, for files that carry none.
    public var crs: CRS?
    /// The scenario key it came from ("premises", "networks[2]"), the file and line.
    public var key: String
    public var file: String
    public var line: Int
    /// `modelled: true/false` as written; nil: inferred (`InputRecord.isModelled`).
    public var modelled: Bool? = nil
}

/// A value given either as a column of the source or as one number for every feature.
public enum ColumnOrNumber: Sendable, Equatable {
    case column(String)
    case number(Double)
}

public struct AuthoritiesSpec: Sendable, Equatable {
    public var source: DataSourceSpec
    public var codeField: String
    public var nameField: String
    /// Codes to plan; nil plans every authority in the source.
    public var only: [String]?
    /// Premises outside every polygon but within this many metres of one are assigned to the
    /// nearest (0: none).
    public var snapMetres: Double = 0
    /// Field holding each authority's region (for listing unassigned premises by region).
    public var regionField: String?
}

public struct PremisesSpec: Sendable, Equatable {
    public var source: DataSourceSpec
    public var households: ColumnOrNumber
    public var idField: String?
    public var kind: PremisesKind
    /// The column holding each premises' postcode, for joining Ofcom's postcode files
    /// (`premises.postcode`); for `kind: postcodes` the id column serves when this is nil.
    public var postcodeField: String? = nil

    /// The column the Ofcom postcode join reads.
    public var joinPostcodeField: String? { postcodeField ?? (kind == .postcodes ? idField : nil) }
}

/// What each premises point stands for (`premises.kind`, docs/SCENARIO.md): only the words of
/// reports depend on it, never a figure. Not inferred from the data: a households column
/// weights postcodes, output areas and buildings alike, so `points` is the default.
public enum PremisesKind: String, Sendable, CaseIterable {
    /// Points of no stated kind.
    case points
    /// Postcode centroids, each weighted by its households.
    case postcodes
    /// Address points (UPRNs).
    case addresses

    /// The word for the points: "1,684,685 postcodes".
    public var noun: Noun {
        switch self {
        case .points: return Noun("point")
        case .postcodes: return Noun("postcode")
        case .addresses: return Noun("address", plural: "addresses")
        }
    }
}

public struct NetworkSpec: Sendable, Equatable {
    public var name: String
    public var operatorName: String
    public var technology: Technology
    public var source: DataSourceSpec
    public var downMbps: Double?
    /// FWA reach in metres.
    public var radius: ColumnOrNumber?
}

public struct CoverageSettings: Sendable, Equatable {
    /// Tier names to build polygons for.
    public var tiers: [String]
    public var quadrantSegments: Int
}

public enum OutputFormat: String, Sendable, CaseIterable {
    case gpkg, geojson, csv, html, mbtiles
}

public struct OutputSettings: Sendable, Equatable {
    /// Absolute output folder, or nil for the default (`out/<file-safe name>` in the current
    /// folder). Where a run writes, and the rules that folder must meet, is decided in one
    /// place: `Reports.RunOutput.location`.
    public var dir: String?
    public var formats: [OutputFormat]
    public var premisesLayer: Bool
}

/// FTTP build option costs (GBP) and speed.
public struct FTTPOption: Sendable, Equatable {
    public var perAreaGBP: Double
    public var perPremisesGBP: Double
    public var perKmGBP: Double
    public var routeFactor: Double
    public var downMbps: Double
}

/// Fixed-wireless build option costs (GBP), reach and speed.
public struct FWAOption: Sendable, Equatable {
    public var perMastGBP: Double
    public var perPremisesGBP: Double
    public var radiusM: Double
    public var downMbps: Double
}

/// The route a build area takes: a build option, or an alternative for very hard to reach
/// areas (docs/MODEL.md, "Very hard to reach").
public enum BuildRoute: String, Sendable, CaseIterable, Codable {
    case fttp, fwa, voucher, satellite
}

/// Gigabit vouchers for very hard to reach areas: the public pays the FTTP build up to a cap
/// per premises.
public struct VoucherOption: Sendable, Equatable {
    /// The UK gigabit voucher's maximum, £4,500 per premises (ISPreview, February 2023;
    /// docs/MODEL.md, "Price check").
    public static let defaultCapGBP = 4_500.0
    public var capGBP: Double
}

/// Satellite for very hard to reach areas: a cost per premises, a speed, no reach limit.
public struct SatelliteOption: Sendable, Equatable {
    /// A UK low-Earth-orbit satellite kit, £449 plus £20 delivery (Starlink, 2023, as reported
    /// from Ookla's Q2 2023 UK report by satproviders.com); installation is not included.
    public static let defaultPerPremisesGBP = 469.0
    /// The median UK Starlink download speed in Q2 2023, 100.11 Mbit/s (Ookla), rounded.
    public static let defaultDownMbps = 100.0
    public var perPremisesGBP: Double
    public var downMbps: Double
}

/// `rollout.partnership`: authorities that deliver jointly (docs/MODEL.md, "Joint programmes").
public enum Partnership: Sendable, Equatable {
    /// Every planned authority.
    case all
    /// These codes (each a planned authority).
    case codes([String])
}

/// How a joint build area's cost is shared between its authorities.
public enum CostShare: String, Sendable, CaseIterable {
    /// In proportion to the households of each authority in the area.
    case households
    /// In proportion to the premises points of each authority in the area.
    case premises
    /// Equally between the authorities in the area.
    case equal
}

public enum Strategy: String, Sendable, CaseIterable {
    case leastCostPerHousehold = "least_cost_per_household"
    case coverageTarget = "coverage_target"
    case authorityPriority = "authority_priority"
}

/// One programme year: its budget and how many premises can be built.
public struct YearPlan: Sendable, Equatable {
    public var year: Int
    /// Nil: no budget limit this year.
    public var budgetGBP: Double?
    /// Nil: no capacity limit. Counted in premises passed (households).
    public var capacityPremises: Double?
}

/// Gap-funding subsidy parameters (docs/MODEL.md, "Public cost").
public struct SubsidySettings: Sendable, Equatable {
    public var arpuGBPMonth: Double
    public var takeUp: Double
    public var paybackYears: Double
    public var margin: Double
}

public struct RolloutSettings: Sendable, Equatable {
    public var targetTier: String
    public var eligible: [NGAClass]
    public var gridM: Double
    public var fibreNodes: DataSourceSpec?
    public var fttp: FTTPOption?
    public var fwa: FWAOption?
    public var strategy: Strategy
    /// Cap on the total cost over all years.
    public var budgetGBP: Double?
    public var years: [YearPlan]
    /// coverage_target: share (0–1) of households at the target tier to reach.
    public var targetShare: Double?
    public var perAuthority: Bool
    /// authority_priority: codes in build order.
    public var authorityOrder: [String]
    /// Share of passed households connected 1, 2, 3, ... years after build (last value holds).
    public var takeUpCurve: [Double]
    public var subsidy: SubsidySettings?
    /// BDUK `Gigabit Under Review` premises: include, exclude or defer (docs/MODEL.md).
    public var underReview: UnderReviewChoice = .include
    /// BDUK's intervention-area rules, when the rollout applies them.
    public var interventionArea: InterventionAreaSettings? = nil
    /// Procurement lots to group the built areas into; nil: none.
    public var lots: LotSettings? = nil
    /// Areas whose cheapest option costs more per premises than this go to an alternative
    /// (`voucher` or `satellite`); nil: no threshold.
    public var veryHardToReachGBP: Double? = nil
    public var voucher: VoucherOption? = nil
    public var satellite: SatelliteOption? = nil
    /// Authorities whose build areas are not split at their common borders; nil: none.
    public var partnership: Partnership? = nil
    public var costShare: CostShare = .households
}

/// `rollout.lots` (docs/SCENARIO.md): how built areas are grouped into procurement lots.
public struct LotSettings: Sendable, Equatable {
    /// Areas whose grid cells lie within this distance (metres, working CRS) join one lot;
    /// 0 joins only cells that touch (edge or corner).
    public var joinM: Double
    /// A lot passing more premises (households) than this is split into compact pieces.
    public var maxPremises: Double

    /// BDUK's Type A ("local") procurements cover up to about 10,000 premises (BDUK, Project
    /// Gigabit procurement approach; docs/MODEL.md, "Procurement lots").
    public static let defaultMaxPremises = 10_000.0
    public static let defaultJoinM = 2_000.0

    public init(joinM: Double = LotSettings.defaultJoinM, maxPremises: Double = LotSettings.defaultMaxPremises) {
        self.joinM = joinM
        self.maxPremises = maxPremises
    }
}

public struct UncertaintySettings: Sendable, Equatable {
    public var runs: Int
    /// Each unit cost is multiplied by a draw from triangular(1 − spread, 1, 1 + spread).
    public var costSpread: Double
    public var seed: UInt64
    /// Spreads of the subsidy's revenue parameters (triangular like `costSpread`; 0 keeps the
    /// parameter fixed, the default).
    public var takeUpSpread = 0.0
    public var arpuSpread = 0.0
    public var paybackSpread = 0.0
    public var marginSpread = 0.0
}

/// One key swept over several values (`sweep:`), expanding a scenario into variants.
public struct SweepAxis: Sendable {
    /// Dotted key path, e.g. `rollout.budget_gbp`.
    public var keyPath: String
    public var values: [YAMLNode]
    public var line: Int
}

/// A validated scenario: everything a run needs, with paths resolved.
public struct Scenario: Sendable {
    public var name: String
    public var description: String
    /// The scenario file (for a sweep variant, the file it was expanded from).
    public var file: String
    public var crs: CRS
    public var authorities: AuthoritiesSpec
    public var premises: PremisesSpec
    public var networks: [NetworkSpec]
    /// Observed availability sources (`observed:`), empty when none.
    public var observed: [ObservedSourceSpec] = []
    public var model: SpeedModel
    public var coverage: CoverageSettings
    public var rollout: RolloutSettings?
    public var uncertainty: UncertaintySettings?
    public var outputs: OutputSettings
    public var sweep: [SweepAxis]
    /// The settings after `extends` and sweep overrides, for hashing and the catalogue.
    public var settings: YAMLNode
    /// For a sweep variant: the swept keys and values, e.g. ["rollout.budget_gbp": "5000000"].
    public var variant: [(key: String, value: String)] = []

    /// Every data source the scenario reads, with the key, file and line that named it. The
    /// key is the role the input is recorded under in summary.json and the run catalogue.
    public var inputSpecs: [DataSourceSpec] {
        [authorities.source, premises.source] + networks.map(\.source) + (rollout?.fibreNodes.map { [$0] } ?? [])
            + [rollout?.interventionArea?.builtUpAreas, rollout?.interventionArea?.voucherPriorityAreas].compactMap { $0 }
    }

    /// Every input file the scenario reads, under the role it is recorded with in
    /// summary.json and the run catalogue.
    public var inputSources: [(role: String, path: String)] { inputSpecs.map { ($0.key, $0.path) } + observedFiles }

    /// The files on disk the `observed:` sources name, globs expanded (a zip archive is one
    /// file), each under its role: `observed[i]` for a source of one file, else
    /// `observed[i][k]`. A glob that matches nothing stays as written (reading it then fails
    /// with the reader's message).
    public var observedFiles: [(role: String, path: String)] {
        var out: [(role: String, path: String)] = []
        for (i, spec) in observed.enumerated() {
            var paths: [String] = []
            for p in spec.paths {
                let expanded = InputFiles.isGlob(p) && !FileManager.default.fileExists(atPath: p) ? ((try? InputFiles.glob(p)) ?? [p]) : [p]
                for e in expanded where !paths.contains(e) { paths.append(e) }
            }
            out += paths.enumerated().map { k, p in (paths.count == 1 ? "observed[\(i)]" : "observed[\(i)][\(k)]", p) }
        }
        return out
    }

    /// The scenario name made safe as a file or folder name: lower-case letters, digits and
    /// '-', nothing else (no separators, no dots, no "..").
    public var safeName: String { Scenario.safeFileName(name) }

    public static func safeFileName(_ text: String) -> String {
        var out = ""
        var lastDash = true
        for scalar in text.lowercased().unicodeScalars {
            if (scalar >= "a" && scalar <= "z") || (scalar >= "0" && scalar <= "9") {
                out.unicodeScalars.append(scalar)
                lastDash = false
            } else if !lastDash {
                out.append("-")
                lastDash = true
            }
        }
        while out.hasSuffix("-") { out.removeLast() }
        if out.count > 80 { out = String(out.prefix(80)); while out.hasSuffix("-") { out.removeLast() } }
        return out.isEmpty ? "scenario" : out
    }

}

extension Scenario {
    /// An error about the `index`th item of a list-valued key (`authorities.only`), named
    /// `key[i]` with the file and line that wrote the item, following `extends` and sweeps.
    func errorInList(_ keyPath: String, index: Int, _ message: String) -> ScenarioError {
        var node: YAMLNode? = settings
        for key in keyPath.split(separator: ".") { node = node?[String(key)] }
        if let items = node?.sequence, items.indices.contains(index) {
            return ListItem.items(of: items, name: keyPath)[index].error(message)
        }
        // A single value written in place of a list.
        if let node, node.scalar != nil { return ScenarioError(file: node.file, line: node.line, "\(keyPath): \(message)") }
        return ScenarioError(file: file, "\(keyPath)[\(index)]: \(message)")
    }
}
