import Foundation
import Testing
import TestSupport

/// What `bbplan validate` prints: the points by their kind, and where each command would write
/// (run and coverage use outputs.dir; a batch always its own folder).
@Suite("bbplan validate output")
struct ValidateOutputTests {
    @Test func aSingleScenarioStatesBothOutputFolders() throws {
        let result = try BBPlanBinary.run(["validate", TestPaths.repo("Scenarios/cumbria-baseline.yaml")])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        // outputs.dir is ../out/cumbria-baseline, relative to the scenario file.
        #expect(lines.contains("  outputs: bbplan run and coverage write to \(TestPaths.repo("out/cumbria-baseline")) (outputs.dir; --out overrides it)"),
                "\(result.stdout)")
        #expect(lines.contains("           bbplan batch writes to DIR/cumbria-baseline, DIR being the batch's --out (default out/batch); a batch does not use outputs.dir"))
        // 19,445 rows in GeoData/premises/cumbria-postcodes.csv (GeoData/README.md), kind: postcodes.
        #expect(lines.contains { $0.hasPrefix("  premises: 19445 postcodes, ") }, "\(result.stdout)")
    }

    @Test func aSweepNamesTheBatchFoldersNotOutputsDir() throws {
        let result = try BBPlanBinary.run(["validate", TestPaths.repo("Scenarios/north-west-batch/cumbria-superfast-sweep.yaml")])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains("  sweep: 4 variants"))
        // "Cumbria superfast [budget_gbp=4000000, strategy=least_cost_per_household]", made file-safe.
        #expect(lines.contains("    cumbria-superfast-budget-gbp-4000000-strategy-least-cost-per-household"))
        #expect(lines.last == "  outputs: bbplan batch writes each variant to DIR/<its name above>, DIR being the batch's --out (default out/batch); a batch does not use outputs.dir")
        // The folder the parent's outputs.dir names is not offered: batch would not use it.
        #expect(!result.stdout.contains("out/cumbria-superfast"), "\(result.stdout)")
    }

    @Test func theBatchDefaultFolderIsTheOneBatchUses() throws {
        let help = try BBPlanBinary.run(["batch", "--help"])
        #expect(help.stdout.contains("(default: out/batch)"), "\(help.stdout)")
    }
}
