import Foundation
import GeoIO
import Geometry
import Projection
import Testing
import TestSupport
@testable import Availability

@Suite("Address-level premises (OS Open UPRN layout)")
struct UPRNPremisesTests {
    @Test func bngCSVWithHouseholdsAndPostcodes() throws {
        let text = "UPRN,X_COORDINATE,Y_COORDINATE,LATITUDE,LONGITUDE,units,POSTCODE\n"
            + "10,383000.5,398000.25,0,0,1,M1 1AD\n"
            + "7,383100,398100,0,0,2.5,m1  1ae\n"
            + "12,383200,398200,0,0,0,\n"
        let dir = try folder(["uprn.csv": text])
        let p = try UPRNPremisesReader.read(
            path: dir.path + "/uprn.csv",
            options: UPRNPremisesOptions(householdsColumn: "units", postcodeColumn: "POSTCODE"),
            workingCRS: .britishNationalGrid)
        // X/Y win over latitude/longitude when a file has both (here the latter are zeros).
        #expect(p.sourceCRS == .britishNationalGrid && p.operation == nil)
        #expect(p.uprns == [10, 7, 12])
        #expect(p.xs == [383_000.5, 383_100, 383_200] && p.ys == [398_000.25, 398_100, 398_200])
        #expect(p.households == [1, 2.5, 0])
        #expect(p.postcodes?.map(\.compact) == ["M11AD", "M11AE", ""])
        #expect(p.index.row(of: 7) == 1 && p.index.row(of: 12) == 2 && p.index.row(of: 11) == nil)
    }

    @Test func latitudeLongitudeAreETRS89ConvertedWithOSTN15() throws {
        // ONSPD's Trafford postcodes: lon/lat and easting/northing by OSTN15 (0.1 m), as a
        // UPRN file with LATITUDE/LONGITUDE only. Converted back they must land within 0.25 m
        // (the reference's rounding), and PROJ must have used the OSTN15 grid.
        let rows = try readSimpleCSV(TestPaths.repo("GeoData/reference/trafford-onspd-coordinates.csv"))
        var text = "UPRN,LATITUDE,LONGITUDE\n"
        for (i, r) in rows.enumerated() { text += "\(i + 1),\(r["lat"]!),\(r["lon"]!)\n" }
        let dir = try folder(["latlon.csv": text])
        let p = try UPRNPremisesReader.read(path: dir.path + "/latlon.csv", workingCRS: .britishNationalGrid)
        #expect(p.sourceCRS.epsg == 4258)
        #expect(p.operation?.usesOSTN15 == true)
        #expect(p.count == rows.count && p.households == nil && p.postcodes == nil)
        var worst = 0.0
        for (i, r) in rows.enumerated() where i < p.count {
            worst = max(worst, hypot(p.xs[i] - Double(r["easting_ostn15"]!)!, p.ys[i] - Double(r["northing_ostn15"]!)!))
        }
        #expect(worst < 0.25, "worst difference from ONSPD's OSTN15 coordinates: \(worst) m")
    }

    @Test func geoPackagePointsGiveTheSameColumns() throws {
        let dir = TestPaths.temporaryDirectory("uprn-gpkg")
        let path = dir.appendingPathComponent("uprn.gpkg").path
        let writer = try VectorWriter(path: path, format: .geoPackage, crs: .britishNationalGrid)
        var layer = OutputLayer(name: "osopenuprn", kind: .point, fields: [("UPRN", .integer), ("units", .real), ("POSTCODE", .string)])
        for (u, x, y, h, pc) in [(10, 383_000.5, 398_000.25, 1.0, "M1 1AD"), (7, 383_100, 398_100, 2.5, "")] {
            layer.features.append((try Geometry.point(x: x, y: y), [.integer(Int64(u)), .real(h), .string(pc)]))
        }
        try writer.write(layer)
        try writer.close()
        let p = try UPRNPremisesReader.read(
            path: path, options: UPRNPremisesOptions(householdsColumn: "units", postcodeColumn: "POSTCODE"),
            workingCRS: .britishNationalGrid)
        #expect(p.uprns == [10, 7])
        #expect(p.xs == [383_000.5, 383_100] && p.ys == [398_000.25, 398_100])
        #expect(p.households == [1, 2.5])
        #expect(p.postcodes?.map(\.compact) == ["M11AD", ""])
        #expect(p.sourceCRS.epsg == 27700)
    }

    @Test("bad files give one line naming the place", arguments: [
        ("UPRN,X_COORDINATE,Y_COORDINATE\n5,383000,398000\n6,383000,398000\n5,383000,398000\n",
         "line 4: UPRN 5 appears twice (also at line 2); one premises per row"),
        ("UPRN,X_COORDINATE,Y_COORDINATE\n5,383000,398000\nx5,383000,398000\n", "line 3: UPRN 'x5' is not a UPRN (1 to 12 digits)"),
        ("UPRN,X_COORDINATE,Y_COORDINATE\n5,383000,n/a\n", "line 2: Y_COORDINATE 'n/a' is not a finite number"),
        ("UPRN,EASTING,NORTHING\n5,383000,398000\n", "line 1: no column 'X_COORDINATE' (nor 'Y_COORDINATE', 'LATITUDE', 'LONGITUDE')"),
        ("UPRN,X_COORDINATE,Y_COORDINATE\n", "has a header but no rows"),
        ("UPRN,LATITUDE,LONGITUDE\n5,53.4,-2.2\n6,-2.2,53.4\n", "line 3: (53.4, -2.2) in EPSG:4258 lies far outside the area of use of EPSG:27700; are longitude and latitude swapped?"),
    ])
    func badFile(text: String, expected: String) throws {
        let dir = try folder(["bad.csv": text])
        expectError(["bad.csv: " + expected]) {
            _ = try UPRNPremisesReader.read(path: dir.path + "/bad.csv", workingCRS: .britishNationalGrid)
        }
    }

    @Test func badHouseholdsAndPostcodes() throws {
        let dir = try folder(["h.csv": "UPRN,X_COORDINATE,Y_COORDINATE,units,pc\n5,383000,398000,-1,M1 1AD\n6,383000,398000,1,M1_1AD\n"])
        expectError(["h.csv: line 2: units '-1' is not a number of households (>= 0)"]) {
            _ = try UPRNPremisesReader.read(path: dir.path + "/h.csv", options: UPRNPremisesOptions(householdsColumn: "units"), workingCRS: .britishNationalGrid)
        }
        expectError(["h.csv: line 3: pc 'M1_1AD' is not a postcode"]) {
            _ = try UPRNPremisesReader.read(path: dir.path + "/h.csv", options: UPRNPremisesOptions(postcodeColumn: "pc"), workingCRS: .britishNationalGrid)
        }
        expectError(["h.csv: line 1: no column 'households'"]) {
            _ = try UPRNPremisesReader.read(path: dir.path + "/h.csv", options: UPRNPremisesOptions(householdsColumn: "households"), workingCRS: .britishNationalGrid)
        }
    }

    @Test func unsortedUPRNsAreIndexed() throws {
        var uprns: [UInt64] = []
        var state: UInt64 = 12345
        for _ in 0..<5000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            uprns.append(state >> 24)
        }
        let index = try UPRNIndex(uprns)
        for (row, u) in uprns.enumerated() { #expect(index.row(of: u) == row) }
        #expect(throws: UPRNIndex.Duplicate(uprn: uprns[17], first: 17, second: 5000)) { try UPRNIndex(uprns + [uprns[17]]) }
    }

    @Test(.enabled(if: Sample.root != nil, Sample.missing))
    func cumbrianAddressPointsMatchTheOMRFile() throws {
        // The synthetic Cumbrian address points: 222,042 rows, the first UPRN 920000000000 at
        // (354636.87, 539550.36) in CA10 1AA (zcat | head). Every UPRN's point and postcode must
        // equal the OMR file's, which was made from the same addresses.
        let p = try UPRNPremisesReader.read(
            path: try #require(Sample.premises) + "/cumbria_uprn_synthetic.csv.gz",
            options: UPRNPremisesOptions(postcodeColumn: "POSTCODE"), workingCRS: .britishNationalGrid)
        #expect(p.count == 222_042)
        #expect(p.uprns[0] == 920_000_000_000 && p.xs[0] == 354_636.87 && p.ys[0] == 539_550.36)
        #expect(p.postcodes?[0] == PostcodeKey("CA10 1AA"))
        var mismatches = 0, rows = 0
        try CSVRecords.read(path: try #require(Sample.omr) + "/cumbria_omr_uprn.csv.gz") { _ in } record: { r in
            rows += 1
            guard let u = UPRN.parse(r, 0), let i = p.index.row(of: u) else { mismatches += 1; return }
            if p.xs[i] != r.double(2) || p.ys[i] != r.double(3) || p.postcodes?[i] != PostcodeKey(r.text(1) ?? "") { mismatches += 1 }
        }
        #expect(rows == 222_042 && mismatches == 0)
    }
}
