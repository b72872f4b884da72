import Foundation
import Testing
@testable import Availability

@Suite("Postcode keys and row maps")
struct PostcodeKeyTests {
    @Test func everyWritingOfAPostcodeIsOneKey() throws {
        let forms = ["M1 1AD", "M1  1AD", "m11ad", " M11AD ", "M1\t1AD"]
        let keys = try forms.map { try key($0) }
        #expect(Set(keys).count == 1)
        #expect(keys[0].compact == "M11AD" && keys[0].spaced == "M1 1AD" && keys[0].description == "M1 1AD")
        #expect(try key("CA10 1AA").spaced == "CA10 1AA")
        #expect(try key("SW1A1AA").spaced == "SW1A 1AA")
        #expect(try key("ASCN1ZZ").compact == "ASCN1ZZ")
        // Keys sort as the postcodes do without spaces.
        let sorted = try ["M1 1AD", "AB10 1AA", "M11 1AA", "M1 1AE", "B1 1AA"].map { try key($0) }.sorted()
        #expect(sorted.map(\.compact) == ["AB101AA", "B11AA", "M111AA", "M11AD", "M11AE"])
    }

    @Test("not postcodes", arguments: ["", " ", "A", "M1-1AD", "M1 1AD!", "ABCDEFGHI", "CAFÉ1AA"])
    func refused(text: String) {
        #expect(PostcodeKey(text) == nil)
    }

    @Test func eightCharactersFitAndTheEmptyKeyIsNone() throws {
        #expect(try key("ABCD1234").compact == "ABCD1234")
        #expect(PostcodeKey.none.isNone && PostcodeKey.none.compact == "")
        #expect(try !key("M11AD").isNone)
    }

    @Test func postcodeRowMapAgreesWithADictionary() throws {
        // 200,000 distinct pseudo-random postcodes, inserted with growth from the smallest
        // table, then every one looked up, plus keys never inserted.
        var map = PostcodeRowMap()
        var reference: [PostcodeKey: Int32] = [:]
        var state: UInt64 = 20_260_131
        func next() -> UInt64 { state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407; return state >> 33 }
        let letters = Array("ABCDEFGHJKLMNOPRSTUWYZ".utf8)
        func postcode() -> PostcodeKey {
            let n = next()
            let text = String(decoding: [letters[Int(n % 22)], letters[Int(n / 22 % 22)]], as: UTF8.self)
                + "\(n / 500 % 100)" + " \(n / 7 % 10)" + String(decoding: [letters[Int(n / 3 % 22)], letters[Int(n / 11 % 22)]], as: UTF8.self)
            return PostcodeKey(text) ?? .none
        }
        var row: Int32 = 0
        while reference.count < 200_000 {
            let k = postcode()
            let existing = map.insert(k, row: row)
            #expect(existing == reference[k])
            if reference[k] == nil { reference[k] = row; row += 1 }
        }
        #expect(map.count == reference.count)
        for (k, r) in reference { #expect(map.row(k) == r) }
        var absent = 0
        for _ in 0..<10_000 {
            let k = postcode()
            #expect(map.row(k) == reference[k])
            if reference[k] == nil { absent += 1 }
        }
        #expect(absent > 0)
        #expect(map.row(.none) == nil)
    }
}
