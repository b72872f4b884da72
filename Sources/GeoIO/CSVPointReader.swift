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

/// Reads point files (CSV) into columns: `CSVRecords` does the parsing (RFC 4180 quoting, LF
/// or CRLF, optional UTF-8 byte-order mark, plain or gzip-compressed, 4 MiB chunks, the record
/// and row limits); this keeps only the requested columns, so the 1.7-million-row national
/// postcode file costs a few plain arrays. Every problem is reported with the file and the
/// line: a missing column, a row with the wrong number of fields, a coordinate that is not a
/// finite number. Columns are found as `CSVHeader` finds them (exact name, else the one
/// column matching ignoring case).
public enum CSVPointReader {
    /// Bytes read at a time (the parser's).
    static var chunkSize: Int { CSVRecords.chunkSize }

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

        _ = try CSVRecords.scan(source: source, name: path, chunkSize: CSVRecords.chunkSize) { header in
            func index(_ name: String, _ role: String) throws -> Int {
                guard let i = try header.index(of: name) else { throw header.missing([name], role: role) }
                return i
            }
            xIndex = try index(spec.x, "x")
            yIndex = try index(spec.y, "y")
            numberIndices = try spec.numberColumns.map { ($0, try index($0, "numeric")) }
            textIndices = try spec.textColumns.map { ($0, try index($0, "text")) }
            numberColumns = Array(repeating: [], count: numberIndices.count)
            textColumns = Array(repeating: StringColumn(), count: textIndices.count)
            if let n = header.estimatedRecords {
                let capacity = min(n + n / 8 + 16, 1 << 26)
                table.xs.reserveCapacity(capacity)
                table.ys.reserveCapacity(capacity)
                for k in numberColumns.indices { numberColumns[k].reserveCapacity(capacity) }
            }
        } record: { record in
            let x = try number(record, xIndex, name: spec.x)
            let y = try number(record, yIndex, name: spec.y)
            if let check, let problem = check(x, y) { throw record.error(problem) }
            table.xs.append(x)
            table.ys.append(y)
            for (k, (name, i)) in numberIndices.enumerated() {
                numberColumns[k].append(try number(record, i, name: name))
            }
            for (k, (name, i)) in textIndices.enumerated() {
                try text(record, i, into: &textColumns[k], name: name)
            }
        }
        for (k, (name, _)) in numberIndices.enumerated() { table.numbers[name] = numberColumns[k] }
        for (k, (name, _)) in textIndices.enumerated() { table.texts[name] = textColumns[k] }
        return table
    }

    /// The line on which data record `index` (0-based, header excluded) starts, for reporting
    /// a problem found after reading (such as a point outside the working CRS's area).
    /// - Throws: when the file cannot be read, or has fewer records.
    public static func line(ofRecord index: Int, path: String) throws -> Int {
        guard let line = try CSVRecords.line(ofRecord: index, in: DataFile(path: path)) else {
            throw GeoIOError(path: path, "has no data record \(index + 1)")
        }
        return line
    }

    // MARK: - Field conversion

    /// A field as a finite number, or an error naming the line, the column and the text.
    @inline(__always)
    static func number(_ record: CSVRecord, _ i: Int, name: String) throws -> Double {
        if let v = record.double(i) { return v }
        if record.isBlank(i) { throw record.error("\(name) is empty") }
        throw record.error("\(name) '\(record.shown(i))' is not a finite number")
    }

    static func text(_ record: CSVRecord, _ i: Int, into column: inout StringColumn, name: String) throws {
        let slice = record[i]
        var ascii = true
        for c in slice where c >= 0x80 { ascii = false; break }
        if ascii && !record.hasEscapedQuote(i) {
            column.append(bytes: slice)
            return
        }
        guard let s = record.text(i) else { throw record.error("\(name) is not valid UTF-8 text") }
        column.append(s)
    }
}
