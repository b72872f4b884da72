import Foundation
import Testing
import TestSupport
@testable import Availability
@testable import Coverage
@testable import Scenario

/// Hand-worked cases of the observed join (docs/MODEL.md, "Observed data"): the postcode split
/// over a postcode's points, the speed each part gets, and the precedence of BDUK's UPRN-level
/// gigabit status over the postcode split and the model.
@Suite("Observed join")
struct ObservedJoinTests {
    static let ofcomHeader = [
        "postcode", "postcode_space", "postcode area", "SFBB availability (% premises)",
        "UFBB (100Mbit/s) availability (% premises)", "UFBB availability (% premises)",
        "Gigabit availability (% premises)", "% of premises with NGA",
        "% of premises unable to receive decent broadband from fixed or FWA",
        "% of premises able to receive decent broadband from FWA", "% of premises unable to receive 2Mbit/s",
        "% of premises unable to receive 5Mbit/s", "% of premises unable to receive 10Mbit/s",
        "% of premises unable to receive 30Mbit/s", "% of premises with 0<2Mbit/s download speed",
        "% of premises with 2<5Mbit/s download speed", "% of premises with 5<10Mbit/s download speed",
        "% of premises with 10<30Mbit/s download speed", "% of premises with 30<300Mbit/s download speed",
        "% of premises with >=300Mbit/s download speed",
    ].joined(separator: ",")

    static let bdukHeader = "uprn,struprn,bduk_recognised_premises,country,postcode,lot_id,lot_name,subsidy_control_status,current_gigabit,future_gigabit,local_authority_district_ons_code,local_authority_district_ons,region_ons_code,region_ons,bduk_gis,bduk_gis_contract_scope,bduk_gis_final_coverage_date,bduk_gis_contract_name,bduk_gis_supplier,bduk_vouchers,bduk_vouchers_contract_name,bduk_vouchers_supplier,bduk_superfast,bduk_superfast_contract_name,bduk_superfast_supplier,bduk_hubs,bduk_hubs_contract_name,bduk_hubs_supplier"

    /// One Ofcom row: SFBB, UFBB100, UFBB300, gigabit, NGA, unable decent, FWA, unable 2/5/10/30,
    /// the six bands.
    static func ofcomRow(_ pc: String, _ v: [Double]) -> String {
        let compact = pc.replacingOccurrences(of: " ", with: "")
        return "\(compact),\(pc),AA," + v.map { $0 == $0.rounded() ? String(Int($0)) : String($0) }.joined(separator: ",")
    }

    static func bdukRow(_ uprn: UInt64, _ pc: String, status: String = "Gigabit White", current: Bool, future: Bool = false, gis: Bool = false) -> String {
        "\(uprn),str\(uprn),true,England,\(pc),7,Test,\(status),\(current),\(future),E06000063,Cumberland,E12000002,North West,\(gis),,,,,false,,,false,,,false,,"
    }

    /// The observed data of the hand-worked cases (files written in the published layouts).
    static func data() throws -> ObservedData {
        let dir = TestPaths.temporaryDirectory("observed-join")
        let rows = [
            // CA10 1AA of the sample (docs/OBSERVED.md's worked example): 55.6 / 33.3 / 11.1.
            ofcomRow("AA1 1AA", [55.6, 0, 0, 0, 55.6, 11.1, 0, 0, 0, 11.1, 44.4, 0, 0, 11.1, 33.3, 55.6, 0]),
            // The FWA example: 20 households -> 16 (30-100), 2 (2-5), 1 (5-10), 1 (fwa-decent).
            ofcomRow("AA1 1AB", [80, 0, 0, 0, 80, 15, 5, 0, 10, 20, 20, 0, 10, 10, 0, 80, 0]),
            // Half gigabit, half 30-100.
            ofcomRow("AA1 1AD", [100, 50, 50, 50, 100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 50, 50]),
            ofcomRow("AA1 1AF", [100, 50, 50, 50, 100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 50, 50]),
            // All 30-100, no gigabit.
            ofcomRow("AA1 1AG", [100, 0, 0, 0, 100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 100, 0]),
            // No premises has this postcode.
            ofcomRow("AA1 1AH", [100, 0, 0, 0, 100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 100, 0]),
        ]
        let ofcom = dir.appendingPathComponent("202601_fixed_pc_coverage_r1_AA.csv")
        try Data(("\u{FEFF}" + ofcomHeader + "\n" + rows.map { $0 + "\n" }.joined()).utf8).write(to: ofcom)
        let bduk = dir.appendingPathComponent("202601_BDUK_uprn_release_test_area.csv")
        let bdukRows = [
            bdukRow(3001, "AA1 1AD", current: false), bdukRow(3002, "AA1 1AD", status: "Gigabit Grey/Black", current: true),
            bdukRow(4001, "AA1 1AE", status: "Gigabit Grey/Black", current: true), bdukRow(4002, "AA1 1AE", current: false),
            bdukRow(5001, "AA1 1AF", current: false), bdukRow(5002, "AA1 1AF", current: false),
            bdukRow(6001, "AA1 1AG", status: "Gigabit Grey/Black", current: true),
            bdukRow(9999, "AA1 1AZ", current: false),
        ]
        try Data((bdukHeader + "\n" + bdukRows.map { $0 + "\n" }.joined()).utf8).write(to: bduk)
        var data = ObservedData()
        data.postcodes = try OfcomCoverageReader.readPostcodes([ofcom.path])
        data.bduk = try BDUKReleaseReader.read([bduk.path])
        return data
    }

    struct Point {
        let postcode: String
        let uprn: UInt64
        let households: Double
        let model: Double
    }

    static let points: [Point] = [
        // AA1 1AA: nine addresses; model speeds rank them.
        Point(postcode: "AA1 1AA", uprn: 1001, households: 1, model: 5),
        Point(postcode: "AA1 1AA", uprn: 1002, households: 1, model: 50),
        Point(postcode: "AA1 1AA", uprn: 1003, households: 1, model: 40),
        Point(postcode: "AA1 1AA", uprn: 1004, households: 1, model: 35),
        Point(postcode: "AA1 1AA", uprn: 1005, households: 1, model: 20),
        Point(postcode: "AA1 1AA", uprn: 1006, households: 1, model: 60),
        Point(postcode: "AA1 1AA", uprn: 1007, households: 1, model: 70),
        Point(postcode: "AA1 1AA", uprn: 1008, households: 1, model: 15),
        Point(postcode: "AA1 1AA", uprn: 1009, households: 1, model: 8),
        // AA1 1AB: one postcode centroid of 20 households.
        Point(postcode: "AA1 1AB", uprn: 0, households: 20, model: 45),
        // AA1 1AD: BDUK's gigabit address ranks first, whatever the model says.
        Point(postcode: "AA1 1AD", uprn: 3001, households: 1, model: 80),
        Point(postcode: "AA1 1AD", uprn: 3002, households: 1, model: 20),
        // AA1 1AE: not in the Ofcom files; BDUK against the model.
        Point(postcode: "AA1 1AE", uprn: 4001, households: 1, model: 50),
        Point(postcode: "AA1 1AE", uprn: 4002, households: 1, model: 1000),
        Point(postcode: "AA1 1AE", uprn: 4003, households: 1, model: 24),
        // AA1 1AF: the split gives one address gigabit, BDUK says neither has it.
        Point(postcode: "AA1 1AF", uprn: 5001, households: 1, model: 1000),
        Point(postcode: "AA1 1AF", uprn: 5002, households: 1, model: 10),
        // AA1 1AG: BDUK says gigabit, the postcode has none.
        Point(postcode: "AA1 1AG", uprn: 6001, households: 1, model: 40),
        // No postcode at all.
        Point(postcode: "", uprn: 0, households: 3, model: 12),
    ]

    static func run() throws -> (PremisesTable, ObservedPremises) {
        let p = points
        let premises = PremisesTable(xs: p.indices.map { Double($0) }, ys: p.indices.map { _ in 0 }, households: p.map(\.households),
                                     ids: p.map { String($0.uprn) })
        let model = SpeedModel()
        let c = Classification(authority: p.map { _ in 0 }, bestMbps: p.map(\.model),
                               tier: p.map { Int8(model.tiers.highestMet($0.model)) }, ngaOperators: p.map { $0.model >= 30 ? 1 : 0 },
                               bestNetwork: p.map { _ in 0 })
        let joined = ObservedJoin.join(premises: premises, postcodes: p.map { PostcodeKey($0.postcode) ?? .none },
                                       uprns: p.map(\.uprn), model: c, data: try data(), speedModel: model)
        return (joined.premises, joined.observed)
    }

    /// The rows of point `k`: (households, speed, source, class label).
    static func rows(_ k: Int, _ o: ObservedPremises, _ t: PremisesTable) -> [(h: Double, mbps: Double, source: String, cls: String)] {
        o.origin.indices.filter { o.origin[$0] == Int32(k) }.map { i in
            (t.households[i], o.classification.bestMbps[i], o.speedSource[i].name,
             o.speedClass[i] >= 0 ? ObservedSpeedClass(rawValue: Int(o.speedClass[i]))!.label : "-")
        }
    }

    @Test func addressesGetTheSplitInModelledSpeedOrder() throws {
        let (t, o) = try Self.run()
        // 5 x 30-100 to the five fastest (70, 60, 50, 40, 35), 3 x 10-30 to 20, 15, 8, and
        // 5-10 to the slowest (5). Each keeps its modelled speed when it lies in its class,
        // else the class's lower bound (8 in 10-30 -> 10).
        let expected: [Int: (Double, String)] = [
            6: (70, "30-100"), 5: (60, "30-100"), 1: (50, "30-100"), 2: (40, "30-100"), 3: (35, "30-100"),
            4: (20, "10-30"), 7: (15, "10-30"), 8: (10, "10-30"), 0: (5, "5-10"),
        ]
        for (k, (mbps, cls)) in expected {
            let r = Self.rows(k, o, t)
            #expect(r.count == 1)
            #expect(r.first?.mbps == mbps, "point \(k)")
            #expect(r.first?.cls == cls, "point \(k)")
            #expect(r.first?.source == "ofcom_postcode")
        }
    }

    @Test func aCentroidIsOneRowPerClass() throws {
        let (t, o) = try Self.run()
        let r = Self.rows(9, o, t)
        // Fastest first: 16 in 30-100 at the model's 45; 1 fwa-decent at 10; 1 in 5-10 at 5
        // (45 is outside the class); 2 in 2-5 at 2.
        #expect(r.map(\.h) == [16, 1, 1, 2])
        #expect(r.map(\.cls) == ["30-100", "fwa-decent", "5-10", "2-5"])
        #expect(r.map(\.mbps) == [45, 10, 5, 2])
        // The point counts once as a premises.
        let first = o.origin.indices.filter { o.origin[$0] == 9 }.map { $0 == 0 || o.origin[$0] != o.origin[$0 - 1] }
        #expect(first == [true, false, false, false])
    }

    @Test func bdukGigabitAddressesComeFirstInTheirPostcode() throws {
        let (t, o) = try Self.run()
        // 3002 (BDUK gigabit, model 20) takes the postcode's gigabit half; 3001 (model 80) the
        // 30-100 half: the sources agree, nothing is counted as a disagreement.
        #expect(Self.rows(11, o, t).map(\.cls) == ["1000+"])
        #expect(Self.rows(11, o, t).map(\.mbps) == [1000])
        #expect(Self.rows(10, o, t).map(\.cls) == ["30-100"])
        #expect(Self.rows(10, o, t).map(\.mbps) == [80])
        #expect(Self.rows(11, o, t).map(\.source) == ["ofcom_postcode"])
    }

    @Test func bdukDecidesGigabitOverThePostcodeSplitAndTheModel() throws {
        let (t, o) = try Self.run()
        // Not in the Ofcom files: BDUK gigabit over a model 50 -> 1000; BDUK not gigabit over
        // a model 1000 -> 300 (the 300-1000 class's bound); no BDUK row says nothing -> model.
        #expect(Self.rows(12, o, t).map(\.mbps) == [1000])
        #expect(Self.rows(12, o, t).map(\.source) == ["bduk_uprn"])
        #expect(Self.rows(13, o, t).map(\.mbps) == [300])
        #expect(Self.rows(13, o, t).map(\.source) == ["bduk_uprn"])
        #expect(Self.rows(14, o, t).map(\.mbps) == [24])
        #expect(Self.rows(14, o, t).map(\.source) == ["model"])
        // The split gives 5001 (model 1000) gigabit, BDUK says not: 300-1000 at 300; 5002 gets
        // 30-100 at its bound 30 (model 10).
        #expect(Self.rows(15, o, t).map(\.cls) == ["300-1000"])
        #expect(Self.rows(15, o, t).map(\.mbps) == [300])
        #expect(Self.rows(15, o, t).map(\.source) == ["bduk_uprn"])
        #expect(Self.rows(16, o, t).map(\.mbps) == [30])
        // BDUK gigabit in a postcode without gigabit: BDUK decides.
        #expect(Self.rows(17, o, t).map(\.cls) == ["1000+"])
        #expect(Self.rows(17, o, t).map(\.mbps) == [1000])
        #expect(Self.rows(17, o, t).map(\.source) == ["bduk_uprn"])
        #expect(o.disagreements == ObservedDisagreements(bdukGigabitPostcodeNot: 1, postcodeGigabitBDUKNot: 1,
                                                         modelGigabitBDUKNot: 1, bdukGigabitModelNot: 1))
        // BDUK's classes follow the rows.
        #expect(o.gigabitClass[o.origin.firstIndex(of: 11)!] == .greyBlack)
        #expect(o.gigabitClass[o.origin.firstIndex(of: 10)!] == .white)
        #expect(o.gigabitClass[o.origin.firstIndex(of: 9)!] == .none)
    }

    @Test func everyRowAndPremisesIsMatchedOrCounted() throws {
        let (t, o) = try Self.run()
        // Households are kept exactly.
        #expect(t.households.reduce(0, +) == Self.points.reduce(0) { $0 + $1.households })
        let pc = try #require(o.matches.first { $0.type == "ofcom_postcode" })
        #expect(pc.rows == 6)
        #expect(pc.matchedRows == 5)
        #expect(pc.unmatchedRows == 1)
        #expect(pc.unmatchedExamples == ["AA1 1AH"])
        #expect(pc.premisesWithoutKey == 1)
        #expect(pc.householdsWithoutKey == 3)
        #expect(pc.premisesNotInSource == 3) // AA1 1AE's three addresses
        let bduk = try #require(o.matches.first { $0.type == "bduk_uprn" })
        #expect(bduk.rows == 8)
        #expect(bduk.matchedRows == 7)
        #expect(bduk.unmatchedExamples == ["9999"])
        #expect(bduk.premisesWithoutKey == 2) // the centroid and the point without a postcode
        #expect(bduk.premisesNotInSource == 10) // AA1 1AA's nine and 4003
        // The model decides the point without a postcode.
        #expect(Self.rows(18, o, t).map(\.source) == ["model"])
        #expect(Self.rows(18, o, t).map(\.mbps) == [12])
    }

    @Test func observedSpeedsSetTheNGAClass() throws {
        let (_, o) = try Self.run()
        // Below the NGA threshold (30) a premises is white whatever the model said; at or above
        // it keeps the model's operators, at least one.
        for i in o.origin.indices where o.speedSource[i] != .model {
            let s = o.classification.bestMbps[i]
            #expect((o.classification.ngaOperators[i] == 0) == (s < 30), "row \(i): \(s) Mbit/s, \(o.classification.ngaOperators[i]) operators")
        }
    }

    /// Address points of one household each become one row each: the joined table is the
    /// input's (coordinates, ids, model speeds and authorities shared, not copied), and the
    /// postcode split still hands out the classes. With a centroid that straddles classes the
    /// rows are copied, each row carrying its point's coordinates and id.
    @Test func onePartPerPointKeepsThePointsAsRows() throws {
        let p = Self.points.filter { $0.households == 1 || $0.postcode.isEmpty }
            .map { Point(postcode: $0.postcode, uprn: $0.uprn, households: 1, model: $0.model) }
        let n = p.count
        let premises = PremisesTable(xs: p.indices.map { Double($0) * 10 }, ys: p.indices.map { Double($0) + 0.5 },
                                     households: p.map(\.households), ids: p.map { "id\($0.uprn)" })
        let model = SpeedModel()
        let c = Classification(authority: p.indices.map { Int32($0 % 3) }, bestMbps: p.map(\.model),
                               tier: p.map { Int8(model.tiers.highestMet($0.model)) }, ngaOperators: p.map { $0.model >= 30 ? 1 : 0 },
                               bestNetwork: p.map { _ in 0 })
        var data = try Self.data()
        data.bduk = nil
        let (t, o) = ObservedJoin.join(premises: premises, postcodes: p.map { PostcodeKey($0.postcode) ?? .none },
                                       uprns: nil, model: c, data: data, speedModel: model)
        #expect(t.count == n)
        #expect(o.origin == (0..<n).map { Int32($0) })
        #expect(t.xs == premises.xs && t.ys == premises.ys && t.ids == premises.ids && t.households == premises.households)
        #expect(o.modelMbps == c.bestMbps && o.classification.authority == c.authority)
        // AA1 1AA's nine addresses: 5 x 30-100, 3 x 10-30, 1 x 5-10 (the worked example).
        let classes = (0..<n).filter { p[$0].postcode == "AA1 1AA" }.map { ObservedSpeedClass(rawValue: Int(o.speedClass[$0]))!.label }
        #expect(classes.filter { $0 == "30-100" }.count == 5 && classes.filter { $0 == "10-30" }.count == 3
                && classes.filter { $0 == "5-10" }.count == 1)

        // The hand-worked cases hold a centroid of 20 households in four classes: rows copied.
        let (t2, o2) = try Self.run()
        #expect(t2.count > Self.points.count)
        for k in 0..<t2.count {
            let i = Int(o2.origin[k])
            #expect(t2.xs[k] == Double(i) && t2.ids?[k] == String(Self.points[i].uprn) && o2.modelMbps[k] == Self.points[i].model)
        }
    }
}
