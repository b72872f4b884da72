import Foundation
import GeoIO

/// BDUK's subsidy-control classification of a premises for gigabit broadband.
public enum SubsidyControlStatus: UInt8, CaseIterable, Sendable {
    /// No gigabit network today or credibly planned within three years: eligible for subsidy.
    case white
    /// One (grey) or more (black) gigabit networks today or planned: not eligible. BDUK
    /// publishes grey and black together.
    case greyBlack
    /// A supplier's plan BDUK has not yet accepted or rejected.
    case underReview
    /// Not assessed.
    case unassessed

    /// The value as BDUK writes it.
    public var published: String {
        switch self {
        case .white: "Gigabit White"
        case .greyBlack: "Gigabit Grey/Black"
        case .underReview: "Gigabit Under Review"
        case .unassessed: "Unassessed"
        }
    }
}

/// One BDUK file that was read, for provenance.
public struct BDUKSource: Sendable, Equatable {
    /// The file as messages name it (`path` or `archive.zip/member.csv`).
    public let file: String
    /// The snapshot month from the name (`YYYYMM`), nil when the name does not follow BDUK's
    /// pattern `YYYYMM_BDUK_uprn_release_<region>_<district>.csv`.
    public let snapshot: String?
    /// The part of the name after `uprn_release_` (`north_west_cumberland`), nil likewise.
    public let area: String?
    /// Data rows read from it.
    public let rows: Int

    /// BDUK's file-name pattern: snapshot month and area.
    static func parse(_ fileName: String) -> (snapshot: String, area: String)? {
        let pattern = /^(\d{4})(\d{2})_BDUK_uprn_release_([A-Za-z0-9_\-]+)\.csv(?:\.gz)?$/
        guard let m = fileName.wholeMatch(of: pattern), let month = Int(m.output.2), (1...12).contains(month) else { return nil }
        return (String(m.output.1) + String(m.output.2), String(m.output.3))
    }
}

/// BDUK's UPRN release "OMR and premises in BDUK plans", held column by column with one UPRN
/// per row (docs/OBSERVED.md, "BDUK"). The release has no coordinates: join to premises by UPRN
/// (`index`).
public struct BDUKRelease: Sendable {
    public fileprivate(set) var sources: [BDUKSource] = []
    /// Zip members not read (other names), for provenance.
    public fileprivate(set) var skippedMembers: [String] = []

    public fileprivate(set) var uprns: [UInt64] = []
    public fileprivate(set) var status: [SubsidyControlStatus] = []
    /// A gigabit-capable network today.
    public fileprivate(set) var currentGigabit: [Bool] = []
    /// A supplier plans one (accepted or not).
    public fileprivate(set) var futureGigabit: [Bool] = []
    /// In a Project Gigabit (GIS) contract.
    public fileprivate(set) var bdukGIS: [Bool] = []
    /// The optional columns: nil when the files do not have them.
    public fileprivate(set) var gisContractScope: CategoryColumn?
    /// `bduk_gis_final_coverage_date` as `YYYYMMDD` (20270331), 0 when empty.
    public fileprivate(set) var gisFinalCoverageDate: [Int32]?
    public fileprivate(set) var gisContractName: CategoryColumn?
    public fileprivate(set) var gisSupplier: CategoryColumn?
    public fileprivate(set) var vouchers: [Bool]?
    public fileprivate(set) var superfast: [Bool]?
    public fileprivate(set) var hubs: [Bool]?
    public fileprivate(set) var recognisedPremises: [Bool]?
    /// `local_authority_district_ons_code`.
    public fileprivate(set) var ladCode: CategoryColumn?
    public fileprivate(set) var lotID: CategoryColumn?
    public fileprivate(set) var lotName: CategoryColumn?
    /// The postcode, `PostcodeKey.none` when empty.
    public fileprivate(set) var postcodes: [PostcodeKey]?
    /// Per row: the index in `sources` of its file, and its line there (for messages).
    public fileprivate(set) var fileIndex: [UInt16] = []
    public fileprivate(set) var lines: [Int32] = []
    /// Rows by UPRN.
    public fileprivate(set) var index: UPRNIndex

    init() {
        index = .empty // replaced once the rows are read
    }

    public var count: Int { uprns.count }

    /// Room for `more` rows in the per-row columns every release has (growing at least
    /// twofold, so files read one after another do not reallocate the columns each time).
    fileprivate mutating func reserve(_ more: Int) {
        guard count + more > uprns.capacity else { return }
        let n = max(count + more, 2 * uprns.capacity)
        uprns.reserveCapacity(n)
        status.reserveCapacity(n)
        currentGigabit.reserveCapacity(n)
        futureGigabit.reserveCapacity(n)
        bdukGIS.reserveCapacity(n)
        fileIndex.reserveCapacity(n)
        lines.reserveCapacity(n)
    }

    /// Where a row came from, for messages: `file: line N`.
    public func location(row: Int) -> String {
        "\(sources[Int(fileIndex[row])].file): line \(lines[row])"
    }
}

/// Reads BDUK UPRN release files.
public enum BDUKReleaseReader {
    /// Column names: the July 2025 edition's, then older spellings (docs/OBSERVED.md).
    enum Column {
        static let uprn = ["uprn"]
        static let status = ["subsidy_control_status"]
        static let currentGigabit = ["current_gigabit"]
        static let futureGigabit = ["future_gigabit"]
        static let gis = ["bduk_gis"]
        static let gisScope = ["bduk_gis_contract_scope"]
        static let gisDate = ["bduk_gis_final_coverage_date", "gis_final_coverage_date"]
        static let gisContract = ["bduk_gis_contract_name"]
        static let gisSupplier = ["bduk_gis_supplier"]
        static let vouchers = ["bduk_vouchers"]
        static let superfast = ["bduk_superfast"]
        static let hubs = ["bduk_hubs"]
        static let recognised = ["bduk_recognised_premises"]
        static let lad = ["local_authority_district_ons_code"]
        static let lotID = ["lot_id"]
        static let lotName = ["lot_name"]
        static let postcode = ["postcode"]
    }

    /// Reads one CSV, several, globs, or region zips (members named
    /// `YYYYMM_BDUK_uprn_release_*.csv`; the others are listed as skipped), plain or gzip.
    /// - Throws: one line naming the file, line and column for a missing required column, an
    ///   unknown status, a flag other than true/false, a malformed date or UPRN, or a UPRN that
    ///   appears twice (across all files).
    public static func read(_ inputs: [String]) throws -> BDUKRelease {
        guard !inputs.isEmpty else { throw GeoIOError(path: "bduk", "no BDUK release files named") }
        let expansion = try InputFiles.expand(inputs) { BDUKSource.parse($0) != nil }
        var release = BDUKRelease()
        release.skippedMembers = expansion.skippedMembers.map(\.description)
        var layoutSignature: [Bool]?
        for (fileNumber, file) in expansion.files.enumerated() {
            let parsed = BDUKSource.parse(file.fileName)
            release.sources.append(BDUKSource(file: file.description, snapshot: parsed?.snapshot, area: parsed?.area, rows: 0))
            var layout: Layout?
            let rows = try CSVRecords.read(file) { header in
                let found = try Layout(header)
                if let layoutSignature, found.signature != layoutSignature {
                    throw GeoIOError(path: header.source, location: "line \(header.line)", "has other optional columns than \(expansion.files[0]); read releases of one layout together")
                }
                if layoutSignature == nil {
                    layoutSignature = found.signature
                    found.prepare(&release)
                }
                if let n = header.estimatedRecords { release.reserve(n + n / 50 + 1024) }
                layout = found
            } record: { record in
                guard let layout else { return }
                try layout.read(record, into: &release)
                release.fileIndex.append(UInt16(fileNumber))
                release.lines.append(Int32(clamping: record.line))
            }
            release.sources[fileNumber] = BDUKSource(file: file.description, snapshot: parsed?.snapshot, area: parsed?.area, rows: rows)
        }
        do {
            release.index = try UPRNIndex(release.uprns)
        } catch let d as UPRNIndex.Duplicate {
            throw GeoIOError(path: release.sources[Int(release.fileIndex[d.second])].file, location: "line \(release.lines[d.second])",
                             "uprn \(d.uprn) appears twice: also at \(release.location(row: d.first))")
        }
        return release
    }

    /// Where one file's columns are.
    struct Layout {
        let uprn, status, current, future, gis: Int
        let gisScope, gisDate, gisContract, gisSupplier, vouchers, superfast, hubs, recognised, lad, lotID, lotName, postcode: Int?
        let names: [String]

        init(_ header: CSVHeader) throws {
            names = header.names
            uprn = try header.require(Column.uprn)
            status = try header.require(Column.status)
            current = try header.require(Column.currentGigabit)
            future = try header.require(Column.futureGigabit)
            gis = try header.require(Column.gis)
            gisScope = try header.index(ofAny: Column.gisScope)
            gisDate = try header.index(ofAny: Column.gisDate)
            gisContract = try header.index(ofAny: Column.gisContract)
            gisSupplier = try header.index(ofAny: Column.gisSupplier)
            vouchers = try header.index(ofAny: Column.vouchers)
            superfast = try header.index(ofAny: Column.superfast)
            hubs = try header.index(ofAny: Column.hubs)
            recognised = try header.index(ofAny: Column.recognised)
            lad = try header.index(ofAny: Column.lad)
            lotID = try header.index(ofAny: Column.lotID)
            lotName = try header.index(ofAny: Column.lotName)
            postcode = try header.index(ofAny: Column.postcode)
        }

        /// Which optional columns are present, in a fixed order.
        var signature: [Bool] {
            [gisScope, gisDate, gisContract, gisSupplier, vouchers, superfast, hubs, recognised, lad, lotID, lotName, postcode].map { $0 != nil }
        }

        func prepare(_ r: inout BDUKRelease) {
            if gisScope != nil { r.gisContractScope = CategoryColumn() }
            if gisDate != nil { r.gisFinalCoverageDate = [] }
            if gisContract != nil { r.gisContractName = CategoryColumn() }
            if gisSupplier != nil { r.gisSupplier = CategoryColumn() }
            if vouchers != nil { r.vouchers = [] }
            if superfast != nil { r.superfast = [] }
            if hubs != nil { r.hubs = [] }
            if recognised != nil { r.recognisedPremises = [] }
            if lad != nil { r.ladCode = CategoryColumn() }
            if lotID != nil { r.lotID = CategoryColumn() }
            if lotName != nil { r.lotName = CategoryColumn() }
            if postcode != nil { r.postcodes = [] }
        }

        func read(_ record: CSVRecord, into r: inout BDUKRelease) throws {
            guard let u = UPRN.parse(record, uprn) else {
                throw record.error("\(names[uprn]) '\(record.shown(uprn))' is not a UPRN (1 to \(UPRN.maxDigits) digits)")
            }
            r.uprns.append(u)
            r.status.append(try Self.status(record, status, names[status]))
            r.currentGigabit.append(try flag(record, current))
            r.futureGigabit.append(try flag(record, future))
            r.bdukGIS.append(try flag(record, gis))
            if let i = gisScope { try category(record, i, &r.gisContractScope) }
            if let i = gisDate { r.gisFinalCoverageDate!.append(try Self.date(record, i, names[i])) }
            if let i = gisContract { try category(record, i, &r.gisContractName) }
            if let i = gisSupplier { try category(record, i, &r.gisSupplier) }
            if let i = vouchers { r.vouchers!.append(try flag(record, i)) }
            if let i = superfast { r.superfast!.append(try flag(record, i)) }
            if let i = hubs { r.hubs!.append(try flag(record, i)) }
            if let i = recognised { r.recognisedPremises!.append(try flag(record, i)) }
            if let i = lad { try category(record, i, &r.ladCode) }
            if let i = lotID { try category(record, i, &r.lotID) }
            if let i = lotName { try category(record, i, &r.lotName) }
            if let i = postcode {
                if record.isBlank(i) {
                    r.postcodes!.append(.none)
                } else if let k = PostcodeKey(utf8: record.trimmed(i)) {
                    r.postcodes!.append(k)
                } else {
                    throw record.error("\(names[i]) '\(record.shown(i))' is not a postcode")
                }
            }
        }

        private func flag(_ record: CSVRecord, _ i: Int) throws -> Bool {
            if record.equalsIgnoringCase(i, "true") { return true }
            if record.equalsIgnoringCase(i, "false") { return false }
            throw record.error("\(names[i]) '\(record.shown(i))' is not true or false")
        }

        private func category(_ record: CSVRecord, _ i: Int, _ column: inout CategoryColumn?) throws {
            let t = record.trimmed(i)
            guard String(validating: t, as: UTF8.self) != nil else { throw record.error("\(names[i]) is not valid UTF-8 text") }
            if record.hasEscapedQuote(i) {
                column!.append(try record.string(i, column: names[i]))
            } else {
                column!.append(utf8: t)
            }
        }

        static func status(_ record: CSVRecord, _ i: Int, _ name: String) throws -> SubsidyControlStatus {
            if record.equalsIgnoringCase(i, "Gigabit White") { return .white }
            if record.equalsIgnoringCase(i, "Gigabit Grey/Black") { return .greyBlack }
            if record.equalsIgnoringCase(i, "Gigabit Under Review") { return .underReview }
            if record.equalsIgnoringCase(i, "Unassessed") { return .unassessed }
            throw record.error("\(name) '\(record.shown(i))' is not one of \(SubsidyControlStatus.allCases.map(\.published).joined(separator: ", "))")
        }

        /// `YYYY-MM-DD` as `YYYYMMDD`, 0 when empty.
        static func date(_ record: CSVRecord, _ i: Int, _ name: String) throws -> Int32 {
            let t = record.trimmed(i)
            if t.isEmpty { return 0 }
            guard let d = CalendarDate(iso: t) else {
                throw record.error("\(name) '\(record.shown(i))' is not a date YYYY-MM-DD")
            }
            return d.yyyymmdd
        }
    }
}

/// A calendar date read from `YYYY-MM-DD` text (proleptic Gregorian; day checked against the
/// month's length, leap years included).
struct CalendarDate {
    let year: Int, month: Int, day: Int

    init?(iso t: UnsafeBufferPointer<UInt8>) {
        guard t.count == 10, t[4] == UInt8(ascii: "-"), t[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var v = 0
            for k in range {
                let c = t[k]
                guard c >= 48 && c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            return v
        }
        guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10), (1...12).contains(m), d >= 1 else { return nil }
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
        guard d <= days else { return nil }
        year = y
        month = m
        day = d
    }

    var yyyymmdd: Int32 { Int32(year * 10_000 + month * 100 + day) }
}

/// Unique Property Reference Numbers.
public enum UPRN {
    /// A UPRN has at most 12 digits (GeoPlace: an integer up to 999,999,999,999).
    public static let maxDigits = 12

    /// The field as a UPRN: 1 to 12 digits, not zero; nil otherwise.
    @inline(__always)
    public static func parse(_ record: CSVRecord, _ i: Int) -> UInt64? {
        guard let v = record.unsigned(i, maxDigits: maxDigits), v > 0 else { return nil }
        return v
    }

    /// A whole number read from a GIS field as a UPRN, nil when out of range.
    public static func validate(_ v: Int64) -> UInt64? {
        v > 0 && v <= 999_999_999_999 ? UInt64(v) : nil
    }
}
