import Foundation

/// Reads the keys of one YAML mapping as typed values, remembering which were used so that
/// every unknown key (a typo) is reported with its line.
struct MappingReader {
    let node: YAMLNode
    /// Where this mapping sits, for messages: "premises", "networks[2]", "rollout.options.fttp".
    let path: String
    private(set) var used: Set<String> = []

    init(_ node: YAMLNode, path: String) throws {
        guard node.mapping != nil else {
            throw ScenarioError(file: node.file, line: node.line, "\(path.isEmpty ? "the scenario" : path) must be a mapping of keys to values")
        }
        self.node = node
        self.path = path
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

    mutating func stringList(_ key: String) throws -> [String]? {
        guard let value = raw(key) else { return nil }
        if let s = value.scalar { return [s] }
        guard let items = value.sequence else { throw error(key, "must be a list", line: value.line) }
        return try items.map { item in
            guard let s = item.scalar else { throw error(key, "must be a list of values", line: item.line) }
            return s
        }
    }

    mutating func mapping(_ key: String) throws -> MappingReader? {
        guard let value = raw(key) else { return nil }
        return try MappingReader(value, path: qualified(key))
    }

    /// Reports the first key that was never asked for, suggesting the closest known one.
    func finish(known extra: [String] = []) throws {
        guard let pairs = node.mapping else { return }
        let known = used.union(extra)
        for pair in pairs where !known.contains(pair.key) {
            var message = "unknown key '\(pair.key)'" + (path.isEmpty ? "" : " in \(path)")
            if let suggestion = Self.closest(pair.key, in: Array(known)) { message += "; did you mean '\(suggestion)'?" }
            throw ScenarioError(file: node.file, line: pair.keyLine, message)
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
