import Foundation
import Testing
import TestSupport
@testable import Coverage
@testable import Scenario

/// The first error a planner sees names the real mistake: an unknown key before the missing or
/// invalid values it causes, at every level; a list's bad item by its position.
@Suite("Scenario messages")
struct ScenarioMessageTests {
    /// The error `ScenarioFile.variants` gives for `text`, or nil when it is accepted.
    static func error(_ text: String) throws -> ScenarioError? {
        let path = try writeScenario(text)
        do {
            _ = try ScenarioFile.variants(path: path)
            return nil
        } catch let e as ScenarioError {
            return e
        }
    }

    /// Line numbers of `cumbriaScenario`: its `extra` fragment starts on line 20, its `rollout`
    /// on line 21 when `extra` is one line.
    static let options = "  options:\n    fttp: { per_area_gbp: 1, per_premises_gbp: 1, per_km_gbp: 1 }"

    // MARK: - Unknown keys first (issue 15, item 1)

    /// (change to `cumbriaScenario`: find, replace; expected message; line). Every case also
    /// leaves a required key missing or a value invalid in the same mapping, which was
    /// reported instead of the misspelling.
    static let misspeltBeforeMissing: [(String, String, String, Int)] = [
        ("technology: fttc", "technolgy: fttc", "unknown key 'technolgy' in networks[0]; did you mean 'technology'?", 15),
        ("  code: LAD_CD", "  cod: LAD_CD", "unknown key 'cod' in authorities; did you mean 'code'?", 4),
        ("  source: \(geo)/premises", "  sorce: \(geo)/premises", "unknown key 'sorce' in premises; did you mean 'source'?", 7),
        ("authorities:", "authorites:", "unknown key 'authorites'; did you mean 'authorities'?", 2),
    ]

    @Test("a misspelt key is reported, not the key it leaves missing", arguments: misspeltBeforeMissing)
    func misspeltNotMissing(find: String, replace: String, message: String, line: Int) throws {
        let text = cumbriaScenario().replacingOccurrences(of: find, with: replace)
        let e = try #require(try Self.error(text))
        #expect(e.message == message)
        #expect(e.line == line)
        #expect(e.isBadInput)
    }

    /// (fragment at line 20, expected message, line): an unknown key in a mapping that also
    /// holds an invalid or missing value, at each nesting level.
    static let unknownBeforeInvalid: [(String, String, Int)] = [
        ("fttc:\n  route_factor: 0.5\n  speed_curv_m_mbps: [[0, 80]]", "unknown key 'speed_curv_m_mbps' in fttc; did you mean 'speed_curve_m_mbps'?", 22),
        ("coverage:\n  tiers: [hyperfast]\n  quadrant_segs: 8", "unknown key 'quadrant_segs' in coverage; did you mean 'quadrant_segments'?", 22),
        ("uncertainty:\n  runs: 0\n  cost_sprd: 0.1", "unknown key 'cost_sprd' in uncertainty; did you mean 'cost_spread'?", 22),
        ("outputs:\n  formats: [pdf]\n  premises_layr: true", "unknown key 'premises_layr' in outputs; did you mean 'premises_layer'?", 22),
        ("rollout:\n  target_teir: superfast\n" + options, "unknown key 'target_teir' in rollout; did you mean 'target_tier'?", 21),
        ("rollout:\n  target_tier: superfast\n  optins:\n    fttp: {}", "unknown key 'optins' in rollout; did you mean 'options'?", 22),
        ("rollout:\n  target_tier: superfast\n  options:\n    fttp: { per_are_gbp: 1, per_premises_gbp: 1, per_km_gbp: 1 }",
         "unknown key 'per_are_gbp' in rollout.options.fttp; did you mean 'per_area_gbp'?", 23),
        ("rollout:\n  target_tier: superfast\n  options:\n    fwa: { per_mast_gpb: 1, per_premises_gbp: -1 }",
         "unknown key 'per_mast_gpb' in rollout.options.fwa; did you mean 'per_mast_gbp'?", 23),
        ("rollout:\n  target_tier: superfast\n  options:\n    fttc: {}", "unknown key 'fttc' in rollout.options; did you mean 'fttp'?", 23),
        ("rollout:\n  target_tier: superfast\n  years:\n    - { year: 2027 }\n    - { yeer: 2026 }\n" + options,
         "unknown key 'yeer' in rollout.years[1]; did you mean 'year'?", 24),
        ("rollout:\n  target_tier: superfast\n  subsidy: { arpu_gbp_mnth: 35, take_up: 2 }\n" + options,
         "unknown key 'arpu_gbp_mnth' in rollout.subsidy; did you mean 'arpu_gbp_month'?", 22),
        ("rollout:\n  target_tier: superfast\n  fibre_nodes: { sorce: x.csv }\n" + options,
         "unknown key 'sorce' in rollout.fibre_nodes; did you mean 'source'?", 22),
    ]

    @Test("unknown keys come before invalid and missing values at every level", arguments: unknownBeforeInvalid)
    func unknownFirst(fragment: String, message: String, line: Int) throws {
        let e = try #require(try Self.error(cumbriaScenario(extra: fragment)))
        #expect(e.message == message)
        #expect(e.line == line)
    }

    static let rollout = "rollout:\n  target_tier: superfast\n" + options

    /// (sweep key path, expected message): a path into a list item or through a misspelt
    /// nested key reads like an unknown key anywhere else, at the sweep's line.
    static let badSweepPaths: [(String, String)] = [
        ("rollout.budjet_gbp", "unknown key 'budjet_gbp' in rollout; did you mean 'budget_gbp'?"),
        ("rollout.optons.fttp.per_km_gbp", "unknown key 'optons' in rollout; did you mean 'options'?"),
        ("rollout.options.fttp.per_km_gbq", "unknown key 'per_km_gbq' in rollout.options.fttp; did you mean 'per_km_gbp'?"),
        ("rolout.budget_gbp", "unknown key 'rolout'; did you mean 'rollout'?"),
        ("networks.0.down_mbps", "sweep: 'networks.0.down_mbps' goes into an item of the list networks; key paths go through mappings only, so sweep the whole list instead"),
        ("networks[0].down_mbps", "sweep: 'networks[0].down_mbps' goes into an item of the list networks; key paths go through mappings only, so sweep the whole list instead"),
        ("rollout.years.budget_gbp", "sweep: 'rollout.years.budget_gbp' goes into an item of the list rollout.years; key paths go through mappings only, so sweep the whole list instead"),
        ("rollout.budget_gbp.max", "sweep: 'rollout.budget_gbp.max': rollout.budget_gbp is a single value, not a mapping of keys"),
        ("extends", "sweep: 'extends' cannot be swept"),
    ]

    @Test("sweep key paths are checked like keys", arguments: badSweepPaths)
    func sweepPaths(keyPath: String, message: String) throws {
        let text = cumbriaScenario(extra: "sweep:\n  \(keyPath): [1, 2]", rollout: Self.rollout)
        let e = try #require(try Self.error(text))
        #expect(e.message == message)
        #expect(e.line == 21)
    }

    @Test func sweepPathsThatAreKeysAreAccepted() throws {
        for keyPath in ["rollout.budget_gbp", "rollout.options.fttp.per_km_gbp", "tiers_mbps.superfast", "fttc.route_factor"] {
            #expect(ScenarioKeys.problem(withSweepPath: keyPath) == nil, "\(keyPath)")
        }
        let text = cumbriaScenario(extra: "sweep:\n  rollout.options.fttp.per_km_gbp: [1, 2]", rollout: Self.rollout)
        #expect(try Self.error(text) == nil)
    }

    @Test func keysOnlyForOneTechnologyAreRefusedForTheOthers() throws {
        let text = cumbriaScenario().replacingOccurrences(of: "technology: fttc", with: "technology: fttc\n    radius_m: 500")
        let e = try #require(try Self.error(text))
        #expect(e.message == "networks[0].radius_m: is the reach of fwa masts; a fttc network has none")
        #expect(e.line == 16)
    }

    // MARK: - MappingReader

    @Test func finishReportsAListedKeyTheParserNeverRead() throws {
        let node = try YAMLNode.parse("a: 1\nb: 2\n", file: "m.yaml")
        var reader = try MappingReader(node, path: "block", keys: ["a", "b", "c"])
        _ = try reader.number("a")
        _ = try reader.number("b")
        // "c" is absent from the file, but the parser never asked for it: a parser bug.
        #expect { try reader.finish() } throws: { e in
            guard let e = e as? ScenarioError else { return false }
            return !e.isBadInput && e.message.contains("block.c")
        }
        _ = try reader.number("c")
        try reader.finish()
    }

    @Test func openMappingsMustReadEveryKeyPresent() throws {
        let node = try YAMLNode.parse("fast: 1\nslow: 2\n", file: "m.yaml")
        var reader = try MappingReader(node, path: "tiers_mbps", keys: nil)
        _ = try reader.number("fast")
        #expect(throws: ScenarioError.self) { try reader.finish() }
        _ = try reader.number("slow")
        try reader.finish()
    }

    @Test func everyKeyIsDocumented() throws {
        let docs = try String(contentsOfFile: TestPaths.repo("docs/SCENARIO.md"), encoding: .utf8)
        // Every word inside `code spans`: keys are written as `key`, `options.fttp` or
        // `{ year, budget_gbp, capacity_premises }`.
        let spans = docs.split(separator: "`", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
        let words = Set(spans.flatMap { $0.split { !($0.isLetter || $0.isNumber || $0 == "_") }.map(String.init) })
        let keys = Set(ScenarioKeys.mappings.values.joined()).union(ScenarioKeys.network).union(ScenarioKeys.year)
        for key in keys.sorted() {
            #expect(words.contains(key), "docs/SCENARIO.md does not name `\(key)`")
        }
    }

    // MARK: - List items by position (issue 15, item 2)

    /// (fragment at line 20, expected message, line).
    static let listItems: [(String, String, Int)] = [
        ("rollout:\n  target_tier: superfast\n  take_up_curve: [1.5, 1]\n" + options,
         "rollout.take_up_curve[0]: 1.5 is not a share between 0 and 1", 22),
        ("rollout:\n  target_tier: superfast\n  take_up_curve:\n    - 0.2\n    - 0.5\n    - 0.3\n" + options,
         "rollout.take_up_curve[2]: 0.3 is below the year before (0.5); take-up must not fall from one year to the next", 25),
        ("rollout:\n  target_tier: superfast\n  take_up_curve: [0.2, half]\n" + options,
         "rollout.take_up_curve[1]: 'half' is not a number", 22),
        ("rollout:\n  target_tier: superfast\n  eligible: [white, pink]\n" + options,
         "rollout.eligible[1]: 'pink' is not an NGA class (white, grey, black)", 22),
        ("rollout:\n  target_tier: superfast\n  eligible: pink\n" + options,
         "rollout.eligible: 'pink' is not an NGA class (white, grey, black)", 22),
        ("rollout:\n  target_tier: superfast\n  authority_order: [E06000063, [E06000064]]\n" + options,
         "rollout.authority_order[1]: must be a single value, not a list or mapping", 22),
        ("fttc:\n  speed_curve_m_mbps:\n    - [0, 10]\n    - [600, 20]", "fttc.speed_curve_m_mbps[1]: the speed must not rise with line length (20 Mbit/s after 10)", 23),
        ("fttc:\n  speed_curve_m_mbps:\n    - [0, 10]\n    - [0, 5]", "fttc.speed_curve_m_mbps[1]: the lengths must increase (0 m after 0 m)", 23),
        ("fttc:\n  speed_curve_m_mbps: [[0, 10], [100, 5], [200]]", "fttc.speed_curve_m_mbps[2]: each point is a [metres, Mbit/s] pair", 21),
        ("fttc:\n  speed_curve_m_mbps: [[0, 10], [far, 5]]", "fttc.speed_curve_m_mbps[1][0]: 'far' is not a number", 21),
        ("coverage:\n  tiers: [superfast, hyperfast]", "coverage.tiers[1]: 'hyperfast' is not a tier; tiers are: decent, superfast, ultrafast, gigabit (or all)", 21),
        ("outputs:\n  formats:\n    - gpkg\n    - pdf", "outputs.formats[1]: unknown format 'pdf'; formats are: gpkg, geojson, csv, html, mbtiles", 23),
        ("sweep:\n  rollout.budget_gbp: [1000, -5]", "sweep.rollout.budget_gbp[1]: rollout.budget_gbp: must not be negative", 21),
    ]

    @Test("a bad list item is named by its position", arguments: listItems)
    func listItem(fragment: String, message: String, line: Int) throws {
        let text = fragment.hasPrefix("sweep") ? cumbriaScenario(extra: fragment, rollout: Self.rollout) : cumbriaScenario(extra: fragment)
        let e = try #require(try Self.error(text))
        #expect(e.message == message)
        #expect(e.line == line)
    }

    @Test func aSweepValueThatFailsAloneIsNamedByPosition() throws {
        let text = cumbriaScenario(extra: "sweep:\n  rollout.budget_gbp: [1000]\n  rollout.strategy: [least_cost_per_household, coverage_target]",
                                   rollout: Self.rollout)
        let e = try #require(try Self.error(text))
        #expect(e.message == "sweep.rollout.strategy[1]: rollout: the coverage_target strategy needs target_share")
        #expect(e.line == 22)
    }

    @Test func aSweepCombinationThatFailsNamesTheVariant() throws {
        // Removing either option alone leaves the other; removing both leaves none.
        let rollout = Self.rollout + "\n    fwa: { per_mast_gbp: 1, per_premises_gbp: 1 }"
        let text = cumbriaScenario(extra: "sweep:\n  rollout.options.fttp: [~]\n  rollout.options.fwa: [~]", rollout: rollout)
        let e = try #require(try Self.error(text))
        #expect(e.message == "sweep variant [fttp=~, fwa=~]: rollout.options: needs at least one option: fttp or fwa")
    }

    @Test func listedCodesThatAreNotInTheDataAreNamedByPosition() throws {
        let text = cumbriaScenario().replacingOccurrences(of: "  name: LAD_NM", with: "  name: LAD_NM\n  only:\n    - E06000063\n    - E99999999")
        let scenario = try ScenarioFile.load(path: try writeScenario(text))
        #expect { try InputLoader.load(scenario) } throws: { e in
            guard let e = e as? ScenarioError else { return false }
            return e.message.hasPrefix("authorities.only[1]: no authority with code E99999999") && e.line == 8
        }
    }

    @Test func authorityOrderCodesThatAreNotPlannedAreNamedByPosition() throws {
        let text = cumbriaScenario(rollout: """
            rollout:
              target_tier: superfast
              strategy: authority_priority
              authority_order:
                - E06000064
                - E08000009
            \(Self.options)
            """)
        let scenario = try ScenarioFile.load(path: try writeScenario(text))
        let inputs = try InputLoader.load(scenario)
        let rollout = try #require(scenario.rollout)
        #expect { try Simulator.checkAuthorityOrder(rollout, scenario: scenario, inputs: inputs) } throws: { e in
            guard let e = e as? ScenarioError else { return false }
            return e.message == "rollout.authority_order[1]: E08000009 is not one of the planned authorities" && e.line == 26
        }
    }
}
