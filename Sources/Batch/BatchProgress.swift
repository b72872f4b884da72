import Foundation

/// A batch's progress on stderr. On a terminal: a line per variant as it ends, and below
/// them, redrawn in place, the running variants with their elapsed time and an overall bar
/// `[#####.....] 3/8`. Not on a terminal: one plain line per variant as it ends.
final class BatchProgress {
    let interactive: Bool
    let total: Int
    private var done = 0
    private var failed = 0
    private var running: [(name: String, note: String?, started: Date)] = []
    private var drawnLines = 0
    /// Running lines shown at most; the rest are counted.
    private let maxRunningLines = 12
    private let nameWidth: Int

    /// Where the text goes (stderr; a test collects it).
    private let output: (String) -> Void

    init(total: Int, longestName: Int, interactive: Bool = isatty(STDERR_FILENO) == 1,
         output: @escaping (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }) {
        self.total = total
        self.interactive = interactive
        self.output = output
        nameWidth = min(max(longestName, 10), 60)
    }

    func started(_ name: String, note: String?) {
        running.append((name, note, Date()))
        redraw()
    }

    /// Shows how a variant ended; `detail` says more (why it was skipped).
    func ended(_ name: String, _ outcome: BatchOutcome, detail: String? = nil, seconds: Double?) {
        let note = running.first { $0.name == name }?.note
        running.removeAll { $0.name == name }
        done += 1
        var line = "\(outcome.word.padding(toLength: 8, withPad: " ", startingAt: 0)) \(pad(name))"
        if let seconds { line += String(format: " %7.1fs", seconds) }
        switch outcome {
        case .finished: if let note { line += "  \(note)" }
        case .failed(let message):
            failed += 1
            line += "  \(message)"
        case .skipped: break
        }
        if let detail { line += "  \(detail)" }
        if interactive {
            clear()
            write(line + "\n")
            redraw()
        } else {
            write("[\(done)/\(total)] \(line)\n")
        }
    }

    /// A line about the batch itself (the catalogue locked by another process), kept above
    /// the live lines on a terminal, as is in a log.
    func note(_ text: String) {
        if interactive {
            clear()
            write("note: \(text)\n")
            redraw()
        } else {
            write("note: \(text)\n")
        }
    }

    /// Redraws the running lines and the bar (on a terminal; call it a few times a second).
    func redraw() {
        guard interactive else { return }
        clear()
        var lines: [String] = []
        let now = Date()
        for r in running.prefix(maxRunningLines) {
            var line = "running  \(pad(r.name))" + String(format: " %7.1fs", now.timeIntervalSince(r.started))
            if let note = r.note { line += "  \(note)" }
            lines.append(line)
        }
        if running.count > maxRunningLines { lines.append("         ... and \(running.count - maxRunningLines) more running") }
        lines.append(bar())
        // A live line that wrapped would throw off the cursor movement that erases it.
        let width = max(20, (ProcessInfo.processInfo.environment["COLUMNS"].flatMap { Int($0) } ?? 80) - 1)
        write(lines.map { String($0.prefix(width)) + "\n" }.joined())
        drawnLines = lines.count
    }

    /// Removes the live lines, leaving the per-variant lines above them.
    func finish() {
        guard interactive else { return }
        clear()
        write(bar() + "\n")
    }

    func bar() -> String {
        let width = 20
        let filled = total > 0 ? done * width / total : width
        var text = "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] \(done)/\(total)"
        if failed > 0 { text += "  \(failed) failed" }
        return text
    }

    private func clear() {
        guard drawnLines > 0 else { return }
        write("\u{1B}[\(drawnLines)A\r\u{1B}[J")
        drawnLines = 0
    }

    private func pad(_ name: String) -> String {
        name.count >= nameWidth ? name : name.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
    }

    private func write(_ text: String) { output(text) }
}
