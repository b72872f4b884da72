import Foundation
import GeoIO
import Projection
import Testing
import TestSupport
@testable import Availability

/// The postcode split against the sample data's own authority figures. The sample files are
/// MODELLED (availability/README.md); what is tested is that splitting the postcode files over
/// the true address counts reproduces the local-authority file, as it must for real data.
@Suite("The postcode split on the sample data", .enabled(if: Sample.root != nil, Sample.missing))
struct SampleSplitTests {
    /// The Cumbrian addresses counted per (postcode, authority): the true households of each
    /// postcode, with each address's authority from the OMR file (the address file has none).
    static func cumbrianHouseholds() throws -> (households: [PostcodeKey: [Double]], authorities: [String]) {
        let premises = try UPRNPremisesReader.read(
            path: try #require(Sample.premises) + "/cumbria_uprn_synthetic.csv.gz",
            options: UPRNPremisesOptions(postcodeColumn: "POSTCODE"), workingCRS: .britishNationalGrid)
        let authorities = ["E06000063", "E06000064"]
        var authority = [Int](repeating: -1, count: premises.count)
        try CSVRecords.read(path: try #require(Sample.omr) + "/cumbria_omr_uprn.csv.gz") { h in
            let column = try h.index(of: "LAD_CODE")
            #expect(column == 4)
        } record: { r in
            guard let u = UPRN.parse(r, 0), let row = premises.index.row(of: u), let a = authorities.firstIndex(of: r.text(4) ?? "") else {
                throw r.error("UPRN or LAD_CODE not in the address file")
            }
            authority[row] = a
        }
        var households: [PostcodeKey: [Double]] = [:]
        let postcodes = try #require(premises.postcodes)
        for i in 0..<premises.count {
            #expect(authority[i] >= 0)
            households[postcodes[i], default: [0, 0]][max(0, authority[i])] += 1
        }
        return (households, authorities)
    }

    @Test func cumbrianAuthoritiesFromPostcodeFilesMatchTheAuthorityFile() throws {
        let ofcom = try #require(Sample.ofcom)
        let (households, authorities) = try Self.cumbrianHouseholds()
        let postcodes = try OfcomCoverageReader.readPostcodes([ofcom + "/202601_fixed_pc_coverage_r1_*.csv"])
        let la = try OfcomCoverageReader.readLocalAuthorities([ofcom + "/202601_fixed_laua_coverage_r1.csv"])
        #expect(postcodes.count == 90_096)
        var sums = [SpeedClassValues](repeating: .zero, count: authorities.count)
        var matched = [Double](repeating: 0, count: authorities.count)
        var all = [Double](repeating: 0, count: authorities.count)
        for (postcode, perAuthority) in households {
            let row = postcodes.row(postcode)
            for (a, h) in perAuthority.enumerated() where h > 0 {
                all[a] += h
                guard let row else { continue }
                sums[a] += PostcodeSplit.split(postcodes.percentages(row: row), households: h)
                matched[a] += h
            }
        }
        var worst = (difference: 0.0, what: "")
        for (a, code) in authorities.enumerated() {
            let r = try #require(la.row(code))
            // The address counts are the authority file's own premises counts, exactly.
            #expect(all[a] == la.allPremises?[r])
            #expect(matched[a] == la.allMatchedPremises?[r])
            #expect(abs(sums[a].total - matched[a]) < 1e-6)
            // Shares over the matched premises (the unmatched ones are in no postcode row).
            let checks: [(String, Double, Double)] = [
                ("superfast", sums[a].atLeast(mbps: 30), try #require(la.percent(.sfbb, row: r))),
                ("gigabit", sums[a].atLeast(mbps: 1000), try #require(la.percent(.gigabit, row: r))),
                ("decent", sums[a].atLeast(mbps: 10), 100 - (try #require(la.percent(.unableDecent, row: r)))),
            ]
            for (name, households, published) in checks {
                let share = households / matched[a] * 100
                let d = abs(share - published)
                #expect(d <= 0.5, "\(code) \(name): \(share) from postcodes, \(published) published")
                if d > worst.difference { worst = (d, "\(code) \(name): \(share) vs \(published)") }
            }
        }
        print("Cumbria, postcode split vs the authority file: worst difference \(worst.difference) percentage points (\(worst.what))")
    }

    @Test func splittingTheTrueAddressCountGivesEachPostcodesBandCounts() throws {
        // Where a postcode has no FWA class, splitting its true address count must give back
        // the address counts behind its published bands exactly (rounded to one decimal, a
        // band's share is off by at most 0.05%, so under 0.5 of an address below 1,000).
        let ofcom = try #require(Sample.ofcom)
        let (households, _) = try Self.cumbrianHouseholds()
        let postcodes = try OfcomCoverageReader.readPostcodes([ofcom + "/202601_fixed_pc_coverage_r1_CA.csv", ofcom + "/202601_fixed_pc_coverage_r1_LA.csv"])
        var checked = 0, wrong: [String] = []
        for (postcode, perAuthority) in households {
            let h = perAuthority.reduce(0, +)
            guard let row = postcodes.row(postcode), postcodes.percent(.fwaDecent, row: row) == 0, h < 1000 else { continue }
            let c = PostcodeSplit.split(postcodes.percentages(row: row), households: h)
            let fromSplit = [c[.below2], c[.from2To5], c[.from5To10], c[.from10To30],
                             c[.from30To100] + c[.from100To300], c[.from300To1000] + c[.gigabit]]
            let fromBands = OfcomField.bands.map { (h * postcodes.percent($0, row: row)! / 100).rounded() }
            if fromSplit != fromBands { wrong.append("\(postcode): \(fromSplit) vs \(fromBands)") }
            checked += 1
        }
        #expect(checked > 15_000)
        #expect(wrong.isEmpty, "\(wrong.count) of \(checked) differ, e.g. \(wrong.prefix(3))")
    }
}
