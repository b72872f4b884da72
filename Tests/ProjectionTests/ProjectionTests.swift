import Foundation
import Testing
import TestSupport
@testable import Projection

@Suite("CRS parsing")
struct CRSTests {
    @Test func epsgCodes() throws {
        let bng = try CRS("EPSG:27700")
        #expect(bng.epsg == 27700)
        #expect(!bng.isGeographic)
        #expect(bng.name == "OSGB36 / British National Grid")
        let wgs = try CRS("EPSG:4326")
        #expect(wgs.isGeographic)
        #expect(wgs.epsg == 4326)
        // The area of use of BNG is the UK, roughly 9°W to 2°E, 49.75°N to 61°N.
        let area = try #require(bng.areaOfUse)
        #expect(area.west < -8 && area.east > 1.5 && area.south < 50 && area.north > 60.5)
    }

    @Test func esriPrjWktIsIdentified() throws {
        // The .prj text ArcGIS writes for British National Grid, without any EPSG code in it.
        let prj = """
            PROJCS["British_National_Grid",GEOGCS["GCS_OSGB_1936",DATUM["D_OSGB_1936",SPHEROID["Airy_1830",6377563.396,299.3249646]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",400000.0],PARAMETER["False_Northing",-100000.0],PARAMETER["Central_Meridian",-2.0],PARAMETER["Scale_Factor",0.9996012717],PARAMETER["Latitude_Of_Origin",49.0],UNIT["Meter",1.0]]
            """
        let crs = try CRS(prj)
        #expect(crs.epsg == 27700)
        #expect(crs.definition == "EPSG:27700")
    }

    @Test func wktAndProjjsonRoundTrip() throws {
        let bng = CRS.britishNationalGrid
        #expect(try CRS(bng.wkt).epsg == 27700)
    }

    @Test("bad definitions are rejected with the text in the message", arguments: ["EPSG:999999", "not a crs", ""])
    func badDefinitions(text: String) {
        #expect(throws: ProjectionError.self) { try CRS(text) }
    }
}

@Suite("Coordinate transforms with OSTN15")
struct TransformTests {
    struct ReferencePoint {
        let lon, lat, eastingHelmert, northingHelmert, eastingOSTN15, northingOSTN15: Double
    }

    /// ONSPD (Feb 2025) Trafford postcodes: lon/lat, and the BNG coordinates made from them by
    /// a Helmert shift (whole metres) and by OSTN15 (0.1 m).
    static func reference() throws -> [ReferencePoint] {
        try readSimpleCSV(TestPaths.repo("GeoData/reference/trafford-onspd-coordinates.csv")).compactMap { r in
            guard let lon = Double(r["lon"] ?? ""), let lat = Double(r["lat"] ?? ""),
                  let eh = Double(r["easting_helmert6"] ?? ""), let nh = Double(r["northing_helmert6"] ?? ""),
                  let eo = Double(r["easting_ostn15"] ?? ""), let no = Double(r["northing_ostn15"] ?? "")
            else { return nil }
            return ReferencePoint(lon: lon, lat: lat, eastingHelmert: eh, northingHelmert: nh, eastingOSTN15: eo, northingOSTN15: no)
        }
    }

    @Test func gridIsFoundWithoutSetup() {
        #expect(GridLocator.ostn15Path != nil)
    }

    @Test func wgs84ToBNGMatchesONSPDsOSTN15Pairs() throws {
        let points = try Self.reference()
        #expect(points.count > 11_000)
        var xs = points.map(\.lon), ys = points.map(\.lat)
        let t = try CoordinateTransform(from: .wgs84, to: .britishNationalGrid)
        #expect(t.transform(xs: &xs, ys: &ys).isEmpty)
        #expect(t.lastOperation?.usesOSTN15 == true)
        var worst = 0.0, sum = 0.0, sumHelmert = 0.0
        for (i, p) in points.enumerated() {
            let d = hypot(xs[i] - p.eastingOSTN15, ys[i] - p.northingOSTN15)
            worst = max(worst, d)
            sum += d
            sumHelmert += hypot(xs[i] - p.eastingHelmert, ys[i] - p.northingHelmert)
        }
        // Tolerance: the reference is rounded to 0.1 m and its lon/lat to 1e-6 degrees
        // (0.11 m north-south, 0.07 m east-west at 53.4°N), so up to about 0.2 m apart.
        #expect(worst < 0.25, "worst OSTN15 difference \(worst) m")
        #expect(sum / Double(points.count) < 0.1)
        // The Helmert shift is known to be about 1.8 m off here: proof the grid was applied.
        #expect(sumHelmert / Double(points.count) > 1.0)
    }

    @Test func roundTripOfGreaterManchesterPostcodesWithinAMillimetre() throws {
        let rows = try readSimpleCSV(TestPaths.repo("GeoData/premises/greater-manchester-postcodes.csv"))
        var xs = rows.compactMap { Double($0["easting"] ?? "") }
        var ys = rows.compactMap { Double($0["northing"] ?? "") }
        #expect(xs.count == rows.count && xs.count > 70_000)
        let (x0, y0) = (xs, ys)
        let toWGS = try CoordinateTransform(from: .britishNationalGrid, to: .wgs84)
        #expect(toWGS.transform(xs: &xs, ys: &ys).isEmpty)
        #expect(toWGS.lastOperation?.usesOSTN15 == true)
        // Longitude first: Greater Manchester is at about 2.2°W, 53.5°N.
        #expect(xs.allSatisfy { $0 > -2.8 && $0 < -1.8 })
        #expect(ys.allSatisfy { $0 > 53.2 && $0 < 53.8 })
        let back = try CoordinateTransform(from: .wgs84, to: .britishNationalGrid)
        #expect(back.transform(xs: &xs, ys: &ys).isEmpty)
        var worst = 0.0
        for i in xs.indices { worst = max(worst, hypot(xs[i] - x0[i], ys[i] - y0[i])) }
        #expect(worst < 0.001, "round trip moved a point by \(worst) m")
    }

    @Test func identityTransformLeavesCoordinatesAlone() throws {
        let t = try CoordinateTransform(from: .britishNationalGrid, to: .britishNationalGrid)
        #expect(t.isIdentity)
        var xs = [383_000.5], ys = [398_000.25]
        #expect(t.transform(xs: &xs, ys: &ys).isEmpty)
        #expect(xs == [383_000.5] && ys == [398_000.25])
    }

    /// The record of a datum shift is the operation applied: the last one PROJ used once points
    /// were transformed, the best-ranked one before; nil only for an identity transform.
    @Test func appliedOperationIsTheOneUsed() throws {
        #expect(try CoordinateTransform(from: .britishNationalGrid, to: .britishNationalGrid).appliedOperation() == nil)
        let t = try CoordinateTransform(from: .wgs84, to: .britishNationalGrid)
        let before = try #require(try t.appliedOperation())
        #expect(before == (try t.bestOperation()))
        #expect(before.usesOSTN15)
        var xs = [-2.2], ys = [53.4]
        #expect(t.transform(xs: &xs, ys: &ys).isEmpty)
        let after = try #require(try t.appliedOperation())
        #expect(after == t.lastOperation)
        #expect(after.usesOSTN15)
    }

    @Test func failedPointsAreReportedNotHidden() throws {
        let t = try CoordinateTransform(from: .wgs84, to: .britishNationalGrid)
        var xs = [-2.2, 500.0], ys = [53.4, 95.0]
        let failed = t.transform(xs: &xs, ys: &ys)
        #expect(failed == [1])
        #expect(xs[1].isNaN)
    }
}
