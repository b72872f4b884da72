// The readers' benchmark driver, run by scripts/bench-readers (not part of bbplan's commands):
// reads one input with one reader and prints `rows=N seconds=S` plus a check value, so the
// script can time it under /usr/bin/time -v.
//
//   ReaderBench csv FILE                    stream every record (CSVRecords), counting fields
//   ReaderBench points FILE X Y [NUM...]    a point file's x, y and numeric columns
//                                           (CSVPointReader, as bbplan reads premises)
//   ReaderBench uprn FILE [POSTCODE_COLUMN] address points (UPRNPremisesReader), BNG
//   ReaderBench ofcom-postcodes INPUT...    Ofcom postcode files (globs, zips)
//   ReaderBench ofcom-split INPUT...        the same, then every postcode split over 1-40
//                                           households (the split timed on its own)
//   ReaderBench bduk INPUT...               BDUK UPRN release files (globs, zips)
import Availability
import Foundation
import GeoIO
import Projection

func run(_ arguments: [String]) throws -> String {
    guard arguments.count >= 2 else { throw GeoIOError(path: "ReaderBench", "usage: ReaderBench csv|uprn|ofcom-postcodes|bduk INPUT...") }
    let inputs = Array(arguments.dropFirst())
    switch arguments[0] {
    case "csv":
        var fields = 0
        let rows = try CSVRecords.read(path: inputs[0]) { _ in } record: { fields += $0.count }
        return "rows=\(rows) fields=\(fields)"
    case "points":
        guard inputs.count >= 3 else { throw GeoIOError(path: "ReaderBench", "usage: ReaderBench points FILE X Y [NUMBER_COLUMN...]") }
        let spec = CSVPointSpec(x: inputs[1], y: inputs[2], numberColumns: Array(inputs.dropFirst(3)))
        let t = try CSVPointReader.read(path: inputs[0], spec: spec)
        let sum = spec.numberColumns.first.map { t.numbers[$0]!.reduce(0, +) } ?? 0
        return "rows=\(t.count) mean_x=\(t.xs.reduce(0, +) / Double(max(1, t.count))) sum=\(sum)"
    case "uprn":
        let options = UPRNPremisesOptions(postcodeColumn: inputs.count > 1 ? inputs[1] : nil)
        let p = try UPRNPremisesReader.read(path: inputs[0], options: options, workingCRS: .britishNationalGrid)
        let x = p.xs.reduce(0, +) / Double(max(1, p.count))
        return "rows=\(p.count) mean_x=\(x) with_postcode=\(p.postcodes.map { $0.reduce(0) { $0 + ($1.isNone ? 0 : 1) } } ?? 0)"
    case "ofcom-postcodes":
        let t = try OfcomCoverageReader.readPostcodes(inputs)
        return "rows=\(t.count) files=\(t.sources.count)"
    case "ofcom-split":
        let t = try OfcomCoverageReader.readPostcodes(inputs)
        let start = ContinuousClock.now
        var total = SpeedClassValues.zero
        for row in 0..<t.count {
            total += PostcodeSplit.split(t.percentages(row: row), households: Double(1 + row % 40))
        }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return "rows=\(t.count) households=\(Int(total.total)) split_seconds=\(String(format: "%.2f", seconds))"
    case "bduk":
        let r = try BDUKReleaseReader.read(inputs)
        return "rows=\(r.count) files=\(r.sources.count)"
    default:
        throw GeoIOError(path: "ReaderBench", "unknown reader '\(arguments[0])'")
    }
}

let clock = ContinuousClock()
let start = clock.now
do {
    let result = try run(Array(CommandLine.arguments.dropFirst()))
    let elapsed = clock.now - start
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    print("\(result) seconds=\(String(format: "%.2f", seconds))")
} catch {
    FileHandle.standardError.write(Data("ReaderBench: \(error)\n".utf8))
    exit(error is GeoIOError ? 2 : 1)
}
