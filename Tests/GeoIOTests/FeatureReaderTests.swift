import Foundation
import Geometry
import Projection
import Testing
import TestSupport
@testable import GeoIO

/// Signed area of a ring by the shoelace formula: positive when counter-clockwise.
func signedArea(_ ring: [(Double, Double)]) -> Double {
    guard ring.count > 2 else { return 0 }
    var sum = 0.0
    for i in 0..<(ring.count - 1) {
        sum += ring[i].0 * ring[i + 1].1 - ring[i + 1].0 * ring[i].1
    }
    return sum / 2
}

@Suite("FeatureReader: polygons and points from any GDAL source, in the working CRS")
struct FeatureReaderTests {
    static let bng = CRS.britishNationalGrid

    @Test func altnetGeoJSONInWGS84IsReprojectedToBNG() throws {
        let path = TestPaths.repo("GeoData/network/greater-manchester-altnet-b.geojson")
        let table = try FeatureReader.read(path: path, fields: ["operator", "down_mbps"], geometry: .polygons, workingCRS: Self.bng)
        #expect(table.count == 141)
        #expect(table.sourceCRS.epsg == 4326)
        // The reader records the operation it applied (OSTN15, the grid being installed).
        #expect(table.operation?.usesOSTN15 == true)
        #expect(table.featureNumbers == Array(1...141))
        let gm = Facts.greaterManchesterExtent
        for (i, g) in table.geometries.enumerated() {
            let e = g.envelope
            #expect(e.minX >= gm.minX && e.maxX <= gm.maxX && e.minY >= gm.minY && e.maxY <= gm.maxY,
                    "feature \(i + 1) at \(e) lies outside Greater Manchester")
        }

        // The same polygons converted here, independently: JSON parsed by Foundation, every
        // ring converted by PROJ, areas by the shoelace formula.
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
        let features = json["features"] as! [[String: Any]]
        let transform = try CoordinateTransform(from: .wgs84, to: Self.bng)
        let repaired = Set(table.repairs.map(\.feature))
        var compared = 0
        for (i, feature) in features.enumerated() {
            let properties = feature["properties"] as! [String: Any]
            #expect(table.attributes["operator"]?[i] == .string(properties["operator"] as! String))
            #expect(table.attributes["down_mbps"]?[i] == .integer(Int64(properties["down_mbps"] as! Int)))
            guard !repaired.contains(i + 1) else { continue }
            let rings = (feature["geometry"] as! [String: Any])["coordinates"] as! [[[Double]]]
            var area = 0.0
            for (k, ring) in rings.enumerated() {
                var xs = ring.map { $0[0] }, ys = ring.map { $0[1] }
                #expect(transform.transform(xs: &xs, ys: &ys).isEmpty)
                let a = abs(signedArea(Array(zip(xs, ys))))
                area += k == 0 ? a : -a
            }
            let got = try table.geometries[i].area()
            #expect(abs(got - area) <= 1e-6 * area, "feature \(i + 1): area \(got) m² here, \(area) m² converted independently")
            compared += 1
        }
        #expect(compared >= 130)
    }

    @Test func geoPackageLayerIsChosenByName() throws {
        let path = TestPaths.fixture("boundaries-bng.gpkg")
        let districts = try FeatureReader.read(path: path, layer: "districts", fields: ["LAD23CD", "LAD23NM"], geometry: .polygons, workingCRS: Self.bng)
        #expect(districts.layer == "districts")
        #expect(districts.count == 3)
        #expect(districts.sourceCRS.epsg == 27700)
        #expect(districts.operation == nil)
        #expect(districts.repairs.isEmpty)
        #expect(districts.attributes["LAD23NM"] == Facts.districtNames.map { .string($0) })
        #expect(districts.attributes["LAD23CD"] == Facts.districtCodes.map { .string($0) })
        for (g, expected) in zip(districts.geometries, Facts.districtAreasM2) {
            #expect(abs(try g.area() - expected) < 0.01)
        }
        let exchanges = try FeatureReader.read(path: path, layer: "exchanges", fields: ["households"], geometry: .points, workingCRS: Self.bng)
        #expect(exchanges.count == 34)
        #expect(exchanges.geometries.first?.pointX == 351_136 && exchanges.geometries.first?.pointY == 385_204)
        #expect(exchanges.attributes["households"]?.first == .integer(5730))
    }

    @Test("the same districts from every format", arguments: [
        ("districts.fgb", 27700, 0.01),        // BNG, the same coordinates
        ("districts-wgs84.shp", 4326, 1.0),    // WGS 84 at full precision, and back
        ("districts.geojson", 4326, 50.0),     // WGS 84 at 7 decimals (about 1 cm), and back
    ])
    func sameDistrictsFromEveryFormat(file: String, epsg: Int, toleranceM2: Double) throws {
        let table = try FeatureReader.read(path: TestPaths.fixture(file), fields: ["LAD23NM"], geometry: .polygons, workingCRS: Self.bng)
        #expect(table.sourceCRS.epsg == epsg)
        #expect(table.attributes["LAD23NM"] == Facts.districtNames.map { .string($0) })
        for (i, (g, expected)) in zip(table.geometries, Facts.districtAreasM2).enumerated() {
            let area = try g.area()
            #expect(abs(area - expected) < toleranceM2, "\(Facts.districtNames[i]): \(area) m², expected \(expected)")
        }
        let e = Facts.districtExtent
        let envelope = table.geometries.map(\.envelope).reduce(Envelope.empty) { $0.union($1) }
        #expect(abs(envelope.minX - e.minX) < 0.05 && abs(envelope.maxX - e.maxX) < 0.05)
        #expect(abs(envelope.minY - e.minY) < 0.05 && abs(envelope.maxY - e.maxY) < 0.05)
    }

    @Test func shapefileWithoutPrjNeedsADeclaredCRS() throws {
        let path = TestPaths.fixture("districts-no-prj.shp")
        expectGeoIOError(["\(path): the file declares no CRS; add crs: (e.g. EPSG:27700)"]) {
            _ = try FeatureReader.read(path: path, geometry: .polygons, workingCRS: Self.bng)
        }
        let table = try FeatureReader.read(path: path, geometry: .polygons, workingCRS: Self.bng, declaredCRS: Self.bng)
        #expect(table.sourceCRS == Self.bng)
        #expect(abs(try table.geometries[0].area() - Facts.districtAreasM2[0]) < 0.01)
    }

    @Test func fileCRSAndDeclaredCRSMustAgree() throws {
        let path = TestPaths.fixture("districts.geojson")
        expectGeoIOError(["\(path): the file says its CRS is EPSG:4326 but the scenario declares EPSG:27700; remove one"]) {
            _ = try FeatureReader.read(path: path, geometry: .polygons, workingCRS: Self.bng, declaredCRS: Self.bng)
        }
        // Declaring what the file says is fine.
        #expect(try FeatureReader.read(path: path, geometry: .polygons, workingCRS: Self.bng, declaredCRS: .wgs84).count == 3)
    }

    @Test func unknownLayerListsTheLayers() {
        let path = TestPaths.fixture("boundaries-bng.gpkg")
        expectGeoIOError(["\(path): no layer 'premises'; layers: districts, exchanges"]) {
            _ = try FeatureReader.read(path: path, layer: "premises", geometry: .polygons, workingCRS: Self.bng)
        }
        expectGeoIOError(["\(path): has 2 layers (districts, exchanges); name one with 'layer'"]) {
            _ = try FeatureReader.read(path: path, geometry: .polygons, workingCRS: Self.bng)
        }
        // A name that looks like SQL is only ever compared with the layer list.
        expectGeoIOError(["no layer 'x'; DROP TABLE districts;--'"]) {
            _ = try FeatureReader.read(path: path, layer: "x'; DROP TABLE districts;--", geometry: .polygons, workingCRS: Self.bng)
        }
    }

    @Test func missingFieldListsTheFields() {
        let path = TestPaths.fixture("boundaries-bng.gpkg")
        expectGeoIOError(["\(path): layer 'districts': no field 'LAD24CD'; fields are: LAD23CD, LAD23NM"]) {
            _ = try FeatureReader.read(path: path, layer: "districts", fields: ["LAD24CD"], geometry: .polygons, workingCRS: Self.bng)
        }
    }

    @Test func bowtieIsRepairedAndCounted() throws {
        let table = try FeatureReader.read(path: TestPaths.fixture("bad/bowtie.geojson"), fields: ["id"], geometry: .polygons, workingCRS: Self.bng)
        #expect(table.count == 2)
        #expect(table.repairs.count == 1)
        #expect(table.repairs.first?.feature == 2)
        #expect(table.repairs.first?.reason.contains("Self-intersection") == true)
        let repaired = table.geometries[1]
        #expect(repaired.isValid)
        #expect(repaired.kind == .multiPolygon && repaired.partCount == 2)
        // The two triangles of the bowtie make half of the square of feature 1.
        let square = try table.geometries[0].area()
        #expect(abs(try repaired.area() - square / 2) < 0.01 * square)
    }

    @Test("a feature without geometry is named", arguments: ["null-geometry", "empty-geometry"])
    func missingGeometry(name: String) {
        let path = TestPaths.fixture("bad/\(name).geojson")
        expectGeoIOError(["\(path): feature 2: has no geometry (null or empty)"]) {
            _ = try FeatureReader.read(path: path, geometry: .polygons, workingCRS: Self.bng)
        }
    }

    @Test("non-finite coordinates are named", arguments: ["huge-coordinates", "nan-coordinates"])
    func nonFiniteCoordinates(name: String) {
        let path = TestPaths.fixture("bad/\(name).geojson")
        expectGeoIOError(["\(path): feature 2: coordinate is not a finite number"]) {
            _ = try FeatureReader.read(path: path, geometry: .polygons, workingCRS: Self.bng)
        }
    }

    @Test func mixedGeometryTypesAreRejected() {
        let path = TestPaths.fixture("bad/mixed-geometry.geojson")
        expectGeoIOError(["\(path): feature 2: is a Point; polygons are needed here"]) {
            _ = try FeatureReader.read(path: path, geometry: .polygons, workingCRS: Self.bng)
        }
        expectGeoIOError(["\(path): feature 1: is a Polygon; points are needed here"]) {
            _ = try FeatureReader.read(path: path, geometry: .points, workingCRS: Self.bng)
        }
    }

    @Test func unclosedRingIsReported() throws {
        // GDAL accepts an unclosed GeoJSON ring with a warning and keeps it open (it does not
        // close it); GEOS refuses an open ring, so the feature is reported, not guessed at.
        let path = TestPaths.fixture("bad/unclosed-ring.geojson")
        expectGeoIOError(["\(path): feature 2: unreadable geometry: ", "do not form a closed linestring"]) {
            _ = try FeatureReader.read(path: path, geometry: .polygons, workingCRS: Self.bng)
        }
    }

    @Test func invalidUTF8Text() throws {
        let path = TestPaths.fixture("bad/invalid-utf8.geojson")
        expectGeoIOError(["\(path): feature 1: name is not valid UTF-8 text"]) {
            _ = try FeatureReader.read(path: path, fields: ["name"], geometry: .polygons, workingCRS: Self.bng)
        }
    }

    @Test("unreadable sources fail on open, naming the file", arguments: [
        ("bad/truncated.geojson", "cannot open"),
        ("bad/truncated.gpkg", "cannot open"),
        ("bad/corrupt.gpkg", "cannot open"),
        ("bad/districts-no-shx.shp", ".shx"),
        ("bad/empty.csv", "file is empty"),
        ("no-such-file.gpkg", "file not found"),
    ])
    func unreadableSources(file: String, fragment: String) {
        let path = TestPaths.fixture(file)
        expectGeoIOError(["\(path): ", fragment]) {
            _ = try FeatureReader.read(path: path, geometry: .polygons, workingCRS: Self.bng)
        }
    }
}
