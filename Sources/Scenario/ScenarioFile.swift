import Foundation

/// Reads scenario files: follows `extends`, validates, and expands `sweep` into variants.
public enum ScenarioFile {
    /// Parents deeper than this are refused (a chain that long is a mistake).
    static let maxExtendsDepth = 16
    /// Variants one sweep may expand to (docs/RELIABILITY.md).
    public static let maxVariants = 1000

    /// The scenario in `path`, with its parents applied (sweep not expanded).
    public static func load(path: String) throws -> Scenario {
        let file = URL(fileURLWithPath: path).standardizedFileURL.path
        let tree = try resolvedTree(file: file, chain: [])
        return try ScenarioParser.parse(tree, file: file)
    }

    /// Parses scenario text with no file behind it (paths resolve against `file`'s folder).
    /// `extends` is refused here, since there is no file to read the parent from.
    public static func parse(text: String, file: String) throws -> Scenario {
        let tree = try YAMLNode.parse(text, file: file)
        guard tree.mapping != nil else {
            throw ScenarioError(file: file, line: tree.line, "a scenario must be a mapping of keys to values")
        }
        if let node = tree["extends"] {
            throw ScenarioError(file: file, line: node.line, "extends: needs a scenario file on disk")
        }
        return try ScenarioParser.parse(tree, file: file)
    }

    /// The scenario's variants: one per combination of sweep values, or the scenario itself.
    public static func variants(path: String) throws -> [Scenario] {
        let base = try load(path: path)
        return try expand(base)
    }

    /// The YAML tree of `file` with every `extends` parent laid underneath.
    static func resolvedTree(file: String, chain: [String]) throws -> YAMLNode {
        let tree = try YAMLNode.load(path: file)
        guard tree.mapping != nil else {
            throw ScenarioError(file: file, line: tree.line, "a scenario must be a mapping of keys to values")
        }
        guard let parentNode = tree["extends"] else { return tree }
        guard let parent = parentNode.scalar, !parent.isEmpty else {
            throw ScenarioError(file: file, line: parentNode.line, "extends: must be the path of another scenario file")
        }
        let parentFile = ScenarioParser.resolve(parent, relativeTo: file)
        if parentFile == file || chain.contains(parentFile) {
            let cycle = (chain + [file, parentFile]).map { URL(fileURLWithPath: $0).lastPathComponent }
            throw ScenarioError(file: file, line: parentNode.line, "extends: cycle \(cycle.joined(separator: " -> "))")
        }
        guard chain.count < maxExtendsDepth else {
            throw ScenarioError(file: file, line: parentNode.line, "extends: more than \(maxExtendsDepth) parents deep")
        }
        guard FileManager.default.fileExists(atPath: parentFile) else {
            throw ScenarioError(file: file, line: parentNode.line, "extends: parent scenario '\(parent)' not found")
        }
        let base = try resolvedTree(file: parentFile, chain: chain + [file])
        return base.removing("extends").overlaid(with: tree.removing("extends"))
    }

    /// One scenario per combination of the sweep's values (cartesian product, in the order
    /// the keys and values are written). Variant names append "key=value" pairs.
    public static func expand(_ scenario: Scenario) throws -> [Scenario] {
        guard !scenario.sweep.isEmpty else { return [scenario] }
        // The count is the product of the list lengths: checked before any variant is built,
        // since building them first is what a small file multiplies into gigabytes.
        var count = 1
        for axis in scenario.sweep {
            let (product, overflow) = count.multipliedReportingOverflow(by: axis.values.count)
            guard !overflow, product <= maxVariants else {
                let lengths = scenario.sweep.map { String($0.values.count) }.joined(separator: " × ")
                throw ScenarioError(file: scenario.file, line: scenario.sweep[0].line,
                                    "the sweep expands to \(lengths) variants, more than \(maxVariants)")
            }
            count = product
        }
        var combos: [[(SweepAxis, YAMLNode)]] = [[]]
        for axis in scenario.sweep {
            combos = combos.flatMap { prefix in axis.values.map { prefix + [(axis, $0)] } }
        }
        var names: Set<String> = []
        return try combos.map { combo in
            var tree = scenario.settings
            for (axis, value) in combo {
                tree = try set(tree, path: axis.keyPath.split(separator: ".").map(String.init), to: value, axis: axis, file: scenario.file)
            }
            // Values may be paths; the label only names the variant, so separators become '_'.
            let pairs: [String] = combo.map { axis, value in
                let key = axis.keyPath.split(separator: ".").last.map(String.init) ?? ""
                return "\(key)=\(value)"
            }
            let label = String(pairs.joined(separator: ", ").map { c -> Character in
                c == "/" || c == "\\" || c.isNewline ? "_" : c
            })
            let name = "\(scenario.name) [\(label)]"
            tree = tree.overlaid(with: YAMLNode(.mapping([("name", scenario.settings.line, YAMLNode(.scalar(name, plain: false), file: scenario.file, line: scenario.settings.line))]), file: tree.file, line: tree.line))
            var variant = try ScenarioParser.parse(tree, file: scenario.file)
            variant.variant = combo.map { ($0.0.keyPath, $0.1.description) }
            variant.sweep = []
            guard names.insert(variant.safeName).inserted else {
                throw ScenarioError(file: scenario.file, line: combo.first?.0.line ?? 0, "two sweep variants would have the same name '\(variant.safeName)'")
            }
            return variant
        }
    }

    /// `tree` with the value at a dotted key path replaced (mappings created as needed).
    static func set(_ tree: YAMLNode, path: [String], to value: YAMLNode, axis: SweepAxis, file: String) throws -> YAMLNode {
        guard let key = path.first else { return value }
        guard !key.isEmpty, var pairs = tree.mapping else {
            throw ScenarioError(file: file, line: axis.line, "sweep: '\(axis.keyPath)' does not lead through mappings of keys")
        }
        if let i = pairs.firstIndex(where: { $0.key == key }) {
            pairs[i].value = try set(pairs[i].value, path: Array(path.dropFirst()), to: value, axis: axis, file: file)
        } else {
            // A key not in the file yet: create it. Schema validation then rejects keys that do
            // not exist at all, naming the sweep's line.
            let empty = YAMLNode(.mapping([]), file: file, line: axis.line)
            pairs.append((key, axis.line, try set(empty, path: Array(path.dropFirst()), to: value, axis: axis, file: file)))
        }
        return YAMLNode(.mapping(pairs), file: tree.file, line: tree.line)
    }
}
