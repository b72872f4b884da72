import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A child process of bbplan, spawned in bbplan's own process group (so signals to the
/// group, such as Ctrl-C or `kill -KILL -PGID`, reach it too), with stdin and stdout on
/// /dev/null and stderr captured.
///
/// Foundation's `Process` puts children in a new process group, which would let workers
/// outlive a killed batch; hence posix_spawn.
struct ChildProcess: Sendable {
    /// How a child ended: its exit code, or the signal that killed it.
    enum Termination: Sendable, Equatable {
        case exited(Int32)
        case signalled(Int32)
    }

    struct Outcome: Sendable {
        let termination: Termination
        /// The end of what the child wrote to stderr (at most `stderrLimit` bytes).
        let stderr: String
    }

    /// Bytes of stderr kept (the end of it: where the error is).
    static let stderrLimit = 64 * 1024

    let pid: pid_t
    private let stderrFD: Int32

    /// Starts `executable` with `arguments` (argv[0] is `name`).
    static func spawn(executable: String, name: String, arguments: [String]) throws -> ChildProcess {
        var fds: [Int32] = [-1, -1]
        // Close-on-exec, so later workers do not inherit this one's pipe (which would keep it
        // open after this worker exits). Workers are spawned from one thread only.
        guard pipe(&fds) == 0 else { throw spawnError("cannot create a pipe", errno) }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        #if os(Linux)
        var actions = posix_spawn_file_actions_t()
        #else
        var actions: posix_spawn_file_actions_t?
        #endif
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, fds[1], 2)

        // No signal blocked, and SIGTERM at its default, whatever the batch inherited (a test
        // runner's threads block signals): `--variant-timeout` stops a worker with SIGTERM.
        #if os(Linux)
        var attributes = posix_spawnattr_t()
        #else
        var attributes: posix_spawnattr_t?
        #endif
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t(), terminate = sigset_t()
        sigemptyset(&noSignals)
        sigemptyset(&terminate)
        sigaddset(&terminate, SIGTERM)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &terminate)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv: [UnsafeMutablePointer<CChar>?] = ([name] + arguments).map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid: pid_t = 0
        let rc = argv.withUnsafeBufferPointer { buffer in
            posix_spawn(&pid, executable, &actions, &attributes, UnsafeMutablePointer(mutating: buffer.baseAddress!), environ)
        }
        close(fds[1])
        guard rc == 0 else {
            close(fds[0])
            throw spawnError("cannot start \(executable)", rc)
        }
        return ChildProcess(pid: pid, stderrFD: fds[0])
    }

    /// Reads stderr to its end and reaps the child. Blocks: call it off the main thread.
    func wait() -> Outcome {
        var kept = Data()
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(stderrFD, $0.baseAddress, $0.count) }
            if n > 0 {
                kept.append(contentsOf: buffer[0..<n])
                if kept.count > 2 * Self.stderrLimit { kept = kept.suffix(Self.stderrLimit) }
            } else if n < 0 && errno == EINTR {
                continue
            } else {
                break
            }
        }
        close(stderrFD)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let text = String(decoding: kept.suffix(Self.stderrLimit), as: UTF8.self)
        // WIFEXITED / WEXITSTATUS / WTERMSIG are macros Swift does not import.
        let signal = status & 0x7f
        let termination: Termination = signal == 0 ? .exited((status >> 8) & 0xff) : .signalled(signal)
        return Outcome(termination: termination, stderr: text)
    }

    private static func spawnError(_ what: String, _ code: Int32) -> CommandFailure {
        CommandFailure(message: "\(what): \(String(cString: strerror(code)))", code: 1)
    }
}
