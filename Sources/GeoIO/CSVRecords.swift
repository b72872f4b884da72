import Foundation

/// A streaming reader for comma-separated files of any layout: plain or gzip-compressed, a
/// file or a zip member, optional UTF-8 byte-order mark, RFC 4180 quoting (quoted fields may
/// hold commas, doubled quotes and line breaks), LF or CRLF line ends.
///
/// The file is read in 4 MiB chunks into one buffer and handed over record by record: the
/// caller sees each record's fields as byte ranges of that buffer (`CSVRecord`) and keeps only
/// what it needs, so a file of tens of millions of rows costs the caller's own columns and
/// nothing per row. Columns are found by name in the header (`CSVHeader`).
///
/// Rules (docs/OBSERVED.md, "Reading CSV"):
/// - the header is the first non-blank line; its names are trimmed of spaces and tabs; a
///   non-empty name that appears twice is an error (a column asked for by name must be one);
/// - blank lines are skipped; every other record must have as many fields as the header;
/// - a record longer than `Limits.maxCSVRecordBytes` (1 MiB) is an error (an unterminated
///   quote would otherwise
///   swallow the rest of the file into memory);
/// - line numbers are 1-based physical lines, the line a record starts on.
public enum CSVRecords {
    /// The longest record accepted, in bytes: `Limits.maxCSVRecordBytes` (1 MiB), the limit of
    /// every CSV reader. The widest published layout read here (Ofcom's local-authority file,
    /// 38 columns) is under 1 KiB a row.
    public static var maxRecordBytes: Int { Limits.maxCSVRecordBytes }
    /// Bytes read from the source at a time.
    static let chunkSize = 4 << 20

    /// Reads a file or zip member. `header` is called once with the column names, then
    /// `record` once per data record, in order.
    /// - Returns: the number of data records.
    /// - Throws: `GeoIOError` naming the file and line for malformed CSV, and whatever the
    ///   callbacks throw.
    @discardableResult
    public static func read(
        _ file: DataFile, header: (CSVHeader) throws -> Void, record: (CSVRecord) throws -> Void
    ) throws -> Int {
        let source = try file.member.map { try ByteSource(archive: file.path, member: $0) } ?? ByteSource(path: file.path)
        return try scan(source: source, name: file.description, chunkSize: chunkSize, header: header, record: record)
    }

    /// Reads a file on disk (plain or gzip).
    @discardableResult
    public static func read(
        path: String, header: (CSVHeader) throws -> Void, record: (CSVRecord) throws -> Void
    ) throws -> Int {
        try read(DataFile(path: path), header: header, record: record)
    }

    /// Reads CSV bytes held in memory (`name` is used in messages); the same parser as for
    /// files, for tests and fuzzers. `chunkSize` lets tests put chunk boundaries anywhere.
    @discardableResult
    public static func read(
        bytes: [UInt8], name: String, header: (CSVHeader) throws -> Void, record: (CSVRecord) throws -> Void
    ) throws -> Int {
        try scan(source: MemoryChunks(bytes), name: name, chunkSize: chunkSize, header: header, record: record)
    }

    @discardableResult
    static func read(
        bytes: [UInt8], name: String, chunkSize: Int,
        header: (CSVHeader) throws -> Void, record: (CSVRecord) throws -> Void
    ) throws -> Int {
        try scan(source: MemoryChunks(bytes), name: name, chunkSize: chunkSize, header: header, record: record)
    }

    /// The header alone (stops reading after it).
    public static func header(of file: DataFile) throws -> CSVHeader {
        let source = try file.member.map { try ByteSource(archive: file.path, member: $0) } ?? ByteSource(path: file.path)
        var found: CSVHeader?
        _ = try scan(source: source, name: file.description, chunkSize: 1 << 16, stopAfterHeader: true) {
            found = $0
        } record: { _ in }
        guard let found else { throw GeoIOError(path: file.description, "file is empty") }
        return found
    }

    /// The line on which data record `index` (0-based, header excluded) starts, for a problem
    /// found after reading (such as a point outside the working CRS's area); nil past the end.
    public static func line(ofRecord index: Int, in file: DataFile) throws -> Int? {
        struct Found: Error { let line: Int }
        var seen = 0
        do {
            try read(file) { _ in } record: { record in
                if seen == index { throw Found(line: record.line) }
                seen += 1
            }
        } catch let found as Found {
            return found.line
        }
        return nil
    }

    // MARK: - Scanning

    /// A field's byte range in the buffer, and whether it was quoted with `""` escapes inside.
    struct Field {
        var start: Int
        var end: Int
        var quoted: Bool
        var hasEscapedQuote: Bool
    }

    /// Why a record could not be split yet.
    private enum Split {
        case record(next: Int, newlines: Int)
        case needMore
    }

    static func scan(
        source: ChunkReading, name: String, chunkSize: Int, stopAfterHeader: Bool = false,
        header onHeader: (CSVHeader) throws -> Void, record onRecord: (CSVRecord) throws -> Void
    ) throws -> Int {
        let capacity = chunkSize + maxRecordBytes + 4
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        defer { buffer.deallocate() }
        var fields = UnsafeMutablePointer<Field>.allocate(capacity: 64)
        var fieldCapacity = 64
        defer { fields.deallocate() }
        let namePointer = UnsafeMutablePointer<String>.allocate(capacity: 1)
        namePointer.initialize(to: name)
        defer { namePointer.deinitialize(count: 1); namePointer.deallocate() }

        var filled = 0       // bytes in the buffer
        var position = 0     // start of the first record not yet handed over
        var atEOF = false
        var first = true
        var line = 1
        var header: CSVHeader?
        var records = 0

        while true {
            // Keep the unfinished record, read the next chunk behind it.
            if position > 0 {
                let tail = filled - position
                if tail > 0 { buffer.update(from: buffer + position, count: tail) }
                filled = tail
                position = 0
            }
            if !atEOF {
                // The unfinished record is at most maxRecordBytes, so a whole chunk always fits.
                let got = try source.fill(buffer + filled, count: min(chunkSize, capacity - filled))
                if got == 0 { atEOF = true }
                filled += got
            }
            if first {
                if filled < 3 && !atEOF { continue } // the byte-order mark may span reads
                first = false
                if filled >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF { position = 3 }
            }
            let bytes = UnsafePointer(buffer)
            while position < filled {
                var count = 0
                let split = try splitRecord(
                    bytes, from: position, end: filled, atEOF: atEOF,
                    fields: &fields, capacity: &fieldCapacity, count: &count, name: name, line: line)
                guard case .record(let next, let newlines) = split else {
                    if filled - position > maxRecordBytes {
                        throw recordTooLong(name: name, line: line)
                    }
                    break
                }
                if next - position > maxRecordBytes {
                    throw recordTooLong(name: name, line: line)
                }
                let recordLine = line
                line += newlines
                position = next
                if count == 1 && fields[0].start == fields[0].end && !fields[0].quoted {
                    continue // a blank line
                }
                let span = UnsafeBufferPointer(start: fields, count: count)
                guard let h = header else {
                    var made = try CSVHeader(fields: span, bytes: bytes, source: name, line: recordLine)
                    made.estimatedRecords = estimate(bytes: bytes, from: position, to: filled, atEOF: atEOF, total: source.expectedBytes)
                    header = made
                    try onHeader(made)
                    if stopAfterHeader { return 0 }
                    continue
                }
                guard count == h.names.count else {
                    throw GeoIOError(path: name, location: "line \(recordLine)", "\(count) fields where the header has \(h.names.count)")
                }
                records += 1
                if records > Limits.maxCSVRows {
                    throw GeoIOError(path: name, location: "line \(recordLine)", "more than \(Limits.maxCSVRows) rows (see docs/RELIABILITY.md)")
                }
                try onRecord(CSVRecord(line: recordLine, source: namePointer, bytes: bytes, fields: span))
            }
            if atEOF {
                if position < filled {
                    throw GeoIOError(path: name, location: "line \(line)", "unterminated quoted field at the end of the file")
                }
                break
            }
        }
        if header == nil { throw GeoIOError(path: name, "file is empty") }
        return records
    }

    static func recordTooLong(name: String, line: Int) -> GeoIOError {
        GeoIOError(path: name, location: "line \(line)",
                   "a record longer than \(Limits.describe(bytes: Int64(Limits.maxCSVRecordBytes))) (no line end, or an unclosed quote?); see docs/RELIABILITY.md")
    }

    /// The number of records to expect, from the line length in the data after the header and
    /// the stream's expected size; nil when the size is unknown.
    private static func estimate(bytes: UnsafePointer<UInt8>, from start: Int, to end: Int, atEOF: Bool, total: Int64?) -> Int? {
        var lines = 0
        for k in start..<end where bytes[k] == UInt8(ascii: "\n") { lines += 1 }
        if atEOF { return lines + (end > start && bytes[end - 1] != UInt8(ascii: "\n") ? 1 : 0) }
        guard let total, lines > 0, end > start else { return nil }
        // `start` is also the stream offset: the header ends in the first chunk.
        return Int(Double(max(0, total - Int64(start))) * Double(lines) / Double(end - start))
    }

    /// Splits one record starting at `start` into `fields`.
    @inline(__always)
    private static func splitRecord(
        _ b: UnsafePointer<UInt8>, from start: Int, end n: Int, atEOF: Bool,
        fields: inout UnsafeMutablePointer<Field>, capacity: inout Int, count: inout Int,
        name: String, line: Int
    ) throws -> Split {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), newline = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        var pos = start
        var newlines = 0
        while true {
            if count == capacity {
                let bigger = UnsafeMutablePointer<Field>.allocate(capacity: capacity * 2)
                bigger.moveInitialize(from: fields, count: count)
                fields.deallocate()
                fields = bigger
                capacity *= 2
            }
            if pos < n && b[pos] == quote {
                var escaped = false
                var p = pos + 1
                var closed = false
                while p < n {
                    let c = b[p]
                    if c == quote {
                        if p + 1 < n {
                            if b[p + 1] == quote { escaped = true; p += 2; continue }
                        } else if !atEOF {
                            return .needMore
                        }
                        closed = true
                        break
                    }
                    if c == newline { newlines += 1 }
                    p += 1
                }
                guard closed else {
                    if atEOF { throw GeoIOError(path: name, location: "line \(line)", "unterminated quoted field") }
                    return .needMore
                }
                (fields + count).initialize(to: Field(start: pos + 1, end: p, quoted: true, hasEscapedQuote: escaped))
                count += 1
                pos = p + 1
                if pos < n && b[pos] != comma && b[pos] != newline && b[pos] != cr {
                    throw GeoIOError(path: name, location: "line \(line + newlines)", "text after a closing quote")
                }
            } else {
                var p = pos
                while p < n {
                    let c = b[p]
                    if c == comma || c == newline { break }
                    p += 1
                }
                var end = p
                if end > pos && b[end - 1] == cr && (p == n || b[p] == newline) { end -= 1 }
                (fields + count).initialize(to: Field(start: pos, end: end, quoted: false, hasEscapedQuote: false))
                count += 1
                pos = p
            }
            if pos >= n {
                return atEOF ? .record(next: n, newlines: newlines) : .needMore
            }
            let c = b[pos]
            if c == newline { return .record(next: pos + 1, newlines: newlines + 1) }
            if c == cr { // only after a closing quote: an unquoted field keeps a lone CR
                if pos + 1 < n {
                    guard b[pos + 1] == newline else {
                        throw GeoIOError(path: name, location: "line \(line + newlines)", "text after a closing quote")
                    }
                    return .record(next: pos + 2, newlines: newlines + 1)
                }
                return atEOF ? .record(next: n, newlines: newlines) : .needMore
            }
            pos += 1 // the separator
        }
    }
}

/// The column names of a CSV file, found by name.
///
/// Lookups try the exact name first, then the name ignoring ASCII case when exactly one
/// column matches that way (so `UPRN` finds `uprn`); two columns differing only in case make
/// such a lookup an error rather than a guess.
public struct CSVHeader: Sendable {
    /// The file, as messages name it.
    public let source: String
    /// The line the header is on (1, or later after blank lines).
    public let line: Int
    /// The names, trimmed of spaces and tabs, quotes removed.
    public let names: [String]
    /// About how many records follow, for reserving array capacity: the stream's size (a plain
    /// file's size, a gzip file's stated uncompressed size) over the first chunk's line length.
    /// Nil when the size is unknown (zip members, memory). Never exact: use it for capacity only.
    public internal(set) var estimatedRecords: Int?

    /// - Throws: when a non-empty name appears twice.
    public init(names: [String], source: String, line: Int = 1) throws {
        self.names = names
        self.source = source
        self.line = line
        var firstIndex: [String: Int] = [:]
        for (i, name) in names.enumerated() where !name.isEmpty {
            if let j = firstIndex[name] {
                throw GeoIOError(path: source, location: "line \(line)", "column '\(name)' appears twice (columns \(j + 1) and \(i + 1)); columns are found by name, so each must be unique")
            }
            firstIndex[name] = i
        }
    }

    init(fields: UnsafeBufferPointer<CSVRecords.Field>, bytes: UnsafePointer<UInt8>, source: String, line: Int) throws {
        let names = try fields.map { f -> String in
            guard var s = String(validating: UnsafeBufferPointer(start: bytes + f.start, count: f.end - f.start), as: UTF8.self) else {
                throw GeoIOError(path: source, location: "line \(line)", "header is not valid UTF-8 text")
            }
            if f.hasEscapedQuote { s = s.replacingOccurrences(of: "\"\"", with: "\"") }
            return s.trimmingCharacters(in: CharacterSet(charactersIn: " \t"))
        }
        try self.init(names: names, source: source, line: line)
    }

    /// The column with this name, or nil.
    /// - Throws: when no column has the exact name and several match it ignoring case.
    public func index(of name: String) throws -> Int? {
        if let i = names.firstIndex(of: name) { return i }
        let lower = name.lowercased()
        let matches = names.indices.filter { names[$0].lowercased() == lower }
        if matches.count > 1 {
            throw GeoIOError(path: source, location: "line \(line)", "columns \(matches.map { "'\(names[$0])'" }.joined(separator: " and ")) differ only in case; which is '\(name)'?")
        }
        return matches.first
    }

    /// The column holding a field that has several published names (`aliases`, newest first),
    /// or nil when none is present.
    /// - Throws: when two of the names are present (two columns for one field).
    public func index(ofAny aliases: [String]) throws -> Int? {
        var found: (alias: String, index: Int)?
        for alias in aliases {
            guard let i = try index(of: alias) else { continue }
            if let f = found, f.index != i {
                throw GeoIOError(path: source, location: "line \(line)", "columns '\(names[f.index])' and '\(names[i])' are two names for the same field; keep one")
            }
            found = (alias, i)
        }
        return found?.index
    }

    /// Like `index(ofAny:)`, but a missing column is an error naming it (and its other names).
    public func require(_ aliases: [String]) throws -> Int {
        if let i = try index(ofAny: aliases) { return i }
        throw missing(aliases)
    }

    /// The error for a required column that is absent: its name, its other accepted names,
    /// and the columns the file has (or a hint when it looks separated by something else).
    /// `role` says what the column is for, e.g. "x" gives "no x column 'easting'".
    public func missing(_ aliases: [String], role: String? = nil) -> GeoIOError {
        let wanted = aliases.first ?? "?"
        var text = "no \(role.map { "\($0) " } ?? "")column '\(wanted)'"
        if aliases.count > 1 {
            text += " (nor " + aliases.dropFirst().map { "'\($0)'" }.joined(separator: ", ") + ")"
        }
        if names.count == 1, names[0].contains(";") || names[0].contains("\t") {
            text += "; the header has one column: is the file separated by ';' or tabs? bbplan reads comma-separated files"
        } else {
            let shown = names.prefix(40).map { "'\($0.excerpt)'" }.joined(separator: ", ")
            text += "; columns are: " + shown + (names.count > 40 ? ", ..." : "")
        }
        return GeoIOError(path: source, location: "line \(line)", text)
    }
}

/// One data record, valid only during the callback that receives it: its fields point into
/// the reader's buffer. Copy out what you keep (numbers, or `string(_:)`).
public struct CSVRecord {
    /// The 1-based line the record starts on.
    public let line: Int
    /// The file's name, held by the reader (a pointer, so handing over a record costs no
    /// reference counting).
    private let sourceName: UnsafePointer<String>
    let bytes: UnsafePointer<UInt8>
    let fields: UnsafeBufferPointer<CSVRecords.Field>

    init(line: Int, source: UnsafePointer<String>, bytes: UnsafePointer<UInt8>, fields: UnsafeBufferPointer<CSVRecords.Field>) {
        self.line = line
        sourceName = source
        self.bytes = bytes
        self.fields = fields
    }

    /// The file, as messages name it.
    public var source: String { sourceName.pointee }

    /// The number of fields (the header's).
    public var count: Int { fields.count }

    /// The field's raw bytes: without its enclosing quotes, but with doubled quotes inside a
    /// quoted field left doubled (`hasEscapedQuote` says so; `string(_:)` undoes them).
    @inline(__always)
    public subscript(_ i: Int) -> UnsafeBufferPointer<UInt8> {
        let f = fields[i]
        return UnsafeBufferPointer(start: bytes + f.start, count: f.end - f.start)
    }

    /// Whether the field was quoted and holds a doubled quote.
    public func hasEscapedQuote(_ i: Int) -> Bool { fields[i].hasEscapedQuote }

    /// The field's bytes with leading and trailing spaces and tabs removed.
    @inline(__always)
    public func trimmed(_ i: Int) -> UnsafeBufferPointer<UInt8> {
        let f = fields[i]
        var s = f.start, e = f.end
        while s < e, bytes[s] == 0x20 || bytes[s] == 0x09 { s += 1 }
        while e > s, bytes[e - 1] == 0x20 || bytes[e - 1] == 0x09 { e -= 1 }
        return UnsafeBufferPointer(start: bytes + s, count: e - s)
    }

    /// Whether the field is empty or only spaces and tabs.
    @inline(__always)
    public func isBlank(_ i: Int) -> Bool { trimmed(i).isEmpty }

    /// The field as text (doubled quotes undone), or nil when it is not valid UTF-8.
    public func text(_ i: Int) -> String? {
        guard let s = String(validating: self[i], as: UTF8.self) else { return nil }
        return fields[i].hasEscapedQuote ? s.replacingOccurrences(of: "\"\"", with: "\"") : s
    }

    /// The field as text, trimmed of spaces and tabs.
    /// - Throws: when it is not valid UTF-8, naming the column.
    public func string(_ i: Int, column: String) throws -> String {
        guard let s = text(i) else { throw error("\(column) is not valid UTF-8 text") }
        return s.trimmingCharacters(in: CharacterSet(charactersIn: " \t"))
    }

    /// The field as a finite decimal number (`-12.5`, `1e3`, surrounding spaces allowed), or
    /// nil when it is empty or not one. Parsed exactly as Swift's `Double(_:)` does.
    @inline(__always)
    public func double(_ i: Int) -> Double? {
        let t = trimmed(i)
        guard !t.isEmpty else { return nil }
        if let v = Self.plainDecimal(t) { return v }
        guard let v = Double(String(decoding: t, as: UTF8.self)), v.isFinite else { return nil }
        return v
    }

    /// `[-+]digits[.digits]` with at most 15 significant digits, exactly: the mantissa (below
    /// 2^53) and the power of ten (at most 10^15) are both exact doubles, so one division is
    /// correctly rounded. Anything else (exponents, longer numbers) returns nil for the
    /// standard parser.
    @inline(__always)
    static func plainDecimal(_ t: UnsafeBufferPointer<UInt8>) -> Double? {
        var p = 0
        var negative = false
        if t[0] == UInt8(ascii: "-") { negative = true; p = 1 } else if t[0] == UInt8(ascii: "+") { p = 1 }
        var mantissa: UInt64 = 0
        var digits = 0, fraction = 0
        var sawDot = false, sawDigit = false
        while p < t.count {
            let c = t[p]
            p += 1
            if c >= 48 && c <= 57 {
                sawDigit = true
                if mantissa == 0 && c == 48 && !sawDot { continue } // leading zeros
                mantissa = mantissa &* 10 &+ UInt64(c &- 48)
                digits += 1
                if sawDot { fraction += 1 }
                if digits > 15 { return nil }
            } else if c == UInt8(ascii: ".") && !sawDot {
                sawDot = true
            } else {
                return nil
            }
        }
        guard sawDigit else { return nil }
        let v = Double(mantissa) / powerOfTen(fraction)
        return negative ? -v : v
    }

    /// 10^k for 0 <= k <= 15, as literals (no lookup table to initialise).
    @inline(__always)
    private static func powerOfTen(_ k: Int) -> Double {
        switch k {
        case 0: 1
        case 1: 10
        case 2: 100
        case 3: 1e3
        case 4: 1e4
        case 5: 1e5
        case 6: 1e6
        case 7: 1e7
        case 8: 1e8
        case 9: 1e9
        case 10: 1e10
        case 11: 1e11
        case 12: 1e12
        case 13: 1e13
        case 14: 1e14
        default: 1e15
        }
    }

    /// The field as an unsigned whole number of at most `maxDigits` ASCII digits (surrounding
    /// spaces allowed, no sign, no decimal point), or nil.
    @inline(__always)
    public func unsigned(_ i: Int, maxDigits: Int = 19) -> UInt64? {
        let t = trimmed(i)
        guard !t.isEmpty, t.count <= min(maxDigits, 19) else { return nil }
        var v: UInt64 = 0
        for c in t {
            guard c >= 48 && c <= 57 else { return nil }
            v = v &* 10 &+ UInt64(c - 48)
        }
        return v
    }

    /// Whether the trimmed field equals `word`, ignoring ASCII case.
    public func equalsIgnoringCase(_ i: Int, _ word: StaticString) -> Bool {
        let t = trimmed(i)
        guard t.count == word.utf8CodeUnitCount else { return false }
        let w = word.utf8Start
        for k in 0..<t.count {
            var a = t[k], b = w[k]
            if a >= 65 && a <= 90 { a += 32 }
            if b >= 65 && b <= 90 { b += 32 }
            if a != b { return false }
        }
        return true
    }

    /// The field as quoted in a message: trimmed, cut and escaped (`String.excerpt`).
    public func shown(_ i: Int) -> String {
        String(decoding: trimmed(i), as: UTF8.self).excerpt
    }

    /// An error at this record's line.
    public func error(_ message: String) -> GeoIOError {
        GeoIOError(path: source, location: "line \(line)", message)
    }
}
