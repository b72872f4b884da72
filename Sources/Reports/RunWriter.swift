import Foundation
import GeoIO
import OutputSafety
import RunSummary
import Scenario

/// Writes every output of a run (summary.json always; the rest by `outputs.formats`) into an
/// output folder opened before the computation, checks that everything reads back, and puts
/// it in place (`OutputFolder.commit`).
public enum RunWriter {
    /// Writes the outputs into `folder`, verifies them and puts them in place. summary.json is
    /// written last, so its `timings_s` holds the writing steps before it (`writing ...`;
    /// writing summary.json itself, the read-back check and putting the folder in place come
    /// after and are not in it).
    /// - Parameter progress: told the name of each writing step as it starts.
    /// - Returns: notes for the user (an old folder that could not be removed).
    @discardableResult
    public static func write(_ r: RunResult, into folder: OutputFolder, extraFiles: [String: String] = [:],
                             progress: (String) -> Void = { _ in }) throws -> [String] {
        let formats = Set(r.scenario.outputs.formats)
        // Feature counts per file and layer, checked when the files are opened again.
        var layerCounts: [String: [String: Int]] = [:]
        var times = StepTimes()
        // The MBTiles layers that hold a geometry (checked to be there when read back).
        var tiledLayers: [String] = []
        do {
            if formats.contains(.csv) {
                try times.measure("writing CSV tables", reporting: progress) {
                    try folder.write(Data(Tables.authorities(r).contents.utf8), to: "authorities.csv")
                    try folder.write(Data(Tables.gapClusters(r).contents.utf8), to: "gap_clusters.csv")
                    if let rollout = r.rollout {
                        try folder.write(Data(Tables.years(rollout).contents.utf8), to: "years.csv")
                        try folder.write(Data(Tables.buildAreas(r, rollout).contents.utf8), to: "build_areas.csv")
                        if let lots = rollout.lots { try folder.write(Data(Tables.lots(lots).contents.utf8), to: "lots.csv") }
                    }
                }
            }
            let layers = formats.contains(.gpkg) || formats.contains(.geojson) || formats.contains(.mbtiles)
                ? try times.measure("preparing GIS layers", reporting: progress) { try Layers.all(r) } : []
            // The GeoPackage and each GeoJSON file are written at the same time (each its own
            // GDAL dataset or GeoJSON file; inside each, features are prepared on several
            // threads). The files are the same bytes as written one after another. `writing
            // coverage.gpkg` is the GeoPackage's own time, `writing GeoJSON layers` from the
            // first GeoJSON file's start to the last one's end: the two overlap.
            var jobs: [@Sendable () throws -> Void] = []
            var geoJSONJobs: Range<Int> = 0..<0
            let crs = r.scenario.crs
            if formats.contains(.gpkg) {
                let path = folder.reserve("coverage.gpkg")
                let share = OutputTable.baselineShare(r, tier: "superfast")
                let buildClasses = BuildAreaClasses.classes(r)
                jobs.append {
                    let writer = try VectorWriter(path: path, format: .geoPackage, crs: crs)
                    for layer in layers { try writer.write(layer) }
                    try writer.close()
                    try QGISStyles.add(to: path, layers: layers.map(\.name), authoritiesShare: share, buildClasses: buildClasses)
                }
                layerCounts["coverage.gpkg"] = Dictionary(uniqueKeysWithValues: layers.map { ($0.name, $0.features.count) })
            }
            if formats.contains(.geojson) {
                let first = jobs.count
                // Largest first, so the longest file does not start last.
                for layer in layers.filter({ $0.name != "premises" }).sorted(by: { $0.features.count > $1.features.count }) {
                    let file = "\(layer.name).geojson"
                    let path = folder.reserve(file)
                    jobs.append {
                        let writer = try VectorWriter(path: path, format: .geoJSON, crs: crs)
                        try writer.write(layer)
                        try writer.close()
                    }
                    layerCounts[file] = [layer.name: layer.features.count]
                }
                geoJSONJobs = first..<jobs.count
            }
            if !jobs.isEmpty {
                progress(formats.contains(.gpkg) && formats.contains(.geojson) ? "writing coverage.gpkg and GeoJSON layers"
                         : formats.contains(.gpkg) ? "writing coverage.gpkg" : "writing GeoJSON layers")
                let spans = try ParallelJobs.timed(jobs)
                if formats.contains(.gpkg) { times.record("writing coverage.gpkg", seconds: spans[0].end - spans[0].start) }
                if formats.contains(.geojson) {
                    let geo = spans[geoJSONJobs]
                    times.record("writing GeoJSON layers",
                                 seconds: geo.isEmpty ? 0 : geo.map(\.end).max()! - geo.map(\.start).min()!)
                }
            }
            if formats.contains(.gpkg) {
                try times.measure("writing project.qgz", reporting: progress) {
                    let project = QGISProject.document(r, layers: layers, buildClasses: BuildAreaClasses.classes(r))
                    try folder.write(QGISProject.archive(project), to: QGISProject.fileName)
                }
            }
            if formats.contains(.mbtiles) {
                try times.measure("writing coverage.mbtiles", reporting: progress) {
                    let tiled = layers.filter(WebTiles.isTiled)
                    let writer = try VectorWriter(path: folder.reserve(WebTiles.fileName), format: .mbtiles, crs: r.scenario.crs,
                                                  options: WebTiles.options(name: r.scenario.name))
                    for layer in tiled { try writer.write(layer) }
                    try writer.close()
                    tiledLayers = tiled.filter { $0.features.contains { $0.geometry.map { !$0.isEmpty } ?? false } }.map(\.name)
                }
            }
            if formats.contains(.html) {
                try times.measure("writing report.html", reporting: progress) { try folder.write(Data(HTMLReport.page(r).utf8), to: "report.html") }
            }
            for (name, contents) in extraFiles.sorted(by: { $0.key < $1.key }) {
                try folder.write(Data(contents.utf8), to: name)
            }
            var summary = RunSummary(r)
            progress("writing summary.json")
            for entry in times.entries { summary.timingsS[entry.step] = entry.seconds }
            try folder.write(Data(try summary.rendered().utf8), to: RunSummary.fileName)
        } catch {
            let failure = folder.failure(error)
            folder.abandon()
            throw failure
        }
        progress("checking the outputs and putting them in place")
        return try folder.commit(verify: { dir in try verify(dir, layerCounts: layerCounts, tiledLayers: tiledLayers) }, digest: FileDigest.sha256(path:))
    }

    /// Writes the outputs to `path` as `bbplan run --out PATH` does (the same location rules).
    public static func write(_ r: RunResult, to path: String) throws {
        let location = try RunOutput.location(for: r.scenario, override: path)
        let (folder, _) = try OutputFolder.begin(location, toolVersion: r.toolVersion)
        try write(r, into: folder)
    }

    /// Reads back what was written: summary.json decodes as every reader decodes it; every
    /// GeoPackage and GeoJSON opens with GDAL and holds the features written, layer by layer;
    /// the GeoPackage passes SQLite's quick_check. GDAL reports some write failures (a full
    /// disk while writing GeoJSON) nowhere else.
    static func verify(_ dir: String, layerCounts: [String: [String: Int]], tiledLayers: [String] = []) throws {
        _ = try RunSummary.load(runFolder: URL(fileURLWithPath: dir))
        // Each file is opened by its own GDAL dataset, so the files are checked at the same
        // time; the first problem in file order is reported.
        try ParallelJobs.run(layerCounts.sorted(by: { $0.key < $1.key }).map { file, counts in
            { try verify(dir + "/" + file, counts: counts) }
        })
        // Vector tiles split a feature over the tiles it crosses, so their counts differ from
        // the features written: each layer with a geometry must be there with features.
        if !tiledLayers.isEmpty {
            let path = dir + "/" + WebTiles.fileName
            let found = try VectorSource(path: path).describe()
            for layer in tiledLayers {
                guard let reopened = found.first(where: { $0.name == layer }), reopened.featureCount > 0 else {
                    throw GeoIOError(path: path, "layer '\(layer)' has no features in the tiles when opened again")
                }
            }
        }
    }

    private static func verify(_ path: String, counts: [String: Int]) throws {
        let found = try VectorSource(path: path).describe()
        for (layer, count) in counts.sorted(by: { $0.key < $1.key }) {
            let reopened = found.count == 1 && counts.count == 1 ? found.first : found.first { $0.name == layer }
            guard let reopened else { throw GeoIOError(path: path, "layer '\(layer)' is missing when the file is opened again") }
            guard reopened.featureCount == count else {
                throw GeoIOError(path: path, "layer '\(layer)' holds \(reopened.featureCount) features when opened again; \(count) were written")
            }
        }
        if path.hasSuffix(".gpkg") {
            let db = try GeoPackageSQL(path: path)
            let answer = try db.query("PRAGMA quick_check").first?.first ?? nil
            try db.close()
            guard answer == "ok" else {
                throw GeoIOError(path: path, "SQLite finds the written file damaged: \(answer ?? "no answer")")
            }
        }
    }
}
