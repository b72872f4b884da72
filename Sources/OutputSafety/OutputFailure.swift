import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why bbplan cannot write, or will not write, an output folder.
///
/// `refused` is the user's choice of folder (exit 2): a folder holding files bbplan did not
/// write, the working folder, a folder holding an input. `environment` is the machine (exit
/// 1): no space left, a read-only file system, permission denied. `failed` is any other
/// failure to write or verify what was written (exit 1). Every message is one line naming the
/// path.
public struct OutputFailure: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case refused
        case environment
        case failed
    }

    public let kind: Kind
    public let description: String

    /// `description` is shown as it is; bbplan's error reporting escapes control characters
    /// of every message.
    public init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }

    /// Bad input (exit 2) rather than a failure of the run or of the machine (exit 1).
    public var isBadInput: Bool { kind == .refused }

    /// The refusal for a folder that holds anything bbplan did not write.
    public static func foreignFiles(_ display: String) -> OutputFailure {
        OutputFailure(.refused, "\(OutputLocation.folderLabel(display)): holds files bbplan did not write; choose another --out or empty it")
    }

    /// A failed system call on `path`: an environment failure when `code` is one (disk full,
    /// read-only, permission, busy, quota, file size limit), else a plain failure.
    public static func system(_ path: String, _ code: Int32, doing what: String? = nil) -> OutputFailure {
        let prefix = what.map { "\($0): " } ?? ""
        return OutputFailure(isEnvironment(code) ? .environment : .failed, "\(path): \(prefix)\(cause(code))")
    }

    /// The errors that say the machine, not bbplan or its input, is the problem.
    public static func isEnvironment(_ code: Int32) -> Bool {
        [ENOSPC, EDQUOT, EROFS, EACCES, EPERM, EBUSY, EFBIG, EIO, ETXTBSY].contains(code)
    }

    /// The cause as a lower-case phrase, e.g. "no space left on device".
    public static func cause(_ code: Int32) -> String {
        if code == EFBIG { return "file too large (over the file size limit, ulimit -f)" }
        let text = String(cString: strerror(code))
        guard let first = text.first else { return "error \(code)" }
        // strerror capitalises the first word ("No space left on device"); keep acronyms.
        let second = text.dropFirst().first
        return second.map { $0.isUppercase } == true ? text : first.lowercased() + text.dropFirst()
    }
}
