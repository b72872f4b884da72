import Foundation

/// A JSON object whose keys are not known in advance (tiers, variant keys, timing steps),
/// kept in the order it was built in, so summary.json lists tiers as the scenario does.
///
/// JSON objects are unordered: two maps are equal when they hold the same keys with the same
/// values, whatever the order. Decoded maps are in key order (`JSONDecoder` does not keep the
/// file's order).
public struct OrderedMap<Value: Sendable>: Sendable, Sequence {
    public private(set) var pairs: [(key: String, value: Value)]

    public init(_ pairs: [(key: String, value: Value)] = []) {
        self.pairs = []
        for (key, value) in pairs { self[key] = value }
    }

    public var keys: [String] { pairs.map(\.key) }
    public var isEmpty: Bool { pairs.isEmpty }
    public var count: Int { pairs.count }

    /// The value for `key`; setting a new key appends it, setting nil removes it.
    public subscript(key: String) -> Value? {
        get { pairs.first { $0.key == key }?.value }
        set {
            if let k = pairs.firstIndex(where: { $0.key == key }) {
                if let newValue { pairs[k].value = newValue } else { pairs.remove(at: k) }
            } else if let newValue {
                pairs.append((key, newValue))
            }
        }
    }

    public func makeIterator() -> IndexingIterator<[(key: String, value: Value)]> { pairs.makeIterator() }

    public func mapValues<T>(_ transform: (Value) throws -> T) rethrows -> OrderedMap<T> {
        OrderedMap<T>(try pairs.map { ($0.key, try transform($0.value)) })
    }
}

extension OrderedMap: Equatable where Value: Equatable {
    public static func == (a: OrderedMap, b: OrderedMap) -> Bool {
        a.count == b.count && a.pairs.allSatisfy { b[$0.key] == $0.value }
    }
}

extension OrderedMap: Codable where Value: Codable {
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: AnyKey.self)
        for (key, value) in pairs { try container.encode(value, forKey: AnyKey(key)) }
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        pairs = try container.allKeys.sorted { $0.stringValue < $1.stringValue }
            .map { ($0.stringValue, try container.decode(Value.self, forKey: $0)) }
    }
}

/// A coding key made from any string (the keys of an `OrderedMap` or of a `JSON` object).
struct AnyKey: CodingKey {
    let stringValue: String
    let intValue: Int?

    init(_ string: String) {
        stringValue = string
        intValue = nil
    }

    init?(stringValue: String) { self.init(stringValue) }

    init?(intValue: Int) {
        stringValue = String(intValue)
        self.intValue = intValue
    }
}
