import Foundation
import GeoIO
import OutputSafety
import RunSummary
import Scenario

/// Writes every output of a run (summary.json always; the rest by `outputs.formats`) into an
/// output folder opened before the computation, checks that everything reads back, and puts
/// it in place (`OutputFolder.commit`).
public enum RunWriter {
    /// Writes the outputs into `folder`, verifies them and puts them in place.
    /// - Returns: notes for the user (an old folder that could not be removed).
    @discardableResult
    public static func write(_ r: RunResult, into folder: OutputFolder, extraFiles: [String: String] = [:]) throws -> [String] {
        let formats = Set(r.scenario.outputs.formats)
        // Feature counts per file and layer, checked when the files are opened again.
        var layerCounts: [String: [String: Int]] = [:]
        do {
            try folder.write(Data(try RunSummary(r).rendered().utf8), to: RunSummary.fileName)
            if formats.contains(.csv) {
                try folder.write(Data(Tables.authorities(r).contents.utf8), to: "authorities.csv")
                if let rollout = r.rollout {
                    try folder.write(Data(Tables.years(rollout).contents.utf8), to: "years.csv")
                    try folder.write(Data(Tables.buildAreas(r, rollout).contents.utf8), to: "build_areas.csv")
                }
            }
            let layers = Layers.all(r)
            // The GeoPackage and each GeoJSON file are written at the same time (each its own
            // GDAL dataset; inside each, features are prepared on several threads). The files
            // are the same bytes as written one after another.
            var jobs: [@Sendable () throws -> Void] = []
            let crs = r.scenario.crs
            if formats.contains(.gpkg) {
                let path = folder.reserve("coverage.gpkg")
                jobs.append {
                    let writer = try VectorWriter(path: path, format: .geoPackage, crs: crs)
                    for layer in layers { try writer.write(layer) }
                    try writer.close()
                    try QGISStyles.add(to: path, layers: layers.map(\.name))
                }
                layerCounts["coverage.gpkg"] = Dictionary(uniqueKeysWithValues: layers.map { ($0.name, $0.features.count) })
            }
            if formats.contains(.geojson) {
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
            }
            try ParallelJobs.run(jobs)
            if formats.contains(.html) { try folder.write(Data(HTMLReport.page(r).utf8), to: "report.html") }
            for (name, contents) in extraFiles.sorted(by: { $0.key < $1.key }) {
                try folder.write(Data(contents.utf8), to: name)
            }
        } catch {
            let failure = folder.failure(error)
            folder.abandon()
            throw failure
        }
        return try folder.commit(verify: { dir in try verify(dir, layerCounts: layerCounts) }, digest: FileDigest.sha256(path:))
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
    static func verify(_ dir: String, layerCounts: [String: [String: Int]]) throws {
        _ = try RunSummary.load(runFolder: URL(fileURLWithPath: dir))
        // Each file is opened by its own GDAL dataset, so the files are checked at the same
        // time; the first problem in file order is reported.
        try ParallelJobs.run(layerCounts.sorted(by: { $0.key < $1.key }).map { file, counts in
            { try verify(dir + "/" + file, counts: counts) }
        })
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
