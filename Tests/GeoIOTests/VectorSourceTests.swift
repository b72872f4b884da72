import Foundation
import Geometry
import Testing
import TestSupport
@testable import GeoIO

@Suite("VectorSource: what a data source holds, as ogrinfo reports it")
struct VectorSourceTests {
    /// One layer as `ogrinfo -so -al` describes it.
    struct Expected: Sendable, CustomTestStringConvertible {
        let file: String
        let driver: String
        let layer: String
        let geometry: String
        let count: Int
        let epsg: Int?
        /// ogrinfo's extent, printed to 6 decimals.
        let extent: [Double]
        let fields: [String]
        var testDescription: String { file }
    }

    static let bngExtent = [367_582.2, 382_620.64, 390_347.84, 405_357.65]
    static let wgsExtent = [-2.489714, 53.340122, -2.146863, 53.544609]
    static let exchangesExtent = [342_541.0, 372_581.0, 408_601.0, 427_074.0]

    @Test("layers match ogrinfo", arguments: [
        Expected(file: "districts-wgs84.shp", driver: "ESRI Shapefile", layer: "districts-wgs84", geometry: "Polygon",
                 count: 3, epsg: 4326, extent: wgsExtent, fields: ["LAD23CD", "LAD23NM"]),
        Expected(file: "districts-no-prj.shp", driver: "ESRI Shapefile", layer: "districts-no-prj", geometry: "Polygon",
                 count: 3, epsg: nil, extent: bngExtent, fields: ["LAD23CD", "LAD23NM"]),
        Expected(file: "districts.geojson", driver: "GeoJSON", layer: "districts", geometry: "Polygon",
                 count: 3, epsg: 4326, extent: wgsExtent, fields: ["LAD23CD", "LAD23NM"]),
        Expected(file: "districts.fgb", driver: "FlatGeobuf", layer: "districts", geometry: "Polygon",
                 count: 3, epsg: 27700, extent: bngExtent, fields: ["LAD23CD", "LAD23NM"]),
        Expected(file: "exchanges-wgs84.geojson", driver: "GeoJSON", layer: "exchanges", geometry: "Point",
                 count: 34, epsg: 4326, extent: [-2.867124, 53.249278, -1.871411, 53.739344],
                 fields: ["exchange_id", "easting", "northing", "households"]),
    ])
    func singleLayer(expected: Expected) throws {
        let source = try VectorSource(path: TestPaths.fixture(expected.file))
        #expect(source.driverName == expected.driver)
        #expect(source.layerNames == [expected.layer])
        let info = try #require(try source.describe().first)
        check(info, expected)
    }

    func check(_ info: LayerInfo, _ expected: Expected) {
        #expect(info.name == expected.layer)
        #expect(info.geometryType == expected.geometry)
        #expect(info.featureCount == expected.count)
        #expect(info.crs?.epsg == expected.epsg)
        if expected.epsg == nil { #expect(info.crs == nil) }
        #expect(info.fields.map(\.name) == expected.fields)
        if let e = info.extent {
            let got = [e.minX, e.minY, e.maxX, e.maxY]
            for (a, b) in zip(got, expected.extent) { #expect(abs(a - b) <= 5e-7 * max(1, abs(b)), "extent \(got) != \(expected.extent)") }
        } else {
            Issue.record("no extent")
        }
    }

    @Test func geoPackageWithTwoLayers() throws {
        let source = try VectorSource(path: TestPaths.fixture("boundaries-bng.gpkg"))
        #expect(source.driverName == "GPKG")
        #expect(source.layerNames == ["districts", "exchanges"])
        let layers = try source.describe()
        #expect(layers.count == 2)
        check(layers[0], Expected(file: "", driver: "", layer: "districts", geometry: "Polygon", count: 3, epsg: 27700,
                                  extent: Self.bngExtent, fields: ["LAD23CD", "LAD23NM"]))
        check(layers[1], Expected(file: "", driver: "", layer: "exchanges", geometry: "Point", count: 34, epsg: 27700,
                                  extent: Self.exchangesExtent, fields: ["exchange_id", "easting", "northing", "households"]))
        #expect(layers[1].fields.map(\.type) == ["String", "Real", "Real", "Integer"])
        let one = try source.describe(layer: "exchanges")
        #expect(one.map(\.name) == ["exchanges"])
        #expect(throws: GeoIOError(path: TestPaths.fixture("boundaries-bng.gpkg"), "no layer 'x'; DROP TABLE districts;--'; layers: districts, exchanges")) {
            _ = try source.describe(layer: "x'; DROP TABLE districts;--")
        }
        // The layer survives the attempt.
        #expect(try source.describe(layer: "districts").first?.featureCount == 3)
    }

    @Test func csvWithDescribeOptionsShowsPoints() throws {
        let path = TestPaths.fixture("exchanges.csv")
        #expect(VectorSource.isDelimitedText(path))
        #expect(VectorSource.isDelimitedText(path + ".gz"))
        #expect(!VectorSource.isDelimitedText(TestPaths.fixture("districts.geojson")))
        for file in [path, path + ".gz"] {
            let source = try VectorSource(path: file, openOptions: VectorSource.csvDescribeOptions)
            #expect(source.driverName == "CSV")
            let info = try #require(try source.describe().first)
            check(info, Expected(file: "", driver: "", layer: "exchanges", geometry: "Point", count: 34, epsg: nil,
                                 extent: Self.exchangesExtent, fields: ["exchange_id", "easting", "northing", "households"]))
        }
    }
}
