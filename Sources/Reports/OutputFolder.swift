import Foundation
import GeoIO
import Scenario

/// Writes a run's outputs into a temporary sibling folder and renames it into place at the
/// end, so a failed or killed run leaves either the previous complete results or nothing,
/// never a half-written folder.
public enum OutputFolder {
    /// What went wrong with the output folder itself (bad input: exit 2).
    public struct Problem: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// Checks that `path` can become an output folder: not an existing file, and its parent
    /// exists or can be made.
    public static func check(_ path: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw Problem(description: "\(path): the output folder is a file")
        }
        if path.contains("\u{0}") { throw Problem(description: "output folder name contains NUL") }
    }

    /// Removes temporary and set-aside folders that a killed run left next to `name`
    /// (`.name.tmp-PID-x`, `.name.old-PID-x`) when their process no longer exists.
    static func removeLeftovers(in parent: URL, name: String) {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: parent.path) else { return }
        for entry in entries {
            for kind in [".tmp-", ".old-"] where entry.hasPrefix(".\(name)\(kind)") {
                let rest = entry.dropFirst(name.count + 1 + kind.count)
                guard let pid = Int32(rest.prefix { $0.isNumber }), pid > 0 else { continue }
                if kill(pid, 0) != 0 && errno == ESRCH {
                    try? FileManager.default.removeItem(at: parent.appendingPathComponent(entry))
                }
            }
        }
    }

    /// Runs `body` with a fresh temporary folder, then replaces `path` with it.
    public static func write(to path: String, _ body: (URL) throws -> Void) throws {
        try check(path)
        let target = URL(fileURLWithPath: path).standardizedFileURL
        let parent = target.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        } catch {
            throw Problem(description: "\(parent.path): cannot create the output folder's parent: \(error.localizedDescription)")
        }
        removeLeftovers(in: parent, name: target.lastPathComponent)
        let token = "\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))"
        let temporary = parent.appendingPathComponent(".\(target.lastPathComponent).tmp-\(token)")
        try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: false)
        do {
            try body(temporary)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
        // Replace: move any old results aside, rename the new folder in, then delete the old.
        let old = parent.appendingPathComponent(".\(target.lastPathComponent).old-\(token)")
        let hadOld = FileManager.default.fileExists(atPath: target.path)
        if hadOld { try FileManager.default.moveItem(at: target, to: old) }
        do {
            try FileManager.default.moveItem(at: temporary, to: target)
        } catch {
            if hadOld { try? FileManager.default.moveItem(at: old, to: target) }
            try? FileManager.default.removeItem(at: temporary)
            throw Problem(description: "\(target.path): cannot move the results into place: \(error.localizedDescription)")
        }
        if hadOld { try? FileManager.default.removeItem(at: old) }
    }
}

/// Writes every output of a run (summary.json always; the rest by `outputs.formats`).
public enum RunWriter {
    public static func write(_ r: RunResult, to path: String, extraFiles: [String: String] = [:]) throws {
        let formats = Set(r.scenario.outputs.formats)
        try OutputFolder.write(to: path) { dir in
            func file(_ name: String) -> String { dir.appendingPathComponent(name).path }
            let summary = Summary.json(r).rendered() + "\n"
            try Data(summary.utf8).write(to: URL(fileURLWithPath: file("summary.json")))
            if formats.contains(.csv) {
                try Tables.authorities(r).write(to: file("authorities.csv"))
                if let rollout = r.rollout {
                    try Tables.years(rollout).write(to: file("years.csv"))
                    try Tables.buildAreas(r, rollout).write(to: file("build_areas.csv"))
                }
            }
            let layers = Layers.all(r)
            if formats.contains(.gpkg) {
                let writer = try VectorWriter(path: file("coverage.gpkg"), format: .geoPackage, crs: r.scenario.crs)
                for layer in layers { try writer.write(layer) }
                try writer.close()
                try QGISStyles.add(to: file("coverage.gpkg"), layers: layers.map(\.name))
            }
            if formats.contains(.geojson) {
                for layer in layers where layer.name != "premises" {
                    let writer = try VectorWriter(path: file("\(layer.name).geojson"), format: .geoJSON, crs: r.scenario.crs)
                    try writer.write(layer)
                    try writer.close()
                }
            }
            if formats.contains(.html) { try Data(HTMLReport.page(r).utf8).write(to: URL(fileURLWithPath: file("report.html"))) }
            for (name, contents) in extraFiles {
                try Data(contents.utf8).write(to: URL(fileURLWithPath: file(name)))
            }
        }
    }
}
