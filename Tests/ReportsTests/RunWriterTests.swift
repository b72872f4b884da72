import Foundation
import GeoIO
import Testing
import TestSupport
@testable import Reports
import RunSummary

/// What `RunWriter` checks before it puts a run's outputs in place: every file reads back
/// with what was written. GDAL's GeoJSON writer reports no error on a full disk, so a
/// truncated file is found only here. The damaged copies are removed after each test, so
/// scripts/validate-outputs does not take them for results.
@Suite("Run writer verification")
struct RunWriterTests {
    /// A copy of the Cumbria baseline's folder, and the feature counts RunWriter wrote.
    static func writtenCopy() throws -> (dir: String, counts: [String: [String: Int]]) {
        let run = try Runs.cumbriaBaseline.get()
        let dir = TestPaths.temporaryDirectory("run-writer").appendingPathComponent("copy").path
        try FileManager.default.copyItem(atPath: run.folder.path, toPath: dir)
        let layers = try Layers.all(run.result)
        var counts = ["coverage.gpkg": Dictionary(uniqueKeysWithValues: layers.map { ($0.name, $0.features.count) })]
        for layer in layers where layer.name != "premises" { counts["\(layer.name).geojson"] = [layer.name: layer.features.count] }
        return (dir, counts)
    }

    @Test func whatWasWrittenVerifies() throws {
        let (dir, counts) = try Self.writtenCopy()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(counts.count > 3)
        try RunWriter.verify(dir, layerCounts: counts)
    }

    @Test func aTruncatedGeoJSONIsFound() throws {
        let (dir, counts) = try Self.writtenCopy()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/authorities.geojson"
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: path))
        let error = try #require(throws: GeoIOError.self) { try RunWriter.verify(dir, layerCounts: counts) }
        #expect(error.path == path)
    }

    @Test func aMissingFeatureIsFound() throws {
        let (dir, counts) = try Self.writtenCopy()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let written = try #require(counts["authorities.geojson"]?["authorities"])
        var more = counts
        more["authorities.geojson"] = ["authorities": written + 1]
        let error = try #require(throws: GeoIOError.self) { try RunWriter.verify(dir, layerCounts: more) }
        #expect(error.message == "layer 'authorities' holds \(written) features when opened again; \(written + 1) were written")
    }

    @Test func aDamagedGeoPackageIsFound() throws {
        let (dir, counts) = try Self.writtenCopy()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/coverage.gpkg"
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        // Scramble the last pages (feature data and indexes), keeping the header and schema.
        let start = bytes.count - min(bytes.count / 3, 64 * 1024)
        for i in start..<bytes.count { bytes[i] ^= 0x5A }
        try bytes.write(to: URL(fileURLWithPath: path))
        #expect(throws: GeoIOError.self) { try RunWriter.verify(dir, layerCounts: counts) }
    }

    @Test func anUnreadableSummaryIsFound() throws {
        let (dir, counts) = try Self.writtenCopy()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data("{\"scenario\": ".utf8).write(to: URL(fileURLWithPath: dir + "/summary.json"))
        #expect(throws: RunSummary.LoadError.self) { try RunWriter.verify(dir, layerCounts: counts) }
    }
}
