import Foundation
import Testing
import TestSupport
@testable import GeoIO

/// Facts about the fixtures, checked by hand with ogrinfo and python (see scripts/make-fixtures).
enum Facts {
    /// The three districts in Tests/Fixtures, in file order.
    static let districtNames = ["Manchester", "Salford", "Trafford"]
    static let districtCodes = ["E08000003", "E08000006", "E08000009"]
    /// Their areas in m² on British National Grid, by the shoelace formula over the BNG
    /// GeoJSON in ../shared/data (python) and by SpatiaLite's ST_Area over
    /// boundaries-bng.gpkg (ogrinfo -dialect SQLite); the two agree to 1 mm².
    static let districtAreasM2 = [115_609_976.751, 97_170_014.885, 106_021_173.762]
    /// Their extent in BNG, from `ogrinfo -so boundaries-bng.gpkg districts`.
    static let districtExtent = (minX: 367_582.20, minY: 382_620.64, maxX: 390_347.84, maxY: 405_357.65)
    /// Greater Manchester's extent in BNG, from `ogrinfo -so GeoData/boundaries/greater-manchester.gpkg`.
    static let greaterManchesterExtent = (minX: 351_669.42, minY: 381_152.65, maxX: 406_087.20, maxY: 421_037.70)
}

/// A temporary file with the given bytes; the folder is left for the system to clean.
func temporaryFile(_ name: String, _ bytes: [UInt8]) throws -> String {
    let url = TestPaths.temporaryDirectory("geoio").appendingPathComponent(name)
    try Data(bytes).write(to: url)
    return url.path
}

func temporaryFile(_ name: String, _ text: String) throws -> String {
    try temporaryFile(name, Array(text.utf8))
}

/// Runs `body`, expecting a one-line `GeoIOError` whose description contains every fragment.
@discardableResult
func expectGeoIOError(
    _ fragments: [String], sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> Void
) -> GeoIOError? {
    let error = #expect(throws: GeoIOError.self, sourceLocation: sourceLocation) { try body() }
    if let error {
        for fragment in fragments {
            #expect(error.description.contains(fragment), "'\(error)' lacks '\(fragment)'", sourceLocation: sourceLocation)
        }
        #expect(!error.description.contains("\n"), "error spans several lines: \(error)", sourceLocation: sourceLocation)
    }
    return error
}


