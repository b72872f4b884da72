import Foundation

/// A JSON value with ordered keys and controlled number formatting, so summary.json reads
/// well and diffs cleanly between runs. `OrderedJSONEncoder` makes one from any `Encodable`.
public indirect enum JSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    /// A number written with at most `decimals` decimals (trailing zeros dropped).
    case number(Double, decimals: Int)
    case string(String)
    case array([JSON])
    case object([(String, JSON)])

    public static func == (a: JSON, b: JSON) -> Bool { a.rendered() == b.rendered() }

    /// Households, counts and money: integers when whole, else 4 decimals.
    public static func quantity(_ v: Double) -> JSON {
        guard v.isFinite else { return .null }
        if v == v.rounded(), abs(v) < 9e15 { return .int(Int64(v)) }
        return .number(v, decimals: 4)
    }

    /// Areas in km²: 6 decimals (1 m²).
    public static func km2(_ v: Double) -> JSON { .number(v, decimals: 6) }

    public func rendered(indent: Int = 0, pretty: Bool = true) -> String {
        var out = ""
        render(into: &out, indent: indent, pretty: pretty)
        return out
    }

    func render(into out: inout String, indent: Int, pretty: Bool) {
        let pad = pretty ? String(repeating: "  ", count: indent + 1) : ""
        let closePad = pretty ? String(repeating: "  ", count: indent) : ""
        let newline = pretty ? "\n" : ""
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .number(let v, let decimals):
            guard v.isFinite else { out += "null"; return }
            if v == v.rounded(), abs(v) < 9e15 { out += String(Int64(v)); return }
            var s = String(format: "%.\(decimals)f", v)
            if s.contains(".") {
                while s.hasSuffix("0") { s.removeLast() }
                if s.hasSuffix(".") { s.removeLast() }
            }
            if s == "-0" { s = "0" }
            out += s
        case .string(let s): out += JSON.quote(s)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            // Short arrays of scalars stay on one line.
            if items.allSatisfy({ $0.isScalar }) && items.count <= 12 {
                out += "[" + items.map { $0.rendered(pretty: false) }.joined(separator: ", ") + "]"
                return
            }
            out += "[" + newline
            for (i, item) in items.enumerated() {
                out += pad
                item.render(into: &out, indent: indent + 1, pretty: pretty)
                out += i < items.count - 1 ? "," + newline : newline
            }
            out += closePad + "]"
        case .object(let pairs):
            if pairs.isEmpty { out += "{}"; return }
            out += "{" + newline
            for (i, pair) in pairs.enumerated() {
                out += pad + JSON.quote(pair.0) + (pretty ? ": " : ":")
                pair.1.render(into: &out, indent: indent + 1, pretty: pretty)
                out += i < pairs.count - 1 ? "," + newline : newline
            }
            out += closePad + "}"
        }
    }

    var isScalar: Bool {
        switch self {
        case .array, .object: false
        default: true
        }
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// Converts Foundation JSON-compatible values (from a YAML tree's `plain`).
    public static func from(_ value: Any) -> JSON {
        switch value {
        case is NSNull: return .null
        case let b as Bool: return .bool(b)
        case let i as Int: return .int(Int64(i))
        case let d as Double: return .number(d, decimals: 10)
        case let s as String: return .string(s)
        case let a as [Any]: return .array(a.map(from))
        case let d as [String: Any]: return .object(d.keys.sorted().map { ($0, from(d[$0]!)) })
        default: return .string(String(describing: value))
        }
    }
}

/// A JSON value decodes from any JSON (objects in key order, numbers that are not whole
/// with up to 10 decimals, as `from` makes them) and encodes as itself.
extension JSON: Codable {
    public init(from decoder: Decoder) throws {
        if let object = try? decoder.container(keyedBy: AnyKey.self) {
            self = .object(try object.allKeys.sorted { $0.stringValue < $1.stringValue }
                .map { ($0.stringValue, try object.decode(JSON.self, forKey: $0)) })
            return
        }
        if var array = try? decoder.unkeyedContainer() {
            var items: [JSON] = []
            while !array.isAtEnd { items.append(try array.decode(JSON.self)) }
            self = .array(items)
            return
        }
        let value = try decoder.singleValueContainer()
        if value.decodeNil() {
            self = .null
        } else if let b = try? value.decode(Bool.self) {
            self = .bool(b)
        } else if let i = try? value.decode(Int64.self) {
            self = .int(i)
        } else if let d = try? value.decode(Double.self) {
            self = .number(d, decimals: 10)
        } else {
            self = .string(try value.decode(String.self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        switch self {
        case .null:
            var c = encoder.singleValueContainer()
            try c.encodeNil()
        case .bool(let b):
            var c = encoder.singleValueContainer()
            try c.encode(b)
        case .int(let i):
            var c = encoder.singleValueContainer()
            try c.encode(i)
        case .number(let d, _):
            var c = encoder.singleValueContainer()
            try c.encode(d)
        case .string(let s):
            var c = encoder.singleValueContainer()
            try c.encode(s)
        case .array(let items):
            var c = encoder.unkeyedContainer()
            for item in items { try c.encode(item) }
        case .object(let pairs):
            var c = encoder.container(keyedBy: AnyKey.self)
            for (key, value) in pairs { try c.encode(value, forKey: AnyKey(key)) }
        }
    }
}

extension JSON {
    /// The value of `key` in an object (nil for anything else or a missing key).
    public subscript(key: String) -> JSON? {
        guard case .object(let pairs) = self else { return nil }
        return pairs.first { $0.0 == key }?.1
    }

    /// A number's value (nil for anything else).
    public var doubleValue: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .number(let v, _): return v
        default: return nil
        }
    }
}
