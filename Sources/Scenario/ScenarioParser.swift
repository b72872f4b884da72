import Coverage
import Foundation
import Projection
import RunSummary

/// Turns a scenario's YAML tree into a validated `Scenario`, rejecting unknown keys and bad
/// values with the file and line. Each mapping's keys are listed in `ScenarioKeys`.
enum ScenarioParser {
    static func parse(_ tree: YAMLNode, file: String) throws -> Scenario {
        var top = try MappingReader(tree, path: "", keys: ScenarioKeys.top)
        let name = try top.requiredString("name")
        // The name becomes an output folder name (made file-safe); names that look like paths
        // are refused rather than silently rewritten.
        if name.contains("/") || name.contains("\\") || name == "." || name == ".."
            || name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw top.error("name", "must not contain '/', '\\', control characters or be '.' or '..': it names the output folder")
        }
        let description = try top.string("description") ?? ""
        let crs = try crsValue(&top, "crs") ?? CRS.britishNationalGrid
        if crs.isGeographic {
            throw top.error("crs", "the working CRS must be projected in metres (e.g. EPSG:27700), not \(crs.label)")
        }

        var authoritiesReader = try requiredMapping(&top, "authorities", keys: ScenarioKeys.authorities)
        let authorities = AuthoritiesSpec(
            source: try source(&authoritiesReader, key: "authorities"),
            codeField: try authoritiesReader.requiredString("code"),
            nameField: try authoritiesReader.requiredString("name"),
            only: try authoritiesReader.stringList("only")?.map(\.value),
            snapMetres: try authoritiesReader.number("snap_m") ?? 0,
            regionField: try authoritiesReader.string("region"))
        if let only = authorities.only, only.isEmpty { throw authoritiesReader.error("only", "is an empty list") }
        // Boundaries generalised at the coast miss points by tens to hundreds of metres; 10 km
        // is already a neighbouring town.
        guard authorities.snapMetres >= 0, authorities.snapMetres <= 10_000 else {
            throw authoritiesReader.error("snap_m", "must be between 0 and 10000 metres")
        }
        try authoritiesReader.finish()

        var premisesReader = try requiredMapping(&top, "premises", keys: ScenarioKeys.premises)
        let premises = PremisesSpec(
            source: try source(&premisesReader, key: "premises"),
            households: try columnOrNumber(&premisesReader, "households") ?? .number(1),
            idField: try premisesReader.string("id"),
            kind: try premisesKind(&premisesReader),
            postcodeField: try premisesReader.string("postcode"))
        if case .number(let h) = premises.households, h < 0 {
            throw premisesReader.error("households", "must not be negative")
        }
        if case .number(let h) = premises.households, h > ValueLimits.maxHouseholdsPerPoint {
            throw premisesReader.error("households", "must be at most \(ValueLimits.describe(ValueLimits.maxHouseholdsPerPoint)) at one point (see docs/RELIABILITY.md)")
        }
        try premisesReader.finish()

        var networks: [NetworkSpec] = []
        if let list = top.raw("networks") {
            guard let items = list.sequence else {
                throw ScenarioError(file: list.file, line: list.line, "networks must be a list")
            }
            for (i, item) in items.enumerated() {
                networks.append(try network(item, index: i))
            }
            var seen: [String: Int] = [:]
            for (i, n) in networks.enumerated() {
                if let j = seen[n.name] {
                    throw ScenarioError(file: n.source.file, line: n.source.line, "networks[\(i)]: name '\(n.name)' is used by networks[\(j)] too")
                }
                seen[n.name] = i
            }
        }

        let observedSources = try top.raw("observed").map { try observed($0) } ?? []
        try checkObservedJoins(observedSources, premises: premises, reader: premisesReader)

        var routeFactor = 1.3
        var curve = SpeedCurve.vdsl2Default
        if var fttc = try top.mapping("fttc", keys: ScenarioKeys.fttc) {
            if let f = try fttc.number("route_factor") {
                guard f >= 1 else { throw fttc.error("route_factor", "must be at least 1 (a line is never shorter than the straight distance)") }
                routeFactor = f
            }
            if let raw = fttc.raw("speed_curve_m_mbps") {
                curve = try speedCurve(raw, name: fttc.qualified("speed_curve_m_mbps"))
            }
            try fttc.finish()
        }

        var tiers = Dictionary(uniqueKeysWithValues: TierSet.defaultTiers.map { ($0.name, $0.mbps) })
        if var tierReader = try top.mapping("tiers_mbps", keys: nil) {
            for pair in tierReader.node.mapping ?? [] {
                guard pair.key.range(of: "^[a-z][a-z0-9_]*$", options: .regularExpression) != nil else {
                    throw tierReader.error(pair.key, "tier names are lower-case letters, digits and _")
                }
                let v = try tierReader.requiredNumber(pair.key)
                guard v > 0 else { throw tierReader.error(pair.key, "must be a positive speed in Mbit/s") }
                tiers[pair.key] = v
            }
            try tierReader.finish()
        }
        let tierSet = TierSet(tiers.map { Tier(name: $0.key, mbps: $0.value) })
        let nga = try top.number("nga_threshold_mbps") ?? 30
        guard nga > 0 else { throw top.error("nga_threshold_mbps", "must be a positive speed in Mbit/s") }
        let model = SpeedModel(routeFactor: routeFactor, curve: curve, tiers: tierSet, ngaThresholdMbps: nga)

        var coverage = CoverageSettings(tiers: RunSummary.contractTiers, quadrantSegments: 8)
        if var c = try top.mapping("coverage", keys: ScenarioKeys.coverage) {
            if let list = try c.stringList("tiers") {
                if list.map(\.value) == ["all"] {
                    coverage.tiers = tierSet.names
                } else {
                    for (item, t) in list where tierSet.index(of: t) == nil {
                        throw item.error("'\(t)' is not a tier; tiers are: \(tierSet.names.joined(separator: ", ")) (or all)")
                    }
                    coverage.tiers = tierSet.names.filter { list.map(\.value).contains($0) }
                }
            }
            if let q = try c.number("quadrant_segments") {
                guard q >= 1, q <= 256, q == q.rounded() else { throw c.error("quadrant_segments", "must be a whole number from 1 to 256") }
                coverage.quadrantSegments = Int(q)
            }
            try c.finish()
        }

        let rollout = try top.mapping("rollout", keys: ScenarioKeys.rollout).map { r in try RolloutParser.parse(r, tiers: tierSet) }
        var uncertainty: UncertaintySettings?
        if var u = try top.mapping("uncertainty", keys: ScenarioKeys.uncertainty) {
            let runs = try u.number("runs") ?? 100
            guard runs >= 1, runs <= 100_000, runs == runs.rounded() else { throw u.error("runs", "must be a whole number from 1 to 100000") }
            let spread = try u.number("cost_spread") ?? 0.2
            guard spread >= 0, spread < 1 else { throw u.error("cost_spread", "must be at least 0 and below 1") }
            let seed = try u.number("seed") ?? 1
            guard seed >= 0, seed == seed.rounded(), seed < 9e15 else { throw u.error("seed", "must be a whole number ≥ 0") }
            var settings = UncertaintySettings(runs: Int(runs), costSpread: spread, seed: UInt64(seed))
            for key in ["take_up_spread", "arpu_spread", "payback_spread", "margin_spread"] {
                let value = try u.number(key) ?? 0
                guard value >= 0, value < 1 else { throw u.error(key, "must be at least 0 and below 1") }
                switch key {
                case "take_up_spread": settings.takeUpSpread = value
                case "arpu_spread": settings.arpuSpread = value
                case "payback_spread": settings.paybackSpread = value
                default: settings.marginSpread = value
                }
            }
            uncertainty = settings
            try u.finish()
        }

        var outputs = OutputSettings(dir: nil, formats: [.gpkg, .geojson, .csv, .html], premisesLayer: false)
        if var o = try top.mapping("outputs", keys: ScenarioKeys.outputs) {
            if let dirNode = o.raw("dir") {
                guard let dir = dirNode.scalar, !dir.isEmpty else { throw o.error("dir", "must be a folder path") }
                try checkOutputPath(dir, file: dirNode.file, line: dirNode.line, key: "outputs.dir")
                outputs.dir = resolve(dir, relativeTo: dirNode.file)
            }
            if let formats = try o.stringList("formats") {
                outputs.formats = try formats.map { item, f in
                    guard let format = OutputFormat(rawValue: f) else {
                        throw item.error("unknown format '\(f)'; formats are: \(OutputFormat.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                    return format
                }
            }
            outputs.premisesLayer = try o.bool("premises_layer") ?? false
            try o.finish()
        }

        var sweep: [SweepAxis] = []
        if let s = top.raw("sweep") {
            guard let pairs = s.mapping, !pairs.isEmpty else {
                throw ScenarioError(file: s.file, line: s.line, "sweep must map key paths (e.g. rollout.budget_gbp) to lists of values")
            }
            for pair in pairs {
                if let problem = ScenarioKeys.problem(withSweepPath: pair.key) {
                    throw ScenarioError(file: s.file, line: pair.keyLine, problem)
                }
                guard let values = pair.value.sequence, !values.isEmpty else {
                    throw ScenarioError(file: s.file, line: pair.keyLine, "sweep.\(pair.key) must be a non-empty list of values")
                }
                sweep.append(SweepAxis(keyPath: pair.key, values: values, line: pair.keyLine))
            }
        }
        _ = top.raw("extends")
        try top.finish()
        try checkIntervention(rollout, observed: observedSources, file: file)

        return Scenario(
            name: name, description: description, file: file, crs: crs, authorities: authorities,
            premises: premises, networks: networks, observed: observedSources, model: model, coverage: coverage, rollout: rollout,
            uncertainty: uncertainty, outputs: outputs, sweep: sweep, settings: tree.removing("sweep"))
    }

    static func requiredMapping(_ reader: inout MappingReader, _ key: String, keys: [String]) throws -> MappingReader {
        guard let m = try reader.mapping(key, keys: keys) else {
            throw ScenarioError(file: reader.file, line: reader.node.line, "\(reader.path.isEmpty ? "the scenario" : reader.path) needs '\(key)'")
        }
        return m
    }

    static func premisesKind(_ reader: inout MappingReader) throws -> PremisesKind {
        guard let text = try reader.string("kind") else { return .points }
        guard let kind = PremisesKind(rawValue: text) else {
            throw reader.error("kind", "'\(text)' is not a kind of premises; kinds are: \(PremisesKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return kind
    }

    static func crsValue(_ reader: inout MappingReader, _ key: String) throws -> CRS? {
        guard let text = try reader.string(key) else { return nil }
        do { return try CRS(text) } catch { throw reader.error(key, "\(error)") }
    }

    static func columnOrNumber(_ reader: inout MappingReader, _ key: String) throws -> ColumnOrNumber? {
        guard let node = reader.raw(key) else { return nil }
        guard let s = node.scalar else { throw reader.error(key, "must be a column name or a number", line: node.line) }
        if case .scalar(_, let plain) = node.value, plain, let d = Double(s) {
            guard d.isFinite else { throw reader.error(key, "must be a finite number") }
            return .number(d)
        }
        return .column(s)
    }

    static func source(_ reader: inout MappingReader, key: String) throws -> DataSourceSpec {
        let node = try reader.requiredRaw("source")
        guard let path = node.scalar, !path.isEmpty else { throw reader.error("source", "must be a file path") }
        let crs = try crsValue(&reader, "crs")
        return DataSourceSpec(
            path: resolve(path, relativeTo: node.file), layer: try reader.string("layer"),
            x: try reader.string("x"), y: try reader.string("y"), crs: crs,
            key: key, file: node.file, line: node.line, modelled: try reader.bool("modelled"))
    }

    /// A path relative to the folder of the file that named it. URLs and GDAL virtual paths
    /// are kept as written, for `InputFile` to accept or refuse when the data is loaded.
    static func resolve(_ path: String, relativeTo file: String) -> String {
        if path.contains("://") || path.hasPrefix("/vsi") { return path }
        if path.hasPrefix("/") { return URL(fileURLWithPath: path).standardizedFileURL.path }
        let folder = URL(fileURLWithPath: file).deletingLastPathComponent()
        return folder.appendingPathComponent(path).standardizedFileURL.path
    }

    /// Output paths may not hold NUL or control characters.
    static func checkOutputPath(_ path: String, file: String, line: Int, key: String) throws {
        if path.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) {
            throw ScenarioError(file: file, line: line, "\(key): the path contains a control character")
        }
    }

    static func network(_ node: YAMLNode, index: Int) throws -> NetworkSpec {
        let key = "networks[\(index)]"
        var r = try MappingReader(node, path: key, keys: ScenarioKeys.network)
        let name = try r.requiredString("name")
        let op = try r.requiredString("operator")
        let techText = try r.requiredString("technology")
        guard let tech = Technology(rawValue: techText) else {
            throw r.error("technology", "unknown technology '\(techText)'; technologies are: fttc, fttp, cable, fwa")
        }
        let source = try source(&r, key: key)
        let speed = try r.number("down_mbps")
        if let speed, speed <= 0 { throw r.error("down_mbps", "must be a positive speed in Mbit/s") }
        let radius = try columnOrNumber(&r, "radius_m")
        switch tech {
        case .fttc:
            if speed != nil { throw r.error("down_mbps", "FTTC speeds come from the fttc speed curve; remove down_mbps") }
        case .fttp, .cable:
            if speed == nil { throw r.error(nil, "a \(tech.rawValue) network needs down_mbps") }
        case .fwa:
            if speed == nil { throw r.error(nil, "an fwa network needs down_mbps") }
            guard let radius else { throw r.error(nil, "an fwa network needs radius_m (a number or a column)") }
            if case .number(let v) = radius, v <= 0 { throw r.error("radius_m", "must be positive") }
        }
        if tech != .fwa, radius != nil {
            throw r.error("radius_m", "is the reach of fwa masts; a \(tech.rawValue) network has none")
        }
        if tech != .fttc, tech != .fwa, source.x != nil || source.y != nil {
            throw r.error("x", "\(tech.rawValue) footprints are polygons; x and y are for point files")
        }
        try r.finish()
        return NetworkSpec(name: name, operatorName: op, technology: tech, source: source, downMbps: speed, radius: radius)
    }

    static func speedCurve(_ node: YAMLNode, name: String) throws -> SpeedCurve {
        guard let nodes = node.sequence, !nodes.isEmpty else {
            throw ScenarioError(file: node.file, line: node.line, "\(name) must be a list of [metres, Mbit/s] pairs")
        }
        let items = ListItem.items(of: nodes, name: name)
        let points = try items.map { item -> SpeedCurve.Point in
            guard let pair = item.node.sequence, pair.count == 2 else {
                throw item.error("each point is a [metres, Mbit/s] pair")
            }
            let values = ListItem.items(of: pair, name: item.name)
            return SpeedCurve.Point(metres: try values[0].number(), mbps: try values[1].number())
        }
        do { return try SpeedCurve(points) } catch let invalid as SpeedCurve.Invalid {
            guard let point = invalid.point else { throw ScenarioError(file: node.file, line: node.line, "\(name): \(invalid.reason)") }
            throw items[point].error(invalid.reason)
        }
    }
}
