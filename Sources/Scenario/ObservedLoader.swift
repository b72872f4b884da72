import Availability
import Coverage
import Foundation
import GeoIO

/// Reads a scenario's `observed:` sources and joins them to the premises (docs/MODEL.md,
/// "Observed data"). Reader errors name the scenario key, file and line.
enum ObservedLoader {
    /// - Parameters:
    ///   - files: the scenario's `observedFiles` (role of each file on disk).
    ///   - record: makes the input record of a file on disk (its digest, computed once).
    static func read(
        _ specs: [ObservedSourceSpec], files: [(role: String, path: String)],
        record: (_ role: String, _ path: String, _ rows: Int) throws -> InputRecord
    ) throws -> (data: ObservedData, records: [InputRecord]) {
        var data = ObservedData()
        var records: [InputRecord] = []
        let roles = Dictionary(files.map { ($0.path, $0.role) }, uniquingKeysWith: { a, _ in a })
        /// One record per file on disk: a zip archive's members add up under the archive.
        func add(_ spec: ObservedSourceSpec, _ read: [(file: String, rows: Int)]) throws {
            var order: [String] = []
            var rows: [String: Int] = [:]
            for (file, n) in read {
                var path = file
                if !FileManager.default.fileExists(atPath: path), let r = file.range(of: ".zip/", options: [.caseInsensitive, .backwards]) {
                    path = String(file[..<r.lowerBound]) + String(file[r.lowerBound...].prefix(4))
                }
                if rows[path] == nil { order.append(path) }
                rows[path, default: 0] += n
            }
            for path in order { records.append(try record(roles[path] ?? spec.key, path, rows[path]!)) }
        }
        for spec in specs {
            try context(spec) {
                switch spec.type {
                case .ofcomPostcode:
                    let pc = try OfcomCoverageReader.readPostcodes(spec.paths)
                    try add(spec, pc.sources.map { ($0.file, $0.rows) })
                    data.postcodes = pc
                    data.postcodeUse = spec.use
                case .bdukUPRN:
                    let bduk = try BDUKReleaseReader.read(spec.paths)
                    try add(spec, bduk.sources.map { ($0.file, $0.rows) })
                    data.bduk = bduk
                    data.bdukUse = spec.use
                case .ofcomLAUA:
                    let la = try OfcomCoverageReader.readLocalAuthorities(spec.paths)
                    try add(spec, la.sources.map { ($0.file, $0.rows) })
                    data.authorities = la
                }
            }
        }
        return (data, records)
    }

    /// Joins the observed data to the premises read from `scenario.premises`.
    ///
    /// - Parameters:
    ///   - postcodeTexts: the premises' postcode column, when the scenario names one; set to
    ///     nil once turned into postcode keys, so that its memory is released.
    static func join(
        _ scenario: Scenario, data: ObservedData, premises: PremisesTable, postcodeTexts: inout TextColumnValues?,
        authorities: [Authority], networks: [Network]
    ) throws -> (PremisesTable, ObservedPremises) {
        let p = scenario.premises
        var postcodes: [PostcodeKey]?
        if data.postcodes != nil, let texts = postcodeTexts {
            postcodes = (0..<premises.count).map { PostcodeKey(texts[$0]) ?? .none }
        }
        // The keys are all the join needs: the column as read (383 MB nationally) goes now,
        // before the model's classification allocates.
        postcodeTexts = nil
        var uprns: [UInt64]?
        if data.bduk != nil, let ids = premises.ids {
            var values = [UInt64](repeating: 0, count: premises.count)
            for i in 0..<premises.count {
                let text = ids[i].trimmingCharacters(in: .whitespaces)
                if let v = Int64(text) { values[i] = UPRN.validate(v) ?? 0 }
            }
            // A UPRN twice among the premises would join one BDUK row to two points.
            let valid = values.enumerated().filter { $0.element != 0 }
            do {
                _ = try UPRNIndex(valid.map(\.element))
            } catch let d as UPRNIndex.Duplicate {
                let place = { (k: Int) -> String in
                    let i = valid[k].offset
                    return p.source.x != nil ? "line \((try? CSVPointReader.line(ofRecord: i, path: p.source.path)) ?? i + 2)" : "feature \(i + 1)"
                }
                throw ScenarioError(file: p.source.file, line: p.source.line,
                                    "premises: \(p.source.path): UPRN \(d.uprn) appears twice (\(place(d.first)) and \(place(d.second))); each address point must be one premises")
            }
            uprns = values
        }
        let model = try Baseline.classify(premises: premises, authorities: authorities, networks: networks, model: scenario.model,
                                          snapMetres: scenario.authorities.snapMetres)
        let joined = ObservedJoin.join(premises: premises, postcodes: postcodes, uprns: uprns, model: model,
                                       data: data, speedModel: scenario.model)
        return (joined.premises, joined.observed)
    }

    static func context<T>(_ spec: ObservedSourceSpec, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as GeoIOError {
            throw ScenarioError(file: spec.file, line: spec.line, "\(spec.key) (\(spec.type.rawValue)): \(error)")
        }
    }
}

/// A text column as read (`PointTable.texts`), indexable by row.
typealias TextColumnValues = StringColumn
