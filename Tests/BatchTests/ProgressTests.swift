import Foundation
import Testing
@testable import Batch

/// Progress off a terminal (issue 11, item 13): a log gets one plain line for each step still
/// running after the threshold, and nothing for short steps, so a quick run (or a failure
/// before a long step) writes nothing but its result.
@Suite("Progress")
struct ProgressTests {
    /// Collects what `Progress` writes, from any thread.
    final class Sink: @unchecked Sendable {
        // @unchecked: `text` is only touched under `lock`.
        private let lock = NSLock()
        private var text = ""
        func append(_ s: String) { lock.lock(); text += s; lock.unlock() }
        var contents: String { lock.lock(); defer { lock.unlock() }; return text }
    }

    @Test func offATerminalOnlyStepsOverTheThresholdGetALine() throws {
        let sink = Sink()
        let progress = Progress(terminal: false, offTerminal: .linesAfter(seconds: 0.2), output: sink.append)
        progress.step("reading premises")         // runs 0.6 s: over the threshold
        Thread.sleep(forTimeInterval: 0.6)
        progress.step("classifying premises")     // replaced at once: no line
        progress.step("writing coverage.gpkg")    // finished before the threshold: no line
        Thread.sleep(forTimeInterval: 0.05)
        progress.finish()
        Thread.sleep(forTimeInterval: 0.4)
        let lines = sink.contents.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 2 && lines[1].isEmpty, "one line, ended: \(sink.contents.debugDescription)")
        #expect(lines[0].hasSuffix("s] reading premises") && lines[0].hasPrefix("[   0.0s]"), "\(lines[0])")
        #expect(!sink.contents.contains("\u{1B}"), "no terminal codes in a log")
    }

    @Test func onATerminalEveryStepRewritesTheLine() {
        let sink = Sink()
        let progress = Progress(terminal: true, output: sink.append)
        progress.step("reading premises")
        progress.step("writing report.html")
        progress.finish()
        #expect(sink.contents.hasPrefix("\r\u{1B}[K[   0.0s] reading premises\r\u{1B}[K["))
        #expect(sink.contents.hasSuffix("writing report.html\r\u{1B}[K"))
    }

    @Test func silentWritesNothing() {
        let sink = Sink()
        let progress = Progress(terminal: false, offTerminal: .silent, output: sink.append)
        #expect(!progress.enabled)
        progress.step("reading premises")
        progress.finish()
        #expect(sink.contents.isEmpty)
    }
}
