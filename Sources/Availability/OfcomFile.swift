import Foundation
import GeoIO

/// The geography an Ofcom fixed-coverage file reports on.
public enum OfcomLevel: String, Sendable, CaseIterable {
    /// One row per unit postcode (files split by postcode area); percentages only.
    case postcode
    /// One row per census output area; premises counts and percentages.
    case outputArea = "output_area"
    /// One row per local authority district; premises counts and percentages.
    case localAuthority = "local_authority"

    /// How messages and provenance name it.
    public var label: String {
        switch self {
        case .postcode: "postcode"
        case .outputArea: "output-area"
        case .localAuthority: "local-authority"
        }
    }
}

/// Which premises an Ofcom file counts.
public enum OfcomPremisesSet: String, Sendable, CaseIterable {
    /// Residential and non-residential premises (`..._coverage_rN...`).
    case all
    /// Residential premises only (`..._coverage_res_rN...`).
    case residential
}

/// What an Ofcom fixed-coverage file's name says: Ofcom states the snapshot month, the
/// revision, the level and the premises set only there, so bbplan reads them from the name and
/// refuses a name that does not follow the published pattern.
///
/// Accepted (docs/OBSERVED.md lists the sources):
/// `YYYYMM_fixed_pc_coverage_rN[_AREA].csv`, `YYYYMM_fixed_postcode_coverage_rN[_AREA].csv`,
/// `YYYYMM_fixed_oa_coverage_rN.csv`, `YYYYMM_fixed_laua_coverage_rN.csv`, each also with
/// `coverage_res_` for residential premises; `rN` any revision (`r1`, `r01`, `r2`); `.csv`
/// possibly followed by `.gz`. The postcode area is optional because the 2018 and 2023 postcode
/// files were single national files.
public struct OfcomFileName: Sendable, Equatable {
    /// The file name as published.
    public let fileName: String
    /// The snapshot month, `YYYYMM` (e.g. `202601`, January 2026).
    public let snapshot: String
    /// The revision number (`r01` and `r1` are both 1).
    public let revision: Int
    public let level: OfcomLevel
    public let premisesSet: OfcomPremisesSet
    /// The postcode area of a per-area postcode file (`CA`, `M`), upper case; nil otherwise.
    public let postcodeArea: String?

    /// The published pattern, as one line for messages.
    public static let pattern = "YYYYMM_fixed_pc_coverage_rN_<AREA>.csv (or _fixed_postcode_coverage_, _coverage_res_ for residential, YYYYMM_fixed_oa_coverage_rN.csv, YYYYMM_fixed_laua_coverage_rN.csv)"

    /// Parses a file name (the last path component); nil when it does not follow the pattern.
    public init?(_ fileName: String) {
        let pattern = /^(\d{4})(\d{2})_fixed_(pc|postcode|oa|laua)_coverage_(res_)?r(\d{1,3})(?:_([A-Za-z]{1,2}))?\.csv(?:\.gz)?$/
        guard let m = fileName.wholeMatch(of: pattern), let month = Int(m.output.2), (1...12).contains(month),
              let revision = Int(m.output.5) else { return nil }
        let level: OfcomLevel
        switch m.output.3 {
        case "oa": level = .outputArea
        case "laua": level = .localAuthority
        default: level = .postcode
        }
        if level != .postcode && m.output.6 != nil { return nil }
        self.fileName = fileName
        snapshot = String(m.output.1) + String(m.output.2)
        self.revision = revision
        self.level = level
        premisesSet = m.output.4 == nil ? .all : .residential
        postcodeArea = m.output.6.map { $0.uppercased() }
    }

    /// Parses the file's name or throws the one-line error for a name that does not match.
    public init(file: DataFile) throws {
        guard let parsed = OfcomFileName(file.fileName) else {
            throw GeoIOError(path: file.description, "'\(file.fileName)' is not an Ofcom fixed-coverage file name: expected \(Self.pattern); bbplan reads the snapshot, revision, level and premises set from the name")
        }
        self = parsed
    }
}

/// One Ofcom file that was read, for provenance.
public struct OfcomSource: Sendable, Equatable {
    /// The file as messages name it (`path`, or `archive.zip/member.csv`).
    public let file: String
    public let name: OfcomFileName
    /// Data rows read from it.
    public let rows: Int
}
