import Foundation
import Testing
import TestSupport
@testable import GeoIO

@Suite("CSVWriter: RFC 4180 escaping and number formatting")
struct CSVWriterTests {
    /// OWASP's CSV-injection rule: cells beginning with = + - @ tab or CR become text (a
    /// single quote first, the cell quoted); numbers as bbplan writes them stay numbers.
    @Test("cells a spreadsheet would run as formulas are written as text", arguments: [
        ("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""),
        ("+1", "\"'+1\""),
        ("@SUM(A1:A9)", "\"'@SUM(A1:A9)\""),
        ("-1+2", "\"'-1+2\""),
        ("-cmd|' /C calc'!A0", "\"'-cmd|' /C calc'!A0\""),
        ("\tx", "\"'\tx\""),
        ("\rx", "\"'\rx\""),
        ("-", "\"'-\""),
        ("-.5", "\"'-.5\""),
        ("-1.", "\"'-1.\""),
        ("+1/384_398", "\"'+1/384_398\""),
        // Numbers as CSVWriter.number writes them are left alone.
        ("-1.5", "-1.5"),
        ("-3", "-3"),
        ("0.000001", "0.000001"),
        ("12", "12"),
        // Formula characters later in a cell are harmless.
        ("a=b", "a=b"),
        ("E08000003", "E08000003"),
    ])
    func formulaInjection(field: String, expected: String) {
        #expect(CSVWriter.escape(field) == expected)
    }

    @Test("fields are quoted only when they must be", arguments: [
        ("plain", "plain"),
        ("", ""),
        ("a,b", "\"a,b\""),
        ("say \"hi\"", "\"say \"\"hi\"\"\""),
        ("two\nlines", "\"two\nlines\""),
        ("cr\r", "\"cr\r\""),
        ("crlf\r\nline", "\"crlf\r\nline\""),
        ("  spaces  ", "  spaces  "),
        ("Café ;", "Café ;"),
    ])
    func escaping(field: String, expected: String) {
        #expect(CSVWriter.escape(field) == expected)
    }

    @Test func rowsAndHeader() {
        var writer = CSVWriter(header: ["id", "name"])
        writer.appendRow(["1", "Smith, \"The Mill\""])
        writer.appendRow(["2", ""])
        #expect(writer.contents == "id,name\n1,\"Smith, \"\"The Mill\"\"\"\n2,\n")
    }

    @Test func whatTheWriterWritesTheReaderReads() throws {
        let names = ["plain", "comma, here", "quote \"q\"", "line\nbreak", "", "trailing,"]
        var writer = CSVWriter(header: ["name", "x", "y"])
        for (i, name) in names.enumerated() {
            writer.appendRow([name, CSVWriter.number(383_000.125 + Double(i)), CSVWriter.number(-0.5 * Double(i))])
        }
        let path = TestPaths.temporaryDirectory("csvwriter").appendingPathComponent("round.csv").path
        try writer.write(to: path)
        let table = try CSVPointReader.read(path: path, spec: CSVPointSpec(x: "x", y: "y", textColumns: ["name"]))
        let column = try #require(table.texts["name"])
        #expect((0..<column.count).map { column[$0] } == names)
        #expect(table.xs == names.indices.map { 383_000.125 + Double($0) })
        #expect(table.ys == names.indices.map { -0.5 * Double($0) })
    }

    @Test("numbers for tables", arguments: [
        (3.0, 4, "3"), (-3.0, 4, "-3"), (2.5, 4, "2.5"), (1.0 / 3.0, 4, "0.3333"), (2.0 / 3.0, 2, "0.67"),
        (-0.1, 2, "-0.1"), (0.0, 4, "0"), (-0.0, 4, "0"), (-0.00001, 4, "0"), (0.00001, 4, "0"),
        (1_234_567.891, 1, "1234567.9"), (.nan, 4, ""), (.infinity, 4, ""),
    ])
    func numbers(value: Double, digits: Int, expected: String) {
        #expect(CSVWriter.number(value, digits: digits) == expected)
    }

    /// The fast path gives printf's text, or declines: checked against `%.Nf` on values of
    /// every magnitude, on exact ties (x.5 at the last digit, which printf rounds by the
    /// exact binary value) and next to them.
    @Test func theFastFormatterAgreesWithPrintf() {
        var generator = SystemRandomNumberGenerator()
        var values: [Double] = []
        for _ in 0..<200_000 {
            let magnitude = Double.random(in: -6...14, using: &generator)
            values.append((Bool.random(using: &generator) ? 1 : -1) * pow(10, magnitude))
        }
        for k in 0..<20_000 {
            let tie = (Double(k) + 0.5) / 10_000
            values += [tie, tie.nextUp, tie.nextDown, -tie, Double(k) / 3, 277_010.32 + Double(k) / 100]
        }
        var declined = 0
        for v in values {
            for digits in [1, 2, 4, 6] {
                guard let fast = CSVWriter.fixedDecimals(v, digits: digits) else {
                    declined += 1
                    continue
                }
                #expect(fast == CSVWriter.formatted(v, digits: digits), "\(v) to \(digits) digits")
            }
        }
        // Most values are not near a tie nor too large (above 1e15 once scaled, here
        // about 15% of the tries): the fast path must take them.
        let tries = values.count * 4
        #expect(declined * 4 < tries, "declined \(declined) of \(tries)")
    }

    @Test func unwritablePathIsNamed() {
        let writer = CSVWriter(header: ["a"])
        expectGeoIOError(["/nonexistent-folder/out.csv: cannot write"]) { try writer.write(to: "/nonexistent-folder/out.csv") }
    }
}
