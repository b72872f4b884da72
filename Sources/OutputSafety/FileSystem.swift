import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The system calls behind output folders, each with its errno kept: Foundation's file
/// methods lose the cause ("the file couldn't be saved") and some ignore a failing close.
enum FileSystem {
    /// What is at a path, without following a final symbolic link.
    enum Kind: Equatable {
        case absent, file, directory, other
    }

    static func kind(_ path: String) -> Kind {
        var info = stat()
        guard lstat(path, &info) == 0 else { return .absent }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .directory
        default: return .other
        }
    }

    static func size(_ path: String) -> Int64? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return Int64(info.st_size)
    }

    /// The entries of a folder (hidden ones included), or nil when it cannot be listed.
    static func entries(_ path: String) -> [String]? {
        guard let dir = opendir(path) else { return nil }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// The path with every symbolic link resolved, or nil when it does not exist.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Writes `data` to a new file at `path` (replacing none: the file must not exist),
    /// checking every write, the flush to disk and the close, and that the size on disk is
    /// what was written. Throws the errno of the first failure.
    static func writeNew(_ data: Data, to path: String) throws(SystemError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw SystemError(errno, "create") }
        let failure = data.withUnsafeBytes { writeAll(fd, $0) }
        try finish(fd, path, failure: failure, size: Int64(data.count))
    }

    /// Copies a file to a new file, checking every read, write, the flush and the close.
    static func copy(_ from: String, to: String) throws(SystemError) {
        let input = open(from, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw SystemError(errno, "open") }
        defer { close(input) }
        let output = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard output >= 0 else { throw SystemError(errno, "create") }
        var failure: SystemError?
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while failure == nil {
            let n = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if n == 0 { break }
            if n < 0 {
                if errno != EINTR { failure = SystemError(errno, "read") }
                continue
            }
            failure = buffer.withUnsafeBytes { writeAll(output, UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
        }
        try finish(output, to, failure: failure, size: size(from))
    }

    /// Writes all of `bytes`, again after a short write or an interruption; the first error.
    private static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> SystemError? {
        var offset = 0
        while offset < bytes.count {
            guard let base = bytes.baseAddress else { return nil }
            let n = write(fd, base + offset, bytes.count - offset)
            if n > 0 {
                offset += n
            } else if !(n < 0 && errno == EINTR) {
                // A write of 0 bytes makes no progress: the device is full.
                return SystemError(n < 0 ? errno : ENOSPC, "write")
            }
        }
        return nil
    }

    /// After writing a new file: flushes it to disk and closes it (after a failure too), then
    /// checks its size on disk. Throws the first failure.
    private static func finish(_ fd: Int32, _ path: String, failure: SystemError?, size expected: Int64?) throws(SystemError) {
        var failure = failure
        if failure == nil, fsync(fd) != 0 { failure = SystemError(errno, "flush to disk") }
        if close(fd) != 0, failure == nil { failure = SystemError(errno, "close") }
        if let failure { throw failure }
        guard size(path) == expected else { throw SystemError(EIO, "verify size") }
    }

    /// Flushes a file or folder to disk (a folder: the names in it, after renames).
    static func sync(_ path: String) throws(SystemError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SystemError(errno, "open") }
        defer { close(fd) }
        // Some file systems cannot sync a folder (EINVAL); there is nothing to flush then.
        if fsync(fd) != 0 && errno != EINVAL { throw SystemError(errno, "flush to disk") }
    }

    /// Flushes a folder after renames in it, when nothing can be done about a failure: the
    /// renames stand either way, and the next write's checks report a failing disk.
    static func syncAfterRename(_ folder: String) {
        do { try sync(folder) } catch { return }
    }

    static func makeDirectory(_ path: String) throws(SystemError) {
        if mkdir(path, 0o755) != 0 { throw SystemError(errno, "create the folder") }
    }

    static func rename(_ from: String, _ to: String) throws(SystemError) {
        #if canImport(Glibc)
        let result = Glibc.rename(from, to)
        #else
        let result = Darwin.rename(from, to)
        #endif
        if result != 0 { throw SystemError(errno, "rename") }
    }

    /// Removes a temporary file of bbplan's own, if it is there.
    static func removeFileQuietly(_ path: String) {
        _ = unlink(path)
    }

    /// Removes an empty folder; false when it is not empty (or gone).
    @discardableResult
    static func removeEmptyDirectory(_ path: String) -> Bool {
        rmdir(path) == 0
    }

    /// Removes a folder and everything in it. Only for bbplan's own temporary folders,
    /// identified by their marker (see `OutputFolder.recover`).
    static func removeTree(_ path: String) {
        if kind(path) == .directory {
            for name in entries(path) ?? [] { removeTree(path + "/" + name) }
            rmdir(path)
        } else {
            unlink(path)
        }
    }

    /// Whether a process with this id exists (signal 0 checks without sending anything).
    static func processExists(_ pid: Int32) -> Bool {
        pid > 0 && (kill(pid, 0) == 0 || errno != ESRCH)
    }

    /// Whether `path` (an existing folder, symbolic links resolved) is a mount point: on
    /// another device than its parent, the root, or listed in the mount table (a bind mount
    /// of a folder of the same file system shares its device number). Renaming a mount point
    /// fails (EBUSY), so bbplan writes inside it instead.
    static func isMountPoint(_ path: String) -> Bool {
        var own = stat(), parent = stat()
        guard stat(path, &own) == 0, stat(path + "/..", &parent) == 0 else { return false }
        if own.st_dev != parent.st_dev || own.st_ino == parent.st_ino { return true }
        return mountPoints().contains(path)
    }

    /// Mount points of this process's mount namespace (Linux: /proc/self/mountinfo).
    static func mountPoints() -> Set<String> {
        guard let text = try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8) else { return [] }
        var points: Set<String> = []
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            if fields.count > 4 { points.insert(unescapeMountField(String(fields[4]))) }
        }
        return points
    }

    /// mountinfo writes space, tab, newline and backslash as octal escapes (`\040`).
    static func unescapeMountField(_ field: String) -> String {
        guard field.contains("\\") else { return field }
        var bytes: [UInt8] = []
        let raw = Array(field.utf8)
        var i = 0
        while i < raw.count {
            if raw[i] == UInt8(ascii: "\\"), i + 4 <= raw.count,
               let value = UInt8(String(decoding: raw[(i + 1)..<min(i + 4, raw.count)], as: UTF8.self), radix: 8) {
                bytes.append(value)
                i += 4
            } else {
                bytes.append(raw[i])
                i += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The soft limit on the size of one file (`ulimit -f`), or nil when unlimited.
    static func fileSizeLimit() -> Int64? {
        var limit = rlimit()
        guard getrlimit(RLIMIT_FSIZE_VALUE, &limit) == 0, limit.rlim_cur != rlim_t.max else { return nil }
        return Int64(clamping: limit.rlim_cur)
    }

    /// Why writing into `folder` failed, when the machine is the reason: a file at the size
    /// limit, a read-only file system, or (by trying) no space, no quota, no permission.
    /// For failures reported by libraries that keep no errno (GDAL, SQLite).
    static func diagnose(folder: String, file: String?) -> Int32? {
        if let limit = fileSizeLimit() {
            let files = [file].compactMap { $0 } + (entries(folder) ?? []).map { folder + "/" + $0 }
            if files.contains(where: { (size($0) ?? 0) >= limit }) { return EFBIG }
        }
        var fs = statvfs()
        if statvfs(folder, &fs) == 0, fs.f_flag & UInt(ST_RDONLY) != 0 { return EROFS }
        // Try it: 1 MiB is more than any single write the libraries make.
        let probe = folder + "/.bbplan-probe-\(getpid())"
        defer { unlink(probe) }
        do {
            try writeNew(Data(count: 1 << 20), to: probe)
        } catch {
            return isEnvironmentCode(error.code) ? error.code : nil
        }
        return nil
    }

    private static func isEnvironmentCode(_ code: Int32) -> Bool { OutputFailure.isEnvironment(code) }
}

#if canImport(Glibc)
// Glibc imports RLIMIT_FSIZE as an enum case of __rlimit_resource; getrlimit takes its raw value.
let RLIMIT_FSIZE_VALUE = __rlimit_resource_t(RLIMIT_FSIZE.rawValue)
#else
let RLIMIT_FSIZE_VALUE = RLIMIT_FSIZE
#endif

/// A failed system call: its errno and what was being done.
struct SystemError: Error {
    let code: Int32
    let operation: String

    init(_ code: Int32, _ operation: String) {
        self.code = code
        self.operation = operation
    }

    /// The failure on `path` as the user sees it.
    func failure(_ path: String) -> OutputFailure {
        OutputFailure.system(path, code, doing: OutputFailure.isEnvironment(code) ? nil : "cannot \(operation)")
    }
}
