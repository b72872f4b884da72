import Foundation
import Availability
import GeoIO
import Testing
import TestSupport

/// Runs `body`, expecting a one-line `GeoIOError` whose description contains every fragment.
@discardableResult
func expectError(
    _ fragments: [String], sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void
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

/// A fresh folder holding the given files (name -> text), for readers that read names.
func folder(_ files: [String: String]) throws -> URL {
    let dir = TestPaths.temporaryDirectory("availability")
    for (name, text) in files {
        try Data(text.utf8).write(to: dir.appendingPathComponent(name))
    }
    return dir
}

/// The sample availability data in ../shared/data, or nil (tests using it are then skipped
/// with a message saying so).
enum Sample {
    static let root: String? = TestPaths.shared
    static var ofcom: String? { root.map { $0 + "/availability/ofcom" } }
    static var omr: String? { root.map { $0 + "/availability/omr" } }
    static var premises: String? { root.map { $0 + "/premises" } }
    static let missing: Comment = "../shared/data is absent: the sample-data checks are skipped"
}

/// Ofcom's postcode-file header, in the published order (the sample files' order).
let ofcomPostcodeHeader = [
    "postcode", "postcode_space", "postcode area", "SFBB availability (% premises)",
    "UFBB (100Mbit/s) availability (% premises)", "UFBB availability (% premises)",
    "Gigabit availability (% premises)", "% of premises with NGA",
    "% of premises unable to receive decent broadband from fixed or FWA",
    "% of premises able to receive decent broadband from FWA", "% of premises unable to receive 2Mbit/s",
    "% of premises unable to receive 5Mbit/s", "% of premises unable to receive 10Mbit/s",
    "% of premises unable to receive 30Mbit/s", "% of premises with 0<2Mbit/s download speed",
    "% of premises with 2<5Mbit/s download speed", "% of premises with 5<10Mbit/s download speed",
    "% of premises with 10<30Mbit/s download speed", "% of premises with 30<300Mbit/s download speed",
    "% of premises with >=300Mbit/s download speed",
].joined(separator: ",")

/// A postcode file's text: byte-order mark, header, rows.
func ofcomPostcodeFile(_ rows: [String], header: String = ofcomPostcodeHeader) -> String {
    "\u{FEFF}" + header + "\n" + rows.map { $0 + "\n" }.joined()
}

/// A postcode key from literal text in a test.
func key(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> PostcodeKey {
    try #require(PostcodeKey(text), sourceLocation: sourceLocation)
}
