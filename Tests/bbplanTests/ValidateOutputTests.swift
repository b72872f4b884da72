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
        // The example has no outputs.dir: run and coverage default to out/<name> in the working folder.
        let cwd = FileManager.default.currentDirectoryPath
        #expect(lines.contains("  outputs: bbplan run and coverage write to \(cwd)/out/cumbria-baseline (the default, out/<name> in the current folder)"),
                "\(result.stdout)")
        #expect(lines.contains("           bbplan batch writes to DIR/cumbria-baseline, DIR being the batch's --out (default out/batch)"))
        // 19,445 rows in GeoData/premises/cumbria-postcodes.csv (GeoData/README.md), kind: postcodes.
        #expect(lines.contains { $0.hasPrefix("  premises: 19445 postcodes, ") }, "\(result.stdout)")
    }

    @Test func outputsDirAndOutAreNamedAsTheOrigin() throws {
        let dir = TestPaths.temporaryDirectory("validate-outputs-dir")
        let path = dir.appendingPathComponent("with-dir.yaml").path
        try "extends: \(TestPaths.repo("Scenarios/cumbria-baseline.yaml"))\noutputs: { dir: results/here }\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        let viaDir = try BBPlanBinary.run(["validate", path])
        #expect(viaDir.status == 0, "\(viaDir.stderr)")
        // outputs.dir is relative to the scenario file's folder.
        #expect(viaDir.stdout.contains("  outputs: bbplan run and coverage write to \(dir.path)/results/here (outputs.dir; --out overrides it)"),
                "\(viaDir.stdout)")
        #expect(viaDir.stdout.contains("DIR being the batch's --out (default out/batch); a batch does not use outputs.dir"))
        let out = dir.appendingPathComponent("elsewhere").path
        let viaOut = try BBPlanBinary.run(["validate", path, "--out", out])
        #expect(viaOut.status == 0, "\(viaOut.stderr)")
        #expect(viaOut.stdout.contains("  outputs: bbplan run and coverage write to \(out) (--out)"), "\(viaOut.stdout)")
    }

    @Test func aSweepNamesTheBatchFoldersNotOutputsDir() throws {
        let result = try BBPlanBinary.run(["validate", TestPaths.repo("Scenarios/north-west-batch/cumbria-superfast-sweep.yaml")])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains("  sweep: 4 variants"))
        // "Cumbria superfast [budget_gbp=4000000, strategy=least_cost_per_household]", made file-safe.
        #expect(lines.contains("    cumbria-superfast-budget-gbp-4000000-strategy-least-cost-per-household"))
        #expect(lines.last == "  outputs: bbplan batch writes each variant to DIR/<its name above>, DIR being the batch's --out (default out/batch)")
        // The folder the parent's outputs.dir names is not offered: batch would not use it.
        #expect(!result.stdout.contains("out/cumbria-superfast"), "\(result.stdout)")
    }

    @Test func theBatchDefaultFolderIsTheOneBatchUses() throws {
        // `batch` is a command group; its default subcommand `run` has the options.
        let help = try BBPlanBinary.run(["batch", "run", "--help"])
        #expect(help.stdout.contains("(default: out/batch)"), "\(help.stdout)")
    }
}
