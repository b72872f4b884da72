import Foundation

/// The check every input path passes before anything reads it (docs/RELIABILITY.md, "Inputs").
///
/// bbplan reads only what is bounded and local: regular files, a folder that GDAL reads as one
/// dataset (a Shapefile folder, a FileGDB `.gdb`), and GDAL's archive paths (`/vsizip/`,
/// `/vsigzip/`, `/vsitar/`) over a local regular file. A device (`/dev/zero`), FIFO or socket
/// would be read forever or block; a pseudo-file (`/proc`, `/sys`) claims a size of 0 and is
/// not data; a network path (`/vsicurl/`, `http://`) would make results depend on a server.
public enum InputFile {
    /// What a checked path is.
    public enum Kind: Equatable, Sendable {
        /// A regular file.
        case file
        /// A folder: its regular files make up the source (GDAL decides whether it is a dataset).
        case folder
        /// A GDAL archive path; the associated value is the local archive file it reads.
        case archive(String)
    }

    /// GDAL virtual file systems that read a local file (an archive) and nothing else.
    static let localVirtualPrefixes = ["/vsizip/", "/vsigzip/", "/vsitar/"]

    /// GDAL virtual file systems that reach the network, named as such in messages.
    static let networkVirtualPrefixes = [
        "/vsicurl", "/vsis3", "/vsigs", "/vsiaz", "/vsiadls", "/vsioss", "/vsiswift", "/vsihdfs", "/vsiwebhdfs",
    ]

    /// Checks `path` and says what it is.
    /// - Throws: `GeoIOError` naming the path when it is not something bbplan reads: a network
    ///   or non-local GDAL path, a missing file, a device, FIFO, socket or pseudo-file, or a file
    ///   over `Limits.maxFileBytes` on disk.
    @discardableResult
    public static func check(_ path: String) throws -> Kind {
        if let archive = try archivePath(path) {
            try checkRegularFile(archive, reportedAs: path)
            return .archive(archive)
        }
        let status = try fileStatus(path)
        switch status.kind {
        case .regular:
            try checkRegularFile(path, reportedAs: path, status: status)
            if status.size == 0 { throw GeoIOError(path: path, "file is empty") }
            return .file
        case .directory:
            try checkNotPseudo(path)
            return .folder
        default:
            throw notRegular(path, status.kind)
        }
    }

    /// The local regular files whose bytes make up the source at `path`, in the order they
    /// are hashed: the file itself (for a Shapefile, then its .shx, .dbf, .prj and .cpg when
    /// present); for a folder, every regular file directly in it in byte order of the names
    /// (sub-folders are not read); for an archive path, the archive file.
    public static func files(of path: String) throws -> [String] {
        switch try check(path) {
        case .archive(let archive):
            return [archive]
        case .file:
            var files = [path]
            if path.lowercased().hasSuffix(".shp") {
                let stem = String(path.dropLast(4))
                for ext in ["shx", "dbf", "prj", "cpg"] {
                    let companion = "\(stem).\(ext)"
                    guard let status = try? fileStatus(companion) else { continue }
                    try checkRegularFile(companion, reportedAs: companion, status: status)
                    files.append(companion)
                }
            }
            return files
        case .folder:
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: path)
            } catch {
                throw GeoIOError(path: path, "cannot list the folder: \(error.localizedDescription)")
            }
            var files: [String] = []
            for name in names.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
                let entry = (path as NSString).appendingPathComponent(name)
                let status = try fileStatus(entry)
                switch status.kind {
                case .regular:
                    try checkRegularFile(entry, reportedAs: entry, status: status)
                    files.append(entry)
                case .directory:
                    continue
                default:
                    throw GeoIOError(path: path, "holds '\(name.excerpt)', which is \(status.kind.description), not a regular file")
                }
            }
            guard !files.isEmpty else { throw GeoIOError(path: path, "is a folder holding no files") }
            return files
        }
    }

    // MARK: - GDAL virtual paths

    /// For a GDAL archive path, the local archive file it reads; nil for a plain path.
    /// - Throws: for URLs, network and other non-local GDAL virtual paths, also nested
    ///   (`/vsizip//vsicurl/...`).
    static func archivePath(_ path: String) throws -> String? {
        var rest = Substring(path)
        var isArchive = false
        while rest.hasPrefix("/vsi") {
            guard let prefix = localVirtualPrefixes.first(where: { rest.hasPrefix($0) }) else {
                let name = "/" + rest.dropFirst().prefix { $0 != "/" && $0 != "?" }.prefix(24)
                if networkVirtualPrefixes.contains(where: { name.hasPrefix($0) }) {
                    throw GeoIOError(path: path, "GDAL's \(name)/ reads over the network; bbplan reads only local files")
                }
                throw GeoIOError(path: path, "GDAL's \(name)/ is not a local file; bbplan reads local files and /vsizip/, /vsigzip/, /vsitar/ archives of them")
            }
            rest = rest.dropFirst(prefix.count)
            isArchive = true
            // `/vsizip/{/path/to/archive.zip}/inner` names the archive between braces.
            if rest.hasPrefix("{"), let close = rest.firstIndex(of: "}") {
                rest = rest[rest.index(after: rest.startIndex)..<close]
            }
        }
        // A URL, alone or inside an archive path (`/vsizip/http://...`), is read by GDAL over
        // the network.
        if path.contains("://") {
            throw GeoIOError(path: path, "is a network address; bbplan reads only local files (GDAL's network access is switched off)")
        }
        guard isArchive else { return nil }
        // The archive is the first prefix of the remaining path that exists and is not a
        // folder: `/data/x.zip` in `/data/x.zip/inner/roads.shp`.
        let parts = rest.split(separator: "/", omittingEmptySubsequences: false)
        var candidate = rest.hasPrefix("/") ? "" : "."
        for part in parts where !part.isEmpty {
            candidate += "/" + part
            guard let status = try? fileStatus(candidate) else { break }
            if status.kind != .directory { return candidate }
        }
        throw GeoIOError(path: path, "file not found (no archive file in the path)")
    }

    // MARK: - File status

    enum FileKind: Equatable {
        case regular, directory, characterDevice, blockDevice, fifo, socket, other

        var description: String {
            switch self {
            case .regular: "a regular file"
            case .directory: "a folder"
            case .characterDevice: "a character device (such as /dev/zero)"
            case .blockDevice: "a block device"
            case .fifo: "a FIFO (named pipe)"
            case .socket: "a socket"
            case .other: "not a file"
            }
        }
    }

    struct FileStatus {
        let kind: FileKind
        let size: Int64
    }

    /// `stat` of the path, following symbolic links (a link to /dev/zero is a device).
    static func fileStatus(_ path: String) throws -> FileStatus {
        var st = stat()
        guard stat(path, &st) == 0 else {
            let reason = errno
            if reason == ENOENT || reason == ENOTDIR { throw GeoIOError(path: path, "file not found") }
            throw GeoIOError(path: path, "cannot read: \(String(cString: strerror(reason)))")
        }
        let kind: FileKind
        switch st.st_mode & S_IFMT {
        case S_IFREG: kind = .regular
        case S_IFDIR: kind = .directory
        case S_IFCHR: kind = .characterDevice
        case S_IFBLK: kind = .blockDevice
        case S_IFIFO: kind = .fifo
        case S_IFSOCK: kind = .socket
        default: kind = .other
        }
        return FileStatus(kind: kind, size: Int64(st.st_size))
    }

    /// Throws unless `file` is a readable regular file on a real file system within the size
    /// limit; messages name `reportedAs` (the path the user wrote).
    static func checkRegularFile(_ file: String, reportedAs: String, status known: FileStatus? = nil) throws {
        let status = try known ?? fileStatus(file)
        guard status.kind == .regular else { throw notRegular(reportedAs, status.kind) }
        try checkNotPseudo(file, reportedAs: reportedAs)
        guard access(file, R_OK) == 0 else {
            throw GeoIOError(path: reportedAs, "cannot read: \(String(cString: strerror(errno)))")
        }
        if status.size > Limits.maxFileBytes {
            throw GeoIOError(path: reportedAs, "file is \(Limits.describe(bytes: status.size)); inputs are limited to \(Limits.describe(bytes: Limits.maxFileBytes)) (see docs/RELIABILITY.md)")
        }
    }

    static func notRegular(_ path: String, _ kind: FileKind) -> GeoIOError {
        GeoIOError(path: path, "is \(kind.description), not a regular file; bbplan reads only regular files")
    }

    /// Throws when `path` lies on a kernel pseudo-file system (/proc, /sys and the like), whose
    /// "files" report a size of 0 and are generated as they are read.
    static func checkNotPseudo(_ path: String, reportedAs: String? = nil) throws {
        if let name = pseudoFileSystem(path) {
            throw GeoIOError(path: reportedAs ?? path, "is on the \(name) pseudo-file system, not a data file")
        }
    }

    /// Kernel pseudo-file systems: their "files" are generated as they are read.
    static let pseudoFileSystems: Set<String> = [
        "proc", "sysfs", "debugfs", "tracefs", "securityfs", "cgroup", "cgroup2", "configfs", "pstore",
        "efivarfs", "bpf", "fusectl", "devpts", "mqueue", "binfmt_misc",
    ]

    /// The type of the pseudo-file system holding `path` ("proc", "sysfs", ...), or nil for an
    /// ordinary file system.
    static func pseudoFileSystem(_ path: String) -> String? {
        #if os(Linux)
        // The mount whose mount point is the longest prefix of the resolved path holds it
        // (/proc/self/mounts: device, mount point, type, ...; spaces in paths as \040).
        guard let resolved = realpath(path, nil) else { return nil }
        let target = String(cString: resolved)
        free(resolved)
        guard let text = try? String(contentsOfFile: "/proc/self/mounts", encoding: .utf8) else { return nil }
        var best: (length: Int, type: String)?
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count >= 3 else { continue }
            let mountPoint = fields[1].replacingOccurrences(of: "\\040", with: " ")
            let isPrefix = mountPoint == "/" || target == mountPoint || target.hasPrefix(mountPoint + "/")
            if isPrefix, mountPoint.count >= (best?.length ?? -1) { best = (mountPoint.count, String(fields[2])) }
        }
        return best.flatMap { pseudoFileSystems.contains($0.type) ? $0.type : nil }
        #else
        var fs = statfs()
        guard statfs(path, &fs) == 0 else { return nil }
        let name = withUnsafeBytes(of: fs.f_fstypename) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        return ["devfs", "procfs"].contains(name) ? name : nil
        #endif
    }
}
