import Foundation
import GeoIO
import RunSummary
import Scenario

/// A run as the HTML reports show it: its summary (every number on the page), plus what the
/// pages draw that summary.json does not hold: authority outlines for the maps and the cost
/// curve. Built from a run in memory (`init(_:)`) or from a run folder (`load(runFolder:)`),
/// both through `RunSummary`, so the page and summary.json never disagree.
public struct ReportedRun: Sendable {
    public var summary: RunSummary
    /// The run folder (empty for a run in memory).
    public var folder: String
    /// Authority outlines for the maps, in a planar projection with y up.
    public var shapes: [MapShape]
    /// Cumulative public cost against households passed, in build order, from (0, 0); empty
    /// when nothing was built.
    public var costCurve: [CostCurvePoint]
    /// Why the maps are left out, if they are.
    public var mapProblem: String?
    /// Cross-border gap clusters and lots, drawn over the outlines.
    public var overlays: [MapOverlay] = []
    /// The built build areas, for the maps by year and by technology.
    public var builtAreas: [BuiltAreaShape] = []
    /// Ground metres per map coordinate unit of `shapes`, for the scale bar (nil: none).
    public var metresPerMapUnit: Double?

    public init(summary: RunSummary, folder: String = "", shapes: [MapShape] = [], costCurve: [CostCurvePoint] = [],
                mapProblem: String? = nil) {
        self.summary = summary
        self.folder = folder
        self.shapes = shapes
        self.costCurve = costCurve
        self.mapProblem = mapProblem
    }

    /// A run in memory: its summary as summary.json states it (rendered and read back, so
    /// the page shows the written figures to the digit), its planned authorities simplified
    /// in the working CRS, the cost curve of its build order.
    public init(_ r: RunResult) throws {
        var shapes: [MapShape] = []
        var overlays: [MapOverlay] = []
        var builtShapes: [BuiltAreaShape] = []
        var mapProblem: String?
        do {
            shapes = try MapShape.planned(r)
            overlays = try MapShape.overlays(r)
            builtShapes = try MapShape.built(r)
        } catch {
            mapProblem = "The maps are left out: the authority outlines could not be simplified (\(error))."
        }
        let built = r.rollout.map { rollout in
            rollout.selection.buildOrder.map { (rollout.priced[$0].publicCostGBP, rollout.areas[$0].households) }
        } ?? []
        let written = try RunSummary.decode(Data(try RunSummary(r).rendered().utf8), source: RunSummary.fileName)
        self.init(summary: written, shapes: shapes, costCurve: CostCurvePoint.curve(built), mapProblem: mapProblem)
        self.overlays = overlays
        self.builtAreas = builtShapes
        self.metresPerMapUnit = MapShape.metresPerUnit(r)
    }

    /// Reads a run folder: `summary.json` (required), `authorities.geojson` for the maps and
    /// `build_areas.csv` for the cost curve (both optional: maps and curve are left out
    /// without them).
    public static func load(runFolder: URL) throws -> ReportedRun {
        let summary = try RunSummary.load(runFolder: runFolder)
        var run = ReportedRun(summary: summary, folder: runFolder.path)
        let geojson = runFolder.appendingPathComponent("authorities.geojson")
        if FileManager.default.fileExists(atPath: geojson.path) {
            let planned = Set(summary.authorities.map(\.code))
            let (shapes, projection) = try MapShape.fromGeoJSON(at: geojson, projection: nil)
            run.shapes = shapes.filter { planned.contains($0.code) }
            run.overlays = try MapOverlay.load(runFolder: runFolder, projection: projection)
            run.builtAreas = try MapShape.loadBuilt(runFolder: runFolder, projection: projection)
            run.metresPerMapUnit = MapShape.metresPerGeoJSONUnit
        }
        let buildAreas = runFolder.appendingPathComponent("build_areas.csv")
        if FileManager.default.fileExists(atPath: buildAreas.path) {
            run.costCurve = CostCurvePoint.curve(try builtAreas(csv: buildAreas))
        }
        return run
    }

    /// The built areas of build_areas.csv in build order (by rank): public cost and households.
    /// Read by `CSVRecords`, the one CSV parser (a code holding a quoted line break reads as
    /// written). Rows without a rank were not built.
    static func builtAreas(csv url: URL) throws -> [(publicCostGBP: Double, households: Double)] {
        var rank = 0, cost = 0, households = 0
        var built: [(rank: UInt64, cost: Double, households: Double)] = []
        do {
            try CSVRecords.read(path: url.path) { header in
                guard let r = try header.index(of: "rank"), let c = try header.index(of: "public_cost_gbp"),
                      let h = try header.index(of: "households") else {
                    throw RunSummary.LoadError(description: "\(url.path): needs the columns rank, public_cost_gbp and households")
                }
                (rank, cost, households) = (r, c, h)
            } record: { record in
                if record.isBlank(rank) { return }
                guard let r = record.unsigned(rank), let c = record.double(cost), let h = record.double(households) else {
                    throw record.error("rank, public_cost_gbp or households is not a number")
                }
                built.append((r, c, h))
            }
        } catch let error as GeoIOError {
            throw RunSummary.LoadError(description: error.description)
        }
        return built.sorted { $0.rank < $1.rank }.map { ($0.cost, $0.households) }
    }
}

/// One point of the cost curve: totals after building the areas up to one in build order.
public struct CostCurvePoint: Sendable, Equatable {
    public var publicCostGBP: Double
    public var householdsPassed: Double

    /// The curve of areas built in this order: from (0, 0), one point per area; empty when
    /// nothing was built. The one rule for a run in memory and one read from its folder.
    public static func curve(_ built: [(publicCostGBP: Double, households: Double)]) -> [CostCurvePoint] {
        guard !built.isEmpty else { return [] }
        var point = CostCurvePoint(publicCostGBP: 0, householdsPassed: 0)
        var points = [point]
        for area in built {
            point.publicCostGBP += area.publicCostGBP
            point.householdsPassed += area.households
            points.append(point)
        }
        return points
    }
}
