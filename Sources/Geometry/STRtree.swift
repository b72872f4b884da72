import CGEOS

/// A packed R-tree (Sort-Tile-Recursive) over item envelopes, answering "which items'
/// envelopes meet this rectangle". Items are identified by their index in the input.
///
/// Built once and queried many times on one thread.
public final class STRtree {
    private let pointer: OpaquePointer
    /// The number of items indexed.
    public let count: Int

    /// Indexes `envelopes`; empty envelopes are skipped (they meet nothing).
    public init(envelopes: [Envelope], nodeCapacity: Int = 10) throws {
        let context = GEOSContext.current
        context.resetError()
        guard let tree = GEOSSTRtree_create_r(context.handle, max(2, nodeCapacity)) else {
            throw context.error("STRtree create")
        }
        pointer = tree
        count = envelopes.count
        for (index, e) in envelopes.enumerated() where !e.isEmpty {
            // The tree copies the envelope of the geometry, so the rectangle may go right away.
            let box = try Geometry.rectangle(e)
            GEOSSTRtree_insert_r(context.handle, tree, box.pointer, UnsafeMutableRawPointer(bitPattern: index + 1))
        }
    }

    deinit { GEOSSTRtree_destroy_r(GEOSContext.current.handle, pointer) }

    /// Indices of the items whose envelope intersects `envelope`, in ascending order.
    public func query(_ envelope: Envelope) throws -> [Int] {
        if envelope.isEmpty { return [] }
        let box = try Geometry.rectangle(envelope)
        final class Hits { var items: [Int] = [] }
        let hits = Hits()
        withExtendedLifetime(hits) {
            GEOSSTRtree_query_r(
                GEOSContext.current.handle, pointer, box.pointer,
                { item, userData in
                    guard let item, let userData else { return }
                    let hits = Unmanaged<Hits>.fromOpaque(userData).takeUnretainedValue()
                    hits.items.append(Int(bitPattern: item) - 1)
                },
                Unmanaged.passUnretained(hits).toOpaque())
        }
        return hits.items.sorted()
    }
}
