import Availability
import Coverage
import Foundation
import RunSummary
import Scenario

/// The observed-data parts of summary.json (docs/MODEL.md, "Observed data"), and the run's
/// warnings.
enum ObservedSummary {
    /// The `observed` block, or nil without observed data.
    static func block(_ r: RunResult) -> RunSummary.Observed? {
        guard let o = r.inputs.observed else { return nil }
        let d = o.disagreements
        let sources = o.matches.map { m in
            RunSummary.ObservedSource(
                type: m.type, use: m.use, snapshot: m.snapshot, files: m.files, skippedMembers: m.skippedMembers,
                rows: m.rows, matchedRows: m.matchedRows, unmatchedRows: m.unmatchedRows, unmatchedExamples: m.unmatchedExamples,
                premisesWithoutKey: m.premisesWithoutKey, householdsWithoutKey: m.householdsWithoutKey,
                premisesNotInSource: m.premisesNotInSource, householdsNotInSource: m.householdsNotInSource)
        } + lauaSource(r)
        let served = r.rollout?.alreadyServed.map {
            RunSummary.AlreadyServed(buildAreas: $0.buildAreas, premises: $0.premises, households: $0.households)
        }
        return RunSummary.Observed(
            points: r.inputs.pointCount, rows: r.inputs.premises.count, sources: sources,
            disagreements: OrderedMap([
                ("bduk_gigabit_postcode_not", d.bdukGigabitPostcodeNot), ("postcode_gigabit_bduk_not", d.postcodeGigabitBDUKNot),
                ("bduk_gigabit_model_not", d.bdukGigabitModelNot), ("model_gigabit_bduk_not", d.modelGigabitBDUKNot),
            ]),
            alreadyServed: served, authorityCheck: authorityCheck(r))
    }

    /// The `ofcom_laua` source's match counts: its rows, and which of them are planned
    /// authorities.
    static func lauaSource(_ r: RunResult) -> [RunSummary.ObservedSource] {
        guard let la = r.inputs.observedData?.authorities else { return [] }
        let planned = Set(r.baseline.statistics.map(\.code))
        let unmatched = la.keys.filter { !planned.contains($0) }
        let missing = r.baseline.statistics.filter { la.row($0.code) == nil }
        return [RunSummary.ObservedSource(
            type: ObservedSourceType.ofcomLAUA.rawValue, use: ObservedUse.check.rawValue, snapshot: la.snapshot,
            files: la.sources.map(\.file), skippedMembers: la.skippedMembers, rows: la.count,
            matchedRows: la.count - unmatched.count, unmatchedRows: unmatched.count,
            unmatchedExamples: Array(unmatched.prefix(ObservedMatch.examplesLimit)),
            premisesWithoutKey: 0, householdsWithoutKey: 0, premisesNotInSource: missing.reduce(0) { $0 + $1.premises },
            householdsNotInSource: missing.reduce(0) { $0 + $1.households })]
    }

    /// The published field for a tier threshold: decent (10, fixed or FWA), SFBB (30), UFBB 100,
    /// UFBB (300), Gigabit (1000); nil for other thresholds.
    static func publishedShare(_ la: OfcomCoverage<String>, row: Int, mbps: Double) -> Double? {
        switch mbps {
        case 10:
            if let no = la.percent(.unableDecent, row: row) { return 100 - no }
            guard let u10 = la.percent(.unable10, row: row), let fwa = la.percent(.fwaDecent, row: row) else { return nil }
            return 100 - u10 + fwa
        case 30: return la.percent(.sfbb, row: row)
        case 100: return la.percent(.ufbb100, row: row)
        case 300: return la.percent(.ufbb300, row: row)
        case 1000: return la.percent(.gigabit, row: row)
        default: return nil
        }
    }

    static func authorityCheck(_ r: RunResult) -> [RunSummary.AuthorityCheck]? {
        guard let la = r.inputs.observedData?.authorities else { return nil }
        var rows: [RunSummary.AuthorityCheck] = []
        for st in r.baseline.statistics {
            guard let row = la.row(st.code), st.households > 0 else { continue }
            for tier in r.scenario.model.tiers.tiers {
                guard let published = publishedShare(la, row: row, mbps: tier.mbps) else { continue }
                let run = (st.state.householdsByTier[tier.name] ?? 0) / st.households
                rows.append(RunSummary.AuthorityCheck(code: st.code, tier: tier.name, publishedShare: published / 100,
                                                      runShare: run, differencePP: (run * 100 - published)))
            }
        }
        return rows
    }

    /// Per planned authority: households by speed source, BDUK class and scope.
    static func authorities(_ r: RunResult) -> [RunSummary.AuthorityObserved]? {
        guard let o = r.inputs.observed else { return nil }
        var slot = [Int](repeating: -1, count: r.inputs.authorities.count)
        for (k, a) in r.inputs.selected.enumerated() { slot[a] = k }
        let count = r.inputs.selected.count
        var bySource = [[Double]](repeating: [Double](repeating: 0, count: SpeedSource.allCases.count), count: count)
        var byClass = [[Double]](repeating: [Double](repeating: 0, count: GigabitClass.allCases.count), count: count)
        var byScope = [[String: Double]](repeating: [:], count: count)
        let c = o.classification
        let h = r.inputs.premises.households
        let scope = r.rollout?.scope
        for i in 0..<c.count {
            let a = Int(c.authority[i])
            guard a >= 0, slot[a] >= 0 else { continue }
            let k = slot[a]
            bySource[k][Int(o.speedSource[i].rawValue)] += h[i]
            byClass[k][Int(o.gigabitClass[i].rawValue)] += h[i]
            if let scope {
                let d = scope.decision[i], reason = scope.reason[i]
                let key = reason == .none ? d.name : "\(d.name):\(reason.name)"
                byScope[k][key, default: 0] += h[i]
            }
        }
        let hasBDUK = r.inputs.observedData?.bduk != nil && r.inputs.observedData?.bdukUse == .baseline
        let scopeKeys: [String] = ScopeDecision.allCases.filter { $0 != .none }.flatMap { d -> [String] in
            d == .inScope ? [d.name] : ScopeReason.allCases.filter { $0 != .none }.map { "\(d.name):\($0.name)" }
        }
        return (0..<count).map { k in
            RunSummary.AuthorityObserved(
                speedSourceHouseholds: OrderedMap(SpeedSource.allCases.map { ($0.name, bySource[k][Int($0.rawValue)]) }),
                gigabitClassHouseholds: hasBDUK ? OrderedMap(GigabitClass.allCases.map { ($0.name, byClass[k][Int($0.rawValue)]) }) : nil,
                scopeHouseholds: scope == nil ? nil : OrderedMap(scopeKeys.compactMap { key in byScope[k][key].map { (key, $0) } }))
        }
    }

    /// The run's warnings, one line each (also on stderr and in the HTML report).
    static func warnings(_ r: RunResult) -> [String]? {
        guard r.inputs.observed != nil else { return nil }
        var lines: [String] = []
        if let served = r.rollout?.alreadyServed, served.premises > 0, let target = r.rollout?.targetTier {
            let noun = r.scenario.premises.kind.noun
            lines.append("\(served.buildAreas) of the \(r.rollout?.builtCount ?? 0) build areas selected hold \(Format.count(Double(served.premises))) \(noun.form(for: served.premises)) (\(Format.count(served.households)) households) that observed data already puts at or above \(target.name) (\(Int(target.mbps)) Mbit/s): check them before buying them (summary.json observed.already_served)")
        }
        return lines
    }
}

extension RunResult {
    /// The run's warnings (with observed data), as summary.json lists them.
    public var warnings: [String] { ObservedSummary.warnings(self) ?? [] }
}
