import Foundation
import Testing
import TestSupport
@testable import GeoIO

@Suite("CSVPointReader: RFC 4180 parsing, gzip, chunks and line numbers")
struct CSVPointReaderTests {
    /// The exchanges fixture, read by hand: 34 rows, the first `EX00047,351136,385204,5730`
    /// and the last `EX03005,408601,415006,6803` (`head`/`tail` of exchanges.csv).
    static let exchangeSpec = CSVPointSpec(x: "easting", y: "northing", numberColumns: ["households"], textColumns: ["exchange_id"])

    @Test func handWrittenFileWithQuotesBOMCRLFBlankLinesAndExponents() throws {
        // Byte-order mark, CRLF line ends, a quoted header name, quoted fields holding commas,
        // doubled quotes and a line break, blank lines, and numbers with exponents, signs and
        // surrounding spaces.
        var bytes: [UInt8] = [0xEF, 0xBB, 0xBF]
        bytes += Array((
            "id,\"name, with comma\",easting,northing,households\r\n" +
            "A1,\"Smith \"\"The Mill\"\", Rd\",383000.5,398000.25,12\r\n" +
            "\r\n" +
            "A2,plain,+3.83e5, -3.98E+5 ,  7 \r\n" +
            "\"A3\",\"two\r\nlines\",1e0,-0.5,0\r\n" +
            "\r\n" +
            "A4,\"\",-0,.5,1.5E-3\r\n"
        ).utf8)
        let path = try temporaryFile("hand.csv", bytes)
        #expect(try CSVRecords.header(of: DataFile(path: path)).names == ["id", "name, with comma", "easting", "northing", "households"])
        let table = try CSVPointReader.read(path: path, spec: CSVPointSpec(
            x: "easting", y: "northing", numberColumns: ["households"], textColumns: ["id", "name, with comma"]))
        #expect(table.count == 4)
        #expect(table.xs == [383_000.5, 383_000, 1, 0])
        #expect(table.ys == [398_000.25, -398_000, -0.5, 0.5])
        #expect(table.numbers["households"] == [12, 7, 0, 0.0015])
        let ids = try #require(table.texts["id"])
        #expect((0..<ids.count).map { ids[$0] } == ["A1", "A2", "A3", "A4"])
        let names = try #require(table.texts["name, with comma"])
        #expect((0..<names.count).map { names[$0] } == ["Smith \"The Mill\", Rd", "plain", "two\r\nlines", ""])
        // Data records start on lines 2, 4, 5 and 8 (lines 3 and 7 are blank; A3 spans 5-6).
        #expect(try CSVPointReader.line(ofRecord: 2, path: path) == 5)
        #expect(try CSVPointReader.line(ofRecord: 3, path: path) == 8)
    }

    @Test func numbersParseExactlyAsSwiftsOwnParserDoes() throws {
        // Plain decimals take a fast path; long mantissas, exponents and extremes fall back.
        let texts = [
            "0.1", "-0.0", "383000.123456789", "1e-3", "+5", ".5", "5.", "00012.5", "0.000123",
            "1234567890123456789", "0.30000000000000004", "123456789012345.6", "-2.260460", "53.465578",
            "9007199254740993", "1.7976931348623157e308", "4.9e-324", "0.1000000000000000055511151231257827",
        ]
        let path = try temporaryFile("n.csv", "x,y\n" + texts.map { "\($0),\($0)\n" }.joined())
        let table = try CSVPointReader.read(path: path, spec: CSVPointSpec(x: "x", y: "y"))
        #expect(table.count == texts.count)
        for (i, text) in texts.enumerated() where i < table.count {
            let expected = try #require(Double(text))
            #expect(table.xs[i].bitPattern == expected.bitPattern, "\(text): \(table.xs[i]) != \(expected)")
            #expect(table.ys[i] == table.xs[i])
        }
    }

    @Test("values that are not finite numbers are rejected", arguments: ["n/a", "1.2.3", "-", "NaN", "1e400", "1,5"])
    func notNumbers(text: String) throws {
        let quoted = text.contains(",") ? "\"\(text)\"" : text
        let path = try temporaryFile("bad.csv", "x,y\n1,2\n\(quoted),3\n")
        expectGeoIOError(["\(path): line 3: x '\(text)' is not a finite number"]) {
            _ = try CSVPointReader.read(path: path, spec: CSVPointSpec(x: "x", y: "y"))
        }
    }

    @Test func exchangesFixtureHasTheValuesOfTheFile() throws {
        let table = try CSVPointReader.read(path: TestPaths.fixture("exchanges.csv"), spec: Self.exchangeSpec)
        #expect(table.count == 34)
        #expect(table.xs.first == 351_136 && table.ys.first == 385_204)
        #expect(table.xs.last == 408_601 && table.ys.last == 415_006)
        #expect(table.numbers["households"]?.first == 5730)
        #expect(table.numbers["households"]?.last == 6803)
        let ids = try #require(table.texts["exchange_id"])
        #expect(ids[0] == "EX00047" && ids[33] == "EX03005")
        // Cross-check against a naive split of the same file.
        let rows = try readSimpleCSV(TestPaths.fixture("exchanges.csv"))
        #expect(table.xs == rows.map { Double($0["easting"]!)! })
        #expect(table.numbers["households"] == rows.map { Double($0["households"]!)! })
    }

    @Test func gzipEqualsPlainWhateverTheName() throws {
        let plain = try CSVPointReader.read(path: TestPaths.fixture("exchanges.csv"), spec: Self.exchangeSpec)
        let gz = try CSVPointReader.read(path: TestPaths.fixture("exchanges.csv.gz"), spec: Self.exchangeSpec)
        #expect(gz.xs == plain.xs && gz.ys == plain.ys && gz.numbers == plain.numbers && gz.texts == plain.texts)
        // Detected by the magic bytes, not the extension.
        let renamed = try temporaryFile("exchanges.csv", Array(try Data(contentsOf: URL(fileURLWithPath: TestPaths.fixture("exchanges.csv.gz")))))
        let sniffed = try CSVPointReader.read(path: renamed, spec: Self.exchangeSpec)
        #expect(sniffed.xs == plain.xs && sniffed.texts == plain.texts)
    }

    // MARK: - Chunk boundaries

    /// What sits exactly on a 4 MiB chunk boundary.
    enum Straddle {
        /// A CR is the last byte of a chunk and its LF the first of the next.
        case lineEnd
        /// The two quotes of a doubled quote (in a field with a comma and a line break) sit
        /// either side of the boundary.
        case doubledQuote
        /// A closing quote is the last byte of a chunk and the separator the next.
        case closingQuote
    }

    /// A CSV just larger than one chunk per straddle, each placed on a boundary (the reader
    /// refills at multiples of 4 MiB), mixing LF and CRLF, quoted and plain fields, and
    /// ending without a line end. (Debug builds parse about 2 MB/s, hence few chunks.)
    struct BigCSV {
        var data: [UInt8] = []
        var ids: [String] = []
        var names: [String] = []
        var xs: [Double] = []
        var ys: [Double] = []
        /// Line breaks inside quoted fields, which move later records' line numbers.
        var quotedLineBreaks = 0

        mutating func add(_ id: String, nameField: String, name: String, x: String, y: String, end: String = "\r\n") {
            data += Array("\(id),\(nameField),\(x),\(y)\(end)".utf8)
            ids.append(id)
            names.append(name)
            xs.append(Double(x.trimmingCharacters(in: .whitespaces))!)
            ys.append(Double(y)!)
            quotedLineBreaks += name.filter(\.isNewline).count
        }

        static func make(_ straddles: [Straddle], last: String = "1.5") -> BigCSV {
            var csv = BigCSV()
            csv.data = Array("id,name,x,y\r\n".utf8)
            let chunk = CSVPointReader.chunkSize
            var placed = 0
            var i = 0
            while csv.data.count < straddles.count * chunk + 50_000 {
                let id = "R\(i)"
                let x = String(300_000 + Double(i) * 0.25)
                let y = String(-Double(i % 977) * 1.5e-3)
                let boundary = (placed + 1) * chunk
                if placed < straddles.count, csv.data.count + 400 > boundary {
                    let o = csv.data.count
                    let head = "\(id),\"".utf8.count
                    switch straddles[placed] {
                    case .lineEnd:
                        let fixed = "\(id),,\(x),\(y)\r\n".utf8.count
                        let pad = String(repeating: "p", count: boundary + 1 - o - fixed)
                        csv.add(id, nameField: pad, name: pad, x: x, y: y)
                        precondition(csv.data[boundary - 1] == 13 && csv.data[boundary] == 10)
                    case .doubledQuote:
                        let pad = String(repeating: "q", count: boundary - 1 - o - head)
                        csv.add(id, nameField: "\"\(pad)\"\"x\"\" and, a\nbreak\"", name: "\(pad)\"x\" and, a\nbreak", x: x, y: y)
                        precondition(csv.data[boundary - 1] == 34 && csv.data[boundary] == 34)
                    case .closingQuote:
                        let pad = String(repeating: "r", count: boundary - 1 - o - head)
                        csv.add(id, nameField: "\"\(pad)\"", name: pad, x: x, y: y)
                        precondition(csv.data[boundary - 1] == 34 && csv.data[boundary] == 44)
                    }
                    placed += 1
                } else if i % 7 == 0 {
                    csv.add(id, nameField: "\"n\(i), \"\"q\"\"\"", name: "n\(i), \"q\"", x: " \(x)", y: y)
                } else {
                    csv.add(id, nameField: "n\(i)", name: "n\(i)", x: x, y: y, end: i % 3 == 0 ? "\n" : "\r\n")
                }
                i += 1
            }
            csv.data += Array("LAST,end,\(last),2.5".utf8)
            csv.ids.append("LAST")
            csv.names.append("end")
            csv.xs.append(Double(last) ?? .nan)
            csv.ys.append(2.5)
            return csv
        }

        /// The line the last record starts on.
        var lastLine: Int { ids.count + 1 + quotedLineBreaks }

        func check(_ table: PointTable) {
            #expect(table.count == xs.count)
            guard table.count == xs.count else { return }
            var mismatches = 0
            let ids = table.texts["id"]!, names = table.texts["name"]!
            for r in 0..<table.count where table.xs[r] != xs[r] || table.ys[r] != ys[r] || ids[r] != self.ids[r] || names[r] != self.names[r] {
                if mismatches < 5 {
                    Issue.record("row \(r): got \(table.xs[r]), \(table.ys[r]), \(ids[r]), \(names[r]); expected \(xs[r]), \(ys[r]), \(self.ids[r]), \(self.names[r])")
                }
                mismatches += 1
            }
            #expect(mismatches == 0)
        }
    }

    static let spec = CSVPointSpec(x: "x", y: "y", textColumns: ["id", "name"])

    @Test func everyRowSurvivesChunkBoundaries() throws {
        let csv = BigCSV.make([.lineEnd, .doubledQuote])
        #expect(csv.data.count > 2 * CSVPointReader.chunkSize)
        let path = try temporaryFile("big.csv", csv.data)
        csv.check(try CSVPointReader.read(path: path, spec: Self.spec))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/gzip")))
    func everyRowSurvivesChunkBoundariesInGzip() throws {
        let csv = BigCSV.make([.closingQuote, .lineEnd])
        let path = try temporaryFile("big.csv", csv.data)
        let result = try #require(try runTool("/usr/bin/gzip", ["-k", "-1", path]))
        #expect(result.status == 0)
        csv.check(try CSVPointReader.read(path: path + ".gz", spec: Self.spec))
    }

    @Test func lineNumbersCountAcrossChunkBoundaries() throws {
        let csv = BigCSV.make([.doubledQuote], last: "bad")
        #expect(csv.quotedLineBreaks == 1)
        let path = try temporaryFile("big.csv", csv.data)
        expectGeoIOError(["\(path): line \(csv.lastLine): x 'bad' is not a finite number"]) {
            _ = try CSVPointReader.read(path: path, spec: Self.spec)
        }
    }

    // MARK: - Errors

    @Test func errorsNameTheLineAcrossBlankLinesAndQuotedLineBreaks() throws {
        for newline in ["\n", "\r\n"] {
            let text = ["id,x,y", "a,1,2", "", "\"b", "still b\",3,4", "c,5,6", "d,oops,8", "e,9,10"].joined(separator: newline)
            let path = try temporaryFile("lines.csv", text)
            expectGeoIOError(["\(path): line 7: x 'oops' is not a finite number"]) {
                _ = try CSVPointReader.read(path: path, spec: CSVPointSpec(x: "x", y: "y"))
            }
        }
    }

    @Test func nonNumericCoordinateNamesLineAndColumn() {
        let path = TestPaths.fixture("bad/non-numeric.csv")
        let error = expectGeoIOError(["line 7", "easting 'n/a' is not a finite number"]) {
            _ = try CSVPointReader.read(path: path, spec: Self.exchangeSpec)
        }
        #expect(error?.path == path)
        #expect(error?.location == "line 7")
    }

    @Test func headerOnlyFileHasNoRows() throws {
        let table = try CSVPointReader.read(path: TestPaths.fixture("bad/header-only.csv"), spec: Self.exchangeSpec)
        #expect(table.count == 0)
        #expect(table.numbers["households"] == [])
    }

    @Test func emptyFile() {
        let path = TestPaths.fixture("bad/empty.csv")
        expectGeoIOError(["\(path): file is empty"]) { _ = try CSVPointReader.read(path: path, spec: Self.exchangeSpec) }
    }

    @Test func semicolonSeparatedFileGetsTheDelimiterHint() {
        let path = TestPaths.fixture("bad/semicolon.csv")
        expectGeoIOError(["\(path): line 1: no x column 'easting'", "separated by ';'"]) {
            _ = try CSVPointReader.read(path: path, spec: Self.exchangeSpec)
        }
    }

    @Test func missingColumnListsTheColumns() {
        let path = TestPaths.fixture("exchanges.csv")
        expectGeoIOError(["line 1: no numeric column 'premises'; columns are: 'exchange_id', 'easting', 'northing', 'households'"]) {
            _ = try CSVPointReader.read(path: path, spec: CSVPointSpec(x: "easting", y: "northing", numberColumns: ["premises"]))
        }
    }

    @Test func fieldCountMismatch() {
        let path = TestPaths.fixture("bad/missing-field.csv")
        expectGeoIOError(["\(path): line 5: 3 fields where the header has 4"]) {
            _ = try CSVPointReader.read(path: path, spec: Self.exchangeSpec)
        }
    }

    @Test func truncatedGzipIsAnErrorNotAShortTable() {
        let path = TestPaths.fixture("bad/truncated.csv.gz")
        expectGeoIOError(["\(path): ", "gzip data is corrupt or truncated"]) {
            _ = try CSVPointReader.read(path: path, spec: Self.exchangeSpec)
        }
    }

    @Test func unterminatedQuoteAtTheEnd() throws {
        let path = try temporaryFile("open.csv", "id,x,y\na,1,2\n\"b,3,4\nc,5,6\n")
        expectGeoIOError(["\(path): line 3: unterminated quoted field"]) {
            _ = try CSVPointReader.read(path: path, spec: CSVPointSpec(x: "x", y: "y"))
        }
    }

    @Test func textAfterAClosingQuote() throws {
        let path = try temporaryFile("after.csv", "id,x,y\n\"a\"b,1,2\n")
        expectGeoIOError(["line 2: text after a closing quote"]) {
            _ = try CSVPointReader.read(path: path, spec: CSVPointSpec(x: "x", y: "y"))
        }
    }

    @Test func invalidUTF8InATextColumn() throws {
        let path = try temporaryFile("latin1.csv", Array("id,x,y\nok,1,2\n".utf8) + [0x43, 0x61, 0x66, 0xE9] + Array(",3,4\n".utf8))
        expectGeoIOError(["line 3: id is not valid UTF-8 text"]) {
            _ = try CSVPointReader.read(path: path, spec: CSVPointSpec(x: "x", y: "y", textColumns: ["id"]))
        }
    }

    @Test func missingFileAndFolder() {
        expectGeoIOError(["/nonexistent/points.csv: file not found"]) {
            _ = try CSVPointReader.read(path: "/nonexistent/points.csv", spec: Self.exchangeSpec)
        }
        let folder = TestPaths.fixture("bad")
        expectGeoIOError(["\(folder): is a folder, not a file"]) {
            _ = try CSVPointReader.read(path: folder, spec: Self.exchangeSpec)
        }
    }
}
