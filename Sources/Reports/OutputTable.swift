import Coverage
import GeoIO
import Geometry
import Scenario

/// A table written twice: as CSV and as the attributes of a layer (GeoPackage, GeoJSON). One
/// column list and one row builder per table, so a field has the same name, order and value in
/// both (docs/FIELDS.md). Before, the two writers built their own lists: the authorities layer
/// said `hh_<tier>` and `<class>_hh` and left the baseline's columns unsuffixed in a rollout
/// where authorities.csv said `households_<tier>_before`; the build-areas layer said `area_id`
/// where build_areas.csv said `id`, and left out half the CSV's columns.
struct OutputTable {
    /// One cell: its value, and for reals the decimals the CSV keeps.
    enum Cell {
        case text(String)
        case integer(Int)
        case real(Double, digits: Int = 4)
        /// No value: an empty CSV cell, a NULL attribute.
        case null

        /// The CSV text (`CSVWriter.number` for reals).
        var csv: String {
            switch self {
            case .text(let s): s
            case .integer(let n): String(n)
            case .real(let v, let digits): CSVWriter.number(v, digits: digits)
            case .null: ""
            }
        }

        /// The layer attribute (reals at full precision).
        var attribute: AttributeValue {
            switch self {
            case .text(let s): .string(s)
            case .integer(let n): .integer(Int64(n))
            case .real(let v, _): .real(v)
            case .null: .null
            }
        }
    }

    var columns: [(name: String, type: FieldType)]
    var rows: [[Cell]] = []

    /// The CSV file's contents.
    var csv: CSVWriter {
        var csv = CSVWriter(header: columns.map(\.name))
        for row in rows { csv.appendRow(row.map(\.csv)) }
        return csv
    }

    /// The layer: row k with geometry `geometries[k]`.
    func layer(_ name: String, kind: GeometryKind, geometries: [Geometry?]) -> OutputLayer {
        precondition(geometries.count == rows.count, "one geometry per row")
        var layer = OutputLayer(name: name, kind: kind, fields: columns)
        for (row, geometry) in zip(rows, geometries) { layer.features.append((geometry, row.map(\.attribute))) }
        return layer
    }
}

extension OutputTable {
    /// The phases a run has, with the suffix of their columns: "" for a baseline alone,
    /// `_before` and `_after` for a rollout.
    static func phases(_ r: RunResult) -> [(suffix: String, statistics: [AuthorityStatistics])] {
        r.rollout == nil
            ? [("", r.baseline.statistics)]
            : [("_before", r.baseline.statistics), ("_after", r.afterStatistics)]
    }

    /// The authorities column holding the share of households at or above `tier` before any
    /// programme (`share_<tier>`, `share_<tier>_before` in a rollout).
    static func baselineShare(_ r: RunResult, tier: String) -> String {
        "share_\(tier)\(phases(r)[0].suffix)"
    }

    /// authorities.csv and the `authorities` layer: one row per planned authority.
    static func authorities(_ r: RunResult) -> OutputTable {
        let tiers = r.scenario.model.tiers.names
        let polygonTiers = CoverageAnalysis.polygonTiers(r.scenario).map(\.name)
        let phases = phases(r)
        var table = OutputTable(columns: [
            ("code", .string), ("name", .string), ("premises", .integer), ("households", .real), ("area_km2", .real),
        ])
        for (suffix, _) in phases {
            table.columns += tiers.map { ("households_\($0)\(suffix)", .real) }
            table.columns += tiers.map { ("share_\($0)\(suffix)", .real) }
            table.columns += NGAClass.allCases.map { ("\($0.rawValue)_households\(suffix)", .real) }
            table.columns += polygonTiers.map { ("gap_km2_\($0)\(suffix)", .real) }
        }
        table.columns += [("snapped_premises", .integer), ("snapped_households", .real)]
        if r.rollout != nil {
            table.columns += [("cost_gbp", .real), ("public_cost_gbp", .real), ("households_passed", .real), ("build_areas", .integer),
                              ("cost_per_premises_gbp", .real), ("public_cost_per_premises_gbp", .real)]
        }
        for (k, st) in r.baseline.statistics.enumerated() {
            var row: [Cell] = [.text(st.code), .text(st.name), .integer(st.premises), .real(st.households), .real(st.areaKm2, digits: 6)]
            for (_, stats) in phases {
                let s = stats[k].state
                row += tiers.map { .real(s.householdsByTier[$0] ?? 0) }
                row += tiers.map { .real(st.households > 0 ? (s.householdsByTier[$0] ?? 0) / st.households : 0, digits: 6) }
                row += NGAClass.allCases.map { .real(s.ngaHouseholds[$0] ?? 0) }
                row += polygonTiers.map { .real(s.gapAreaKm2[$0] ?? 0, digits: 6) }
            }
            row += [.integer(st.snappedPremises), .real(st.snappedHouseholds)]
            if let rollout = r.rollout {
                let a = rollout.perAuthority[k]
                row += [.real(a.costGBP, digits: 2), .real(a.publicCostGBP, digits: 2), .real(a.householdsPassed), .integer(a.areasBuilt),
                        a.householdsPassed > 0 ? .real(a.costGBP / a.householdsPassed, digits: 2) : .null,
                        a.householdsPassed > 0 ? .real(a.publicCostGBP / a.householdsPassed, digits: 2) : .null]
            }
            table.rows.append(row)
        }
        return table
    }

    /// build_areas.csv and the `build_areas` layer: every candidate area with its option, cost
    /// and outcome.
    static func buildAreas(_ r: RunResult, _ rollout: RolloutResult) -> OutputTable {
        var table = OutputTable(columns: [
            ("id", .string), ("authority", .string), ("cell_x", .integer), ("cell_y", .integer), ("premises", .integer),
            ("households", .real), ("centroid_x", .real), ("centroid_y", .real), ("fibre_distance_m", .real),
            ("technology", .string), ("fttp_cost_gbp", .real), ("fwa_cost_gbp", .real), ("cost_gbp", .real),
            ("public_cost_gbp", .real), ("status", .string), ("year", .integer), ("rank", .integer),
        ])
        let rank = Dictionary(uniqueKeysWithValues: rollout.selection.buildOrder.enumerated().map { ($1, $0 + 1) })
        for (k, area) in rollout.areas.enumerated() {
            let p = rollout.priced[k]
            table.rows.append([
                .text(area.id), .text(area.members.map { r.inputs.authorities[$0.authority].code }.joined(separator: ",")), .integer(area.cellX), .integer(area.cellY),
                .integer(r.inputs.pointCount(of: area.premises)), .real(area.households),
                .real(area.centroidX, digits: 2), .real(area.centroidY, digits: 2),
                area.fibreDistanceMetres.map { .real($0, digits: 1) } ?? .null,
                p.technology.map { .text($0.rawValue) } ?? .null,
                p.fttpCostGBP.map { .real($0, digits: 2) } ?? .null,
                p.fwaCostGBP.map { .real($0, digits: 2) } ?? .null,
                p.technology == nil ? .null : .real(p.costGBP, digits: 2),
                p.technology == nil ? .null : .real(p.publicCostGBP, digits: 2),
                .text(rollout.selection.status[k].rawValue), rollout.selection.year[k].map { .integer($0) } ?? .null,
                rank[k].map { .integer($0) } ?? .null,
            ])
        }
        return table
    }

    /// lots.csv and the `lots` layer: one row per procurement lot.
    static func lots(_ lots: [Lot]) -> OutputTable {
        var table = OutputTable(columns: [
            ("lot_id", .string), ("build_areas", .integer), ("premises", .integer), ("households", .real),
            ("cost_gbp", .real), ("public_cost_gbp", .real), ("public_cost_per_premises_gbp", .real),
            ("authorities", .string), ("years", .string), ("above_max", .integer),
        ])
        for lot in lots {
            table.rows.append([
                .text(lot.id), .integer(lot.areas.count), .integer(lot.premises), .real(lot.households),
                .real(lot.costGBP, digits: 2), .real(lot.publicCostGBP, digits: 2),
                lot.publicCostPerPremisesGBP.map { .real($0, digits: 2) } ?? .null,
                .text(lot.authorities.joined(separator: ",")), .text(lot.years.map(String.init).joined(separator: ",")),
                .integer(lot.aboveMax ? 1 : 0),
            ])
        }
        return table
    }
}
