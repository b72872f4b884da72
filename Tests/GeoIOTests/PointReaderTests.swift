import Foundation
import Testing
import TestSupport
@testable import GeoIO
import Projection

@Suite("PointReader: CSV and vector points to the working CRS, with coordinate checks")
struct PointReaderTests {
    static let exchanges = PointSource(
        path: TestPaths.fixture("exchanges.csv"), x: "easting", y: "northing", crs: .britishNationalGrid,
        numberColumns: ["households"], textColumns: ["exchange_id"])

    /// The exchanges as a naive split of the CSV sees them.
    static func exchangeRows() throws -> [(id: String, x: Double, y: Double, households: Double)] {
        try readSimpleCSV(TestPaths.fixture("exchanges.csv")).map {
            ($0["exchange_id"]!, Double($0["easting"]!)!, Double($0["northing"]!)!, Double($0["households"]!)!)
        }
    }

    @Test func bngCSVToBNGIsLeftAlone() throws {
        let data = try PointReader.read(Self.exchanges, workingCRS: .britishNationalGrid)
        let rows = try Self.exchangeRows()
        #expect(rows.count == 34)
        #expect(data.operation == nil)
        #expect(data.sourceCRS == .britishNationalGrid)
        #expect(data.table.xs == rows.map(\.x))
        #expect(data.table.ys == rows.map(\.y))
        #expect(data.table.numbers["households"] == rows.map(\.households))
        let ids = try #require(data.table.texts["exchange_id"])
        #expect((0..<ids.count).map { ids[$0] } == rows.map(\.id))
    }

    /// `nodes.txt.gz` is delimited text by the one rule: read by the CSV reader with its x/y
    /// columns, and without them refused with advice naming x and y (not opened by GDAL).
    @Test func gzippedTxtIsDelimitedText() throws {
        let gz = Array(try Data(contentsOf: URL(fileURLWithPath: TestPaths.fixture("exchanges.csv.gz"))))
        let path = try temporaryFile("nodes.txt.gz", gz)
        #expect(VectorSource.isDelimitedText(path))
        var source = Self.exchanges
        source.path = path
        let data = try PointReader.read(source, workingCRS: .britishNationalGrid)
        #expect(data.table.xs == (try Self.exchangeRows()).map(\.x))
        source.x = nil
        source.y = nil
        expectGeoIOError(["\(path): a CSV file needs its x and y columns named"]) {
            _ = try PointReader.read(source, workingCRS: .britishNationalGrid)
        }
    }

    @Test func lonLatCSVToBNGMatchesONSPDsOSTN15Coordinates() throws {
        let path = TestPaths.repo("GeoData/reference/trafford-onspd-coordinates.csv")
        let data = try PointReader.read(
            PointSource(path: path, x: "lon", y: "lat", crs: .wgs84,
                        numberColumns: ["easting_ostn15", "northing_ostn15"], textColumns: ["postcode"]),
            workingCRS: .britishNationalGrid)
        #expect(data.sourceCRS == .wgs84)
        #expect(data.operation?.usesOSTN15 == true)
        let e = try #require(data.table.numbers["easting_ostn15"]), n = try #require(data.table.numbers["northing_ostn15"])
        #expect(data.table.count == 11_264)
        var worst = 0.0
        for i in 0..<data.table.count {
            worst = max(worst, hypot(data.table.xs[i] - e[i], data.table.ys[i] - n[i]))
        }
        // The reference is rounded to 0.1 m and its lon/lat to 1e-6° (see ProjectionTests).
        #expect(worst < 0.25, "worst difference from ONSPD's OSTN15 coordinates: \(worst) m")
        #expect(data.table.texts["postcode"]?[0] == "M15 4AB")
    }

    @Test func bngMetresDeclaredAsWGS84NameTheLine() {
        let path = TestPaths.fixture("bad/bng-as-wgs84.csv")
        expectGeoIOError(["\(path): line 2: (351136, 385204) is not a longitude/latitude in EPSG:4326", "EPSG:27700"]) {
            _ = try PointReader.read(PointSource(path: path, x: "lon", y: "lat", crs: .wgs84), workingCRS: .britishNationalGrid)
        }
    }

    @Test func swappedLonLatIsRejected() {
        let path = TestPaths.fixture("bad/swapped-lonlat.csv")
        expectGeoIOError(["\(path): line 2: (53.465578, -2.26046) in EPSG:4326", "swapped"]) {
            _ = try PointReader.read(PointSource(path: path, x: "lon", y: "lat", crs: .wgs84), workingCRS: .britishNationalGrid)
        }
    }

    @Test func oneSwappedRowIsFoundByItsLine() throws {
        // Found after the bulk conversion, so the reader looks the line up again: rows 1-4 are
        // fine, row 5 (line 7, after a quoted line break) has latitude first.
        let text = "id,lon,lat\na,-2.26,53.46\n\"b\nb\",-2.25,53.47\nc,-2.24,53.48\nd,-2.23,53.49\ne,53.50,-2.22\n"
        let path = try temporaryFile("one-swapped.csv", text)
        expectGeoIOError(["\(path): line 7: (53.5, -2.22) in EPSG:4326 lies far outside the area of use of EPSG:27700; are longitude and latitude swapped?"]) {
            _ = try PointReader.read(PointSource(path: path, x: "lon", y: "lat", crs: .wgs84), workingCRS: .britishNationalGrid)
        }
    }

    @Test func lonLatDeclaredAsBNGLooksLikeDegrees() {
        let path = TestPaths.repo("GeoData/reference/trafford-onspd-coordinates.csv")
        expectGeoIOError(["\(path): every coordinate lies within ±180/±90: this looks like longitude/latitude, not EPSG:27700 metres; declare crs: EPSG:4326"]) {
            _ = try PointReader.read(PointSource(path: path, x: "lon", y: "lat", crs: .britishNationalGrid), workingCRS: .britishNationalGrid)
        }
    }

    @Test func pointLayerFromGeoPackageEqualsTheCSV() throws {
        let data = try PointReader.read(
            PointSource(path: TestPaths.fixture("boundaries-bng.gpkg"), layer: "exchanges",
                        numberColumns: ["households"], textColumns: ["exchange_id"]),
            workingCRS: .britishNationalGrid)
        let rows = try Self.exchangeRows()
        #expect(data.sourceCRS.epsg == 27700)
        #expect(data.operation == nil)
        #expect(data.table.xs == rows.map(\.x))
        #expect(data.table.ys == rows.map(\.y))
        #expect(data.table.numbers["households"] == rows.map(\.households))
        #expect(data.table.texts["exchange_id"] == StringColumn(rows.map(\.id)))
    }

    @Test func pointsFromWGS84GeoJSONComeBackToTheirBNGCoordinates() throws {
        // exchanges-wgs84.geojson was made from exchanges.csv by ogr2ogr with the OSTN15 grid,
        // 9 decimals (0.1 mm): converting back must land within a centimetre.
        let data = try PointReader.read(
            PointSource(path: TestPaths.fixture("exchanges-wgs84.geojson"), textColumns: ["exchange_id"]),
            workingCRS: .britishNationalGrid)
        let rows = try Self.exchangeRows()
        #expect(data.sourceCRS.epsg == 4326)
        #expect(data.operation?.usesOSTN15 == true)
        #expect(data.table.count == rows.count)
        #expect(data.table.texts["exchange_id"] == StringColumn(rows.map(\.id)))
        for (i, row) in rows.enumerated() where i < data.table.count {
            let d = hypot(data.table.xs[i] - row.x, data.table.ys[i] - row.y)
            #expect(d < 0.01, "\(row.id) is \(d) m from its CSV position")
        }
    }

    @Test func headerOnlyCSVHasNoRows() {
        let path = TestPaths.fixture("bad/header-only.csv")
        expectGeoIOError(["\(path): has a header but no rows"]) {
            _ = try PointReader.read(PointSource(path: path, x: "easting", y: "northing", crs: .britishNationalGrid), workingCRS: .britishNationalGrid)
        }
    }

    @Test func csvNeedsColumnsAndCRS() {
        let path = TestPaths.fixture("exchanges.csv")
        expectGeoIOError(["\(path): a CSV file carries no CRS; declare crs:"]) {
            _ = try PointReader.read(PointSource(path: path, x: "easting", y: "northing"), workingCRS: .britishNationalGrid)
        }
        expectGeoIOError(["\(path): name both the x and the y column"]) {
            _ = try PointReader.read(PointSource(path: path, x: "easting", crs: .britishNationalGrid), workingCRS: .britishNationalGrid)
        }
        expectGeoIOError(["\(path): a CSV file needs its x and y columns named"]) {
            _ = try PointReader.read(PointSource(path: path, crs: .britishNationalGrid), workingCRS: .britishNationalGrid)
        }
    }

    @Test func polygonLayerIsNotPoints() {
        let path = TestPaths.fixture("boundaries-bng.gpkg")
        expectGeoIOError(["\(path): layer 'districts': feature 1: is a Polygon; points are needed here"]) {
            _ = try PointReader.read(PointSource(path: path, layer: "districts"), workingCRS: .britishNationalGrid)
        }
    }
}
