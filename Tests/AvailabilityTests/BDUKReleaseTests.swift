import Foundation
import GeoIO
import Testing
import TestSupport
@testable import Availability

@Suite("BDUK UPRN release reader")
struct BDUKReleaseTests {
    static let zip = TestPaths.fixture("availability/202601_BDUK_uprn_release_test_region.zip")
    static let header = "uprn,struprn,bduk_recognised_premises,country,postcode,lot_id,lot_name,subsidy_control_status,current_gigabit,future_gigabit,local_authority_district_ons_code,local_authority_district_ons,region_ons_code,region_ons,bduk_gis,bduk_gis_contract_scope,bduk_gis_final_coverage_date,bduk_gis_contract_name,bduk_gis_supplier,bduk_vouchers,bduk_vouchers_contract_name,bduk_vouchers_supplier,bduk_superfast,bduk_superfast_contract_name,bduk_superfast_supplier,bduk_hubs,bduk_hubs_contract_name,bduk_hubs_supplier"
    static let white = "100000000011,str100000000011,true,England,CA1 1AA,7,Cumbria,Gigabit White,false,false,E06000063,Cumberland,E12000002,North West,false,,,,,false,,,false,,,false,,"

    @Test func regionZipReadsEveryDistrictFile() throws {
        // The fixture's five rows, written by hand in scripts/make-fixtures.
        let r = try BDUKReleaseReader.read([Self.zip])
        #expect(r.count == 5)
        #expect(r.uprns == [100_000_000_011, 100_000_000_012, 100_000_000_013, 100_000_000_002, 100_000_000_001])
        #expect(r.status == [.white, .greyBlack, .underReview, .unassessed, .white])
        #expect(r.currentGigabit == [false, true, false, false, false])
        #expect(r.futureGigabit == [false, true, true, false, false])
        #expect(r.bdukGIS == [false, false, true, true, false])
        #expect(r.vouchers == [false, true, false, false, false])
        #expect(r.superfast == [false, false, true, false, false])
        #expect(r.hubs == [false, false, false, true, false])
        #expect(r.recognisedPremises == [true, true, false, true, true])
        #expect(r.gisFinalCoverageDate == [0, 0, 20_270_331, 20_280_229, 0])
        #expect(r.gisContractScope == CategoryColumn(["", "", "In contract scope", "Deferred", ""]))
        #expect(r.gisContractName == CategoryColumn(["", "", "Project Gigabit Lot 7", "Smith, Jones & Co \"Fell\"", ""]))
        #expect(r.gisSupplier == CategoryColumn(["", "", "Fibre Co", "Fibre Co", ""]))
        #expect(r.ladCode == CategoryColumn(["E06000063", "E06000063", "E06000063", "E06000064", "E06000064"]))
        #expect(r.ladCode?.values == ["E06000063", "E06000064"])
        #expect(r.lotID == CategoryColumn(Array(repeating: "7", count: 5)))
        #expect(r.lotName?.values == ["Cumbria"])
        #expect(r.postcodes?.map(\.compact) == ["CA11AA", "CA11AB", "", "LA94AA", "LA94AB"])
        #expect(r.postcodes?[2] == PostcodeKey.none)
        // Provenance: snapshot and area from the member names; the README skipped.
        #expect(r.sources.map(\.snapshot) == ["202601", "202601"])
        #expect(r.sources.map(\.area) == ["test_region_alpha", "test_region_beta"])
        #expect(r.sources.map(\.rows) == [3, 2])
        #expect(r.skippedMembers == [Self.zip + "/README.txt"])
        #expect(r.location(row: 3) == Self.zip + "/districts/202601_BDUK_uprn_release_test_region_beta.csv: line 2")
        // Rows by UPRN (the rows are not in UPRN order, so the index sorts them).
        #expect(r.index.row(of: 100_000_000_001) == 4)
        #expect(r.index.row(of: 100_000_000_013) == 2)
        #expect(r.index.row(of: 100_000_000_005) == nil)
    }

    @Test func requiredColumnsOnlyAndAnOlderEditionsNames() throws {
        // The edition before July 2025 wrote UPRN in capitals and gis_final_coverage_date.
        let text = "UPRN,subsidy_control_status,current_gigabit,future_gigabit,bduk_gis,gis_final_coverage_date\n"
            + "5,Gigabit White,False,TRUE,false,2026-12-01\n7,Unassessed,false,false,false,\n"
        let dir = try folder(["202503_BDUK_uprn_release_england.csv": text, "premises in plans.csv": text.replacingOccurrences(of: "\n5,", with: "\n6,").replacingOccurrences(of: "\n7,", with: "\n8,")])
        let r = try BDUKReleaseReader.read([dir.path + "/202503_BDUK_uprn_release_england.csv", dir.path + "/premises in plans.csv"])
        #expect(r.uprns == [5, 7, 6, 8])
        #expect(r.futureGigabit == [true, false, true, false])
        #expect(r.gisFinalCoverageDate == [20_261_201, 0, 20_261_201, 0])
        #expect(r.ladCode == nil && r.postcodes == nil && r.vouchers == nil)
        #expect(r.sources.map(\.snapshot) == ["202503", nil])
        #expect(r.index.row(of: 6) == 2)
    }

    @Test("bad rows give one line naming the file, line and column", arguments: [
        (white.replacingOccurrences(of: "Gigabit White", with: "Gigabit Gray"),
         "line 2: subsidy_control_status 'Gigabit Gray' is not one of Gigabit White, Gigabit Grey/Black, Gigabit Under Review, Unassessed"),
        (white.replacingOccurrences(of: "White,false,false", with: "White,yes,false"), "line 2: current_gigabit 'yes' is not true or false"),
        (white.replacingOccurrences(of: "North West,false,,,,,", with: "North West,false,,2027-02-30,,,"),
         "line 2: bduk_gis_final_coverage_date '2027-02-30' is not a date YYYY-MM-DD"),
        (white.replacingOccurrences(of: "North West,false,,,,,", with: "North West,false,,31/03/2027,,,"),
         "line 2: bduk_gis_final_coverage_date '31/03/2027' is not a date YYYY-MM-DD"),
        (white.replacingOccurrences(of: "100000000011,", with: "1000000000111,"), "line 2: uprn '1000000000111' is not a UPRN (1 to 12 digits)"),
        (white.replacingOccurrences(of: "100000000011,", with: "0,"), "line 2: uprn '0' is not a UPRN"),
        (white.replacingOccurrences(of: "100000000011,", with: "1e5,"), "line 2: uprn '1e5' is not a UPRN"),
        (white.replacingOccurrences(of: "CA1 1AA", with: "CA1-1AA"), "line 2: postcode 'CA1-1AA' is not a postcode"),
        (white + "\n" + white, "line 3: uprn 100000000011 appears twice: also at "),
    ])
    func badRow(rows: String, expected: String) throws {
        let name = "202601_BDUK_uprn_release_north_west_test.csv"
        let dir = try folder([name: Self.header + "\n" + rows + "\n"])
        expectError([name + ": " + expected]) { _ = try BDUKReleaseReader.read([dir.path + "/" + name]) }
    }

    @Test func repeatedUPRNAcrossFilesAndMissingColumns() throws {
        let dir = try folder([
            "202601_BDUK_uprn_release_a.csv": Self.header + "\n" + Self.white + "\n",
            "202601_BDUK_uprn_release_b.csv": Self.header + "\n" + Self.white.replacingOccurrences(of: "100000000011", with: "100000000099") + "\n" + Self.white + "\n",
        ])
        expectError(["202601_BDUK_uprn_release_b.csv: line 3: uprn 100000000011 appears twice: also at \(dir.path)/202601_BDUK_uprn_release_a.csv: line 2"]) {
            _ = try BDUKReleaseReader.read([dir.path + "/*.csv"])
        }
        let noGIS = try folder(["x.csv": "uprn,subsidy_control_status,current_gigabit,future_gigabit\n1,Unassessed,false,false\n"])
        expectError(["x.csv: line 1: no column 'bduk_gis'"]) { _ = try BDUKReleaseReader.read([noGIS.path + "/x.csv"]) }
    }

    @Test(.enabled(if: Sample.root != nil, Sample.missing))
    func sampleReleaseAgreesWithTheOMRFileItWasMadeFrom() throws {
        let omr = try #require(Sample.omr)
        let r = try BDUKReleaseReader.read([omr + "/202601_BDUK_uprn_release_north_west.zip"])
        // availability/README.md: 222,042 premises; White 130,931, Grey 67,938 + Black 8,060,
        // Under Review 15,113; 121,223 in Cumberland and 100,819 in Westmorland and Furness.
        #expect(r.count == 222_042)
        var byStatus: [SubsidyControlStatus: Int] = [:]
        for s in r.status { byStatus[s, default: 0] += 1 }
        #expect(byStatus == [.white: 130_931, .greyBlack: 67_938 + 8_060, .underReview: 15_113])
        #expect(r.sources.map(\.rows) == [121_223, 100_819])
        // Row by row against the OMR returns (an independent file of the same premises).
        var checked = 0, disagreements: [String] = []
        try CSVRecords.read(path: omr + "/cumbria_omr_uprn.csv.gz") { h in
            let column = try h.index(of: "CLASSIFICATION")
            #expect(column == 13)
        } record: { rec in
            guard let uprn = UPRN.parse(rec, 0), let row = r.index.row(of: uprn) else {
                disagreements.append("line \(rec.line): UPRN not in the release")
                return
            }
            let cls = rec.text(13) ?? ""
            let expected: SubsidyControlStatus = cls == "White" ? .white : cls == "Under Review" ? .underReview : .greyBlack
            let current = (rec.double(8) ?? 0) >= 1000
            let planned = !rec.isBlank(9)
            if r.status[row] != expected || r.currentGigabit[row] != current || r.futureGigabit[row] != planned
                || r.ladCode?[row] != rec.text(4) || r.postcodes?[row] != PostcodeKey(rec.text(1) ?? "") {
                disagreements.append("UPRN \(uprn)")
            }
            checked += 1
        }
        #expect(checked == 222_042)
        #expect(disagreements.isEmpty, "\(disagreements.count) disagree, e.g. \(disagreements.prefix(3))")
    }
}
