import Coverage
import Foundation
import GeoIO
import Locking
import Geometry
import Projection

/// One input file as recorded in summary.json and the run catalogue.
public struct InputRecord: Sendable, Equatable {
    /// The scenario key that read it ("premises", "networks[1]").
    public let role: String
    public let path: String
    public let sha256: String
    public let features: Int
    /// Whether the data is modelled rather than observed (docs/SCENARIO.md, `modelled`).
    public var modelled: Bool = false

    /// Whether a source holds modelled data when the scenario does not say: a file or folder
    /// name saying so ("modelled", "modeled", "synthetic", "simulated"), bbplan's sample
    /// networks and premises (GeoData/network: synthetic infrastructure; GeoData/premises:
    /// households estimated by spreading district totals over postcodes), or a households
    /// column named as an estimate (`households_est`, `..._estimate`).
    public static func isModelled(path: String, householdsColumn: String? = nil) -> Bool {
        let lower = path.lowercased()
        let name = (lower as NSString).lastPathComponent
        if ["modelled", "modeled", "synthetic", "simulated"].contains(where: name.contains) { return true }
        if lower.contains("/geodata/network/") || lower.contains("/geodata/premises/") { return true }
        if let column = householdsColumn?.lowercased(), column.hasSuffix("_est") || column.contains("estimate") { return true }
        return false
    }
}

/// An input polygon that was invalid and repaired with make-valid.
public struct RepairRecord: Sendable, Equatable {
    public let role: String
    public let path: String
    public let feature: Int
    public let reason: String
}

/// Everything a scenario reads, converted to the working CRS and ready for the model.
public struct LoadedInputs: Sendable {
    /// Every authority of the source (premises are located against all of them).
    public var authorities: [Authority]
    /// Indices of the authorities being planned (`only`, in the order listed; else all).
    public var selected: [Int]
    public var premises: PremisesTable
    public var networks: [Network]
    /// Extra fibre nodes for the rollout's FTTP route distance (cabinets are added by the
    /// simulator).
    public var fibreNodes: (xs: [Double], ys: [Double])?
    public var inputs: [InputRecord]
    public var repairs: [RepairRecord]
    /// Pairs of authorities (one of them planned at least) whose polygons overlap: their
    /// common area is counted in both (`AuthorityOverlaps`).
    public var overlaps: [AuthorityOverlap] = []
    /// Whether each datum transformation applied used the OSTN15 grid, by input role; absent
    /// where no transformation was needed.
    public var datumShifts: [String: OperationInfo]
    /// Seconds spent reading each input, for the run report and benchmarks.
    public var timings: [(step: String, seconds: Double)] = []
    /// Observed data as read, and the premises' join to it (nil without `observed:`). With a
    /// join, `premises` holds the joined rows: a point split over speed classes is one row
    /// per class (`observed.origin` names the point).
    public var observedData: ObservedData? = nil
    public var observed: ObservedPremises? = nil
    /// Premises points read from the premises file (before any split into class rows).
    public var pointCount: Int = 0
    /// For each premises row, the `rollout.intervention_area` built-up area and voucher
    /// priority area polygon it lies in (-1: none); nil without those layers.
    public var builtUpArea: [Int32]? = nil
    public var voucherArea: [Int32]? = nil
    /// Each authority's region (`authorities.region`; empty where the field is), nil
    /// without the key.
    public var regions: [String]? = nil
    /// The field `regions` came from (`authorities.region`, or inferred).
    public var regionField: String? = nil

    /// How many premises points the rows hold (rows of one point split over speed classes
    /// count once).
    public func pointCount(of rows: [Int]) -> Int {
        guard let origin = observed?.origin else { return rows.count }
        return Set(rows.map { origin[$0] }).count
    }

    /// Whether row `i` of `premises` is the first row of its point (each point counts once
    /// as a premises, however many class rows it has).
    public var firstRowOfPoint: [Bool]? {
        guard let origin = observed?.origin else { return nil }
        return origin.indices.map { $0 == 0 || origin[$0] != origin[$0 - 1] }
    }
}

/// Loads a scenario's data through GeoIO. Errors name the scenario key and the data file.
public enum InputLoader {
    public static func load(_ scenario: Scenario, progress: (String) -> Void = { _ in }) throws -> LoadedInputs {
        var inputs: [InputRecord] = []
        var repairs: [RepairRecord] = []
        var shifts: [String: OperationInfo] = [:]
        var timings: [(String, Double)] = []
        let crs = scenario.crs
        // Every path is checked before anything reads it (hashing included): a device, FIFO,
        // pseudo-file or network path fails here at once, naming the scenario key.
        for source in scenario.inputSpecs {
            _ = try context(source) { try InputFile.check(source.path) }
        }
        // Hash every input on other threads while this one reads them.
        let digests = BackgroundResults(keys: scenario.inputSources.map(\.path)) { try FileDigest.sha256(path: $0) }
        var clock = DispatchTime.now()
        func lap(_ step: String) {
            let now = DispatchTime.now()
            timings.append((step, Double(now.uptimeNanoseconds - clock.uptimeNanoseconds) / 1e9))
            clock = now
        }
        let specs = Dictionary(scenario.inputSpecs.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        func record(_ role: String, _ path: String, _ features: Int) throws -> InputRecord {
            var householdsColumn: String?
            if role == "premises", case .column(let c) = scenario.premises.households { householdsColumn = c }
            return InputRecord(role: role, path: path, sha256: try digests.value(for: path) ?? FileDigest.sha256(path: path), features: features,
                               modelled: specs[role]?.modelled ?? InputRecord.isModelled(path: path, householdsColumn: householdsColumn))
        }

        // Authorities.
        progress("reading authorities")
        let a = scenario.authorities
        // The region field: as named, else one the boundary data has under a usual name.
        let regionField = try a.regionField ?? context(a.source) { try inferredRegionField(a.source) }
        // Each field once (the region may be the name field).
        var fields = [a.codeField]
        for f in [a.nameField] + (regionField.map { [$0] } ?? []) where !fields.contains(f) { fields.append(f) }
        let table = try context(a.source) {
            try FeatureReader.read(path: a.source.path, layer: a.source.layer, fields: fields,
                                   geometry: .polygons, workingCRS: crs, declaredCRS: a.source.crs)
        }
        guard table.count > 0 else {
            throw ScenarioError(file: a.source.file, line: a.source.line, "authorities: \(a.source.path) holds no polygons")
        }
        var authorities: [Authority] = []
        var seen: [String: Int] = [:]
        for i in 0..<table.count {
            let code = table.attributes[a.codeField]?[i].text ?? ""
            let name = table.attributes[a.nameField]?[i].text ?? ""
            guard !code.isEmpty else {
                throw ScenarioError(file: a.source.file, line: a.source.line, "authorities: feature \(table.featureNumbers[i]) of \(a.source.path) has no \(a.codeField)")
            }
            if let earlier = seen[code] {
                throw ScenarioError(file: a.source.file, line: a.source.line, "authorities: code \(code.excerpt) appears twice in \(a.source.path) (features \(table.featureNumbers[earlier]) and \(table.featureNumbers[i]))")
            }
            seen[code] = i
            authorities.append(try Authority(code: code, name: name.isEmpty ? code : name, geometry: table.geometries[i]))
        }
        let regions = regionField.map { field in (0..<table.count).map { table.attributes[field]?[$0].text ?? "" } }
        var selected = Array(authorities.indices)
        if let only = a.only {
            selected = try only.enumerated().map { position, code in
                guard let i = seen[code] else {
                    throw scenario.errorInList("authorities.only", index: position, "no authority with code \(code) in \(a.source.path)")
                }
                return i
            }
        }
        repairs += table.repairs.map { RepairRecord(role: "authorities", path: a.source.path, feature: $0.feature, reason: $0.reason) }
        inputs.append(try record("authorities", a.source.path, table.count))
        lap("reading authorities")
        let overlaps = try AuthorityOverlaps.find(authorities, planned: selected)
        lap("checking authority overlaps")
        if let op = table.operation { shifts["authorities"] = op }

        // Premises.
        progress("reading premises")
        let p = scenario.premises
        var numberColumns: [String] = []
        if case .column(let c) = p.households { numberColumns.append(c) }
        var points = try context(p.source) {
            try PointReader.read(PointSource(path: p.source.path, layer: p.source.layer, x: p.source.x, y: p.source.y,
                                             crs: p.source.crs, numberColumns: numberColumns,
                                             textColumns: Array(Set([p.idField, scenario.observed.isEmpty ? nil : p.joinPostcodeField].compactMap { $0 })).sorted()),
                                 workingCRS: crs)
        }
        guard points.table.count > 0 else {
            throw ScenarioError(file: p.source.file, line: p.source.line, "premises: \(p.source.path) holds no points")
        }
        let households: [Double]
        switch p.households {
        case .number(let h): households = [Double](repeating: h, count: points.table.count)
        case .column(let c):
            households = points.table.numbers[c] ?? []
            if let bad = households.firstIndex(where: { !($0 >= 0 && $0 <= ValueLimits.maxHouseholdsPerPoint) }) {
                let place = p.source.x != nil ? "line \((try? CSVPointReader.line(ofRecord: bad, path: p.source.path)) ?? bad + 2)" : "feature \(bad + 1)"
                let problem = households[bad] < 0 ? "is negative" : "is more than \(ValueLimits.describe(ValueLimits.maxHouseholdsPerPoint)) households at one point (see docs/RELIABILITY.md)"
                throw ScenarioError(file: p.source.file, line: p.source.line, "premises: \(p.source.path): \(place): \(c) \(households[bad]) \(problem)")
            }
        }
        let ids: [String]? = p.idField.flatMap { field in
            points.table.texts[field].map { column in (0..<column.count).map { column[$0] } }
        }
        var premises = PremisesTable(xs: points.table.xs, ys: points.table.ys, households: households, ids: ids)
        // The postcode column (as read) is kept for the observed join; the other text columns
        // are released now, not at the end of loading: nationally the UPRN column as read is
        // 515 MB beside its 412 MB of Strings in `ids` (docs/BENCHMARKS.md).
        var postcodeTexts = scenario.observed.isEmpty ? nil : p.joinPostcodeField.flatMap { points.table.texts[$0] }
        points.table.texts = [:]
        inputs.append(try record("premises", p.source.path, premises.count))
        lap("reading premises")
        if let op = points.operation { shifts["premises"] = op }

        // Networks.
        var networks: [Network] = []
        for (i, spec) in scenario.networks.enumerated() {
            let role = "networks[\(i)]"
            progress("reading network \(spec.name)")
            let assets: Network.Assets
            var count = 0
            switch spec.technology {
            case .fttc, .fwa:
                var numbers: [String] = []
                if case .column(let c)? = spec.radius { numbers.append(c) }
                let data = try context(spec.source) {
                    try PointReader.read(PointSource(path: spec.source.path, layer: spec.source.layer, x: spec.source.x,
                                                     y: spec.source.y, crs: spec.source.crs, numberColumns: numbers),
                                         workingCRS: crs)
                }
                count = data.table.count
                if let op = data.operation { shifts[role] = op }
                if spec.technology == .fttc {
                    assets = .cabinets(xs: data.table.xs, ys: data.table.ys)
                } else {
                    let radii: [Double]
                    switch spec.radius {
                    case .number(let r)?: radii = [Double](repeating: r, count: count)
                    case .column(let c)?: radii = data.table.numbers[c] ?? []
                    case nil: radii = []
                    }
                    if let bad = radii.firstIndex(where: { !($0 > 0) }) {
                        throw ScenarioError(file: spec.source.file, line: spec.source.line, "\(role) (\(spec.name)): mast \(bad + 1) of \(spec.source.path) has radius \(radii[bad]); radii must be positive")
                    }
                    assets = .masts(xs: data.table.xs, ys: data.table.ys, radiiMetres: radii)
                }
            case .fttp, .cable:
                let footprints = try context(spec.source) {
                    try FeatureReader.read(path: spec.source.path, layer: spec.source.layer, geometry: .polygons,
                                           workingCRS: crs, declaredCRS: spec.source.crs)
                }
                count = footprints.count
                repairs += footprints.repairs.map { RepairRecord(role: role, path: spec.source.path, feature: $0.feature, reason: $0.reason) }
                if let op = footprints.operation { shifts[role] = op }
                assets = .footprints(footprints.geometries)
            }
            guard count > 0 else {
                throw ScenarioError(file: spec.source.file, line: spec.source.line, "\(role) (\(spec.name)): \(spec.source.path) holds no features")
            }
            networks.append(Network(name: spec.name, operatorName: spec.operatorName, technology: spec.technology,
                                    assets: assets, downMbps: spec.downMbps))
            inputs.append(try record(role, spec.source.path, count))
            lap("reading \(role)")
        }

        var fibre: (xs: [Double], ys: [Double])?
        if let f = scenario.rollout?.fibreNodes {
            progress("reading fibre nodes")
            let data = try context(f) {
                try PointReader.read(PointSource(path: f.path, layer: f.layer, x: f.x, y: f.y, crs: f.crs ?? (f.x != nil ? crs : nil)),
                                     workingCRS: crs)
            }
            fibre = (data.table.xs, data.table.ys)
            inputs.append(try record("rollout.fibre_nodes", f.path, data.table.count))
            lap("reading fibre nodes")
        }

        // Observed availability: read, then joined to the premises.
        let pointCount = premises.count
        var observedData: ObservedData?
        var observed: ObservedPremises?
        if !scenario.observed.isEmpty {
            progress("reading observed availability")
            let (data, records) = try ObservedLoader.read(scenario.observed, files: scenario.observedFiles, record: record)
            inputs += records
            lap("reading observed availability")
            progress("joining observed availability to premises")
            let (table, joined) = try ObservedLoader.join(scenario, data: data, premises: premises, postcodeTexts: &postcodeTexts,
                                                          authorities: authorities, networks: networks)
            premises = table
            observedData = data
            observed = joined
            lap("classifying premises (model) and joining observed availability")
        }

        var loaded = LoadedInputs(authorities: authorities, selected: selected, premises: premises, networks: networks,
                                  fibreNodes: fibre, inputs: inputs, repairs: repairs, overlaps: overlaps, datumShifts: shifts,
                                  timings: timings, regions: regions, regionField: regionField)
        loaded.observedData = observedData
        loaded.observed = observed
        loaded.pointCount = pointCount
        if let rules = scenario.rollout?.interventionArea {
            func locate(_ spec: DataSourceSpec?) throws -> [Int32]? {
                guard let spec else { return nil }
                progress("reading \(spec.key)")
                let table = try context(spec) {
                    try FeatureReader.read(path: spec.path, layer: spec.layer, geometry: .polygons,
                                           workingCRS: crs, declaredCRS: spec.crs)
                }
                loaded.repairs += table.repairs.map { RepairRecord(role: spec.key, path: spec.path, feature: $0.feature, reason: $0.reason) }
                loaded.inputs.append(try record(spec.key, spec.path, table.count))
                let located = try PolygonLocator(polygons: table.geometries).locate(xs: premises.xs, ys: premises.ys)
                lap("reading \(spec.key)")
                return located
            }
            loaded.builtUpArea = try locate(rules.builtUpAreas)
            loaded.voucherArea = try locate(rules.voucherPriorityAreas)
            loaded.timings = timings
        }
        return loaded
    }

    /// The authorities' region field when the scenario names none: the first field whose
    /// name (any case) is an ONS region or country field or says region or country
    /// (`RGN23NM`, `RGN_NM`, `REGION`, `REGION_NAME`, `CTRY23NM`, `CTRY_NM`, `CTRY`, `COUNTRY`),
    /// regions before countries; nil when there is none.
    static func inferredRegionField(_ source: DataSourceSpec) throws -> String? {
        let names = try VectorSource(path: source.path).describe(layer: source.layer).first?.fields.map(\.name) ?? []
        let patterns = [#"^rgn[0-9]*_?nm$"#, #"^region(_?name)?$"#, #"^ctry[0-9]*_?nm$"#, #"^ctry$"#, #"^country(_?name)?$"#]
        for pattern in patterns {
            if let hit = names.first(where: { $0.lowercased().range(of: pattern, options: .regularExpression) != nil }) { return hit }
        }
        return nil
    }

    /// Runs a read, prefixing data-file errors with the scenario file, line and key.
    static func context<T>(_ source: DataSourceSpec, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as GeoIOError {
            throw ScenarioError(file: source.file, line: source.line, "\(source.key): \(error)")
        } catch let error as ProjectionError {
            throw ScenarioError(file: source.file, line: source.line, "\(source.key): \(error)")
        }
    }
}
