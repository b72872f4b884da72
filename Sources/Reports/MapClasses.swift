import Foundation

/// The classes of bbplan's maps, defined once: the HTML report's SVG maps and legends and the
/// QGIS styles of coverage.gpkg (`QGISStyles`) both read them, so a class has the same limits,
/// colour and label in the browser and in QGIS (issue 11 item 9).
struct MapClass: Sendable, Equatable {
    /// The value the class matches (a category's value; empty for a range class).
    let value: String
    let label: String
    /// Fill colour `#rrggbb`.
    let colour: String
    /// Fill opacity 0–1.
    let opacity: Double

    /// The colour as QGIS writes it: "r,g,b,a" with a in 0–255.
    var qgisColour: String { MapClass.qgis(colour, opacity: opacity) }

    static func qgis(_ hex: String, opacity: Double = 1) -> String {
        let digits = hex.dropFirst()
        let v = Int(digits, radix: 16) ?? 0
        return "\((v >> 16) & 255),\((v >> 8) & 255),\(v & 255),\(Int((opacity * 255).rounded()))"
    }
}

// The share classes (`ShareClasses`, in SVGMap.swift) are the other half of this definition:
// the `authorities` layer's QGIS style grades by their breaks, colours and labels.

/// The classes of the build-area maps: areas built, by technology (hue) and year (earliest
/// darkest), and every other status faint. The `build_areas` layer's QGIS style categorises by
/// `BuildAreaClasses.expression`, whose values are the classes' `value`s.
enum BuildAreaClasses {
    /// Hues by technology (ColorBrewer sequential ramps, dark to light): FTTP blues, fixed
    /// wireless oranges, vouchers greens, satellite purples.
    static let ramps: [(technology: String, label: String, colours: [String])] = [
        ("fttp", "FTTP", ["#08519c", "#3182bd", "#6baed6", "#9ecae1", "#c6dbef"]),
        ("fwa", "Fixed wireless", ["#a63603", "#e6550d", "#fd8d3c", "#fdae6b", "#fdd0a2"]),
        ("voucher", "Gigabit vouchers", ["#006d2c", "#31a354", "#74c476", "#a1d99b", "#c7e9c0"]),
        ("satellite", "Satellite", ["#54278f", "#756bb1", "#9e9ac8", "#bcbddc", "#dadaeb"]),
    ]
    /// The statuses of areas not built, in the order the legend lists them, with their labels.
    static let notBuilt: [(status: String, label: String)] = [
        ("commercially_viable", "Commercially viable (not built)"),
        ("over_budget", "Over budget (not built)"),
        ("over_capacity", "Over capacity (not built)"),
        ("over_total_budget", "Over the total budget (not built)"),
        ("target_reached", "Target already reached (not built)"),
        ("not_prioritised", "Not prioritised (not built)"),
        ("no_option", "No option meets the target"),
        ("no_households", "No households"),
    ]
    /// The faint fill of every area not built.
    static let faint = "#bdbdbd"
    static let faintOpacity = 0.25
    /// The fill opacity of built areas.
    static let builtOpacity = 0.85

    /// The QGIS expression whose value picks the class: `<technology> <year>` for built areas,
    /// the status otherwise.
    static let expression = "CASE WHEN \"status\" = 'built' THEN \"technology\" || ' ' || to_string(\"year\") ELSE \"status\" END"

    /// The value of an area's class (what `expression` gives in QGIS).
    static func value(status: String, technology: String?, year: Int?) -> String {
        status == "built" ? "\(technology ?? "") \(year.map(String.init) ?? "")" : status
    }

    /// The classes for a run whose built areas used `built` (technology, year) pairs: one per
    /// pair (technologies in the ramps' order, years ascending; year k of a technology takes
    /// the k-th colour of its ramp, the last colour repeating after five years), then one
    /// faint class per status not built.
    static func classes(built: Set<BuiltKey>) -> [MapClass] {
        var out: [MapClass] = []
        for ramp in ramps {
            let years = built.filter { $0.technology == ramp.technology }.map(\.year).sorted()
            for (k, year) in years.enumerated() {
                out.append(MapClass(value: "\(ramp.technology) \(year)", label: "\(ramp.label), built \(year)",
                                    colour: ramp.colours[min(k, ramp.colours.count - 1)], opacity: builtOpacity))
            }
        }
        for s in notBuilt {
            out.append(MapClass(value: s.status, label: s.label, colour: faint, opacity: faintOpacity))
        }
        return out
    }

    struct BuiltKey: Hashable, Sendable {
        let technology: String
        let year: Int
    }
}
