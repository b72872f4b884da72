import Coverage
import Foundation

/// The kinds of observed availability data a scenario can read (`observed[i].type`,
/// docs/SCENARIO.md, "observed").
public enum ObservedSourceType: String, Sendable, CaseIterable {
    /// Ofcom Connected Nations postcode files: percentages per postcode, joined to premises by
    /// postcode.
    case ofcomPostcode = "ofcom_postcode"
    /// BDUK's UPRN release ("OMR and premises in BDUK plans"): joined to premises by UPRN.
    case bdukUPRN = "bduk_uprn"
    /// Ofcom Connected Nations local-authority file: a check only (published shares beside the
    /// run's), never a premises' speed.
    case ofcomLAUA = "ofcom_laua"
}

/// What an observed source is used for (`observed[i].use`).
public enum ObservedUse: String, Sendable, CaseIterable {
    /// It decides the speed (and, for BDUK, the gigabit class) of the premises it covers.
    case baseline
    /// It is joined and compared, and it drives the warning about build areas observed data
    /// already serves, but every speed stays the model's.
    case check
}

/// One item of `observed:`.
public struct ObservedSourceSpec: Sendable, Equatable {
    public var type: ObservedSourceType
    /// Files, globs or zip archives, resolved against the scenario file that named them.
    public var paths: [String]
    public var use: ObservedUse
    /// `observed[i]`, the scenario file and line, for messages.
    public var key: String
    public var file: String
    public var line: Int
}

/// What a rollout does with BDUK's `Gigabit Under Review` premises (`rollout.under_review`).
public enum UnderReviewChoice: String, Sendable, CaseIterable {
    /// Candidates like white premises.
    case include
    /// Not candidates (like grey/black), reason `descoped_under_review`.
    case exclude
    /// Not candidates in this programme, reported as `deferred` (`under_review`): they return
    /// once BDUK has decided them.
    case `defer`
}

/// BDUK's intervention-area rules as an optional rollout step (`rollout.intervention_area`,
/// docs/MODEL.md, "Intervention area").
public struct InterventionAreaSettings: Sendable, Equatable {
    /// White/Under Review premises at the exact location of a Grey/Black one are descoped.
    public var sharedLocation: Bool
    /// Built-up area polygons: within one, White/UR premises are descoped where more than
    /// `builtUpGreyBlackShare` of its premises are Grey/Black.
    public var builtUpAreas: DataSourceSpec?
    public var builtUpGreyBlackShare: Double
    /// Voucher priority area polygons: premises within one are deferred.
    public var voucherPriorityAreas: DataSourceSpec?
}

extension ScenarioParser {
    static func observed(_ node: YAMLNode) throws -> [ObservedSourceSpec] {
        guard let items = node.sequence, !items.isEmpty else {
            throw ScenarioError(file: node.file, line: node.line, "observed must be a non-empty list of sources (type and path)")
        }
        var specs: [ObservedSourceSpec] = []
        for (i, item) in items.enumerated() {
            let key = "observed[\(i)]"
            var r = try MappingReader(item, path: key, keys: ScenarioKeys.observedSource)
            let typeText = try r.requiredString("type")
            guard let type = ObservedSourceType(rawValue: typeText) else {
                throw r.error("type", "unknown type '\(typeText)'; types are: \(ObservedSourceType.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let pathNode = try r.requiredRaw("path")
            let rawPaths: [(String, YAMLNode)]
            if let s = pathNode.scalar {
                rawPaths = [(s, pathNode)]
            } else if let list = pathNode.sequence, !list.isEmpty {
                rawPaths = try ListItem.items(of: list, name: r.qualified("path")).map { ($0.node.scalar ?? "", $0.node) }
                    .map { text, n in
                        guard !text.isEmpty else { throw ScenarioError(file: n.file, line: n.line, "\(key).path: each item must be a file path or glob") }
                        return (text, n)
                    }
            } else {
                throw r.error("path", "must be a file path, a glob or a non-empty list of them")
            }
            for (p, n) in rawPaths where p.isEmpty {
                throw ScenarioError(file: n.file, line: n.line, "\(key).path: must be a file path or glob")
            }
            let useText = try r.string("use") ?? (type == .ofcomLAUA ? ObservedUse.check.rawValue : ObservedUse.baseline.rawValue)
            guard let use = ObservedUse(rawValue: useText) else {
                throw r.error("use", "'\(useText)' is not a use; uses are: \(ObservedUse.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            if type == .ofcomLAUA, use != .check {
                throw r.error("use", "an ofcom_laua source gives authority shares, not premises speeds: it can only be a check")
            }
            if let j = specs.firstIndex(where: { $0.type == type }) {
                throw r.error("type", "observed[\(j)] is also of type \(type.rawValue); name all its files in one source's path (a list or a glob)")
            }
            try r.finish()
            specs.append(ObservedSourceSpec(type: type, paths: rawPaths.map { resolve($0.0, relativeTo: $0.1.file) }, use: use,
                                            key: key, file: pathNode.file, line: pathNode.line))
        }
        return specs
    }

    static func interventionArea(_ reader: MappingReader) throws -> InterventionAreaSettings {
        var r = reader
        func area(_ key: String) throws -> DataSourceSpec? {
            guard let node = r.raw(key) else { return nil }
            if let path = node.scalar {
                return DataSourceSpec(path: resolve(path, relativeTo: node.file), layer: nil, x: nil, y: nil, crs: nil,
                                      key: r.qualified(key), file: node.file, line: node.line)
            }
            var m = try MappingReader(node, path: r.qualified(key), keys: ["source", "layer", "crs"])
            let spec = try source(&m, key: r.qualified(key))
            try m.finish()
            return spec
        }
        let shared = try r.bool("shared_location") ?? true
        let builtUp = try area("built_up_areas")
        let voucher = try area("voucher_priority_areas")
        let share = try r.number("built_up_grey_black_share") ?? 0.5
        guard share >= 0, share < 1 else { throw r.error("built_up_grey_black_share", "must be a share from 0 to below 1 (BDUK's is 0.5)") }
        try r.finish()
        return InterventionAreaSettings(sharedLocation: shared, builtUpAreas: builtUp, builtUpGreyBlackShare: share,
                                        voucherPriorityAreas: voucher)
    }
}

extension ScenarioParser {
    /// Each observed source needs a premises column to join on.
    static func checkObservedJoins(_ specs: [ObservedSourceSpec], premises: PremisesSpec, reader: MappingReader) throws {
        for spec in specs {
            switch spec.type {
            case .ofcomPostcode where premises.joinPostcodeField == nil:
                throw ScenarioError(file: spec.file, line: spec.line, "\(spec.key): ofcom_postcode joins premises by postcode: give premises a postcode column (premises.postcode), or use kind: postcodes with id: <postcode column>")
            case .bdukUPRN where premises.kind != .addresses || premises.idField == nil:
                throw ScenarioError(file: spec.file, line: spec.line, "\(spec.key): bduk_uprn joins premises by UPRN: the premises must be address points (premises.kind: addresses) with id: <UPRN column>")
            default: break
            }
        }
    }

    /// The intervention-area rules read BDUK's classes: they need a bduk_uprn source.
    static func checkIntervention(_ rollout: RolloutSettings?, observed: [ObservedSourceSpec], file: String) throws {
        guard let rollout, rollout.interventionArea != nil else { return }
        guard observed.contains(where: { $0.type == .bdukUPRN && $0.use == .baseline }) else {
            throw ScenarioError(file: file, "rollout.intervention_area: BDUK's rules work on its gigabit classes; add an observed source of type bduk_uprn (use: baseline)")
        }
    }
}
