import Foundation

/// Reads the keys of one YAML mapping as typed values.
///
/// The reader knows the mapping's keys up front: an unknown key (a typo) is reported as soon
/// as the mapping is opened, with the closest known key as a suggestion, before any missing
/// or invalid value of the same mapping (a misspelt `technolgy` is the mistake, not the
/// `technology` it leaves missing). `finish()` then checks that the parser considered every
/// key it lists, so no key in the list is ever silently ignored.
struct MappingReader {
    let node: YAMLNode
    /// Where this mapping sits, for messages: "premises", "networks[2]", "rollout.options.fttp".
    let path: String
    /// The keys this mapping may hold (`ScenarioKeys`), or nil when the planner names them
    /// (tier names in `tiers_mbps`).
    let keys: [String]?
    private(set) var used: Set<String> = []

    init(_ node: YAMLNode, path: String, keys: [String]?) throws {
        guard let pairs = node.mapping else {
            throw ScenarioError(file: node.file, line: node.line, "\(path.isEmpty ? "the scenario" : path) must be a mapping of keys to values")
        }
        if let keys {
            for pair in pairs where !keys.contains(pair.key) {
                throw ScenarioError(file: node.file, line: pair.keyLine, Self.unknownKey(pair.key, in: path, keys: keys))
            }
        }
        self.node = node
        self.path = path
        self.keys = keys
    }

    /// The message for a key that is not one of `keys`, suggesting the closest one.
    static func unknownKey(_ key: String, in path: String, keys: [String]) -> String {
        var message = "unknown key '\(key)'" + (path.isEmpty ? "" : " in \(path)")
        if let suggestion = closest(key, in: keys) { message += "; did you mean '\(suggestion)'?" }
        return message
    }

    var file: String { node.file }

    func error(_ key: String?, _ message: String, line: Int? = nil) -> ScenarioError {
        let at = line ?? key.flatMap { k in node.mapping?.first { $0.key == k }?.keyLine } ?? node.line
        return ScenarioError(file: node.file, line: at, "\(qualified(key)): \(message)")
    }

    func qualified(_ key: String?) -> String {
        guard let key else { return path }
        return path.isEmpty ? key : "\(path).\(key)"
    }

    func has(_ key: String) -> Bool { node[key].map { !$0.isNull } ?? false }

    func line(of key: String) -> Int { node.mapping?.first { $0.key == key }?.keyLine ?? node.line }

    mutating func raw(_ key: String) -> YAMLNode? {
        used.insert(key)
        guard let value = node[key], !value.isNull else { return nil }
        return value
    }

    mutating func requiredRaw(_ key: String) throws -> YAMLNode {
        guard let value = raw(key) else {
            throw ScenarioError(file: node.file, line: node.line, "\(path.isEmpty ? "the scenario" : path) needs '\(key)'")
        }
        return value
    }

    mutating func string(_ key: String) throws -> String? {
        guard let value = raw(key) else { return nil }
        guard let s = value.scalar else { throw error(key, "must be a single value, not a list or mapping", line: value.line) }
        return s
    }

    mutating func requiredString(_ key: String) throws -> String {
        let value = try requiredRaw(key)
        guard let s = value.scalar, !s.isEmpty else { throw error(key, "must be a non-empty value", line: value.line) }
        return s
    }

    mutating func number(_ key: String) throws -> Double? {
        guard let value = raw(key) else { return nil }
        return try Self.number(value, name: qualified(key))
    }

    mutating func requiredNumber(_ key: String) throws -> Double {
        try Self.number(try requiredRaw(key), name: qualified(key))
    }

    static func number(_ value: YAMLNode, name: String) throws -> Double {
        guard let s = value.scalar, case .scalar(_, let plain) = value.value, plain,
              let d = Double(s.replacingOccurrences(of: "_", with: "")), d.isFinite else {
            throw ScenarioError(file: value.file, line: value.line, "\(name): '\(value)' is not a number")
        }
        return d
    }

    mutating func bool(_ key: String) throws -> Bool? {
        guard let value = raw(key) else { return nil }
        switch value.scalar {
        case "true", "yes", "True", "Yes", "TRUE", "on": return true
        case "false", "no", "False", "No", "FALSE", "off": return false
        default: throw error(key, "must be true or false", line: value.line)
        }
    }

    /// The items of a list-valued key, each named by its position (`rollout.eligible[1]`) for
    /// messages. With `singleAllowed`, a single value counts as a list of one, named by the key.
    mutating func list(_ key: String, singleAllowed: Bool = true) throws -> [ListItem]? {
        guard let value = raw(key) else { return nil }
        if singleAllowed, value.scalar != nil { return [ListItem(name: qualified(key), node: value)] }
        guard let items = value.sequence else { throw error(key, "must be a list", line: value.line) }
        return ListItem.items(of: items, name: qualified(key))
    }

    /// The values of a list-valued key, each a single value (see `list`).
    mutating func stringList(_ key: String) throws -> [(item: ListItem, value: String)]? {
        try list(key)?.map { ($0, try $0.string()) }
    }

    /// The mapping under `key`, read with its own list of keys.
    mutating func mapping(_ key: String, keys: [String]?) throws -> MappingReader? {
        guard let value = raw(key) else { return nil }
        return try MappingReader(value, path: qualified(key), keys: keys)
    }

    /// Checks that the parser asked for every key of the list (and, in a mapping of the
    /// planner's own keys, every key present). A key left over is a bug in the parser, not in
    /// the scenario: it is reported as a failed run rather than silently ignored.
    func finish() throws {
        let expected = keys ?? (node.mapping ?? []).map(\.key)
        if let missed = expected.first(where: { !used.contains($0) }) {
            throw ScenarioError(file: node.file, line: line(of: missed),
                                "internal error: bbplan did not read \(qualified(missed)); please report this", isBadInput: false)
        }
    }

    static func closest(_ word: String, in candidates: [String]) -> String? {
        let scored = candidates.map { ($0, editDistance(word.lowercased(), $0.lowercased())) }.sorted { ($0.1, $0.0) < ($1.1, $1.0) }
        guard let best = scored.first, best.1 <= max(2, word.count / 3) else { return nil }
        return best.0
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}

/// One item of a list-valued key, named by its position for messages:
/// `rollout.take_up_curve[0]: 1.5 is not a share between 0 and 1`.
struct ListItem {
    /// `key[i]`, or the key alone for a single value written in place of a list.
    let name: String
    let node: YAMLNode

    static func items(of nodes: [YAMLNode], name: String) -> [ListItem] {
        nodes.enumerated().map { ListItem(name: "\(name)[\($0.offset)]", node: $0.element) }
    }

    func error(_ message: String) -> ScenarioError {
        ScenarioError(file: node.file, line: node.line, "\(name): \(message)")
    }

    func string() throws -> String {
        guard let s = node.scalar else { throw error("must be a single value, not a list or mapping") }
        return s
    }

    func number() throws -> Double { try MappingReader.number(node, name: name) }
}
