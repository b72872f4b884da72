import Foundation
import Testing
import TestSupport
@testable import Coverage
@testable import Reports
import RunSummary
import Geometry
@testable import Scenario

/// `authorities.snap_m` and unassigned premises by region (issue 11, item 15).
@Suite("Snapping to the nearest authority")
struct SnapTests {
    /// Two 100 m squares, A at x 0–100 and B at x 200–300 (y 0–100), and points:
    ///   p0 (50, 50)    inside A
    ///   p1 (105, 50)   5 m from A, 95 m from B
    ///   p2 (150, 50)   50 m from both: the tie goes to A, first in source order
    ///   p3 (190, 50)   10 m from B
    ///   p4 (50, 300)   200 m from A, beyond any snap below it
    static func squares() throws -> [Authority] {
        try [("A", 0.0), ("B", 200.0)].map { code, x in
            try Authority(code: code, name: code, geometry: try Geometry(wkt: "POLYGON((\(x) 0, \(x + 100) 0, \(x + 100) 100, \(x) 100, \(x) 0))"))
        }
    }

    @Test func pointsWithinTheDistanceGoToTheNearestAuthority() throws {
        let authorities = try Self.squares()
        let premises = PremisesTable(xs: [50, 105, 150, 190, 50], ys: [50, 50, 50, 50, 300], households: [1, 2, 4, 8, 16])
        let c = try Baseline.classify(premises: premises, authorities: authorities, networks: [], model: SpeedModel(),
                                      snapMetres: 50)
        #expect(c.authority == [0, 0, 0, 1, -1])
        #expect(c.snapped == [1, 2, 3])
        let (stats, unplanned) = Statistics.summarise(classification: c, households: premises.households, authorities: authorities,
                                                      selected: [0, 1], tiers: .standard)
        #expect(stats[0].premises == 3 && stats[0].snappedPremises == 2 && stats[0].snappedHouseholds == 6)
        #expect(stats[1].premises == 1 && stats[1].snappedPremises == 1 && stats[1].snappedHouseholds == 8)
        #expect(unplanned.unassignedPremises == 1 && unplanned.unassignedHouseholds == 16)
        // Without snap_m nothing moves.
        let plain = try Baseline.classify(premises: premises, authorities: authorities, networks: [], model: SpeedModel())
        #expect(plain.authority == [0, -1, -1, -1, -1] && plain.snapped.isEmpty)
        // At 5 m only p1 (exactly 5 m) is close enough.
        let tight = try Baseline.classify(premises: premises, authorities: authorities, networks: [], model: SpeedModel(),
                                          snapMetres: 5)
        #expect(tight.authority == [0, 0, -1, -1, -1])
        // The nearest authority of p4 whatever the distance: A, 200 m.
        let hit = try #require(try NearestAuthority(authorities).nearest(x: 50, y: 300))
        #expect(hit.authority == 0 && abs(hit.metres - 200) < 1e-9)
    }

    /// Cumbria's sample: 26 postcodes (336 households) lie outside both authorities. The
    /// distances below are shapely's (GeoPandas on the same files): within 25 m are 4
    /// postcodes (45 households) of Cumberland (E06000063) and 11 (150) of Westmorland and
    /// Furness (E06000064); of the 11 left, 6 (75 households) are nearest Cumberland and 5 (66)
    /// Westmorland and Furness.
    @Test func cumbriasCoastalPostcodesAgreeWithShapely() throws {
        let dir = TestPaths.temporaryDirectory("snap")
        let yaml = """
            extends: \(TestPaths.repo("Scenarios/cumbria-baseline.yaml"))
            name: Cumbria snapped
            authorities: { snap_m: 25, region: LAD_NM }
            outputs: { formats: [csv] }
            """
        let file = dir.appendingPathComponent("snap.yaml")
        try Data(yaml.utf8).write(to: file)
        let written = try Runs.run(file.path, rollout: false)
        let s = try RunSummary.load(runFolder: written.folder)
        let byCode = Dictionary(uniqueKeysWithValues: s.authorities.map { ($0.code, $0) })
        #expect(byCode["E06000063"]?.snappedPremises == 4 && byCode["E06000063"]?.snappedHouseholds == 45)
        #expect(byCode["E06000064"]?.snappedPremises == 11 && byCode["E06000064"]?.snappedHouseholds == 150)
        #expect(s.totals.snappedPremises == 15 && s.totals.snappedHouseholds == 195)
        #expect(s.totals.unassignedPremises == 11 && s.totals.unassignedHouseholds == 141)
        #expect(s.totals.unassignedRegionField == "LAD_NM")
        #expect(s.totals.unassignedByRegion == [
            RunSummary.RegionTotal(region: "Cumberland", premises: 6, households: 75),
            RunSummary.RegionTotal(region: "Westmorland and Furness", premises: 5, households: 66),
        ])
        // Every point is still counted once.
        #expect(s.authorities.reduce(0) { $0 + $1.premises } + s.totals.unassignedPremises == s.totals.premises)
        let csv = try String(contentsOf: written.folder.appendingPathComponent("authorities.csv"), encoding: .utf8)
        let header = csv.split(separator: "\n")[0].split(separator: ",")
        #expect(header.contains("snapped_premises") && header.contains("snapped_households"))

        let text = TerminalSummary.text(written.result, outputDirectory: "out")
        #expect(text.contains("15 postcodes (195 households) just outside the authorities assigned to the nearest one within 25 m (authorities.snap_m)"), "\(text)")
        #expect(text.contains("11 postcodes (141 households) outside every authority; by region (LAD_NM) of the nearest authority: Cumberland 6 postcodes (75 households), Westmorland and Furness 5 postcodes (66 households)"), "\(text)")
    }

    @Test func withoutARegionFieldTheTerminalSaysSo() throws {
        let written = try Runs.cumbriaBaseline.get()
        let s = try RunSummary.load(runFolder: written.folder)
        #expect(s.totals.unassignedByRegion == nil && s.totals.snappedPremises == 0)
        let text = TerminalSummary.text(written.result, outputDirectory: "out")
        #expect(text.contains("26 postcodes (336 households) outside every authority (the authorities have no region field: set authorities.region to count them by region)"), "\(text)")
    }

    /// Without `authorities.region`, a region field of the boundary data is used when it has
    /// one under a usual name: regions before countries (the GB district file has `CTRY`).
    @Test(arguments: [
        (["LAD_CD", "LAD_NM", "CTRY", "RGN23NM"], "RGN23NM"), (["LAD_CD", "LAD_NM", "CTRY"], "CTRY"),
        (["code", "name", "Region"], "Region"), (["LAD23CD", "LAD23NM"], nil),
    ] as [([String], String?)])
    func aRegionFieldIsFoundInTheBoundaryData(fields: [String], expected: String?) throws {
        let dir = TestPaths.temporaryDirectory("region-field")
        let properties = fields.map { "\"\($0)\": \"x\"" }.joined(separator: ", ")
        let json = """
            {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {\(properties)},
             "geometry": {"type": "Polygon", "coordinates": [[[0, 50], [1, 50], [1, 51], [0, 50]]]}}]}
            """
        let file = dir.appendingPathComponent("a.geojson")
        try Data(json.utf8).write(to: file)
        let spec = DataSourceSpec(path: file.path, layer: nil, x: nil, y: nil, crs: nil, key: "authorities", file: "s.yaml", line: 1)
        #expect(try InputLoader.inferredRegionField(spec) == expected)
    }
}
