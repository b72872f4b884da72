import Foundation
import GeoIO
import Testing
import TestSupport
@testable import Availability

@Suite("Ofcom file names")
struct OfcomFileNameTests {
    @Test("published names", arguments: [
        ("202601_fixed_pc_coverage_r1_CA.csv", "202601", 1, OfcomLevel.postcode, OfcomPremisesSet.all, "CA" as String?),
        ("202507_fixed_pc_coverage_r01_M.csv", "202507", 1, .postcode, .all, "M"),
        ("202601_fixed_postcode_coverage_r2_TD.csv", "202601", 2, .postcode, .all, "TD"),
        ("202507_fixed_pc_coverage_res_r01_SW.csv", "202507", 1, .postcode, .residential, "SW"),
        ("202305_fixed_pc_coverage_r03.csv", "202305", 3, .postcode, .all, nil),
        ("202601_fixed_pc_coverage_r1_ca.csv.gz", "202601", 1, .postcode, .all, "CA"),
        ("202601_fixed_oa_coverage_r1.csv", "202601", 1, .outputArea, .all, nil),
        ("202601_fixed_oa_coverage_res_r1.csv", "202601", 1, .outputArea, .residential, nil),
        ("202601_fixed_laua_coverage_r1.csv", "202601", 1, .localAuthority, .all, nil),
    ])
    func parses(name: String, snapshot: String, revision: Int, level: OfcomLevel, premises: OfcomPremisesSet, area: String?) throws {
        let parsed = try #require(OfcomFileName(name))
        #expect(parsed.snapshot == snapshot)
        #expect(parsed.revision == revision)
        #expect(parsed.level == level)
        #expect(parsed.premisesSet == premises)
        #expect(parsed.postcodeArea == area)
    }

    @Test("names that do not follow the pattern", arguments: [
        "fixed_pc_coverage_r1_CA.csv", "202613_fixed_pc_coverage_r1_CA.csv", "202601_fixed_pc_coverage_CA.csv",
        "202601_fixed_laua_coverage_r1_CA.csv", "202601_fixed_pc_performance_r1_CA.csv", "202601_fixed_pc_coverage_r1_CAX.csv",
        "202601_fixed_pc_coverage_r1_CA.xlsx", "ofcom_CA.csv",
    ])
    func refuses(name: String) {
        #expect(OfcomFileName(name) == nil)
    }
}

@Suite("Ofcom coverage readers")
struct OfcomCoverageTests {
    static let ca1 = "CA101AA,CA10 1AA,CA,55.6,0,0,0,100,11.1,0,0,0,11.1,44.4,0,0,11.1,33.3,55.6,0"
    static let ca2 = "CA101AB,CA10 1AB,CA,66.7,0,0,0,100,0,0,0,0,0,33.3,0,0,0,33.3,66.7,0"
    static let m1 = "M11AD,M1 1AD,M,100,100,95.5,90,100,0,0,0,0,0,0,0,0,0,0,4.5,95.5"

    @Test func readsPostcodeFilesByGlobWithProvenance() throws {
        let dir = try folder([
            "202601_fixed_pc_coverage_r1_M.csv": ofcomPostcodeFile([Self.m1]),
            "202601_fixed_pc_coverage_r1_CA.csv": ofcomPostcodeFile([Self.ca1, Self.ca2]),
            "202601_fixed_laua_coverage_r1.csv": "laua\n",
        ])
        let table = try OfcomCoverageReader.readPostcodes([dir.path + "/202601_fixed_pc_coverage_r1_*.csv"])
        #expect(table.count == 3)
        #expect(table.level == .postcode && table.premisesSet == .all && table.snapshot == "202601")
        #expect(table.sources.map(\.name.postcodeArea) == ["CA", "M"])
        #expect(table.sources.map(\.rows) == [2, 1])
        #expect(table.sources.allSatisfy { $0.name.revision == 1 })
        let row = try #require(table.row(try key("ca10 1aa")))
        #expect(table.percent(.sfbb, row: row) == 55.6)
        #expect(table.percent(.unable10, row: row) == 11.1)
        #expect(table.percent(.unable30, row: row) == 44.4)
        #expect(table.percent(.band10to30, row: row) == 33.3)
        #expect(table.percent(.fullFibre, row: row) == nil)
        #expect(table.location(row: row) == dir.path + "/202601_fixed_pc_coverage_r1_CA.csv: line 2")
        let m = try #require(table.row(try key("M1  1AD")))
        #expect(table.percentages(row: m) == PostcodePercentages(
            sfbb: 100, ufbb100: 100, ufbb300: 95.5, gigabit: 90, unable2: 0, unable5: 0, unable10: 0, fwaDecent: 0))
        #expect(table.row(try #require(PostcodeKey("M1 1AE"))) == nil)
    }

    @Test func olderColumnNamesAndOptionalFields() throws {
        // Before 2024 the decent-broadband field was "% of premises below the USO"; files
        // without the six bands or unable-30 are read without them.
        let header = [
            "postcode_space", "SFBB availability (% premises)", "UFBB (100Mbit/s) availability (% premises)",
            "UFBB availability (% premises)", "Gigabit availability (% premises)", "% of premises below the USO",
            "% of premises able to receive decent broadband from FWA", "% of premises unable to receive 2Mbit/s",
            "% of premises unable to receive 5Mbit/s", "% of premises unable to receive 10Mbit/s",
            "% of premises able to receive NGA", "FTTP availability (% premises)",
        ].joined(separator: ",")
        let dir = try folder(["202305_fixed_pc_coverage_r03.csv": "\(header)\nCA10 1AA,55.6,0,0,0,11.1,0,0,0,11.1,100,0\n"])
        let table = try OfcomCoverageReader.readPostcodes([dir.path + "/202305_fixed_pc_coverage_r03.csv"])
        let row = try #require(table.row(try key("CA101AA")))
        #expect(table.percent(.unableDecent, row: row) == 11.1)
        #expect(table.percent(.nga, row: row) == 100)
        #expect(table.percent(.fullFibre, row: row) == 0)
        #expect(!table.has(.unable30) && !table.has(.band0to2))
        #expect(table.sources[0].name.postcodeArea == nil && table.sources[0].name.revision == 3)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/bin/gzip"), "gzip is not installed"))
    func gzipFilesAreReadToo() throws {
        let dir = try folder(["202601_fixed_pc_coverage_r1_CA.csv": ofcomPostcodeFile([Self.ca1])])
        let path = dir.path + "/202601_fixed_pc_coverage_r1_CA.csv"
        #expect(try runTool("/bin/gzip", [path])?.status == 0)
        let table = try OfcomCoverageReader.readPostcodes([path + ".gz"])
        #expect(table.count == 1 && table.sources[0].name.postcodeArea == "CA")
    }

    @Test func zipOfAllAndResidentialFilesIsFilteredBySet() throws {
        // The fixture zip holds postcode_files/ (AA, BB) and postcode_res_files/ (AA), as Ofcom
        // ships them (scripts/make-fixtures).
        let zip = TestPaths.fixture("availability/202601_fixed_pc_coverage_r1.zip")
        let all = try OfcomCoverageReader.readPostcodes([zip], premises: .all)
        #expect(all.count == 3)
        #expect(all.skippedMembers == [zip + "/postcode_res_files/202601_fixed_pc_coverage_res_r1_AA.csv"])
        let aa = try #require(all.row(try key("AA1 1AA")))
        #expect(all.percent(.gigabit, row: aa) == 25)
        let residential = try OfcomCoverageReader.readPostcodes([zip], premises: .residential)
        #expect(residential.count == 2 && residential.premisesSet == .residential)
        #expect(residential.percent(.gigabit, row: try #require(residential.row(try key("AA11AA")))) == 100)
        expectError(["202601_fixed_pc_coverage_res_r1_AA.csv: is snapshot 202601 (residential premises) but", "read one snapshot and one premises set at a time"]) {
            _ = try OfcomCoverageReader.readPostcodes([zip])
        }
    }

    @Test("bad files give one line naming the file, line and column", arguments: [
        (["ofcom_CA.csv": [ca1]], "ofcom_CA.csv: 'ofcom_CA.csv' is not an Ofcom fixed-coverage file name: expected YYYYMM_fixed_pc_coverage_rN_<AREA>.csv"),
        (["202601_fixed_pc_coverage_r1_CA.csv": [ca1, ca2.replacingOccurrences(of: "66.7,0,0,0,100", with: "100.5,0,0,0,100")]],
         "202601_fixed_pc_coverage_r1_CA.csv: line 3: SFBB availability (% premises) 100.5 is outside 0-100"),
        (["202601_fixed_pc_coverage_r1_CA.csv": [ca1.replacingOccurrences(of: ",11.1,44.4,", with: ",n/a,44.4,")]],
         "202601_fixed_pc_coverage_r1_CA.csv: line 2: % of premises unable to receive 10Mbit/s 'n/a' is not a number"),
        (["202601_fixed_pc_coverage_r1_CA.csv": [ca1.replacingOccurrences(of: "CA,55.6,0,0,0", with: "CA,55.6,0,0,")]],
         "line 2: Gigabit availability (% premises) '' is not a number"),
        (["202601_fixed_pc_coverage_r1_CA.csv": [ca1.replacingOccurrences(of: ",33.3,55.6,0", with: ",32.6,55.6,0")]],
         "line 2: the six speed bands sum to 99.3, not 100 (within 0.5)"),
        (["202601_fixed_pc_coverage_r1_CA.csv": [ca1.replacingOccurrences(of: ",11.1,44.4,", with: ",11.1,44.9,")]],
         "line 2: SFBB 55.6 + unable-30 44.9 = 100.5, not 100 (within 0.2)"),
        (["202601_fixed_pc_coverage_r1_CA.csv": [ca1.replacingOccurrences(of: "CA,55.6,0,0,0", with: "CA,55.6,0,0,0.3")]],
         "line 2: Gigabit 0.3 exceeds UFBB 0 (a faster threshold cannot reach more premises)"),
        (["202601_fixed_pc_coverage_r1_CA.csv": [ca1.replacingOccurrences(of: "CA101AA,CA10 1AA", with: "CA101AA,CA10 1AB")]],
         "line 2: postcode 'CA101AA' and postcode_space 'CA10 1AB' differ"),
        (["202601_fixed_pc_coverage_r1_CA.csv": [ca1.replacingOccurrences(of: "CA101AA,", with: "CA10-1AA,")]],
         "line 2: postcode 'CA10-1AA' is not a postcode"),
        (["202601_fixed_pc_coverage_r1_CW.csv": [ca1.replacingOccurrences(of: ",CA,", with: ",CV,")]],
         "202601_fixed_pc_coverage_r1_CW.csv: line 2: postcode area 'CV' but the file name says 'CW'"),
        (["202601_fixed_pc_coverage_r1_CA.csv": [ca1], "202601_fixed_pc_coverage_r2_CA.csv": [ca2, ca1]],
         "202601_fixed_pc_coverage_r2_CA.csv: line 3: postcode CA10 1AA appears twice: also at "),
        (["202601_fixed_pc_coverage_r1_CA.csv": [ca1], "202507_fixed_pc_coverage_r1_M.csv": [m1]],
         "202601_fixed_pc_coverage_r1_CA.csv: is snapshot 202601 (all premises) but"),
    ])
    func badFile(files: [String: [String]], expected: String) throws {
        let dir = try folder(files.mapValues { ofcomPostcodeFile($0) })
        expectError([expected]) {
            _ = try OfcomCoverageReader.readPostcodes([dir.path + "/*.csv"])
        }
    }

    @Test func headerProblems() throws {
        var columns = ofcomPostcodeHeader.split(separator: ",").map(String.init)
        let withoutGigabit = columns.filter { $0 != "Gigabit availability (% premises)" }.joined(separator: ",")
        let dir1 = try folder(["202601_fixed_pc_coverage_r1_CA.csv": withoutGigabit + "\n"])
        expectError(["202601_fixed_pc_coverage_r1_CA.csv: line 1: no column 'Gigabit availability (% premises)'; columns are: 'postcode'"]) {
            _ = try OfcomCoverageReader.readPostcodes([dir1.path + "/*.csv"])
        }
        let withoutOneBand = columns.filter { $0 != "% of premises with 2<5Mbit/s download speed" }.joined(separator: ",")
        let dir2 = try folder(["202601_fixed_pc_coverage_r1_CA.csv": withoutOneBand + "\n"])
        expectError(["line 1: no column '% of premises with 2<5Mbit/s download speed'"]) {
            _ = try OfcomCoverageReader.readPostcodes([dir2.path + "/*.csv"])
        }
        columns[0] = "postcode_space"
        let repeated = columns.joined(separator: ",")
        let dir3 = try folder(["202601_fixed_pc_coverage_r1_CA.csv": repeated + "\n"])
        expectError(["line 1: column 'postcode_space' appears twice (columns 1 and 2)"]) {
            _ = try OfcomCoverageReader.readPostcodes([dir3.path + "/*.csv"])
        }
        let withoutBands = ofcomPostcodeHeader.split(separator: ",").prefix(14).joined(separator: ",")
        let dir4 = try folder([
            "202601_fixed_pc_coverage_r1_CA.csv": ofcomPostcodeFile([Self.ca1]),
            "202601_fixed_pc_coverage_r1_M.csv": withoutBands + "\n",
        ])
        expectError(["202601_fixed_pc_coverage_r1_M.csv: line 1: has other fields than", "lacks '% of premises with 0<2Mbit/s download speed'"]) {
            _ = try OfcomCoverageReader.readPostcodes([dir4.path + "/*.csv"])
        }
        let dir5 = try folder(["202601_fixed_laua_coverage_r1.csv": "laua\n"])
        expectError(["202601_fixed_laua_coverage_r1.csv: is an Ofcom local-authority file; postcode files are needed here"]) {
            _ = try OfcomCoverageReader.readPostcodes([dir5.path + "/202601_fixed_laua_coverage_r1.csv"])
        }
        expectError(["202601_fixed_*_XX.csv: no file matches this pattern"]) {
            _ = try OfcomCoverageReader.readPostcodes([dir5.path + "/202601_fixed_*_XX.csv"])
        }
    }

    /// The two Cumbrian rows of the sample local-authority file (its README lists the layout).
    static let lauaHeader = "laua,laua_name,All Premises,All Matched Premises,"
        + ofcomPostcodeHeader.split(separator: ",").dropFirst(3).joined(separator: ",") + ","
        + OfcomField.allCases.filter { $0 != .fullFibre }.map { $0.countColumns[0] }.joined(separator: ",")
    static let cumberland = "E06000063,Cumberland,121223,121076,88,14.9,14.9,14.9,98.2,2,0.1,0.4,1,2.1,12,0.4,0.6,1.1,9.9,73,14.9,106634,18110,18110,18110,119036,2456,89,461,1189,2545,14589,461,728,1356,12044,88524,18110"
    static let westmorland = "E06000064,Westmorland and Furness,100819,100705,86.1,14.1,14.1,14.1,99,1.7,0.1,0.4,1,1.8,13.9,0.4,0.6,0.8,12.1,72,14.1,86787,14209,14209,14209,99765,1707,96,422,1040,1803,14032,422,618,763,12229,72578,14209"

    @Test func localAuthorityFileWithCountsAndNames() throws {
        let dir = try folder(["202601_fixed_laua_coverage_r1.csv": "\u{FEFF}" + Self.lauaHeader + "\n" + Self.cumberland + "\n" + Self.westmorland + "\n"])
        let table = try OfcomCoverageReader.readLocalAuthorities([dir.path + "/202601_fixed_laua_coverage_r1.csv"])
        #expect(table.keys == ["E06000063", "E06000064"])
        #expect(table.names == ["Cumberland", "Westmorland and Furness"])
        #expect(table.allPremises == [121_223, 100_819])
        #expect(table.allMatchedPremises == [121_076, 100_705])
        let w = try #require(table.row("E06000064"))
        #expect(table.percent(.sfbb, row: w) == 86.1)
        #expect(table.premises(.sfbb, row: w) == 86_787)
        #expect(table.premises(.band300plus, row: w) == 14_209)
        #expect(table.premises(.fullFibre, row: w) == nil)
        // The published counts over All Premises round to the published percentages.
        for field in OfcomField.allCases where table.has(field) {
            for r in 0..<table.count {
                let share = try #require(table.premises(field, row: r)) / table.allPremises![r] * 100
                #expect(abs(share - table.percent(field, row: r)!) <= 0.05 + 1e-9, "\(field) row \(r)")
            }
        }
    }

    @Test func outputAreaFileAndCountChecks() throws {
        let header = "output_area," + Self.lauaHeader.split(separator: ",").dropFirst(2).joined(separator: ",")
        let row = "E00000001," + Self.cumberland.split(separator: ",").dropFirst(2).joined(separator: ",")
        let name = "202601_fixed_oa_coverage_r1.csv"
        let good = try folder([name: header + "\n" + row + "\n"])
        let table = try OfcomCoverageReader.readOutputAreas([good.path + "/" + name])
        #expect(table.keys == ["E00000001"] && table.names == nil && table.level == .outputArea)
        #expect(table.premises(.gigabit, row: 0) == 18_110)
        let tooMany = row.replacingOccurrences(of: ",106634,", with: ",121224,")
        let bad1 = try folder([name: header + "\n" + tooMany + "\n"])
        expectError(["\(name): line 2: Number of premises with SFBB availability 121224 exceeds All Premises 121223"]) {
            _ = try OfcomCoverageReader.readOutputAreas([bad1.path + "/" + name])
        }
        let fraction = row.replacingOccurrences(of: ",121223,", with: ",121223.5,")
        let bad2 = try folder([name: header + "\n" + fraction + "\n"])
        expectError(["\(name): line 2: All Premises 121223.5 is not a whole number of premises"]) {
            _ = try OfcomCoverageReader.readOutputAreas([bad2.path + "/" + name])
        }
        let twice = try folder([name: header + "\n" + row + "\n" + row + "\n"])
        expectError(["\(name): line 3: output-area E00000001 appears twice: also at \(twice.path)/\(name): line 2"]) {
            _ = try OfcomCoverageReader.readOutputAreas([twice.path + "/" + name])
        }
    }
}
