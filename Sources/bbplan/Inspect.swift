import ArgumentParser
import Batch
import Foundation
import GeoIO
import Projection

/// `bbplan inspect SOURCE`: what a data source holds, before a planner points a scenario at it.
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Describe a vector data source: driver, layers, features, geometry, CRS, extent, fields.",
        discussion: """
            SOURCE is any file GDAL reads: GeoPackage, GeoJSON, Shapefile, FlatGeobuf, CSV
            (plain or .gz), and more. For CSV, columns named easting/northing, x/y or
            lon/lat are shown as point geometry; a CSV carries no CRS, so declare one in the
            scenario. The datum transformation to the working CRS is shown, with whether the
            exact OSTN15 grid is used.
            """)

    @Argument(help: "The data source to describe.")
    var source: String

    @Option(help: "Describe only this layer.")
    var layer: String?

    @Option(help: "Working CRS to show the transformation to.")
    var crs: String = "EPSG:27700"

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() throws {
        let working = try CRS(crs)
        let options = VectorSource.isDelimitedText(source) ? VectorSource.csvDescribeOptions : []
        let dataSource = try VectorSource(path: source, openOptions: options)
        // A CSV is read through to count its rows (about 3 s for the national postcode file,
        // docs/BENCHMARKS.md): on a terminal, say how far it has got (off a terminal the
        // count is the whole output, and it takes seconds, not minutes).
        let progress = Progress(offTerminal: .silent)
        let layers = try dataSource.describe(layer: layer) { name, features in
            progress.step(features == 0 ? "reading layer '\(name)' to count its features"
                          : "reading layer '\(name)': \(Noun.feature.counted(features)) so far")
        }
        progress.finish()
        // GDAL opens a folder whose only Shapefile is unreadable as a source with no layers.
        guard !layers.isEmpty else { throw GeoIOError(path: source, "holds no vector layers GDAL can read") }
        let report = InspectReport(
            source: source, driver: dataSource.driverName,
            grids: .init(directory: GridLocator.directory, ostn15: GridLocator.ostn15Path != nil),
            layers: try layers.map { try InspectReport.Layer($0, working: working) })
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(report.text)
        }
    }
}

/// The facts `inspect` prints, shared by its text and JSON forms.
struct InspectReport: Encodable {
    struct Grids: Encodable {
        let directory: String?
        let ostn15: Bool
    }

    struct Layer: Encodable {
        let name: String
        let geometryType: String
        let featureCount: Int
        let crs: String?
        let crsName: String?
        let epsg: Int?
        let extent: [Double]?
        /// Why there is no extent although there are features (JSON cannot hold infinity).
        let extentProblem: String?
        let fields: [FieldInfo]
        /// How coordinates reach the working CRS.
        let toWorkingCRS: String?
        let usesOSTN15: Bool?

        enum CodingKeys: String, CodingKey {
            case name, fields, crs, epsg, extent
            case geometryType = "geometry_type", featureCount = "feature_count", crsName = "crs_name"
            case extentProblem = "extent_problem"
            case toWorkingCRS = "to_working_crs", usesOSTN15 = "uses_ostn15"
        }

        init(_ info: LayerInfo, working: CRS) throws {
            name = info.name
            geometryType = info.geometryType
            featureCount = info.featureCount
            crs = info.crs?.label
            crsName = info.crs?.name
            epsg = info.crs?.epsg
            let bounds = info.extent.map { [$0.minX, $0.minY, $0.maxX, $0.maxY] }
            if let bounds, !bounds.allSatisfy(\.isFinite) {
                extent = nil
                extentProblem = "not finite: some coordinates are infinite or not a number"
            } else {
                extent = bounds
                extentProblem = nil
            }
            fields = info.fields
            if let source = info.crs {
                if source == working {
                    toWorkingCRS = "none needed (already \(working.label))"
                    usesOSTN15 = nil
                } else {
                    // A failed lookup is reported as such, never as "none needed".
                    do {
                        let operation = try CoordinateTransform(from: source, to: working).bestOperation()
                        toWorkingCRS = operation.map { op in
                            "\(op.name)" + (op.accuracyMetres.map { ", accuracy \(CSVWriter.number($0)) m" } ?? "")
                        } ?? "no transformation found"
                        usesOSTN15 = operation?.usesOSTN15
                    } catch {
                        toWorkingCRS = "no transformation found: \(error)"
                        usesOSTN15 = nil
                    }
                }
            } else {
                toWorkingCRS = nil
                usesOSTN15 = nil
            }
        }
    }

    let source: String
    let driver: String
    let grids: Grids
    let layers: [Layer]

    var text: String {
        // Names come from the file: control characters are escaped as in error messages.
        var lines = ["\(source.printable)", "  driver: \(driver)"]
        lines.append("  datum grids: " + (grids.directory.map { "\($0) (OSTN15 \(grids.ostn15 ? "present" : "missing"))" }
            ?? "none found; OSGB36 transformations fall back to Helmert (about 2 m)"))
        for layer in layers {
            lines.append("  layer '\(layer.name.printable)': \(layer.geometryType), \(Noun.feature.counted(layer.featureCount))")
            if let crs = layer.crs {
                lines.append("    CRS: \(crs.printable)" + (layer.crsName.map { $0 == crs ? "" : " (\($0.printable))" } ?? ""))
            } else {
                lines.append("    CRS: none declared in the file (declare crs: in the scenario)")
            }
            if let e = layer.extent {
                lines.append("    extent: " + e.map { CSVWriter.number($0, digits: 6) }.joined(separator: ", "))
            } else if let problem = layer.extentProblem {
                lines.append("    extent: \(problem)")
            }
            if let t = layer.toWorkingCRS {
                let grid = layer.usesOSTN15.map { $0 ? " [OSTN15 grid]" : "" } ?? ""
                lines.append("    to working CRS: \(t)\(grid)")
            }
            lines.append("    fields: " + (layer.fields.isEmpty ? "none" : layer.fields.map { "\($0.name.printable) (\($0.type))" }.joined(separator: ", ")))
        }
        return lines.joined(separator: "\n")
    }
}
