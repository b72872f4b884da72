import ArgumentParser
import Foundation
import Batch

/// The bbplan command line: a root command and one file per subcommand.
@main
struct BBPlan: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bbplan",
        abstract: "Plan superfast and gigabit broadband coverage for UK local authorities.",
        discussion: """
            Exit codes: 0 success, 1 the run failed, 2 bad input or usage.
            Documentation: README.md and docs/ in the source tree.
            """,
        version: BBPlanVersion.current,
        subcommands: [RunCommand.self, CoverageCommand.self, ValidateCommand.self, CalibrateCommand.self, Inspect.self,
                      BatchCommand.self, ReportCommand.self, BatchWorkerCommand.self])

    /// Parses, runs, and maps failures to bbplan's exit codes with a one-line message.
    static func main() {
        // Past the file size limit (ulimit -f), a write then fails with EFBIG, which bbplan
        // reports, instead of the process being killed by SIGXFSZ.
        signal(SIGXFSZ, SIG_IGN)
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            exit(with: error)
        }
    }

    static func exit(with error: Error) -> Never {
        if let failure = error as? CommandFailure {
            FileHandle.standardError.write(Data("bbplan: \(failure.message)\n".utf8))
            Foundation.exit(failure.code)
        }
        if let code = ErrorReporting.exitCode(for: error) {
            FileHandle.standardError.write(Data("bbplan: \(ErrorReporting.message(for: error))\n".utf8))
            Foundation.exit(code)
        }
        // ArgumentParser's own outcomes: help and version print and exit 0; usage errors exit 2.
        let parserCode = exitCode(for: error)
        if parserCode == .success {
            Self.exit(withError: error)
        }
        FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
        Foundation.exit(2)
    }
}
