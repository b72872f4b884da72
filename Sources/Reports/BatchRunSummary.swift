import Foundation

/// The figures of one run as its `summary.json` states them, plus what the HTML reports draw
/// besides numbers: authority outlines for the maps and the cost curve.
///
/// Both reports read their numbers from here, so the HTML shows exactly what summary.json
/// says: `HTMLReport.page` builds it from the summary of the run in memory,
/// `BatchRunSummary.load(runFolder:)` from a run folder on disk (for `batchPage`).
public struct BatchRunSummary: Sendable {
    /// Households and shares by tier, NGA classes and gap areas of one state (before or after).
    public struct State: Sendable, Equatable {
        /// Households at or above each tier.
        public var householdsByTier: [String: Double]
        /// Share (0–1) of households at or above each tier.
        public var shareByTier: [String: Double]
        /// White, grey and black households.
        public var ngaHouseholds: [String: Double]
        /// Gap area per polygon tier, km².
        public var gapAreaKm2: [String: Double]

        public func share(_ tier: String) -> Double { shareByTier[tier] ?? 0 }
        public func nga(_ colour: String) -> Double { ngaHouseholds[colour] ?? 0 }
        public func gap(_ tier: String) -> Double? { gapAreaKm2[tier] }
    }

    /// One planned authority's row.
    public struct Authority: Sendable, Equatable {
        public var code: String
        public var name: String
        public var premises: Double
        public var households: Double
        public var areaKm2: Double
        public var before: State
        public var after: State
        public var costGBP: Double
        public var publicCostGBP: Double
        public var householdsPassed: Double
        public var buildAreas: Double
    }

    /// One input file.
    public struct Input: Sendable, Equatable {
        public var role: String
        public var path: String
        public var sha256: String
        public var features: Double
        public var fileName: String { URL(fileURLWithPath: path).lastPathComponent }
    }

    /// One programme year.
    public struct Year: Sendable, Equatable {
        public var year: Int
        public var costGBP: Double
        public var publicCostGBP: Double
        public var householdsPassed: Double
        /// Cumulative, at the end of the year.
        public var householdsConnected: Double
    }

    /// P10, P50 and P90 over the uncertainty runs.
    public struct Spread: Sendable, Equatable {
        public var p10: Double
        public var p50: Double
        public var p90: Double
    }

    /// One point of the cost curve: totals after building the areas up to one in build order.
    public struct CurvePoint: Sendable, Equatable {
        public var publicCostGBP: Double
        public var householdsPassed: Double
    }

    public var scenario: String
    public var description: String
    /// The run folder (empty when built from a run in memory).
    public var folder: String
    public var version: String
    public var startedAt: String
    public var finishedAt: String
    /// The working CRS label (`EPSG:27700`) and name.
    public var workingCRS: String
    public var crsName: String
    /// Whether datum shifts used the OSTN15 grid; nil when no input needed a datum shift.
    public var ostn15Grid: Bool?
    public var ostn15GridFound: Bool
    /// Nil for coverage-only runs.
    public var targetTier: String?
    public var strategy: String?
    public var variant: [(key: String, value: String)]
    public var tierThresholdsMbps: [(name: String, mbps: Double)]

    public var premises: Double
    /// Households in the planned authorities (the denominator of every share).
    public var households: Double
    public var unassignedPremises: Double
    public var unassignedHouseholds: Double
    public var excludedPremises: Double
    public var excludedHouseholds: Double
    public var areaKm2: Double
    public var before: State
    public var after: State
    public var costGBP: Double
    public var publicCostGBP: Double
    public var householdsPassed: Double
    public var buildAreas: Double
    public var candidateAreas: Double?

    public var authorities: [Authority]
    public var years: [Year]
    public var inputs: [Input]
    public var repairs: Int
    /// Uncertainty runs (0 when no spread was modelled; the spreads are then nil).
    public var uncertaintyRuns: Int
    public var costSpread: Spread?
    public var publicCostSpread: Spread?
    public var householdsPassedSpread: Spread?

    /// Authority outlines for the maps, in a planar projection with y up.
    public var shapes: [MapShape] = []
    /// Cumulative public cost against households passed, in build order, from (0, 0).
    public var costCurve: [CurvePoint] = []

    /// Whether the run simulated a rollout (else before and after are the same).
    public var hasRollout: Bool { targetTier != nil }

    /// What is wrong with a run folder or its summary.
    public struct LoadError: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// Reads a run folder: `summary.json` (required), `authorities.geojson` for the maps and
    /// `build_areas.csv` for the cost curve (both optional: maps and curve are left out
    /// without them).
    public static func load(runFolder: URL) throws -> BatchRunSummary {
        let summaryURL = runFolder.appendingPathComponent("summary.json")
        let data: Data
        do {
            data = try Data(contentsOf: summaryURL)
        } catch {
            throw LoadError(description: "\(summaryURL.path): cannot read: \(error.localizedDescription)")
        }
        var summary = try BatchRunSummary(summaryJSON: data, source: summaryURL.path)
        summary.folder = runFolder.path
        let geojson = runFolder.appendingPathComponent("authorities.geojson")
        if FileManager.default.fileExists(atPath: geojson.path) {
            let planned = Set(summary.authorities.map(\.code))
            summary.shapes = try MapShape.fromGeoJSON(at: geojson).filter { planned.contains($0.code) }
        }
        let buildAreas = runFolder.appendingPathComponent("build_areas.csv")
        if FileManager.default.fileExists(atPath: buildAreas.path) {
            summary.costCurve = try costCurve(csv: buildAreas)
        }
        return summary
    }

    /// Parses summary.json; `source` names it in errors.
    public init(summaryJSON data: Data, source: String) throws {
        let root: JSONReader
        do {
            root = JSONReader(try JSONSerialization.jsonObject(with: data), path: "", source: source)
        } catch {
            throw LoadError(description: "\(source): not valid JSON: \(error.localizedDescription)")
        }
        scenario = try root["scenario"].string()
        description = root["description"].optionalString ?? ""
        folder = ""
        version = root["version"].optionalString ?? ""
        startedAt = root["started_at"].optionalString ?? ""
        finishedAt = root["finished_at"].optionalString ?? ""
        let crs = root["crs"]
        workingCRS = crs["working"].optionalString ?? ""
        crsName = crs["name"].optionalString ?? ""
        ostn15Grid = crs["ostn15_grid"].optionalBool
        ostn15GridFound = crs["ostn15_grid_found"].optionalBool ?? false
        targetTier = root["target_tier"].optionalString
        strategy = root["strategy"].optionalString
        variant = root["variant"].pairs.map { ($0.key, $0.value.optionalString ?? "") }
        tierThresholdsMbps = root["tiers_mbps"].pairs.compactMap { pair in pair.value.optionalNumber.map { (pair.key, $0) } }
            .sorted { ($0.mbps, $0.name) < ($1.mbps, $1.name) }

        let totals = root["totals"]
        premises = try totals["premises"].number()
        let planned = totals["planned_households"].optionalNumber
        households = try planned ?? totals["households"].number()
        unassignedPremises = totals["unassigned_premises"].optionalNumber ?? 0
        unassignedHouseholds = totals["unassigned_households"].optionalNumber ?? 0
        excludedPremises = totals["excluded_premises"].optionalNumber ?? 0
        excludedHouseholds = totals["excluded_households"].optionalNumber ?? 0
        areaKm2 = totals["area_km2"].optionalNumber ?? 0
        before = try Self.state(totals["before"], households: households)
        after = try Self.state(totals["after"], households: households)
        costGBP = try totals["cost_gbp"].number()
        publicCostGBP = try totals["public_cost_gbp"].number()
        householdsPassed = try totals["households_passed"].number()
        buildAreas = totals["build_areas"].optionalNumber ?? 0
        candidateAreas = totals["candidate_areas"].optionalNumber

        authorities = try root["authorities"].array().map { a in
            let h = try a["households"].number()
            return Authority(
                code: try a["code"].string(), name: try a["name"].string(),
                premises: a["premises"].optionalNumber ?? 0, households: h, areaKm2: a["area_km2"].optionalNumber ?? 0,
                before: try Self.state(a["before"], households: h), after: try Self.state(a["after"], households: h),
                costGBP: a["cost_gbp"].optionalNumber ?? 0, publicCostGBP: a["public_cost_gbp"].optionalNumber ?? 0,
                householdsPassed: a["households_passed"].optionalNumber ?? 0, buildAreas: a["build_areas"].optionalNumber ?? 0)
        }
        years = try root["years"].optionalArray.map { y in
            Year(year: try y["year"].integer(), costGBP: y["cost_gbp"].optionalNumber ?? 0,
                 publicCostGBP: y["public_cost_gbp"].optionalNumber ?? 0,
                 householdsPassed: y["households_passed"].optionalNumber ?? 0,
                 householdsConnected: y["households_connected"].optionalNumber ?? 0)
        }
        inputs = try root["inputs"].optionalArray.map { i in
            Input(role: i["role"].optionalString ?? "", path: try i["path"].string(),
                  sha256: i["sha256"].optionalString ?? "", features: i["features"].optionalNumber ?? 0)
        }
        repairs = root["repairs"]["count"].optionalInteger ?? 0
        let u = root["uncertainty"]
        uncertaintyRuns = u["runs"].optionalInteger ?? 0
        if uncertaintyRuns > 0 {
            costSpread = try Self.spread(u["cost_gbp"])
            publicCostSpread = try Self.spread(u["public_cost_gbp"])
            householdsPassedSpread = try Self.spread(u["households_passed"])
        }
    }

    static func state(_ s: JSONReader, households: Double) throws -> State {
        let byTier = try s["households_by_tier"].numbers()
        var shares = s["share_by_tier"].isPresent ? try s["share_by_tier"].numbers() : [:]
        // Older summaries lack share_by_tier: derive it as summary.json defines it.
        for (tier, h) in byTier where shares[tier] == nil { shares[tier] = households > 0 ? h / households : 0 }
        return State(householdsByTier: byTier, shareByTier: shares, ngaHouseholds: try s["nga_households"].numbers(),
                     gapAreaKm2: s["gap_area_km2"].isPresent ? try s["gap_area_km2"].numbers() : [:])
    }

    static func spread(_ p: JSONReader) throws -> Spread {
        Spread(p10: try p["p10"].number(), p50: try p["p50"].number(), p90: try p["p90"].number())
    }

    /// The cost curve from build_areas.csv: built areas by rank, cumulative public cost and
    /// households.
    static func costCurve(csv url: URL) throws -> [CurvePoint] {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw LoadError(description: "\(url.path): cannot read: \(error.localizedDescription)")
        }
        var lines = text.split(whereSeparator: \.isNewline).map(String.init)
        guard !lines.isEmpty else { return [] }
        let header = CSVLine.fields(lines.removeFirst())
        guard let rank = header.firstIndex(of: "rank"), let cost = header.firstIndex(of: "public_cost_gbp"),
              let households = header.firstIndex(of: "households") else {
            throw LoadError(description: "\(url.path): needs the columns rank, public_cost_gbp and households")
        }
        var built: [(rank: Int, cost: Double, households: Double)] = []
        for (n, line) in lines.enumerated() {
            let fields = CSVLine.fields(line)
            guard fields.count == header.count else {
                throw LoadError(description: "\(url.path): line \(n + 2): \(fields.count) fields where the header has \(header.count)")
            }
            guard let r = Int(fields[rank]) else { continue }
            guard let c = Double(fields[cost]), let h = Double(fields[households]) else {
                throw LoadError(description: "\(url.path): line \(n + 2): public_cost_gbp or households is not a number")
            }
            built.append((r, c, h))
        }
        var points = [CurvePoint(publicCostGBP: 0, householdsPassed: 0)]
        for area in built.sorted(by: { $0.rank < $1.rank }) {
            let last = points[points.count - 1]
            points.append(CurvePoint(publicCostGBP: last.publicCostGBP + area.cost,
                                     householdsPassed: last.householdsPassed + area.households))
        }
        return points.count > 1 ? points : []
    }
}

/// Splits one CSV record (RFC 4180 quoting; no line breaks inside fields).
enum CSVLine {
    static func fields(_ line: String) -> [String] {
        var fields: [String] = []
        var field = ""
        var quoted = false
        var iterator = line.makeIterator()
        var pending: Character? = nil
        while let c = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if c == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" { field.append("\"") } else { quoted = false; pending = next }
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                fields.append(field)
                field = ""
            } else if c != "\r" {
                field.append(c)
            }
        }
        fields.append(field)
        return fields
    }
}

/// Typed access into a Foundation JSON tree, with errors naming the key path.
struct JSONReader {
    let value: Any?
    let path: String
    let source: String

    init(_ value: Any?, path: String, source: String) {
        self.value = value
        self.path = path
        self.source = source
    }

    subscript(key: String) -> JSONReader {
        let child = (value as? [String: Any])?[key]
        return JSONReader(child, path: path.isEmpty ? key : "\(path).\(key)", source: source)
    }

    var isPresent: Bool { value != nil && !(value is NSNull) }

    var optionalString: String? { value as? String }

    var optionalBool: Bool? {
        switch value {
        case let b as Bool: b
        case let n as NSNumber: n.boolValue
        default: nil
        }
    }

    var optionalNumber: Double? {
        switch value {
        case let d as Double: d.isFinite ? d : nil
        case let i as Int: Double(i)
        case let n as NSNumber: n.doubleValue
        default: nil
        }
    }

    /// The value as an Int when it is a whole number an Int holds (never traps on 1e300).
    var optionalInteger: Int? { optionalNumber.flatMap { Int(exactly: $0) } }

    var optionalArray: [JSONReader] {
        guard let items = value as? [Any] else { return [] }
        return items.enumerated().map { JSONReader($1, path: "\(path)[\($0)]", source: source) }
    }

    /// The members of an object, in key order (JSONSerialization does not keep file order).
    var pairs: [(key: String, value: JSONReader)] {
        guard let object = value as? [String: Any] else { return [] }
        return object.keys.sorted().map { ($0, self[$0]) }
    }

    func string() throws -> String {
        guard let s = value as? String else { throw problem("a string") }
        return s
    }

    func number() throws -> Double {
        guard let n = optionalNumber else { throw problem("a number") }
        return n
    }

    func integer() throws -> Int {
        guard let n = optionalInteger else { throw problem("a whole number") }
        return n
    }

    func array() throws -> [JSONReader] {
        guard value is [Any] else { throw problem("an array") }
        return optionalArray
    }

    /// An object whose values are all numbers (null counts as 0).
    func numbers() throws -> [String: Double] {
        guard let object = value as? [String: Any] else { throw problem("an object of numbers") }
        var out: [String: Double] = [:]
        for key in object.keys {
            if self[key].isPresent { out[key] = try self[key].number() } else { out[key] = 0 }
        }
        return out
    }

    private func problem(_ expected: String) -> BatchRunSummary.LoadError {
        let found = value == nil ? "missing" : "not \(expected)"
        return BatchRunSummary.LoadError(description: "\(source): \(path.isEmpty ? "top level" : path) is \(found)")
    }
}
