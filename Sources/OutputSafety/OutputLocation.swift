import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An output folder bbplan may write: checked against the locations it refuses before any
/// work starts (docs/RELIABILITY.md, "What bbplan will and will not delete").
///
/// Refused: an empty name, the root folder, the home folder, the working folder, the folder
/// of a scenario file, and any folder holding (at any depth) an input or scenario file, which
/// includes every folder above those. Paths are compared with symbolic links resolved. A
/// scenario's `outputs.dir` must also stay inside the scenario's folder (relative, no `..`
/// above it) unless the user allows it.
public struct OutputLocation: Sendable, Equatable {
    /// How the folder was chosen; decides which rules apply and how messages name it.
    public enum Origin: Sendable, Equatable {
        /// A command-line option (`--out`).
        case option(String)
        /// `outputs.dir` as written in the scenario file `file` at `line`.
        case scenario(text: String, file: String, line: Int)
        /// bbplan's default (`out/<name>` in the working folder).
        case automatic
    }

    /// A file or folder the output folder must never hold or be: inputs and scenario files.
    public struct Protected: Sendable, Equatable {
        public enum Role: String, Sendable {
            case input = "the input"
            /// A scenario file: its folder is refused too.
            case scenario = "the scenario file"
        }

        public let path: String
        public let role: Role

        public init(path: String, role: Role) {
            self.path = path
            self.role = role
        }
    }

    /// The places the rules compare against; `current` for the running process.
    public struct Context: Sendable {
        public var workingFolder: String
        public var homeFolders: [String]

        public init(workingFolder: String, homeFolders: [String]) {
            self.workingFolder = workingFolder
            self.homeFolders = homeFolders
        }

        public static var current: Context {
            var homes = [NSHomeDirectory()]
            if let home = ProcessInfo.processInfo.environment["HOME"], !home.isEmpty { homes.append(home) }
            if let entry = getpwuid(getuid()), let dir = entry.pointee.pw_dir { homes.append(String(cString: dir)) }
            return Context(workingFolder: FileManager.default.currentDirectoryPath, homeFolders: homes)
        }
    }

    /// The folder as the user named it, made absolute (for messages and the terminal).
    public let display: String
    /// The folder with symbolic links resolved: where bbplan actually writes.
    public let real: String

    /// Checks `path` against the rules and resolves it.
    ///
    /// - Parameters:
    ///   - path: the folder as given (relative to the working folder, or for `.scenario`
    ///     already resolved against the scenario file's folder).
    ///   - protecting: inputs and scenario files the folder must not be or hold.
    ///   - allowOutside: lets `outputs.dir` leave the scenario's folder (`--allow-outside`).
    public static func check(_ path: String, origin: Origin, protecting: [Protected], allowOutside: Bool = false,
                             context: Context = .current) throws -> OutputLocation {
        let label = Self.label(origin, path)
        if path.isEmpty {
            throw OutputFailure(.refused, "\(label): an empty folder name (an unset shell variable?); name the folder for the outputs")
        }
        if path.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw OutputFailure(.refused, "\(label): the folder name contains a control character or NUL")
        }
        let working = real(context.workingFolder)
        let display = absolute(path, against: working)
        // Resolved from the path as written: `link/..` is the link target's parent.
        var written = path.hasPrefix("/") ? path : working + "/" + path
        if case .scenario(let text, let file, _) = origin {
            written = text.hasPrefix("/") ? text : URL(fileURLWithPath: file).deletingLastPathComponent().path + "/" + text
        }
        let resolved = real(written)

        if case .scenario(let text, let file, _) = origin, !allowOutside {
            let scenarioFolder = real(URL(fileURLWithPath: file).deletingLastPathComponent().path)
            if text.hasPrefix("/") {
                throw OutputFailure(.refused, "\(label): an absolute path; outputs.dir must be a folder inside the scenario's folder (or use --out, or --allow-outside)")
            }
            if climbs(text) || !(resolved == scenarioFolder || isInside(resolved, scenarioFolder)) {
                throw OutputFailure(.refused, "\(label): leaves the scenario's folder; outputs.dir must be a folder inside it (or use --out, or --allow-outside)")
            }
        }

        let refuse = { (reason: String) in
            OutputFailure(.refused, "\(label): \(reason); choose a folder of its own for the outputs")
        }
        if resolved == "/" { throw refuse("is the root folder") }
        let homes = Set(context.homeFolders.map { real($0) })
        for home in homes.sorted() where home != "/" {
            if resolved == home { throw refuse("is your home folder") }
            if isInside(home, resolved) { throw refuse("holds your home folder") }
        }
        if resolved == working { throw refuse("is the working folder") }
        if isInside(working, resolved) { throw refuse("holds the working folder") }
        for item in protecting {
            let path = real(item.path)
            let role = item.role.rawValue
            if item.role == .scenario {
                let folder = real(URL(fileURLWithPath: path).deletingLastPathComponent().path)
                if resolved == folder { throw refuse("is the folder of \(role) \(item.path)") }
            }
            if resolved == path { throw refuse("is \(role) \(item.path)") }
            if isInside(path, resolved) { throw refuse("holds \(role) \(item.path)") }
            // An input that is a folder (a dataset GDAL reads as one) must not hold the outputs.
            if FileSystem.kind(path) == .directory && isInside(resolved, path) { throw refuse("is inside \(role) \(item.path)") }
        }
        if FileSystem.kind(resolved) == .file || FileSystem.kind(resolved) == .other {
            throw OutputFailure(.refused, "\(label): is a file, not a folder")
        }
        return OutputLocation(display: display, real: resolved)
    }

    /// A location taken as it is (for tests and libraries writing to a folder they chose).
    public init(display: String, real: String) {
        self.display = display
        self.real = real
    }

    /// How a message names the folder: `--out PATH`, `file:line: outputs.dir 'TEXT'`, or the path.
    static func label(_ origin: Origin, _ path: String) -> String {
        switch origin {
        case .option(let name): return path.isEmpty ? "\(name) \"\"" : "\(name) \(path)"
        case .scenario(let text, let file, let line): return "\(file):\(line): outputs.dir '\(text)'"
        case .automatic: return path
        }
    }

    /// `path/` for messages about a folder's contents.
    static func folderLabel(_ display: String) -> String {
        display.hasSuffix("/") ? display : display + "/"
    }

    /// Whether a relative path climbs above its starting folder at any point (`a/../../b`).
    static func climbs(_ text: String) -> Bool {
        var depth = 0
        for component in text.split(separator: "/") {
            if component == ".." { depth -= 1 } else if component != "." { depth += 1 }
            if depth < 0 { return true }
        }
        return false
    }

    /// Whether `path` is strictly inside `folder` (both real, absolute).
    static func isInside(_ path: String, _ folder: String) -> Bool {
        folder == "/" ? path != "/" : path.hasPrefix(folder + "/")
    }

    /// `path` made absolute against `base`, with `.` and `..` applied lexically.
    static func absolute(_ path: String, against base: String) -> String {
        let full = path.hasPrefix("/") ? path : base + "/" + path
        var parts: [Substring] = []
        for component in full.split(separator: "/") {
            if component == "." { continue }
            if component == ".." { _ = parts.popLast() } else { parts.append(component) }
        }
        return "/" + parts.joined(separator: "/")
    }

    /// `path` (absolute) with symbolic links resolved as far as it exists; the rest is
    /// appended, with `..` applied to the resolved part as the kernel would.
    public static func real(_ path: String) -> String {
        var resolved = "/"
        var exists = true
        for component in path.split(separator: "/") {
            if component == "." { continue }
            if component == ".." {
                resolved = resolved == "/" ? "/" : (URL(fileURLWithPath: resolved).deletingLastPathComponent().path)
                continue
            }
            let next = resolved == "/" ? "/\(component)" : "\(resolved)/\(component)"
            if exists, let target = FileSystem.realPath(next) {
                resolved = target
            } else {
                exists = false
                resolved = next
            }
        }
        return resolved
    }
}
