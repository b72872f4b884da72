import Foundation
import Yams

/// A parsed YAML node that remembers where it came from, so every error can name the file
/// and line. Built from Yams' composed tree under hard limits (size, depth, node count after
/// alias expansion) checked before and during the conversion.
public struct YAMLNode: Sendable, CustomStringConvertible {
    public enum Value: Sendable {
        case scalar(String, plain: Bool)
        case mapping([(key: String, keyLine: Int, value: YAMLNode)])
        case sequence([YAMLNode])
    }

    public var value: Value
    /// The file this node was read from (nodes keep their own file across `extends`).
    public var file: String
    public var line: Int

    public init(_ value: Value, file: String, line: Int) {
        self.value = value
        self.file = file
        self.line = line
    }

    /// Limits on what a scenario file may be; see docs/RELIABILITY.md.
    public enum Limits {
        public static let maxFileBytes = 1 << 20
        public static let maxDepth = 64
        public static let maxNodes = 100_000
        public static let maxScalarBytes = 65_536
    }

    /// Reads and parses a scenario file.
    public static func load(path: String) throws -> YAMLNode {
        let data: Data
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            if let size = attributes[.size] as? Int, size > Limits.maxFileBytes {
                throw ScenarioError(file: path, "file is \(size) bytes; scenario files are limited to \(Limits.maxFileBytes) bytes")
            }
            if attributes[.type] as? FileAttributeType == .typeDirectory {
                throw ScenarioError(file: path, "is a folder, not a scenario file")
            }
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch let error as ScenarioError {
            throw error
        } catch {
            throw ScenarioError(file: path, FileManager.default.fileExists(atPath: path) ? "cannot read the file" : "file not found")
        }
        guard data.count <= Limits.maxFileBytes else {
            throw ScenarioError(file: path, "file is over \(Limits.maxFileBytes) bytes")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ScenarioError(file: path, "is not UTF-8 text")
        }
        return try parse(text, file: path)
    }

    /// Parses YAML text (one document) into a tree.
    public static func parse(_ text: String, file: String) throws -> YAMLNode {
        if text.utf8.count > Limits.maxFileBytes {
            throw ScenarioError(file: file, "scenario text is over \(Limits.maxFileBytes) bytes")
        }
        if text.contains("\u{0}") {
            throw ScenarioError(file: file, "contains a NUL character")
        }
        try checkNesting(text, file: file)
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let YamlError.duplicatedKeysInMapping(duplicates, context) {
            let key = duplicates.sorted().first ?? "?"
            let line = secondOccurrence(of: key, in: text, after: context.mark.line) ?? context.mark.line
            throw ScenarioError(file: file, line: line, "key '\(key)' appears twice in the same mapping")
        } catch let error as YamlError {
            throw ScenarioError(file: file, line: Self.line(of: error), "not valid YAML: \(Self.describe(error))")
        } catch {
            throw ScenarioError(file: file, "not valid YAML: \(error)")
        }
        guard let root else { throw ScenarioError(file: file, "is empty") }
        var budget = Limits.maxNodes
        return try convert(root, file: file, depth: 0, budget: &budget)
    }

    /// Rejects nesting deeper than the limit before the (recursive) composer sees it: counts
    /// open flow brackets and block indentation levels, outside quotes and comments.
    static func checkNesting(_ text: String, file: String) throws {
        var lineNumber = 0
        var indents: [Int] = []
        var flow = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = rawLine.utf8
            var column = 0
            var iterator = line.makeIterator()
            var first: UInt8?
            while let c = iterator.next() {
                if c == UInt8(ascii: " ") { column += 1 } else { first = c; break }
            }
            guard let first, first != UInt8(ascii: "#"), first != UInt8(ascii: "\r") else { continue }
            if flow == 0 {
                while let last = indents.last, last >= column { indents.removeLast() }
                indents.append(column)
            }
            // Sequence dashes on one line ("- - - x") each open a level.
            var dashes = 0
            var quote: UInt8?
            var previous: UInt8 = UInt8(ascii: " ")
            var index = 0
            for c in line {
                defer { previous = c; index += 1 }
                if index < column { continue }
                if let q = quote {
                    if c == q { quote = nil }
                    continue
                }
                switch c {
                case UInt8(ascii: "\""), UInt8(ascii: "'"):
                    if previous == UInt8(ascii: " ") || previous == UInt8(ascii: "[") || previous == UInt8(ascii: "{")
                        || previous == UInt8(ascii: ",") || previous == UInt8(ascii: ":") { quote = c }
                case UInt8(ascii: "#") where previous == UInt8(ascii: " "):
                    break
                case UInt8(ascii: "["), UInt8(ascii: "{"): flow += 1
                case UInt8(ascii: "]"), UInt8(ascii: "}"): flow = max(0, flow - 1)
                case UInt8(ascii: "-") where flow == 0 && (previous == UInt8(ascii: " ")) : dashes += 1
                default: break
                }
                if c == UInt8(ascii: "#") && previous == UInt8(ascii: " ") && quote == nil { break }
                if indents.count + dashes + flow > Limits.maxDepth {
                    throw ScenarioError(file: file, line: lineNumber, "nesting deeper than \(Limits.maxDepth) levels")
                }
            }
            if indents.count + dashes + flow > Limits.maxDepth {
                throw ScenarioError(file: file, line: lineNumber, "nesting deeper than \(Limits.maxDepth) levels")
            }
        }
    }

    static func convert(_ node: Node, file: String, depth: Int, budget: inout Int) throws -> YAMLNode {
        let line = (node.mark?.line ?? 0)
        budget -= 1
        if budget < 0 {
            throw ScenarioError(file: file, line: line, "the file expands to more than \(Limits.maxNodes) values (are YAML aliases expanding without bound?)")
        }
        if depth > Limits.maxDepth {
            throw ScenarioError(file: file, line: line, "nesting deeper than \(Limits.maxDepth) levels")
        }
        switch node {
        case .scalar(let s):
            if s.string.utf8.count > Limits.maxScalarBytes {
                throw ScenarioError(file: file, line: line, "a value longer than \(Limits.maxScalarBytes) bytes")
            }
            return YAMLNode(.scalar(s.string, plain: s.style == .plain), file: file, line: line)
        case .sequence(let seq):
            var items: [YAMLNode] = []
            for child in seq { items.append(try convert(child, file: file, depth: depth + 1, budget: &budget)) }
            return YAMLNode(.sequence(items), file: file, line: line)
        case .mapping(let map):
            var pairs: [(key: String, keyLine: Int, value: YAMLNode)] = []
            var seen: [String: Int] = [:]
            for (k, v) in map {
                let keyLine = k.mark?.line ?? line
                guard case .scalar(let ks) = k else {
                    throw ScenarioError(file: file, line: keyLine, "mapping keys must be plain names")
                }
                if ks.string == "<<" {
                    throw ScenarioError(file: file, line: keyLine, "YAML merge keys (<<) are not supported; use extends:")
                }
                if let earlier = seen[ks.string] {
                    throw ScenarioError(file: file, line: keyLine, "key '\(ks.string)' appears twice (first on line \(earlier))")
                }
                seen[ks.string] = keyLine
                pairs.append((ks.string, keyLine, try convert(v, file: file, depth: depth + 1, budget: &budget)))
            }
            return YAMLNode(.mapping(pairs), file: file, line: line)
        case .alias:
            throw ScenarioError(file: file, line: line, "unresolved YAML alias")
        }
    }

    /// The line of the second `key:` at the start of a line (after indentation or "- "),
    /// from `line` on: where a duplicated key was repeated.
    static func secondOccurrence(of key: String, in text: String, after line: Int) -> Int? {
        var seen = 0
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where i + 1 >= line {
            var s = raw.drop { $0 == " " || $0 == "-" }
            if s.hasPrefix("\"" + key + "\"") || s.hasPrefix("'" + key + "'") { s = s.dropFirst(key.count + 2) }
            else if s.hasPrefix(key) { s = s.dropFirst(key.count) } else { continue }
            if s.drop(while: { $0 == " " }).hasPrefix(":") {
                seen += 1
                if seen == 2 { return i + 1 }
            }
        }
        return nil
    }

    static func line(of error: YamlError) -> Int {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return mark.line
        default:
            return 0
        }
    }

    static func describe(_ error: YamlError) -> String {
        switch error {
        case .scanner(let context, let problem, _, _), .parser(let context, let problem, _, _),
             .composer(let context, let problem, _, _):
            return [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
        default:
            return String(describing: error).split(separator: "\n").first.map(String.init) ?? "syntax error"
        }
    }

    // MARK: - Access

    public var mapping: [(key: String, keyLine: Int, value: YAMLNode)]? {
        if case .mapping(let m) = value { return m }
        return nil
    }

    public var sequence: [YAMLNode]? {
        if case .sequence(let s) = value { return s }
        return nil
    }

    public var scalar: String? {
        if case .scalar(let s, _) = value { return s }
        return nil
    }

    /// A plain scalar `~`, `null` or empty.
    public var isNull: Bool {
        if case .scalar(let s, let plain) = value { return plain && (s.isEmpty || s == "~" || s == "null" || s == "Null" || s == "NULL") }
        return false
    }

    public subscript(key: String) -> YAMLNode? {
        mapping?.first { $0.key == key }?.value
    }

    /// The same tree as plain JSON-compatible values (for hashing and the run catalogue).
    public var plain: Any {
        switch value {
        case .scalar(let s, let plain):
            if plain, let d = Double(s), d.isFinite {
                return d == d.rounded() && abs(d) < 1e15 ? Int(d) as Any : d as Any
            }
            if plain, s == "true" { return true }
            if plain, s == "false" { return false }
            if isNull { return NSNull() }
            return s
        case .sequence(let items): return items.map(\.plain)
        case .mapping(let pairs):
            var d: [String: Any] = [:]
            for p in pairs { d[p.key] = p.value.plain }
            return d
        }
    }

    public var description: String {
        switch value {
        case .scalar(let s, _): return s
        case .sequence(let items): return "[" + items.map(\.description).joined(separator: ", ") + "]"
        case .mapping(let pairs): return "{" + pairs.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}"
        }
    }

    /// This mapping with `other`'s keys laid over it, recursively for mappings; any other
    /// value (scalars, lists) is replaced whole.
    public func overlaid(with other: YAMLNode) -> YAMLNode {
        guard var base = mapping, let top = other.mapping else { return other }
        for pair in top {
            if let i = base.firstIndex(where: { $0.key == pair.key }) {
                base[i] = (pair.key, pair.keyLine, base[i].value.overlaid(with: pair.value))
            } else {
                base.append(pair)
            }
        }
        return YAMLNode(.mapping(base), file: other.file, line: other.line)
    }

    /// This mapping without `key`.
    public func removing(_ key: String) -> YAMLNode {
        guard let m = mapping else { return self }
        return YAMLNode(.mapping(m.filter { $0.key != key }), file: file, line: line)
    }
}
