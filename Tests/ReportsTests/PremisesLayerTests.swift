import Foundation
import GeoIO
import Testing
import TestSupport
@testable import Reports
import Scenario

/// `premises_layer: true` writes the planned authorities' premises only (issue 11, item 12:
/// it wrote every point read, 1.68 M postcodes for a 100,000-postcode programme), and every
/// premises has a tier: `below_decent` below the slowest one, never NULL.
@Suite("Premises layer")
struct PremisesLayerTests {
    /// Trafford planned out of the three fixture districts, with Greater Manchester's
    /// postcodes: most points lie in the seven districts the fixture lacks (outside every
    /// authority) or in Manchester and Salford (not planned).
    static func run() throws -> WrittenRun {
        let dir = TestPaths.temporaryDirectory("premises-layer")
        let yaml = """
            name: Premises layer
            authorities:
              source: \(TestPaths.fixture("districts.geojson"))
              code: LAD23CD
              name: LAD23NM
              only: [E08000009]
            premises:
              source: \(TestPaths.repo("GeoData/premises/greater-manchester-postcodes.csv"))
              x: easting
              y: northing
              crs: EPSG:27700
              households: households_est
              id: postcode
            networks:
              - name: Openreach FTTC
                operator: Openreach
                technology: fttc
                source: \(TestPaths.repo("GeoData/network/greater-manchester-cabinets.csv"))
                x: easting
                y: northing
                crs: EPSG:27700
            fttc:
              speed_curve_m_mbps: [[0, 80], [500, 40], [1000, 9], [1500, 4]]
            rollout:
              target_tier: gigabit
              eligible: [white, grey]
              fibre_nodes: \(TestPaths.fixture("exchanges.csv"))
              options:
                fttp: { per_area_gbp: 15000, per_premises_gbp: 550, per_km_gbp: 40000 }
              years: [{ year: 2027, budget_gbp: 2000000 }]
            outputs:
              premises_layer: true
            """
        let file = dir.appendingPathComponent("premises.yaml")
        try Data(yaml.utf8).write(to: file)
        return try Runs.run(file.path, rollout: true)
    }

    @Test func onlyThePlannedAuthoritiesPremisesAreWrittenEachWithATier() throws {
        let written = try Self.run()
        let r = written.result
        let unplanned = r.baseline.unplanned
        // The fixture holds both kinds of point the layer must leave out.
        #expect(unplanned.unassignedPremises > 1000 && unplanned.excludedPremises > 1000)
        let trafford = try #require(r.baseline.statistics.first)
        #expect(r.baseline.statistics.count == 1 && trafford.code == "E08000009")

        let db = try GeoPackageSQL(path: written.gpkgPath)
        defer { try? db.close() }
        func value(_ sql: String) throws -> String? { try db.query(sql).first?.first ?? nil }
        #expect(try value("SELECT count(*) FROM premises") == String(trafford.premises))
        #expect(r.inputs.premises.count == trafford.premises + unplanned.unassignedPremises + unplanned.excludedPremises)
        #expect(try value("SELECT group_concat(DISTINCT authority) FROM premises") == "E08000009")
        let households = try #require(try value("SELECT sum(households) FROM premises").flatMap(Double.init))
        #expect(abs(households - trafford.households) < 1e-6 * trafford.households)
        // A tier for every premises, by the thresholds: below 10 Mbit/s is below_decent.
        #expect(try value("SELECT count(*) FROM premises WHERE tier IS NULL OR tier_after IS NULL") == "0")
        let tiers = try db.query("""
            SELECT tier, min(best_mbps), max(best_mbps), count(*) FROM premises GROUP BY tier ORDER BY min(best_mbps)
            """)
        let byTier = Dictionary(uniqueKeysWithValues: tiers.compactMap { row in
            row[0].map { ($0, (Double(row[1] ?? "") ?? .nan, Double(row[2] ?? "") ?? .nan)) }
        })
        // The curve falls below 10 Mbit/s past 1,000 m of line, to 4 Mbit/s.
        let below = try #require(byTier["below_decent"])
        #expect(below.0 >= 4 && below.1 < 10)
        let decent = try #require(byTier["decent"])
        #expect(decent.0 >= 10 && decent.1 < 30)
        let superfast = try #require(byTier["superfast"])
        #expect(superfast.0 >= 30 && superfast.1 < 300)
        // Points are where the premises are (the spatial index holds each point's box, in
        // 32-bit floats: within 0.1 m), and the fid is the input row + 1.
        let rows = try db.query("SELECT p.premises_id, r.minx, r.miny, p.fid + 0 AS row_number FROM premises p JOIN rtree_premises_geom r ON r.id = p.fid ORDER BY p.fid LIMIT 50")
        #expect(rows.count == 50)
        let ids = try #require(r.inputs.premises.ids)
        let index = Dictionary(ids.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        for row in rows {
            let i = try #require(index[row[0] ?? ""])
            #expect(row[3] == String(i + 1))
            #expect(abs((Double(row[1] ?? "") ?? 0) - r.inputs.premises.xs[i]) < 0.1)
            #expect(abs((Double(row[2] ?? "") ?? 0) - r.inputs.premises.ys[i]) < 0.1)
        }
    }
}

/// summary.json's `timings_s` holds the writing steps too (issue 11, item 13): summary.json
/// is written after the other files so it can.
@Suite("Writing timings")
struct WritingTimingsTests {
    @Test func theWritingStepsAreTimed() throws {
        let written = try Runs.cumbria.get()
        let summary = try written.summary()
        let timings = try #require(summary["timings_s"] as? [String: Double])
        for step in ["writing CSV tables", "preparing GIS layers", "writing coverage.gpkg", "writing GeoJSON layers", "writing report.html"] {
            let seconds = try #require(timings[step], "\(step) in \(timings.keys.sorted())")
            #expect(seconds >= 0 && seconds < 600)
        }
        // The computation's steps are still there.
        #expect(timings["classifying premises"] != nil && timings["pricing and selecting build areas"] != nil)
    }
}
