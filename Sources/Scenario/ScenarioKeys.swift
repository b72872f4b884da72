/// The keys each mapping of a scenario may hold (docs/SCENARIO.md): one list per mapping.
///
/// The parser gives each `MappingReader` its list, which reports an unknown key (with the
/// closest known key as a suggestion) before any missing or invalid one; sweep key paths are
/// checked against the same lists, so a misspelt key reads the same wherever it is written.
enum ScenarioKeys {
    /// Every data block: `authorities`, `premises`, each network, `rollout.fibre_nodes`.
    static let source = ["source", "layer", "x", "y", "crs", "modelled"]

    static let top = [
        "name", "description", "extends", "crs", "authorities", "premises", "networks", "observed", "fttc",
        "tiers_mbps", "nga_threshold_mbps", "coverage", "rollout", "uncertainty", "outputs", "sweep",
    ]
    static let authorities = source + ["code", "name", "only", "snap_m", "region"]
    static let premises = source + ["households", "id", "kind", "postcode"]
    /// One item of `observed`.
    static let observedSource = ["type", "path", "use"]
    static let interventionArea = ["shared_location", "built_up_areas", "built_up_grey_black_share", "voucher_priority_areas"]
    /// One item of `networks`.
    static let network = ["name", "operator", "technology"] + source + ["down_mbps", "radius_m"]
    static let fttc = ["route_factor", "speed_curve_m_mbps"]
    static let coverage = ["tiers", "quadrant_segments"]
    static let rollout = [
        "target_tier", "eligible", "grid_m", "fibre_nodes", "options", "strategy", "budget_gbp", "years",
        "start_year", "target_share", "per_authority", "authority_order", "take_up_curve", "subsidy",
        "under_review", "intervention_area",
        "lots", "very_hard_to_reach_gbp", "partnership", "cost_share",
    ]
    static let options = ["fttp", "fwa", "voucher", "satellite"]
    static let voucher = ["cap_gbp"]
    static let satellite = ["per_premises_gbp", "down_mbps"]
    static let fttp = ["per_area_gbp", "per_premises_gbp", "per_km_gbp", "route_factor", "down_mbps"]
    static let fwa = ["per_mast_gbp", "per_premises_gbp", "radius_m", "down_mbps"]
    /// One item of `rollout.years`.
    static let year = ["year", "budget_gbp", "capacity_premises"]
    static let subsidy = ["arpu_gbp_month", "take_up", "payback_years", "margin"]
    static let lots = ["join_m", "max_premises"]
    static let uncertainty = ["runs", "cost_spread", "seed", "take_up_spread", "arpu_spread", "payback_spread", "margin_spread"]
    static let outputs = ["dir", "formats", "premises_layer"]

    /// The mappings by their dotted path, for walking sweep key paths.
    static let mappings: [String: [String]] = [
        "": top, "authorities": authorities, "premises": premises, "fttc": fttc, "coverage": coverage,
        "rollout": rollout, "rollout.fibre_nodes": source, "rollout.options": options,
        "rollout.options.fttp": fttp, "rollout.options.fwa": fwa,
        "rollout.options.voucher": voucher, "rollout.options.satellite": satellite, "rollout.subsidy": subsidy, "rollout.lots": lots,
        "rollout.intervention_area": interventionArea,
        "uncertainty": uncertainty, "outputs": outputs,
    ]
    /// Keys holding lists of mappings: a key path cannot go into one of their items.
    static let lists: Set<String> = ["networks", "observed", "rollout.years"]
    /// Mappings whose keys the planner names (tier names): any key is allowed.
    static let open: Set<String> = ["tiers_mbps"]
    /// Keys a sweep cannot vary: they are read before the sweep is expanded.
    static let unsweepable: Set<String> = ["extends", "sweep"]

    /// Why a sweep key path is not a scenario key, or nil when it is one. The message is the
    /// parser's own for an unknown key (`unknown key 'budjet_gbp' in rollout; did you mean
    /// 'budget_gbp'?`).
    static func problem(withSweepPath keyPath: String) -> String? {
        let segments = keyPath.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        var at = ""
        for (i, segment) in segments.enumerated() {
            if segment.isEmpty {
                return "sweep: '\(keyPath)' is not a key path (keys joined by '.', e.g. rollout.budget_gbp)"
            }
            let indexed = segment.contains("[") || segment.allSatisfy(\.isNumber)
            if lists.contains(at) || indexed {
                let list = segment.contains("[") && !lists.contains(at)
                    ? [at, String(segment.prefix { $0 != "[" })].filter { !$0.isEmpty }.joined(separator: ".") : at
                return "sweep: '\(keyPath)' goes into an item of the list \(list); key paths go through mappings only, so sweep the whole list instead"
            }
            if open.contains(at) {
                return i == segments.count - 1 ? nil : "sweep: '\(keyPath)': \(at).\(segment) is a single value, not a mapping of keys"
            }
            guard let keys = mappings[at] else {
                return "sweep: '\(keyPath)': \(at) is a single value, not a mapping of keys"
            }
            guard keys.contains(segment) else { return MappingReader.unknownKey(segment, in: at, keys: keys) }
            if at.isEmpty, unsweepable.contains(segment) { return "sweep: '\(segment)' cannot be swept" }
            at = at.isEmpty ? segment : "\(at).\(segment)"
        }
        return nil
    }
}
