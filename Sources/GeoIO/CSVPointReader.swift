import Foundation

/// Which columns of a CSV of points to read.
public struct CSVPointSpec: Sendable, Equatable {
    /// Column holding x (easting, or longitude in degrees).
    public var x: String
    /// Column holding y (northing, or latitude in degrees).
    public var y: String
    /// Further numeric columns to read (e.g. households, radius).
    public var numberColumns: [String]
    /// Further text columns to read (e.g. an id).
    public var textColumns: [String]

    public init(x: String, y: String, numberColumns: [String] = [], textColumns: [String] = []) {
        self.x = x
        self.y = y
        self.numberColumns = numberColumns
        self.textColumns = textColumns
    }
}

/// Points held column by column: plain arrays, never one object per point.
public struct PointTable: Sendable {
    public var xs: [Double] = []
    public var ys: [Double] = []
    public var numbers: [String: [Double]] = [:]
    public var texts: [String: StringColumn] = [:]

    public init() {}

    public var count: Int { xs.count }
}

/// A streaming reader for comma-separated point files (RFC 4180 quoting, LF or CRLF, optional
/// UTF-8 byte-order mark, plain or gzip-compressed).
///
/// Reads in 4 MiB chunks and keeps only the requested columns, so the 1.7-million-row national
/// postcode file costs a few plain arrays. Every problem is reported with the file and the
/// line: a missing column, a row with the wrong number of fields, a coordinate that is not a
/// finite number.
public enum CSVPointReader {
    static let chunkSize = 4 << 20

    /// The header's column names.
    public static func header(path: String) throws -> [String] {
        var names: [String] = []
        try scan(path: path) { _, fields, _ in
            names = fields
            return false
        } onRecord: { _, _, _ in true }
        return names
    }

    /// Reads the points.
    ///
    /// - Parameters:
    ///   - check: called with each row's (x, y) as read; a non-nil message rejects the file with
    ///     that message at the row's line.
    public static func read(
        path: String, spec: CSVPointSpec, check: ((Double, Double) -> String?)? = nil
    ) throws -> PointTable {
        try read(source: try ByteSource(path: path), path: path, spec: spec, check: check)
    }

    /// Reads points from CSV bytes held in memory (`name` is used in messages); the same
    /// parser as for files, used by the fuzzer and tests.
    public static func read(
        bytes: [UInt8], name: String, spec: CSVPointSpec, check: ((Double, Double) -> String?)? = nil
    ) throws -> PointTable {
        try read(source: MemoryChunks(bytes), path: name, spec: spec, check: check)
    }

    static func read(
        source: ChunkReading, path: String, spec: CSVPointSpec, check: ((Double, Double) -> String?)?
    ) throws -> PointTable {
        var table = PointTable()
        var xIndex = 0, yIndex = 0
        var numberIndices: [(String, Int)] = []
        var textIndices: [(String, Int)] = []
        var numberColumns: [[Double]] = []
        var textColumns: [StringColumn] = []
        var fieldCount = 0

        try scan(source: source, path: path) { line, names, _ in
            fieldCount = names.count
            func index(_ name: String, _ role: String) throws -> Int {
                guard let i = names.firstIndex(of: name) else {
                    var hint = ""
                    if names.count == 1, names[0].contains(";") || names[0].contains("\t") {
                        hint = " (the header has one column: is the file separated by ';' or tabs? bbplan reads comma-separated files)"
                    } else {
                        hint = "; columns are: " + names.prefix(20).map(\.excerpt).joined(separator: ", ")
                    }
                    throw GeoIOError(path: path, location: "line \(line)", "no \(role) column '\(name)'\(hint)")
                }
                return i
            }
            xIndex = try index(spec.x, "x")
            yIndex = try index(spec.y, "y")
            numberIndices = try spec.numberColumns.map { ($0, try index($0, "numeric")) }
            textIndices = try spec.textColumns.map { ($0, try index($0, "text")) }
            numberColumns = Array(repeating: [], count: numberIndices.count)
            textColumns = Array(repeating: StringColumn(), count: textIndices.count)
            return true
        } onRecord: { line, fields, buffer in
            guard fields.count == fieldCount else {
                throw GeoIOError(path: path, location: "line \(line)",
                                 "\(fields.count) fields where the header has \(fieldCount)")
            }
            let x = try number(buffer, fields[xIndex], name: spec.x, path: path, line: line)
            let y = try number(buffer, fields[yIndex], name: spec.y, path: path, line: line)
            if let check, let problem = check(x, y) {
                throw GeoIOError(path: path, location: "line \(line)", problem)
            }
            table.xs.append(x)
            table.ys.append(y)
            for (k, (name, i)) in numberIndices.enumerated() {
                numberColumns[k].append(try number(buffer, fields[i], name: name, path: path, line: line))
            }
            for (k, (name, i)) in textIndices.enumerated() {
                try text(buffer, fields[i], into: &textColumns[k], name: name, path: path, line: line)
            }
            return true
        }
        for (k, (name, _)) in numberIndices.enumerated() { table.numbers[name] = numberColumns[k] }
        for (k, (name, _)) in textIndices.enumerated() { table.texts[name] = textColumns[k] }
        return table
    }

    /// The line on which data record `index` (0-based, header excluded) starts, for reporting
    /// a problem found after reading (such as a point outside the working CRS's area).
    public static func line(ofRecord index: Int, path: String) throws -> Int {
        var found = 0
        var seen = 0
        try scan(path: path) { _, _, _ in true } onRecord: { line, _, _ in
            if seen == index {
                found = line
                return false
            }
            seen += 1
            return true
        }
        return found
    }

    // MARK: - Scanning

    /// A field's byte range in the current buffer, and whether it was quoted with "" escapes.
    struct Field {
        var start: Int
        var end: Int
        var hasEscapedQuote: Bool
    }

    /// Splits the file into records. `onHeader` gets the column names; `onRecord` gets each
    /// data record's line number and fields. Either returns false to stop early.
    static func scan(
        path: String,
        onHeader: (Int, [String], UnsafeBufferPointer<UInt8>) throws -> Bool,
        onRecord: (Int, [Field], UnsafeBufferPointer<UInt8>) throws -> Bool
    ) throws {
        try scan(source: try ByteSource(path: path), path: path, onHeader: onHeader, onRecord: onRecord)
    }

    static func scan(
        source: ChunkReading, path: String,
        onHeader: (Int, [String], UnsafeBufferPointer<UInt8>) throws -> Bool,
        onRecord: (Int, [Field], UnsafeBufferPointer<UInt8>) throws -> Bool
    ) throws {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(chunkSize + 1 << 16)
        var atEOF = false
        var line = 1
        var sawHeader = false
        var fields: [Field] = []
        fields.reserveCapacity(32)
        var first = true

        while true {
            if !atEOF {
                let got = try source.read(into: &buffer, count: chunkSize)
                if got == 0 { atEOF = true }
            }
            if first {
                first = false
                if buffer.starts(with: [0xEF, 0xBB, 0xBF]) { buffer.removeFirst(3) }
                if buffer.isEmpty { throw GeoIOError(path: path, "file is empty") }
            }
            var consumed = 0
            var stop = false
            try buffer.withUnsafeBufferPointer { b in
                var pos = 0
                while pos < b.count {
                    guard let (end, next, newlines) = try splitRecord(b, from: pos, atEOF: atEOF, into: &fields, path: path, line: line) else {
                        break // need more data
                    }
                    if end - pos > Limits.maxCSVRecordBytes { throw recordTooLong(path: path, line: line) }
                    let recordLine = line
                    line += newlines
                    let blank = fields.count == 1 && fields[0].start == fields[0].end
                    pos = next
                    consumed = next
                    _ = end
                    if blank { continue }
                    if !sawHeader {
                        sawHeader = true
                        let names = try fields.map { f -> String in
                            guard let s = String(validating: UnsafeBufferPointer(rebasing: b[f.start..<f.end]), as: UTF8.self) else {
                                throw GeoIOError(path: path, location: "line \(recordLine)", "header is not valid UTF-8 text")
                            }
                            return unquote(s.trimmingCharacters(in: .whitespaces), escaped: f.hasEscapedQuote)
                        }
                        if try !onHeader(recordLine, names, b) { stop = true; return }
                    } else if try !onRecord(recordLine, fields, b) {
                        stop = true
                        return
                    }
                }
            }
            if stop { return }
            if consumed > 0 { buffer.removeFirst(consumed) }
            // An unfinished record already over the limit fails now, not after the whole file.
            if !atEOF, buffer.count > Limits.maxCSVRecordBytes { throw recordTooLong(path: path, line: line) }
            if atEOF {
                if !buffer.isEmpty {
                    throw GeoIOError(path: path, location: "line \(line)", "unterminated quoted field at the end of the file")
                }
                break
            }
        }
        if !sawHeader { throw GeoIOError(path: path, "file is empty") }
    }

    static func recordTooLong(path: String, line: Int) -> GeoIOError {
        GeoIOError(path: path, location: "line \(line)",
                   "a record longer than \(Limits.describe(bytes: Int64(Limits.maxCSVRecordBytes))) (no line end, or an unclosed quote?); see docs/RELIABILITY.md")
    }

    /// Splits one record starting at `pos`. Returns (end of record content, start of next
    /// record, newlines consumed), or nil when the buffer ends first and more data may come.
    @inline(__always)
    static func splitRecord(
        _ b: UnsafeBufferPointer<UInt8>, from start: Int, atEOF: Bool, into fields: inout [Field],
        path: String, line: Int
    ) throws -> (Int, Int, Int)? {
        fields.removeAll(keepingCapacity: true)
        var pos = start
        var newlines = 0
        let n = b.count
        while true {
            // One field.
            if pos < n, b[pos] == UInt8(ascii: "\"") {
                var escaped = false
                var p = pos + 1
                var closed = false
                while p < n {
                    let c = b[p]
                    if c == UInt8(ascii: "\"") {
                        if p + 1 < n, b[p + 1] == UInt8(ascii: "\"") {
                            escaped = true
                            p += 2
                            continue
                        }
                        if p + 1 == n && !atEOF { return nil }
                        closed = true
                        break
                    }
                    if c == UInt8(ascii: "\n") { newlines += 1 }
                    p += 1
                }
                if !closed {
                    if atEOF {
                        throw GeoIOError(path: path, location: "line \(line)", "unterminated quoted field")
                    }
                    return nil
                }
                fields.append(Field(start: pos + 1, end: p, hasEscapedQuote: escaped))
                pos = p + 1
                // Only a separator or the end of the record may follow a closing quote.
                if pos < n, b[pos] != UInt8(ascii: ","), b[pos] != UInt8(ascii: "\n"), b[pos] != UInt8(ascii: "\r") {
                    throw GeoIOError(path: path, location: "line \(line + newlines)", "text after a closing quote")
                }
            } else {
                var p = pos
                while p < n {
                    let c = b[p]
                    if c == UInt8(ascii: ",") || c == UInt8(ascii: "\n") { break }
                    p += 1
                }
                var end = p
                if end > pos, b[end - 1] == UInt8(ascii: "\r"), p == n || b[p] == UInt8(ascii: "\n") { end -= 1 }
                fields.append(Field(start: pos, end: end, hasEscapedQuote: false))
                pos = p
            }
            if pos >= n {
                guard atEOF else { return nil }
                return (pos, n, newlines)
            }
            if b[pos] == UInt8(ascii: "\r"), pos + 1 < n, b[pos + 1] == UInt8(ascii: "\n") { pos += 1 }
            else if b[pos] == UInt8(ascii: "\r"), pos + 1 == n, !atEOF { return nil }
            if b[pos] == UInt8(ascii: "\n") {
                return (pos, pos + 1, newlines + 1)
            }
            pos += 1 // separator
        }
    }

    static func unquote(_ s: String, escaped: Bool) -> String {
        escaped ? s.replacingOccurrences(of: "\"\"", with: "\"") : s
    }

    // MARK: - Field conversion

    static func number(
        _ b: UnsafeBufferPointer<UInt8>, _ f: Field, name: String, path: String, line: Int
    ) throws -> Double {
        var s = f.start, e = f.end
        while s < e, b[s] == UInt8(ascii: " ") || b[s] == UInt8(ascii: "\t") { s += 1 }
        while e > s, b[e - 1] == UInt8(ascii: " ") || b[e - 1] == UInt8(ascii: "\t") { e -= 1 }
        if s == e {
            throw GeoIOError(path: path, location: "line \(line)", "\(name) is empty")
        }
        if let v = fastDouble(b, s, e) { return v }
        let text = String(decoding: UnsafeBufferPointer(rebasing: b[s..<e]), as: UTF8.self)
        guard let v = Double(text), v.isFinite else {
            throw GeoIOError(path: path, location: "line \(line)", "\(name) '\(text.excerpt)' is not a finite number")
        }
        return v
    }

    /// Exact powers of ten that a Double holds without rounding.
    static let powersOfTen: [Double] = (0...22).map { pow(10.0, Double($0)) }

    /// Parses plain decimals ([-+]digits[.digits]) exactly when the mantissa has at most 15
    /// digits (then m / 10^k is correctly rounded); anything else falls back to the standard
    /// parser.
    @inline(__always)
    static func fastDouble(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        var p = start
        var negative = false
        if b[p] == UInt8(ascii: "-") { negative = true; p += 1 } else if b[p] == UInt8(ascii: "+") { p += 1 }
        var mantissa: UInt64 = 0
        var digits = 0
        var fraction = 0
        var sawDot = false
        var sawDigit = false
        while p < end {
            let c = b[p]
            if c >= 48 && c <= 57 {
                sawDigit = true
                if mantissa == 0 && c == 48 && !sawDot { p += 1; continue }
                mantissa = mantissa &* 10 &+ UInt64(c - 48)
                digits += 1
                if sawDot { fraction += 1 }
                if digits > 15 { return nil }
            } else if c == UInt8(ascii: ".") && !sawDot {
                sawDot = true
            } else {
                return nil
            }
            p += 1
        }
        guard sawDigit, fraction <= 22 else { return nil }
        let v = Double(mantissa) / powersOfTen[fraction]
        return negative ? -v : v
    }

    static func text(
        _ b: UnsafeBufferPointer<UInt8>, _ f: Field, into column: inout StringColumn,
        name: String, path: String, line: Int
    ) throws {
        let slice = UnsafeBufferPointer(rebasing: b[f.start..<f.end])
        var ascii = true
        for c in slice where c >= 0x80 { ascii = false; break }
        if ascii && !f.hasEscapedQuote {
            column.append(bytes: slice)
            return
        }
        guard let s = String(validating: slice, as: UTF8.self) else {
            throw GeoIOError(path: path, location: "line \(line)", "\(name) is not valid UTF-8 text")
        }
        column.append(unquote(s, escaped: f.hasEscapedQuote))
    }
}
