import CPROJ
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A PROJ context owned by one thread, with bbplan's grid folder first on its search path.
///
/// PROJ contexts are not thread-safe; CRS parsing uses this thread's context, and every
/// `CoordinateTransform` owns a context of its own.
final class ProjContext {
    let handle: OpaquePointer

    init() {
        handle = proj_context_create()
        ProjContext.configure(handle)
    }

    deinit { proj_context_destroy(handle) }

    static var current: ProjContext {
        if let existing = pthread_getspecific(projContextKey) {
            return Unmanaged<ProjContext>.fromOpaque(existing).takeUnretainedValue()
        }
        let context = ProjContext()
        pthread_setspecific(projContextKey, Unmanaged.passRetained(context).toOpaque())
        return context
    }

    /// PROJ's folders plus bbplan's grid folder, first. Setting search paths replaces PROJ's
    /// defaults, so the defaults (where proj.db lives) are kept after ours.
    static let searchPaths: [String] = {
        var paths: [String] = []
        if let grids = GridLocator.directory { paths.append(grids) }
        let info = proj_info()
        if let raw = info.searchpath {
            paths += String(cString: raw).split(separator: ":").map(String.init).filter { !$0.isEmpty }
        }
        return paths
    }()

    static func configure(_ handle: OpaquePointer) {
        // Offline by design: a run must not depend on the CDN, and results must be repeatable.
        proj_context_set_enable_network(handle, 0)
        // Silence PROJ's own stderr logging: errors are read back and reported by bbplan.
        proj_log_level(handle, PJ_LOG_NONE)
        let paths = searchPaths
        var cStrings = paths.map { strdup($0) }
        defer { cStrings.forEach { free($0) } }
        cStrings.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: buffer.count) {
                proj_context_set_search_paths(handle, Int32(paths.count), $0)
            }
        }
    }

    /// PROJ's message for the context's last error.
    func lastError() -> String {
        let code = proj_context_errno(handle)
        guard code != 0, let text = proj_context_errno_string(handle, code) else { return "unknown error" }
        return String(cString: text)
    }
}

private let projContextKey: pthread_key_t = {
    var key = pthread_key_t()
    let status = pthread_key_create(&key) { pointer in
        guard let pointer else { return }
        Unmanaged<ProjContext>.fromOpaque(pointer).release()
    }
    precondition(status == 0, "pthread_key_create failed (\(status))")
    return key
}()

/// Owns a PJ object and destroys it.
final class PJBox {
    let pointer: OpaquePointer
    init(_ pointer: OpaquePointer) { self.pointer = pointer }
    deinit { proj_destroy(pointer) }
}
