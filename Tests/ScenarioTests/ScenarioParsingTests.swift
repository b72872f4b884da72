import Foundation
import Testing
import TestSupport
@testable import Scenario
@testable import Coverage

/// Writes scenario text into a temporary folder next to copies of nothing: paths point at the
/// repo's GeoData by absolute path.
func writeScenario(_ text: String, name: String = "s.yaml", in dir: URL? = nil) throws -> String {
    let folder = dir ?? TestPaths.temporaryDirectory("scenario")
    let path = folder.appendingPathComponent(name).path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

let geo = TestPaths.repo("GeoData")

/// A minimal valid scenario on the Cumbria sample.
func cumbriaScenario(extra: String = "", rollout: String = "") -> String {
    """
    name: Test scenario
    authorities:
      source: \(geo)/boundaries/cumbria.gpkg
      code: LAD_CD
      name: LAD_NM
    premises:
      source: \(geo)/premises/cumbria-postcodes.csv
      x: easting
      y: northing
      crs: EPSG:27700
      households: households_est
    networks:
      - name: FTTC
        operator: Openreach
        technology: fttc
        source: \(geo)/network/cumbria-cabinets.csv
        x: easting
        y: northing
        crs: EPSG:27700
    \(extra)
    \(rollout)
    """
}

@Suite("Scenario files")
struct ScenarioParsingTests {
    @Test func examplesParseWithTheirDefaults() throws {
        let s = try ScenarioFile.load(path: TestPaths.repo("Scenarios/greater-manchester-gigabit.yaml"))
        #expect(s.name == "Greater Manchester gigabit gap-fill")
        #expect(s.crs.epsg == 27700)
        #expect(s.networks.count == 3)                      // from the parent via extends
        #expect(s.networks[2].source.path.hasSuffix("GeoData/network/greater-manchester-altnet-b.geojson"))
        #expect(s.model.routeFactor == 1.3)
        #expect(s.model.tiers.names == ["decent", "superfast", "ultrafast", "gigabit"])
        let r = try #require(s.rollout)
        #expect(r.targetTier == "gigabit")
        #expect(r.eligible == [.white, .grey])
        #expect(r.years.map(\.year) == [2027, 2028])
        #expect(r.fttp?.perKmGBP == 40000)
        #expect(r.subsidy?.arpuGBPMonth == 35)
        #expect(s.uncertainty == UncertaintySettings(runs: 200, costSpread: 0.2, seed: 7))
        let base = try ScenarioFile.load(path: TestPaths.repo("Scenarios/cumbria-baseline.yaml"))
        #expect(base.rollout == nil)
        #expect(base.coverage.tiers == ["decent", "superfast", "gigabit"])
        #expect(base.networks[1].radius == .column("radius_m"))
    }

    @Test func defaultsWhereTheFileIsSilent() throws {
        let s = try ScenarioFile.load(path: try writeScenario(cumbriaScenario()))
        #expect(s.model.ngaThresholdMbps == 30)
        #expect(s.model.curve == .vdsl2Default)
        #expect(s.coverage == CoverageSettings(tiers: ["superfast", "gigabit"], quadrantSegments: 8))
        #expect(s.outputs.formats == [.gpkg, .geojson, .csv, .html])
        #expect(s.outputs.dir == nil)
        #expect(s.premises.idField == nil)
    }

    @Test func mbtilesIsAFormat() throws {
        let s = try ScenarioFile.load(path: try writeScenario(cumbriaScenario(extra: "outputs:\n  formats: [gpkg, mbtiles]")))
        #expect(s.outputs.formats == [.gpkg, .mbtiles])
    }

    /// (scenario fragment, text the message must contain, ":line:" — the fragment starts on
    /// line 20 of `cumbriaScenario`)
    static let badFragments: [(String, String, String)] = [
        ("fttc:\n  route_factr: 1.2", "unknown key 'route_factr' in fttc; did you mean 'route_factor'?", ":21:"),
        ("tiers_mbps: { superfast: -5 }", "tiers_mbps.superfast: must be a positive speed", ":20:"),
        ("fttc:\n  speed_curve_m_mbps: [[0, 10], [100, 20]]", "must not rise with line length", ":21:"),
        ("fttc:\n  speed_curve_m_mbps: [[0, 10], [100, -2]]", "negative", ":21:"),
        ("coverage:\n  tiers: [superfast, hyperfast]", "'hyperfast' is not a tier", ":21:"),
        ("nga_threshold_mbps: fast", "'fast' is not a number", ":20:"),
        ("outputs:\n  formats: [gpkg, pdf]", "unknown format 'pdf'", ":21:"),
        ("colour: blue", "unknown key 'colour'", ":20:"),
    ]

    @Test("bad keys and values name the file and line", arguments: badFragments)
    func badInput(fragment: String, message: String, line: String) throws {
        let path = try writeScenario(cumbriaScenario(extra: fragment))
        do {
            _ = try ScenarioFile.load(path: path)
            Issue.record("accepted: \(fragment)")
        } catch let e as ScenarioError {
            #expect(e.description.contains(message), "\(e)")
            #expect(e.description.hasPrefix(path + line), "\(e)")
            #expect(e.isBadInput)
        }
    }

    static let rolloutBase = """
        rollout:
          target_tier: superfast
          options:
            fttp: { per_area_gbp: 1000, per_premises_gbp: 500, per_km_gbp: 20000 }
        """

    static let badRollouts: [(String, String)] = [
        ("rollout:\n  target_tier: hyperfast\n  options:\n    fttp: { per_area_gbp: 1, per_premises_gbp: 1, per_km_gbp: 1 }", "'hyperfast' is not a tier"),
        ("rollout:\n  target_tier: superfast\n  strategy: cheapest\n  options:\n    fttp: { per_area_gbp: 1, per_premises_gbp: 1, per_km_gbp: 1 }", "unknown strategy 'cheapest'"),
        ("rollout:\n  target_tier: superfast\n  budget_gbp: -5\n  options:\n    fttp: { per_area_gbp: 1, per_premises_gbp: 1, per_km_gbp: 1 }", "rollout.budget_gbp: must not be negative"),
        ("rollout:\n  target_tier: superfast\n  budget_gbp: lots\n  options:\n    fttp: { per_area_gbp: 1, per_premises_gbp: 1, per_km_gbp: 1 }", "'lots' is not a number"),
        ("rollout:\n  target_tier: superfast\n  options:\n    fttp: { per_area_gbp: -1, per_premises_gbp: 1, per_km_gbp: 1 }", "per_area_gbp: must not be negative"),
        ("rollout:\n  target_tier: superfast\n  options: {}", "needs at least one option"),
        ("rollout:\n  target_tier: superfast\n  strategy: coverage_target\n  options:\n    fttp: { per_area_gbp: 1, per_premises_gbp: 1, per_km_gbp: 1 }", "needs target_share"),
        ("rollout:\n  target_tier: superfast\n  years: [{ year: 2028 }, { year: 2027 }]\n  options:\n    fttp: { per_area_gbp: 1, per_premises_gbp: 1, per_km_gbp: 1 }", "years must increase"),
        ("rollout:\n  target_tier: superfast\n  take_up_curve: [0.5, 0.3]\n  options:\n    fttp: { per_area_gbp: 1, per_premises_gbp: 1, per_km_gbp: 1 }", "must not fall"),
        ("rollout:\n  target_tier: superfast\n  eligible: [pink]\n  options:\n    fttp: { per_area_gbp: 1, per_premises_gbp: 1, per_km_gbp: 1 }", "'pink' is not an NGA class"),
    ]

    @Test("bad rollout values are rejected", arguments: badRollouts)
    func badRollout(fragment: String, message: String) throws {
        let path = try writeScenario(cumbriaScenario(rollout: fragment))
        #expect {
            _ = try ScenarioFile.load(path: path)
        } throws: { error in
            guard let e = error as? ScenarioError else { return false }
            return e.description.contains(message) && e.line > 0
        }
    }

    /// The short form `fibre_nodes: PATH` reads easting/northing columns from a delimited text
    /// file and point geometry from anything else, by the one rule `VectorSource.isDelimitedText`
    /// (before, `nodes.txt.gz` was read as a GDAL point layer and failed asking for x and y,
    /// which the short form cannot give).
    @Test("fibre_nodes short form: delimited text by extension", arguments: [
        ("nodes.csv", true), ("nodes.CSV.GZ", true), ("nodes.txt.gz", true), ("nodes.txt", true),
        ("nodes.tsv", true), ("nodes.tsv.gz", true), ("nodes.gpkg", false), ("nodes.geojson.gz", false),
        ("nodes.csv.zip", false),
    ])
    func fibreNodesShortForm(name: String, delimited: Bool) throws {
        let path = try writeScenario(cumbriaScenario(rollout: Self.rolloutBase + "\n  fibre_nodes: \(name)"))
        let nodes = try #require(try ScenarioFile.load(path: path).rollout?.fibreNodes)
        #expect(nodes.x == (delimited ? "easting" : nil))
        #expect(nodes.y == (delimited ? "northing" : nil))
        #expect(nodes.path.hasSuffix("/" + name))
    }

    @Test func extendsOverridesAndResolvesPathsAgainstTheParent() throws {
        let dir = TestPaths.temporaryDirectory("extends")
        let sub = dir.appendingPathComponent("sub")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        _ = try writeScenario(cumbriaScenario(extra: "fttc:\n  route_factor: 1.5\nnga_threshold_mbps: 24"), name: "parent.yaml", in: dir)
        let child = try writeScenario("""
            extends: ../parent.yaml
            name: Child
            fttc:
              route_factor: 1.2
            outputs:
              dir: results
            """, name: "child.yaml", in: sub)
        let s = try ScenarioFile.load(path: child)
        #expect(s.name == "Child")
        #expect(s.model.routeFactor == 1.2)               // overridden
        #expect(s.model.ngaThresholdMbps == 24)           // inherited
        #expect(s.outputs.dir == sub.appendingPathComponent("results").standardizedFileURL.path) // child's folder
    }

    @Test func extendsCyclesAndMissingParentsAreErrors() throws {
        let dir = TestPaths.temporaryDirectory("cycle")
        _ = try writeScenario("extends: b.yaml\nname: A", name: "a.yaml", in: dir)
        let b = try writeScenario("extends: a.yaml\nname: B", name: "b.yaml", in: dir)
        #expect { try ScenarioFile.load(path: b) } throws: { ($0 as? ScenarioError)?.message.contains("cycle") == true }
        let orphan = try writeScenario("extends: nowhere.yaml\nname: O", name: "o.yaml", in: dir)
        #expect { try ScenarioFile.load(path: orphan) } throws: { e in
            guard let e = e as? ScenarioError else { return false }
            return e.message.contains("not found") && e.line == 1
        }
    }

    @Test func sweepExpandsToNamedVariants() throws {
        let text = cumbriaScenario(extra: """
            sweep:
              rollout.budget_gbp: [1000000, 2000000, 4000000]
              rollout.strategy: [least_cost_per_household, authority_priority]
            """, rollout: Self.rolloutBase + "\n  authority_order: [E06000064]")
        let variants = try ScenarioFile.variants(path: try writeScenario(text))
        #expect(variants.count == 6)
        #expect(variants.map { $0.rollout?.budgetGBP } == [1e6, 1e6, 2e6, 2e6, 4e6, 4e6])
        #expect(variants[1].rollout?.strategy == .authorityPriority)
        #expect(variants[0].name == "Test scenario [budget_gbp=1000000, strategy=least_cost_per_household]")
        #expect(Set(variants.map(\.safeName)).count == 6)
        #expect(variants.allSatisfy { $0.sweep.isEmpty })
    }

    @Test func sweepOverAKeyThatDoesNotExistNamesTheSweepLine() throws {
        let text = cumbriaScenario(extra: "sweep:\n  rollout.budjet_gbp: [1, 2]", rollout: Self.rolloutBase)
        let path = try writeScenario(text)
        #expect { try ScenarioFile.variants(path: path) } throws: { e in
            guard let e = e as? ScenarioError else { return false }
            return e.message.contains("unknown key 'budjet_gbp'") && e.message.contains("did you mean 'budget_gbp'") && e.line == 21
        }
    }

    @Test func safeNamesHaveNoSeparatorsOrDots() {
        #expect(Scenario.safeFileName("../../etc/passwd") == "etc-passwd")
        #expect(Scenario.safeFileName("GM: £8m / year [x=1]") == "gm-8m-year-x-1")
        #expect(Scenario.safeFileName("..") == "scenario")
        #expect(Scenario.safeFileName("a\u{0}b") == "a-b")
    }
}

@Suite("YAML limits")
struct YAMLLimitTests {
    @Test func aliasBombIsRefused() {
        var text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        let names = "bcdefghijk".map(String.init)
        var previous = "a"
        for n in names {
            text += "\(n): &\(n) [*\(previous), *\(previous), *\(previous), *\(previous), *\(previous), *\(previous), *\(previous), *\(previous), *\(previous), *\(previous)]\n"
            previous = n
        }
        #expect { try YAMLNode.parse(text, file: "bomb.yaml") } throws: { ($0 as? ScenarioError)?.message.contains("expands to more than") == true }
    }

    @Test func deepNestingIsRefusedBeforeParsing() {
        let flow = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect { try YAMLNode.parse("a: " + flow, file: "deep.yaml") } throws: { ($0 as? ScenarioError)?.message.contains("nesting deeper") == true }
        var block = ""
        for i in 0..<100 { block += String(repeating: " ", count: i) + "k\(i):\n" }
        #expect { try YAMLNode.parse(block, file: "deep.yaml") } throws: { ($0 as? ScenarioError)?.message.contains("nesting deeper") == true }
    }

    @Test func hugeScalarsAndFilesAreRefused() throws {
        let big = "a: " + String(repeating: "x", count: 70_000)
        #expect { try YAMLNode.parse(big, file: "big.yaml") } throws: { ($0 as? ScenarioError)?.message.contains("longer than") == true }
        let path = TestPaths.temporaryDirectory("huge").appendingPathComponent("huge.yaml").path
        try String(repeating: "# padding\n", count: 120_000).write(toFile: path, atomically: true, encoding: .utf8)
        #expect { try YAMLNode.load(path: path) } throws: { ($0 as? ScenarioError)?.message.contains("limited to") == true }
    }

    @Test func duplicateKeysAndSyntaxErrorsNameTheLine() {
        #expect { try YAMLNode.parse("a: 1\nb: 2\na: 3\n", file: "d.yaml") } throws: { e in
            guard let e = e as? ScenarioError else { return false }
            return e.line == 3 && e.message.contains("appears twice")
        }
        #expect { try YAMLNode.parse("a: [1, 2\nb: 3\n", file: "s.yaml") } throws: { e in
            guard let e = e as? ScenarioError else { return false }
            return e.line > 0 && e.message.contains("not valid YAML")
        }
    }

    @Test func ordinaryAliasesStillWork() throws {
        let tree = try YAMLNode.parse("base: &b { x: 1 }\nother: *b\n", file: "ok.yaml")
        #expect(tree["other"]?["x"]?.scalar == "1")
    }
}
