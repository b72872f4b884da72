import Foundation
import GeoIO

/// Ofcom Connected Nations fixed coverage at one level, held column by column: one key per row
/// (a `PostcodeKey`, or an output-area or authority code), a dictionary from key to row, and
/// one array per field. Nothing is an object per row.
///
/// Percentages are stored as 32-bit floats and read back rounded to 4 decimals (Ofcom
/// publishes one), so a value reads back exactly as the decimal in the file.
public struct OfcomCoverage<Key: AreaKey>: Sendable {
    public let level: OfcomLevel
    public let premisesSet: OfcomPremisesSet
    /// The snapshot month all files share, `YYYYMM`.
    public let snapshot: String
    /// The files read, in order, with what their names say.
    public fileprivate(set) var sources: [OfcomSource]
    /// Members of zip archives that were not read (other names), for provenance.
    public let skippedMembers: [String]

    /// The key of each row, normalised (postcodes upper case without spaces).
    public private(set) var keys: [Key] = []
    /// `laua_name` per row (local-authority files that have it).
    public private(set) var names: [String]?
    /// `All Premises` per row (output-area and local-authority files).
    public private(set) var allPremises: [Double]?
    /// `All Matched Premises` per row, when the file has it.
    public private(set) var allMatchedPremises: [Double]?
    /// Per row: the index in `sources` of its file, and its line there (for messages).
    public private(set) var fileIndex: [UInt16] = []
    public private(set) var lines: [Int32] = []
    @usableFromInline var rowOf = Key.Rows()
    @usableFromInline var percentColumns: [[Float]?] = Array(repeating: nil, count: OfcomField.allCases.count)
    private var countColumns: [[Double]?] = Array(repeating: nil, count: OfcomField.allCases.count)

    init(level: OfcomLevel, premisesSet: OfcomPremisesSet, snapshot: String, sources: [OfcomSource], skippedMembers: [String]) {
        self.level = level
        self.premisesSet = premisesSet
        self.snapshot = snapshot
        self.sources = sources
        self.skippedMembers = skippedMembers
    }

    public var count: Int { keys.count }

    /// The row of a key, nil when no file has it.
    @inlinable
    public func row(_ key: Key) -> Int? { rowOf.row(key).map(Int.init) }

    /// Whether the files have this field as a percentage.
    public func has(_ field: OfcomField) -> Bool { percentColumns[field.rawValue] != nil }

    /// The field's percentage at a row; nil when the files do not have the field.
    @inlinable
    public func percent(_ field: OfcomField, row: Int) -> Double? {
        guard let column = percentColumns[field.rawValue] else { return nil }
        return Self.decimal(column[row])
    }

    /// The field's count of premises at a row; nil when the files do not have it.
    public func premises(_ field: OfcomField, row: Int) -> Double? {
        countColumns[field.rawValue].map { $0[row] }
    }

    /// The percentages the postcode split needs (every file has them: they are required).
    @inlinable
    public func percentages(row: Int) -> PostcodePercentages {
        func p(_ f: OfcomField) -> Double { percent(f, row: row) ?? 0 }
        return PostcodePercentages(
            sfbb: p(.sfbb), ufbb100: p(.ufbb100), ufbb300: p(.ufbb300), gigabit: p(.gigabit),
            unable2: p(.unable2), unable5: p(.unable5), unable10: p(.unable10), fwaDecent: p(.fwaDecent))
    }

    /// Where a row came from, for messages: `file: line N`.
    public func location(row: Int) -> String {
        "\(sources[Int(fileIndex[row])].file): line \(lines[row])"
    }

    @inlinable
    static func decimal(_ f: Float) -> Double { (Double(f) * 10_000).rounded() / 10_000 }

    // MARK: - Building

    mutating func setColumns(percent: [OfcomField], counts: [OfcomField], names: Bool, allPremises: Bool, matched: Bool) {
        for f in percent { percentColumns[f.rawValue] = [] }
        for f in counts { countColumns[f.rawValue] = [] }
        if names { self.names = [] }
        if allPremises { self.allPremises = [] }
        if matched { allMatchedPremises = [] }
    }

    /// Adds a row; returns the row already holding the key instead, if any.
    mutating func append(key: Key, file: Int, line: Int) -> Int? {
        if let existing = rowOf.insert(key, row: Int32(keys.count)) { return Int(existing) }
        keys.append(key)
        fileIndex.append(UInt16(file))
        lines.append(Int32(clamping: line))
        return nil
    }

    /// Room for `more` rows (growing at least twofold, so files read one after another do not
    /// reallocate the columns each time).
    mutating func reserve(_ more: Int) {
        let n = count + more
        guard n > keys.capacity else { return }
        let target = max(n, 2 * keys.capacity)
        keys.reserveCapacity(target)
        rowOf.reserve(target)
        fileIndex.reserveCapacity(target)
        lines.reserveCapacity(target)
        for k in percentColumns.indices { percentColumns[k]?.reserveCapacity(target) }
    }

    mutating func appendPercent(_ field: OfcomField, _ v: Double) { percentColumns[field.rawValue]!.append(Float(v)) }
    mutating func appendCount(_ field: OfcomField, _ v: Double) { countColumns[field.rawValue]!.append(v) }
    mutating func appendName(_ name: String) { names!.append(name) }
    mutating func appendAllPremises(_ v: Double) { allPremises!.append(v) }
    mutating func appendMatched(_ v: Double) { allMatchedPremises!.append(v) }
}

/// Reads Ofcom Connected Nations fixed-coverage files (docs/OBSERVED.md, "Ofcom").
///
/// Each reader takes file names, globs (expanded by bbplan, sorted) and zip archives (members
/// whose names follow the published pattern; the others are listed as skipped), plain or gzip.
/// Every file's name must follow the published pattern and name the reader's level; all files
/// must share one snapshot and one premises set. Columns are found by name (with the older
/// names of each field), never by position.
public enum OfcomCoverageReader {
    /// Reads postcode files (one per postcode area, or a single national file).
    /// - Parameter premises: which premises set to read; nil accepts whichever the files are (all
    ///   the same). With a set given, zip members of the other set are skipped.
    public static func readPostcodes(_ inputs: [String], premises: OfcomPremisesSet? = nil) throws -> OfcomCoverage<PostcodeKey> {
        try read(inputs, level: .postcode, premises: premises) { header in
            let compact = try header.index(of: "postcode")
            let spaced = try header.index(of: "postcode_space")
            guard compact != nil || spaced != nil else { throw header.missing(["postcode", "postcode_space"]) }
            let areaColumn = try header.index(of: "postcode area")
            return { record, name in
                func key(_ i: Int, _ column: String) throws -> PostcodeKey {
                    guard let k = PostcodeKey(utf8: record.trimmed(i)) else {
                        throw record.error("\(column) '\(record.shown(i))' is not a postcode")
                    }
                    return k
                }
                let k = try key(compact ?? spaced!, compact != nil ? "postcode" : "postcode_space")
                if let compact, let spaced, try key(spaced, "postcode_space") != k {
                    throw record.error("postcode '\(record.shown(compact))' and postcode_space '\(record.shown(spaced))' differ")
                }
                if let areaColumn, let fileArea = name.postcodeArea {
                    let rowArea = String(decoding: record.trimmed(areaColumn), as: UTF8.self).uppercased()
                    guard rowArea == fileArea else {
                        throw record.error("postcode area '\(record.shown(areaColumn))' but the file name says '\(fileArea)'")
                    }
                }
                return k
            }
        }
    }

    /// Reads an output-area file (`YYYYMM_fixed_oa_coverage_rN.csv`), keyed by `output_area`.
    public static func readOutputAreas(_ inputs: [String], premises: OfcomPremisesSet? = nil) throws -> OfcomCoverage<String> {
        try read(inputs, level: .outputArea, premises: premises) { header in
            let column = try header.require(["output_area"])
            return { record, _ in try code(record, column, "output_area") }
        }
    }

    /// Reads a local-authority file (`YYYYMM_fixed_laua_coverage_rN.csv`), keyed by `laua`,
    /// with `laua_name` when present.
    public static func readLocalAuthorities(_ inputs: [String], premises: OfcomPremisesSet? = nil) throws -> OfcomCoverage<String> {
        try read(inputs, level: .localAuthority, premises: premises) { header in
            let column = try header.require(["laua"])
            return { record, _ in try code(record, column, "laua") }
        }
    }

    /// An area code: letters and digits only (ONS codes such as `E00000001`, `E06000063`).
    private static func code(_ record: CSVRecord, _ i: Int, _ column: String) throws -> String {
        let t = record.trimmed(i)
        guard !t.isEmpty, t.count <= 16, t.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) }) else {
            throw record.error("\(column) '\(record.shown(i))' is not an area code")
        }
        return String(decoding: t, as: UTF8.self)
    }

    /// Makes the key reader for a file from its header.
    typealias KeyReader<Key> = (CSVHeader) throws -> (CSVRecord, OfcomFileName) throws -> Key

    static func read<Key: AreaKey>(
        _ inputs: [String], level: OfcomLevel, premises: OfcomPremisesSet?, keyReader: KeyReader<Key>
    ) throws -> OfcomCoverage<Key> {
        guard !inputs.isEmpty else { throw GeoIOError(path: "ofcom", "no \(level.label) files named") }
        let expansion = try InputFiles.expand(inputs) { member in
            guard let name = OfcomFileName(member) else { return false }
            return name.level == level && (premises == nil || name.premisesSet == premises)
        }
        // Names first: a wrong name, level, snapshot or premises set fails before any reading.
        let names = try expansion.files.map { try OfcomFileName(file: $0) }
        for (file, name) in zip(expansion.files, names) {
            guard name.level == level else {
                throw GeoIOError(path: file.description, "is an Ofcom \(name.level.label) file; \(level.label) files are needed here")
            }
            if let premises, name.premisesSet != premises {
                throw GeoIOError(path: file.description, "counts \(name.premisesSet.rawValue) premises; \(premises.rawValue) premises are needed here")
            }
            if name.premisesSet != names[0].premisesSet || name.snapshot != names[0].snapshot {
                throw GeoIOError(path: file.description, "is snapshot \(name.snapshot) (\(name.premisesSet.rawValue) premises) but \(expansion.files[0]) is \(names[0].snapshot) (\(names[0].premisesSet.rawValue) premises); read one snapshot and one premises set at a time")
            }
        }
        var table = OfcomCoverage<Key>(
            level: level, premisesSet: names[0].premisesSet, snapshot: names[0].snapshot, sources: [],
            skippedMembers: expansion.skippedMembers.map(\.description))
        var firstColumns: [String]?
        for (fileNumber, (file, name)) in zip(expansion.files, names).enumerated() {
            var layout: RowLayout?
            var keyOf: ((CSVRecord, OfcomFileName) throws -> Key)?
            var values = [Double](repeating: .nan, count: OfcomField.allCases.count)
            table.sources.append(OfcomSource(file: file.description, name: name, rows: 0))
            let rows = try CSVRecords.read(file) { header in
                let found = try RowLayout(header: header, level: level)
                if let firstColumns {
                    // Every file must give the same fields: a column missing from one file
                    // would leave its rows without a value.
                    guard found.fieldSignature == firstColumns else {
                        throw GeoIOError(path: header.source, location: "line \(header.line)", "has other fields than \(expansion.files[0]): \(found.difference(from: firstColumns))")
                    }
                } else {
                    firstColumns = found.fieldSignature
                    table.setColumns(percent: found.percentFields, counts: found.countFields, names: found.name != nil,
                                     allPremises: found.allPremises != nil, matched: found.allMatched != nil)
                }
                layout = found
                keyOf = try keyReader(header)
                if let n = header.estimatedRecords { table.reserve(n + n / 50 + 64) }
            } record: { record in
                guard let layout, let keyOf else { return }
                let key = try keyOf(record, name)
                if let first = table.append(key: key, file: fileNumber, line: record.line) {
                    throw record.error("\(level == .postcode ? "postcode" : level.label) \(key) appears twice: also at \(table.location(row: first))")
                }
                try layout.read(record, into: &table, values: &values)
            }
            table.sources[fileNumber] = OfcomSource(file: file.description, name: name, rows: rows)
        }
        return table
    }
}

/// Where one file's fields are, and the checks on each row.
struct RowLayout {
    var percent: [(OfcomField, Int)] = []
    var counts: [(OfcomField, Int)] = []
    var name: Int?
    var allPremises: Int?
    var allMatched: Int?
    let header: CSVHeader

    var percentFields: [OfcomField] { percent.map(\.0) }
    var countFields: [OfcomField] { counts.map(\.0) }

    /// The fields found, as one comparable list.
    var fieldSignature: [String] {
        percent.map { "\($0.0.percentColumns[0])" } + counts.map { $0.0.countColumns[0] }
            + (allPremises != nil ? ["All Premises"] : []) + (allMatched != nil ? ["All Matched Premises"] : [])
            + (name != nil ? ["laua_name"] : [])
    }

    func difference(from other: [String]) -> String {
        let mine = Set(fieldSignature), theirs = Set(other)
        let missing = other.filter { !mine.contains($0) }, extra = fieldSignature.filter { !theirs.contains($0) }
        var parts: [String] = []
        if !missing.isEmpty { parts.append("lacks " + missing.map { "'\($0)'" }.joined(separator: ", ")) }
        if !extra.isEmpty { parts.append("adds " + extra.map { "'\($0)'" }.joined(separator: ", ")) }
        return parts.joined(separator: "; ")
    }

    init(header: CSVHeader, level: OfcomLevel) throws {
        self.header = header
        for field in OfcomField.allCases {
            if field.isRequired {
                percent.append((field, try header.require(field.percentColumns)))
            } else if let i = try header.index(ofAny: field.percentColumns) {
                percent.append((field, i))
            }
        }
        let bands = OfcomField.bands.filter { b in percent.contains { $0.0 == b } }
        if !bands.isEmpty && bands.count < OfcomField.bands.count {
            let absent = OfcomField.bands.first { b in !bands.contains(b) } ?? .band0to2
            throw header.missing(absent.percentColumns)
        }
        guard level != .postcode else { return }
        allPremises = try header.require(["All Premises"])
        allMatched = try header.index(of: "All Matched Premises")
        for field in OfcomField.allCases {
            if let i = try header.index(ofAny: field.countColumns) { counts.append((field, i)) }
        }
        if level == .localAuthority { name = try header.index(of: "laua_name") }
    }

    /// Reads and checks one row's values into the table (the key is already appended).
    /// - Parameter values: scratch space, one entry per `OfcomField` (reused from row to row).
    func read<Key>(_ record: CSVRecord, into table: inout OfcomCoverage<Key>, values: inout [Double]) throws {
        for k in values.indices { values[k] = .nan }
        for (field, i) in percent {
            let v = try number(record, i)
            guard v >= 0 && v <= 100 else {
                throw record.error("\(header.names[i]) \(record.shown(i)) is outside 0-100")
            }
            values[field.rawValue] = v
            table.appendPercent(field, v)
        }
        if let problem = Self.inconsistency(values) { throw record.error(problem) }
        var all: Double?
        if let allPremises {
            let v = try whole(record, allPremises)
            all = v
            table.appendAllPremises(v)
        }
        if let allMatched {
            let v = try whole(record, allMatched)
            if let all, v > all { throw record.error("All Matched Premises \(record.shown(allMatched)) exceeds All Premises \(Int(all))") }
            table.appendMatched(v)
        }
        for (field, i) in counts {
            let v = try whole(record, i)
            if let all, v > all { throw record.error("\(header.names[i]) \(record.shown(i)) exceeds All Premises \(Int(all))") }
            table.appendCount(field, v)
        }
        if let name {
            table.appendName(try record.string(name, column: "laua_name"))
        }
    }

    private func number(_ record: CSVRecord, _ i: Int) throws -> Double {
        guard let v = record.double(i) else {
            throw record.error("\(header.names[i]) '\(record.shown(i))' is not a number")
        }
        return v
    }

    private func whole(_ record: CSVRecord, _ i: Int) throws -> Double {
        let v = try number(record, i)
        guard v >= 0, v == v.rounded() else {
            throw record.error("\(header.names[i]) \(record.shown(i)) is not a whole number of premises")
        }
        return v
    }

    /// Why a row's percentages cannot all be right, or nil (tolerances: `OfcomTolerance`).
    /// - Parameter v: one value per `OfcomField`, NaN where the file has no such field (the
    ///   required fields are always there).
    static func inconsistency(_ v: [Double]) -> String? {
        func p(_ f: OfcomField) -> Double { v[f.rawValue] }
        if !p(.band0to2).isNaN {
            var sum = 0.0
            for band in OfcomField.bands { sum += p(band) }
            if abs(sum - 100) > OfcomTolerance.bandSum + 1e-9 {
                return "the six speed bands sum to \(CSVWriter.number(sum, digits: 3)), not 100 (within \(OfcomTolerance.bandSum))"
            }
        }
        let s = p(.sfbb), u = p(.unable30)
        if !u.isNaN, abs(s + u - 100) > OfcomTolerance.pair + 1e-9 {
            return "SFBB \(CSVWriter.number(s, digits: 3)) + unable-30 \(CSVWriter.number(u, digits: 3)) = \(CSVWriter.number(s + u, digits: 3)), not 100 (within \(OfcomTolerance.pair))"
        }
        // Cumulative shares, fastest first: each at most the next slower one.
        let chain = (p(.gigabit), p(.ufbb300), p(.ufbb100), s, 100 - p(.unable10), 100 - p(.unable5), 100 - p(.unable2))
        let tolerance = OfcomTolerance.pair + 1e-9
        if chain.0 > chain.1 + tolerance || chain.1 > chain.2 + tolerance || chain.2 > chain.3 + tolerance
            || chain.3 > chain.4 + tolerance || chain.4 > chain.5 + tolerance || chain.5 > chain.6 + tolerance {
            let named = [("Gigabit", chain.0), ("UFBB", chain.1), ("UFBB (100Mbit/s)", chain.2), ("SFBB", chain.3),
                         ("100 - unable-10", chain.4), ("100 - unable-5", chain.5), ("100 - unable-2", chain.6)]
            for (faster, slower) in zip(named, named.dropFirst()) where faster.1 > slower.1 + tolerance {
                return "\(faster.0) \(CSVWriter.number(faster.1, digits: 3)) exceeds \(slower.0) \(CSVWriter.number(slower.1, digits: 3)) (a faster threshold cannot reach more premises)"
            }
        }
        return nil
    }

}
