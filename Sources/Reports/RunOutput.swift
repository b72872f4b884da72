import Foundation
import OutputSafety
import Scenario

/// Where a scenario's outputs go, checked against the locations bbplan refuses
/// (docs/RELIABILITY.md): `--out` when given, else `outputs.dir` (which must stay inside the
/// scenario's folder unless `allowOutside`), else `out/<file-safe name>` in the working folder.
public enum RunOutput {
    public static func location(for scenario: Scenario, override: String?, allowOutside: Bool = false,
                                context: OutputLocation.Context = .current) throws -> OutputLocation {
        let protected = protectedPaths(scenario)
        if let override {
            return try OutputLocation.check(override, origin: .option("--out"), protecting: protected, context: context)
        }
        if let dir = scenario.outputs.dir, let node = scenario.settings["outputs"]?["dir"], let text = node.scalar {
            return try OutputLocation.check(dir, origin: .scenario(text: text, file: node.file, line: node.line),
                                            protecting: protected, allowOutside: allowOutside, context: context)
        }
        return try OutputLocation.check("out/" + scenario.safeName, origin: .automatic, protecting: protected, context: context)
    }

    /// The files an output folder must never be or hold: every input, and every scenario file
    /// the settings came from (the file itself and its `extends` parents).
    public static func protectedPaths(_ scenario: Scenario) -> [OutputLocation.Protected] {
        var files: Set<String> = [scenario.file]
        collectFiles(scenario.settings, into: &files)
        return files.sorted().map { OutputLocation.Protected(path: $0, role: .scenario) }
            + scenario.inputSources.map { OutputLocation.Protected(path: $0.path, role: .input) }
    }

    private static func collectFiles(_ node: YAMLNode, into files: inout Set<String>) {
        if !node.file.isEmpty { files.insert(node.file) }
        switch node.value {
        case .scalar: break
        case .mapping(let pairs): for pair in pairs { collectFiles(pair.value, into: &files) }
        case .sequence(let items): for item in items { collectFiles(item, into: &files) }
        }
    }
}
