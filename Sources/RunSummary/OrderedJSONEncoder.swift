import Foundation

/// Turns any `Encodable` into an ordered `JSON` value: object keys in the order `encode(to:)`
/// emits them, numbers with the decimals `decimals(path)` declares for their key path (the
/// string keys from the root, array positions left out). A `JSON` value inside is kept as it
/// is. `Optional` properties a type encodes with `encodeIfPresent` are left out; to write
/// `null`, encode the optional with `encode` (or call `encodeNil`).
public struct OrderedJSONEncoder {
    /// Decimals for a number at a key path (whole numbers are always written as integers).
    public var decimals: @Sendable ([String]) -> Int

    public init(decimals: @escaping @Sendable ([String]) -> Int) {
        self.decimals = decimals
    }

    public func encode<T: Encodable>(_ value: T) throws -> JSON {
        let root = Node()
        try root.encode(value, path: [], rules: self)
        return root.json
    }
}

/// One value being built: empty until something is encoded into it.
private final class Node {
    enum Content {
        case empty
        case value(JSON)
        case object([(String, Node)])
        case array([Node])
    }

    var content: Content = .empty

    var json: JSON {
        switch content {
        case .empty: return .object([])
        case .value(let v): return v
        case .object(let pairs): return .object(pairs.map { ($0.0, $0.1.json) })
        case .array(let items): return .array(items.map(\.json))
        }
    }

    func encode<T: Encodable>(_ value: T, path: [CodingKey], rules: OrderedJSONEncoder) throws {
        if let json = value as? JSON {
            content = .value(json)
        } else {
            try value.encode(to: NodeEncoder(node: self, codingPath: path, rules: rules))
        }
    }

    /// The member for `key`, made (or replaced) at the end of the object.
    func member(_ key: String) -> Node {
        let child = Node()
        var pairs: [(String, Node)] = []
        if case .object(let existing) = content { pairs = existing.filter { $0.0 != key } }
        pairs.append((key, child))
        content = .object(pairs)
        return child
    }

    func element() -> Node {
        let child = Node()
        var items: [Node] = []
        if case .array(let existing) = content { items = existing }
        items.append(child)
        content = .array(items)
        return child
    }

    func becomeObject() { if case .object = content {} else { content = .object([]) } }
    func becomeArray() { if case .array = content {} else { content = .array([]) } }

    var arrayCount: Int { if case .array(let items) = content { items.count } else { 0 } }
}

private struct NodeEncoder: Encoder {
    let node: Node
    let codingPath: [CodingKey]
    let rules: OrderedJSONEncoder
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        node.becomeObject()
        return KeyedEncodingContainer(Keyed<Key>(node: node, codingPath: codingPath, rules: rules))
    }

    func unkeyedContainer() -> UnkeyedEncodingContainer {
        node.becomeArray()
        return Unkeyed(node: node, codingPath: codingPath, rules: rules)
    }

    func singleValueContainer() -> SingleValueEncodingContainer {
        Single(node: node, codingPath: codingPath, rules: rules)
    }
}

private struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: Node
    let codingPath: [CodingKey]
    let rules: OrderedJSONEncoder

    mutating func encodeNil(forKey key: Key) throws { node.member(key.stringValue).content = .value(.null) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try node.member(key.stringValue).encode(value, path: codingPath + [key], rules: rules)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        NodeEncoder(node: node.member(key.stringValue), codingPath: codingPath + [key], rules: rules).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> UnkeyedEncodingContainer {
        NodeEncoder(node: node.member(key.stringValue), codingPath: codingPath + [key], rules: rules).unkeyedContainer()
    }

    mutating func superEncoder() -> Encoder {
        NodeEncoder(node: node.member("super"), codingPath: codingPath + [AnyKey("super")], rules: rules)
    }

    mutating func superEncoder(forKey key: Key) -> Encoder {
        NodeEncoder(node: node.member(key.stringValue), codingPath: codingPath + [key], rules: rules)
    }
}

private struct Unkeyed: UnkeyedEncodingContainer {
    let node: Node
    let codingPath: [CodingKey]
    let rules: OrderedJSONEncoder
    var count: Int { node.arrayCount }

    private var nextPath: [CodingKey] { codingPath + [AnyKey(intValue: count)!] }

    mutating func encodeNil() throws { node.element().content = .value(.null) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        let path = nextPath
        try node.element().encode(value, path: path, rules: rules)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let path = nextPath
        return NodeEncoder(node: node.element(), codingPath: path, rules: rules).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() -> UnkeyedEncodingContainer {
        let path = nextPath
        return NodeEncoder(node: node.element(), codingPath: path, rules: rules).unkeyedContainer()
    }

    mutating func superEncoder() -> Encoder {
        let path = nextPath
        return NodeEncoder(node: node.element(), codingPath: path, rules: rules)
    }
}

private struct Single: SingleValueEncodingContainer {
    let node: Node
    let codingPath: [CodingKey]
    let rules: OrderedJSONEncoder

    private func set(_ value: JSON) { node.content = .value(value) }

    /// The string keys of the path, for the number rules.
    private var keyPath: [String] { codingPath.filter { $0.intValue == nil }.map(\.stringValue) }

    mutating func encodeNil() throws { set(.null) }
    mutating func encode(_ value: Bool) throws { set(.bool(value)) }
    mutating func encode(_ value: String) throws { set(.string(value)) }
    mutating func encode(_ value: Double) throws { set(.number(value, decimals: rules.decimals(keyPath))) }
    mutating func encode(_ value: Float) throws { try encode(Double(value)) }
    mutating func encode(_ value: Int) throws { set(.int(Int64(value))) }
    mutating func encode(_ value: Int8) throws { set(.int(Int64(value))) }
    mutating func encode(_ value: Int16) throws { set(.int(Int64(value))) }
    mutating func encode(_ value: Int32) throws { set(.int(Int64(value))) }
    mutating func encode(_ value: Int64) throws { set(.int(value)) }
    mutating func encode(_ value: UInt) throws { try encode(UInt64(value)) }
    mutating func encode(_ value: UInt8) throws { set(.int(Int64(value))) }
    mutating func encode(_ value: UInt16) throws { set(.int(Int64(value))) }
    mutating func encode(_ value: UInt32) throws { set(.int(Int64(value))) }
    mutating func encode(_ value: UInt64) throws {
        // Above Int64.max (a seed): the digits, as a number with no decimals.
        set(Int64(exactly: value).map(JSON.int) ?? .number(Double(value), decimals: 0))
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try node.encode(value, path: codingPath, rules: rules)
    }
}
