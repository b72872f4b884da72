import Foundation
import GeoIO
import RunStore
import RunSummary
import Scenario

/// One variant of a batch: the scenario to run, where, and what identifies its results.
struct BatchVariant: Sendable {
    let scenario: Scenario
    /// The scenario file it was expanded from (absolute).
    let file: String
    /// The expanded settings as canonical JSON (sorted keys), as the catalogue stores them.
    let settingsJSON: String
    /// SHA-256 of `settingsJSON` and the tool version.
    let scenarioHash: String

    var safeName: String { scenario.safeName }
    var name: String { scenario.name }
    /// A scenario without a rollout block runs the baseline only.
    var mode: Pipeline.Mode { scenario.rollout == nil ? .coverage : .run }

    init(_ scenario: Scenario, file: String) throws {
        self.scenario = scenario
        self.file = file
        settingsJSON = try Self.canonicalJSON(scenario.settings.plain, file: file)
        scenarioHash = RunCatalogue.scenarioHash(settingsJSON: settingsJSON, toolVersion: BBPlanVersion.current,
                                                 digest: FileDigest.sha256)
    }

    /// Every input file the variant reads, by the role `InputLoader` records it under.
    var inputSources: [(role: String, path: String)] { scenario.inputSources }

    static func canonicalJSON(_ value: Any, file: String) throws -> String {
        guard JSONSerialization.isValidJSONObject(value),
              let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes])
        else {
            throw ScenarioError(file: file, "the expanded settings cannot be written as JSON")
        }
        return String(decoding: data, as: UTF8.self)
    }
}

/// Reads the scenario files of a batch, expands their sweeps and checks the variants can
/// share one batch folder: every problem here is bad input, found before anything runs.
public enum BatchPlan {
    static func load(files: [String]) throws -> [BatchVariant] {
        var variants: [BatchVariant] = []
        var owners: [String: (file: String, name: String)] = [:]
        var seenFiles: Set<String> = []
        for path in files {
            let base = try ScenarioFile.load(path: path)
            // The same file named twice (e.g. by overlapping globs) is one set of runs.
            guard seenFiles.insert(base.file).inserted else { continue }
            try checkName(base)
            for scenario in try ScenarioFile.expand(base) {
                if let owner = owners[scenario.safeName] {
                    let other = owner.file == base.file ? "" : " in \(owner.file)"
                    throw CommandFailure(
                        message: "\(base.file): '\(scenario.name)' and '\(owner.name)'\(other) would both write to the folder '\(scenario.safeName)'; give the scenarios different names",
                        code: 2)
                }
                owners[scenario.safeName] = (base.file, scenario.name)
                variants.append(try BatchVariant(scenario, file: base.file))
            }
        }
        return variants
    }

    /// The variants in the batch's stable order: by folder name, which is unique in a batch
    /// and does not depend on the order the scenario files were named in (a shell glob, a
    /// Kubernetes manifest), so every shard of one batch slices the same list.
    static func stableOrder(_ variants: [BatchVariant]) -> [BatchVariant] {
        variants.sorted { $0.safeName < $1.safeName }
    }

    /// The batch definition recorded in the catalogue: every variant in stable order.
    static func definition(_ variants: [BatchVariant], shard: BatchShard?) -> BatchDefinition {
        BatchDefinition(variants: stableOrder(variants).map { .init(safeName: $0.safeName, scenarioHash: $0.scenarioHash) },
                        toolVersion: BBPlanVersion.current, shard: shard.map { ($0.index, $0.count) },
                        digest: FileDigest.sha256)
    }

    /// Warnings about the variants as a whole: two variants that are the same programme
    /// because `rollout.budget_gbp` cannot bind in either (it exceeds the sum of the yearly
    /// budgets), so the sweep compares a programme with itself. Variants are compared on
    /// their expanded settings with such a `budget_gbp` left out (and the name, which the
    /// sweep makes differ).
    public static func sameProgrammeWarnings(_ variants: [Scenario]) -> [String] {
        var groups: [String: [Scenario]] = [:]
        var order: [String] = []
        for v in variants {
            guard let rollout = v.rollout, rollout.totalBudgetNeverBinds,
                  var settings = v.settings.plain as? [String: Any],
                  var r = settings["rollout"] as? [String: Any] else { continue }
            r["budget_gbp"] = nil
            settings["rollout"] = r
            settings["name"] = nil
            guard let key = try? BatchVariant.canonicalJSON(settings, file: v.file) else { continue }
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(v)
        }
        return order.compactMap { key -> String? in
            guard let group = groups[key], group.count > 1, let sum = group[0].rollout?.yearlyBudgetSumGBP else { return nil }
            let budgets = group.compactMap { $0.rollout?.budgetGBP }.map { Format.count($0) }
            return "variants \(group.map { "'\($0.name)'" }.joined(separator: ", ")) are the same programme: "
                + "rollout.budget_gbp (£\(budgets.joined(separator: ", £"))) exceeds the sum of the yearly budgets (£\(Format.count(sum))) in each, so it never binds"
        }
    }

    /// Refuses a name with nothing to make a folder name from. (The scenario parser already
    /// refuses names with '/', '\', control characters, '.' and '..'.) Sanitising such a
    /// name would silently give every one of them the same folder.
    static func checkName(_ scenario: Scenario) throws {
        let name = scenario.name
        guard !name.unicodeScalars.contains(where: { ($0 >= "a" && $0 <= "z") || ($0 >= "A" && $0 <= "Z") || ($0 >= "0" && $0 <= "9") }) else {
            return
        }
        // The file and line that set the name (it may come from an `extends` parent).
        let node = scenario.settings["name"]
        throw ScenarioError(file: node?.file ?? scenario.file, line: node?.line ?? 0,
                            "name '\(name)' has no letters or digits to name the run's folder")
    }
}
