import Foundation
import Geometry
import Testing
import TestSupport
@testable import GeoIO

/// Counting features and finding the extent: asked of drivers that keep them, found in one read
/// of the features for the others (CSV), with progress along the way.
@Suite("VectorSource: count and extent in one read")
struct VectorSourceCountTests {
    /// exchanges.csv by hand: 34 data rows; the extent is the smallest and largest easting and
    /// northing, read here from the file with a plain split, independently of GDAL.
    static func handCounted() throws -> (rows: Int, extent: [Double]) {
        let lines = try String(contentsOfFile: TestPaths.fixture("exchanges.csv"), encoding: .utf8)
            .split(separator: "\n").dropFirst()
        let points = lines.map { line -> (Double, Double) in
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            return (Double(f[1]) ?? .nan, Double(f[2]) ?? .nan)
        }
        return (points.count, [points.map(\.0).min() ?? 0, points.map(\.1).min() ?? 0,
                               points.map(\.0).max() ?? 0, points.map(\.1).max() ?? 0])
    }

    @Test(arguments: ["exchanges.csv", "exchanges.csv.gz"])
    func aCSVIsReadOnceWithProgress(file: String) throws {
        let expected = try Self.handCounted()
        #expect(expected.rows == 34)
        let source = try VectorSource(path: TestPaths.fixture(file), openOptions: VectorSource.csvDescribeOptions)
        var heard: [Int] = []
        let info = try #require(try source.describe(progressEvery: 10) { layer, features in
            #expect(layer == "exchanges")
            heard.append(features)
        }.first)
        #expect(info.featureCount == expected.rows)
        let e = try #require(info.extent)
        #expect([e.minX, e.minY, e.maxX, e.maxY] == expected.extent)
        // Once at the start, then every 10 features: one read, not one per figure.
        #expect(heard == [0, 10, 20, 30])
        // The fields are still there (ignored during the read only).
        #expect(info.fields.map(\.name) == ["exchange_id", "easting", "northing", "households"])
        #expect(try source.describe().first?.featureCount == expected.rows)
    }

    @Test func driversThatKnowTheirCountAreNotRead() throws {
        let source = try VectorSource(path: TestPaths.fixture("boundaries-bng.gpkg"))
        var heard: [Int] = []
        let layers = try source.describe(progressEvery: 1) { _, n in heard.append(n) }
        #expect(layers.map(\.featureCount) == [3, 34])
        #expect(heard.isEmpty)
    }

    @Test func aTruncatedGzipIsStillAnError() throws {
        let path = TestPaths.fixture("bad/truncated.csv.gz")
        #expect { try VectorSource(path: path, openOptions: VectorSource.csvDescribeOptions).describe() } throws: { e in
            guard let e = e as? GeoIOError else { return false }
            return e.description.contains("gzip data is corrupt or truncated")
        }
    }
}
