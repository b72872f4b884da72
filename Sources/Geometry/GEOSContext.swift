import CGEOS

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A GEOS context handle owned by one thread.
///
/// GEOS's reentrant API needs a context for every call. Creating one per call is far too slow
/// for millions of operations, and sharing one between threads is unsafe (it holds the last
/// error message), so each thread lazily creates its own and keeps it until the thread ends.
/// Geometries themselves are not tied to a context and may be freed from any thread.
final class GEOSContext {
    let handle: GEOSContextHandle_t
    /// The message of GEOS's last error on this thread, set by the error handler.
    var lastError: String = ""
    private var wkbReaderHandle: OpaquePointer?
    private var wkbWriterHandle: OpaquePointer?
    private var wktReaderHandle: OpaquePointer?
    private var wktWriterHandle: OpaquePointer?

    private init() {
        guard let handle = GEOS_init_r() else {
            fatalError("GEOS_init_r returned NULL: out of memory")
        }
        self.handle = handle
        let me = Unmanaged.passUnretained(self).toOpaque()
        GEOSContext_setErrorMessageHandler_r(handle, { message, userData in
            guard let userData else { return }
            let context = Unmanaged<GEOSContext>.fromOpaque(userData).takeUnretainedValue()
            context.lastError = message.map { String(cString: $0) } ?? "unknown GEOS error"
        }, me)
        // Notices are informational (e.g. "Self-intersection at ..."); validity reasons are
        // fetched explicitly, so notices are dropped here rather than printed.
        GEOSContext_setNoticeMessageHandler_r(handle, { _, _ in }, me)
    }

    deinit {
        if let r = wkbReaderHandle { GEOSWKBReader_destroy_r(handle, r) }
        if let w = wkbWriterHandle { GEOSWKBWriter_destroy_r(handle, w) }
        if let r = wktReaderHandle { GEOSWKTReader_destroy_r(handle, r) }
        if let w = wktWriterHandle { GEOSWKTWriter_destroy_r(handle, w) }
        GEOS_finish_r(handle)
    }

    /// This thread's context, created on first use.
    static var current: GEOSContext {
        if let existing = pthread_getspecific(contextKey) {
            return Unmanaged<GEOSContext>.fromOpaque(existing).takeUnretainedValue()
        }
        let context = GEOSContext()
        pthread_setspecific(contextKey, Unmanaged.passRetained(context).toOpaque())
        return context
    }

    /// Clears the last error before a call whose failure will be checked.
    @inline(__always) func resetError() { lastError = "" }

    /// An error for `operation` carrying GEOS's own message when it gave one.
    func error(_ operation: String) -> GEOSError {
        GEOSError(operation: operation, message: lastError.isEmpty ? "failed" : lastError)
    }

    var wkbReader: OpaquePointer {
        if let r = wkbReaderHandle { return r }
        let r = GEOSWKBReader_create_r(handle)!
        wkbReaderHandle = r
        return r
    }

    var wkbWriter: OpaquePointer {
        if let w = wkbWriterHandle { return w }
        let w = GEOSWKBWriter_create_r(handle)!
        GEOSWKBWriter_setOutputDimension_r(handle, w, 2)
        GEOSWKBWriter_setByteOrder_r(handle, w, Int32(GEOS_WKB_NDR.rawValue))
        wkbWriterHandle = w
        return w
    }

    var wktReader: OpaquePointer {
        if let r = wktReaderHandle { return r }
        let r = GEOSWKTReader_create_r(handle)!
        wktReaderHandle = r
        return r
    }

    var wktWriter: OpaquePointer {
        if let w = wktWriterHandle { return w }
        let w = GEOSWKTWriter_create_r(handle)!
        GEOSWKTWriter_setTrim_r(handle, w, 1)
        GEOSWKTWriter_setOutputDimension_r(handle, w, 2)
        wktWriterHandle = w
        return w
    }
}

private let contextKey: pthread_key_t = {
    var key = pthread_key_t()
    let status = pthread_key_create(&key) { pointer in
        guard let pointer else { return }
        Unmanaged<GEOSContext>.fromOpaque(pointer).release()
    }
    precondition(status == 0, "pthread_key_create failed (\(status))")
    return key
}()

/// A GEOS operation that failed, with the message GEOS gave.
public struct GEOSError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The operation that failed, e.g. "buffer" or "WKB read".
    public let operation: String
    /// GEOS's own message, e.g. "TopologyException: ...".
    public let message: String

    public init(operation: String, message: String) {
        self.operation = operation
        self.message = message
    }

    public var description: String { "GEOS \(operation): \(message)" }
}
