import CGDAL
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One input file: a file on disk (plain or gzip) or a member of a zip archive.
public struct DataFile: Hashable, Sendable, CustomStringConvertible {
    /// The file, or the zip archive holding it.
    public let path: String
    /// The member's path inside the archive; nil for a plain file.
    public let member: String?

    public init(path: String, member: String? = nil) {
        self.path = path
        self.member = member
    }

    /// The file's own name (the last path component of the member or the path), which is
    /// where publishers put the snapshot and revision.
    public var fileName: String {
        ((member ?? path) as NSString).lastPathComponent
    }

    /// How messages name it: the path, or `archive.zip/member.csv`.
    public var description: String { member.map { path + "/" + $0 } ?? path }
}

/// What a list of file names, globs and zip archives expanded to.
public struct InputExpansion: Sendable, Equatable {
    /// The files to read, in order: each argument's matches sorted by name, arguments in turn;
    /// a file reached twice (two overlapping globs) is kept once, at its first place.
    public var files: [DataFile]
    /// Zip members that the caller's name test refused (documentation, other layouts), for
    /// provenance: nothing is dropped without a trace.
    public var skippedMembers: [DataFile]
}

/// Expands the inputs a scenario names: plain paths, globs (`ofcom/*_fixed_pc_coverage_*.csv`)
/// and zip archives (every member whose name passes a test).
public enum InputFiles {
    /// - Parameters:
    ///   - arguments: paths, globs (`*`, `?`, `[...]`; expanded by bbplan, sorted by name) or
    ///     `.zip` archives (listed through GDAL; members are files at any depth).
    ///   - acceptMember: whether a zip member (its file name) is one of the files wanted.
    /// - Throws: a glob that matches nothing, a missing file, an archive GDAL cannot list, or
    ///   an archive with no accepted member.
    public static func expand(_ arguments: [String], acceptMember: (String) -> Bool) throws -> InputExpansion {
        var result = InputExpansion(files: [], skippedMembers: [])
        var seen = Set<DataFile>()
        func add(_ file: DataFile) {
            if seen.insert(file).inserted { result.files.append(file) }
        }
        for argument in arguments {
            let paths: [String]
            if isGlob(argument) && (try? InputFile.fileStatus(argument)) == nil {
                paths = try glob(argument)
            } else {
                paths = [argument]
            }
            for path in paths {
                // What bbplan reads at all: local regular files and archive paths over them.
                switch try InputFile.check(path) {
                case .folder:
                    throw GeoIOError(path: path, "is a folder; name its files or a glob such as '\(path)/*.csv'")
                case .archive:
                    add(DataFile(path: path))
                    continue
                case .file:
                    break
                }
                guard ZipArchive.isZip(path) else {
                    add(DataFile(path: path))
                    continue
                }
                var accepted = 0
                for member in try ZipArchive.members(path) {
                    let file = DataFile(path: path, member: member)
                    if acceptMember(file.fileName) {
                        accepted += 1
                        add(file)
                    } else {
                        result.skippedMembers.append(file)
                    }
                }
                if accepted == 0 {
                    throw GeoIOError(path: path, "the archive holds no file of the expected kind (\(try ZipArchive.members(path).count) members, none with a matching name)")
                }
            }
        }
        return result
    }

    /// Whether the text holds glob characters.
    public static func isGlob(_ text: String) -> Bool {
        text.contains { $0 == "*" || $0 == "?" || $0 == "[" }
    }

    /// The regular files matching a glob, sorted by name.
    /// - Throws: when nothing matches.
    public static func glob(_ pattern: String) throws -> [String] {
        var g = glob_t()
        defer { globfree(&g) }
        #if canImport(Glibc)
        let status = pattern.withCString { Glibc.glob($0, 0, nil, &g) }
        #else
        let status = pattern.withCString { Darwin.glob($0, 0, nil, &g) }
        #endif
        guard status == 0 else {
            throw GeoIOError(path: pattern, "no file matches this pattern")
        }
        var paths: [String] = []
        for i in 0..<Int(g.gl_pathc) {
            guard let p = g.gl_pathv[i] else { continue }
            let path = String(cString: p)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                paths.append(path)
            }
        }
        guard !paths.isEmpty else { throw GeoIOError(path: pattern, "no file matches this pattern") }
        return paths.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }
}

/// Zip archives read through GDAL's `/vsizip/` virtual file system.
public enum ZipArchive {
    /// Whether the file starts with a zip local-file header (`PK\3\4`) or is an empty zip
    /// (`PK\5\6`), whatever it is called.
    public static func isZip(_ path: String) -> Bool {
        guard (try? InputFile.check(path)) == .file, let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let magic = handle.readData(ofLength: 4)
        return magic.count == 4 && magic[magic.startIndex] == 0x50 && magic[magic.startIndex + 1] == 0x4B
            && ((magic[magic.startIndex + 2] == 3 && magic[magic.startIndex + 3] == 4)
                || (magic[magic.startIndex + 2] == 5 && magic[magic.startIndex + 3] == 6))
    }

    /// The archive's member files (not folders) at any depth, as paths inside the archive,
    /// sorted by name.
    public static func members(_ path: String) throws -> [String] {
        GDAL.ensureReady()
        guard try InputFile.check(path) == .file else { throw GeoIOError(path: path, "is not a zip archive file") }
        let root = "/vsizip/{" + absolute(path) + "}"
        CPLErrorReset()
        guard let dir = VSIOpenDir(root, -1, nil) else {
            throw GeoIOError(path: path, "cannot list the zip archive: \(GDAL.lastError("not a zip archive GDAL can read"))")
        }
        defer { VSICloseDir(dir) }
        var names: [String] = []
        while let entry = VSIGetNextDirEntry(dir) {
            guard let name = entry.pointee.pszName else { continue }
            // Folders are listed too; keep regular files (a mode GDAL did not give counts as one).
            let mode = entry.pointee.nMode
            if entry.pointee.bModeKnown != 0 && (mode_t(mode) & S_IFMT) != S_IFREG { continue }
            names.append(String(cString: name))
        }
        return names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// GDAL's virtual path of a member (the archive's path in braces, so names holding `.zip`
    /// cannot confuse it).
    static func virtualPath(_ archive: String, _ member: String) -> String {
        "/vsizip/{" + absolute(archive) + "}/" + member
    }

    private static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }
}
