import Foundation
import Testing
import TestSupport
@testable import GeoIO

@Suite("CSVRecords: the general streaming CSV reader")
struct CSVRecordsTests {
    /// Every record as (line, fields as text).
    static func records(_ bytes: [UInt8], chunkSize: Int = CSVRecords.chunkSize) throws -> (header: [String], rows: [(Int, [String])]) {
        var header: [String] = []
        var rows: [(Int, [String])] = []
        try CSVRecords.read(bytes: bytes, name: "t.csv", chunkSize: chunkSize) { header = $0.names } record: { r in
            rows.append((r.line, (0..<r.count).map { r.text($0) ?? "<invalid>" }))
        }
        return (header, rows)
    }

    /// Byte-order mark, CRLF, a quoted header name, quoted fields holding commas, doubled quotes
    /// and a line break, blank lines, a quoted empty field, and a last line without a newline.
    static let handWritten: [UInt8] = [0xEF, 0xBB, 0xBF] + Array((
        "id,\"name, with comma\", value \r\n" +
        "A1,\"Smith \"\"The Mill\"\", Rd\",12\r\n" +
        "\r\n" +
        "A2,plain, 7 \r\n" +
        "\"A3\",\"two\r\nlines\",0\r\n" +
        "\r\n" +
        "A4,\"\",\r\n" +
        "A5,last,5"
    ).utf8)

    @Test func handWrittenFileGivesExactFieldsAndLines() throws {
        let (header, rows) = try Self.records(Self.handWritten)
        #expect(header == ["id", "name, with comma", "value"])
        #expect(rows.map(\.0) == [2, 4, 5, 8, 9])
        #expect(rows.map(\.1) == [
            ["A1", "Smith \"The Mill\", Rd", "12"],
            ["A2", "plain", " 7 "],
            ["A3", "two\r\nlines", "0"],
            ["A4", "", ""],
            ["A5", "last", "5"],
        ])
    }

    @Test func everyChunkBoundaryGivesTheSameRecords() throws {
        // A record split anywhere (inside a quote, between \r and \n, after a doubled quote's
        // first half) must come out the same as when the whole file is one chunk.
        let whole = try Self.records(Self.handWritten)
        for chunk in 1...Self.handWritten.count {
            let split = try Self.records(Self.handWritten, chunkSize: chunk)
            #expect(split.header == whole.header, "chunk \(chunk)")
            #expect(split.rows.map(\.0) == whole.rows.map(\.0), "chunk \(chunk)")
            #expect(split.rows.map(\.1) == whole.rows.map(\.1), "chunk \(chunk)")
        }
    }

    @Test func gzipFileReadsLikeThePlainOne() throws {
        // exchanges.csv.gz is exchanges.csv gzipped (scripts/make-fixtures): 34 rows, the first
        // EX00047,351136,385204,5730 and the last EX03005,408601,415006,6803.
        func read(_ name: String) throws -> [[String]] {
            var rows: [[String]] = []
            let n = try CSVRecords.read(path: TestPaths.fixture(name)) { h in
                #expect(h.names == ["exchange_id", "easting", "northing", "households"])
            } record: { r in
                rows.append((0..<r.count).map { r.text($0) ?? "" })
            }
            #expect(n == rows.count)
            return rows
        }
        let plain = try read("exchanges.csv"), gz = try read("exchanges.csv.gz")
        #expect(plain.count == 34)
        #expect(plain.first == ["EX00047", "351136", "385204", "5730"])
        #expect(plain.last == ["EX03005", "408601", "415006", "6803"])
        #expect(gz == plain)
    }

    @Test func typedAccessors() throws {
        let text = "n,u,w\n 12.5 ,000123456789012,TRUE\n-1e3,1234567890123,false\n,  ,x\n"
        var doubles: [Double?] = [], uprns: [UInt64?] = [], flags: [Bool] = [], blanks: [Bool] = []
        try CSVRecords.read(bytes: Array(text.utf8), name: "t.csv") { _ in } record: { r in
            doubles.append(r.double(0))
            uprns.append(r.unsigned(1, maxDigits: 15))
            flags.append(r.equalsIgnoringCase(2, "true"))
            blanks.append(r.isBlank(1))
        }
        #expect(doubles == [12.5, -1000, nil])
        #expect(uprns == [123_456_789_012, 1_234_567_890_123, nil])
        #expect(flags == [true, false, false])
        #expect(blanks == [false, false, true])
    }

    @Test func numbersParseExactlyAsSwiftsOwnParserDoes() throws {
        let texts = ["0.1", "-0.0", "383000.123456789", "1e-3", "+5", ".5", "5.", "00012.5", "55.6", "100",
                     "1234567890123456789", "0.30000000000000004", "9007199254740993", "4.9e-324"]
        let bytes = Array(("x\n" + texts.map { $0 + "\n" }.joined()).utf8)
        var values: [Double] = []
        try CSVRecords.read(bytes: bytes, name: "n.csv") { _ in } record: { r in values.append(r.double(0) ?? .nan) }
        #expect(values.count == texts.count)
        for (text, v) in zip(texts, values) {
            #expect(v.bitPattern == Double(text)?.bitPattern, "\(text): \(v)")
        }
    }

    @Test func headerLookupsByNameCaseAndAlias() throws {
        let h = try CSVHeader(names: ["UPRN", "postcode", "Postcode_Space", "x"], source: "h.csv")
        #expect(try h.index(of: "UPRN") == 0)
        #expect(try h.index(of: "uprn") == 0)
        #expect(try h.index(of: "postcode_space") == 2)
        #expect(try h.index(of: "absent") == nil)
        #expect(try h.index(ofAny: ["new name", "x"]) == 3)
        #expect(try h.require(["x"]) == 3)
        expectGeoIOError(["h.csv: line 1: no column 'y' (nor 'Y2'); columns are: 'UPRN', 'postcode', 'Postcode_Space', 'x'"]) {
            _ = try h.require(["y", "Y2"])
        }
        expectGeoIOError(["h.csv: line 1: columns 'postcode' and 'Postcode_Space' are two names for the same field"]) {
            _ = try h.index(ofAny: ["postcode", "postcode_space"])
        }
        let cased = try CSVHeader(names: ["Uprn", "UPRN2", "uPRN"], source: "c.csv")
        expectGeoIOError(["c.csv: line 1: columns 'Uprn' and 'uPRN' differ only in case; which is 'uprn'?"]) {
            _ = try cased.index(of: "uprn")
        }
    }

    @Test func repeatedColumnNameIsRefused() {
        expectGeoIOError(["t.csv: line 2: column 'b' appears twice (columns 2 and 4)"]) {
            _ = try Self.records(Array("\nA,b,c,b\n1,2,3,4\n".utf8))
        }
    }

    @Test("malformed files give one line naming the place", arguments: [
        ("a,b\n1,2\n3\n", "t.csv: line 3: 1 fields where the header has 2"),
        ("a,b\n1,2\n\"3,4\n", "t.csv: line 3: unterminated quoted field"),
        ("a,b\n\"1\"x,2\n", "t.csv: line 2: text after a closing quote"),
        ("a,b\n\"1\"\rx,2\n", "t.csv: line 2: text after a closing quote"),
        ("", "t.csv: file is empty"),
        ("\u{FEFF}\n\n", "t.csv: file is empty"),
    ])
    func malformed(text: String, expected: String) {
        expectGeoIOError([expected]) { _ = try Self.records(Array(text.utf8)) }
    }

    @Test func aRecordOverOneMebibyteIsRefusedWithoutReadingOn() throws {
        // One quoted field of 1 MiB + 1 byte: refused at its line.
        let long = "a,b\n1,2\nx,\"" + String(repeating: "y", count: CSVRecords.maxRecordBytes) + "\"\n"
        expectGeoIOError(["t.csv: line 3: a record longer than 1 MiB (no line end, or an unclosed quote?)"]) {
            _ = try Self.records(Array(long.utf8))
        }
        // An unterminated quote early in a 6 MiB file stops at the cap, not at the end.
        let runaway = "a,b\n1,2\n3,\"open\n" + String(repeating: "z,z\n", count: 6 << 18)
        var seen = 0
        expectGeoIOError(["t.csv: line 3: a record longer than 1 MiB"]) {
            try CSVRecords.read(bytes: Array(runaway.utf8), name: "t.csv") { _ in } record: { _ in seen += 1 }
        }
        #expect(seen == 1)
        // Just under the cap is fine.
        let fits = "a\n\"" + String(repeating: "y", count: CSVRecords.maxRecordBytes - 3) + "\"\n"
        let rows = try Self.records(Array(fits.utf8)).rows
        #expect(rows.count == 1 && rows[0].1[0].count == CSVRecords.maxRecordBytes - 3)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/bin/gzip"), "gzip is not installed"))
    func recordEstimateForReservingCapacity() throws {
        // 300,000 rows of 26 to 31 bytes: 8.6 MB, over two 4 MiB chunks. The estimate (size over
        // the first chunk's line length) must be within 5% for the plain and the gzip file.
        var text = "id,x,y\n"
        for i in 0..<300_000 { text += "\(i),\(380_000 + i % 977).25,\(390_000 + i % 5_003).5\n" }
        let path = try temporaryFile("estimate.csv", text)
        #expect(try runTool("/bin/gzip", ["-k", path])?.status == 0)
        for file in [path, path + ".gz"] {
            var estimate: Int?
            let rows = try CSVRecords.read(path: file) { estimate = $0.estimatedRecords } record: { _ in }
            #expect(rows == 300_000)
            let e = try #require(estimate, "\(file): no estimate")
            #expect(abs(Double(e) / 300_000 - 1) < 0.05, "\(file): estimated \(e)")
        }
        var memory: Int?
        try CSVRecords.read(bytes: Array("a\n1\n2\n3\n".utf8), name: "m") { memory = $0.estimatedRecords } record: { _ in }
        #expect(memory == 3) // the whole stream in the first chunk: its lines
    }

    @Test func lineOfRecordCountsQuotedLineBreaks() throws {
        let path = try temporaryFile("lines.csv", Self.handWritten)
        #expect(try CSVRecords.line(ofRecord: 2, in: DataFile(path: path)) == 5)
        #expect(try CSVRecords.line(ofRecord: 4, in: DataFile(path: path)) == 9)
        #expect(try CSVRecords.line(ofRecord: 5, in: DataFile(path: path)) == nil)
        #expect(try CSVRecords.header(of: DataFile(path: path)).names == ["id", "name, with comma", "value"])
    }

    @Test func zipMembersAreListedAndRead() throws {
        let zip = TestPaths.fixture("availability/202601_BDUK_uprn_release_test_region.zip")
        #expect(ZipArchive.isZip(zip))
        #expect(!ZipArchive.isZip(TestPaths.fixture("exchanges.csv")))
        #expect(try ZipArchive.members(zip) == [
            "202601_BDUK_uprn_release_test_region_alpha.csv", "README.txt",
            "districts/202601_BDUK_uprn_release_test_region_beta.csv",
        ])
        var uprns: [String] = []
        let member = DataFile(path: zip, member: "districts/202601_BDUK_uprn_release_test_region_beta.csv")
        #expect(member.fileName == "202601_BDUK_uprn_release_test_region_beta.csv")
        try CSVRecords.read(member) { h in #expect(h.names.count == 28) } record: { r in
            uprns.append(r.text(0) ?? "")
            if r.line == 2 { #expect(r.text(17) == "Smith, Jones & Co \"Fell\"") }
        }
        #expect(uprns == ["100000000002", "100000000001"])
        expectGeoIOError(["\(zip)/absent.csv: cannot open"]) {
            try CSVRecords.read(DataFile(path: zip, member: "absent.csv")) { _ in } record: { _ in }
        }
    }
}

@Suite("InputFiles: globs and zip archives")
struct InputFilesTests {
    @Test func globsExpandSortedAndZipsToTheirMatchingMembers() throws {
        let dir = TestPaths.temporaryDirectory("inputs")
        for name in ["b_2.csv", "a_1.csv", "c.txt", "a_10.csv"] {
            try Data("x\n1\n".utf8).write(to: dir.appendingPathComponent(name))
        }
        let zip = TestPaths.fixture("availability/202601_BDUK_uprn_release_test_region.zip")
        let expansion = try InputFiles.expand([dir.path + "/*.csv", dir.path + "/a_1.csv", zip]) { $0.hasSuffix(".csv") }
        #expect(expansion.files.map(\.fileName) == [
            "a_1.csv", "a_10.csv", "b_2.csv",
            "202601_BDUK_uprn_release_test_region_alpha.csv", "202601_BDUK_uprn_release_test_region_beta.csv",
        ])
        #expect(expansion.skippedMembers.map(\.description) == [zip + "/README.txt"])
        #expect(expansion.files[4].description == zip + "/districts/202601_BDUK_uprn_release_test_region_beta.csv")
    }

    @Test func nothingMatchingIsAnError() {
        let dir = TestPaths.temporaryDirectory("inputs").path
        expectGeoIOError(["\(dir)/*.csv: no file matches this pattern"]) {
            _ = try InputFiles.expand([dir + "/*.csv"]) { _ in true }
        }
        expectGeoIOError(["\(dir)/absent.csv: file not found"]) {
            _ = try InputFiles.expand([dir + "/absent.csv"]) { _ in true }
        }
        expectGeoIOError(["\(dir): is a folder"]) {
            _ = try InputFiles.expand([dir]) { _ in true }
        }
        let zip = TestPaths.fixture("availability/202601_BDUK_uprn_release_test_region.zip")
        expectGeoIOError(["\(zip): the archive holds no file of the expected kind (3 members, none with a matching name)"]) {
            _ = try InputFiles.expand([zip]) { $0.hasSuffix(".gpkg") }
        }
    }
}
