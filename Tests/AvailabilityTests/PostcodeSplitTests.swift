import Foundation
import Testing
@testable import Availability

@Suite("The postcode split (hand-worked)")
struct PostcodeSplitTests {
    typealias C = ObservedSpeedClass

    /// Households per class as a dictionary of the non-zero classes, for readable expectations.
    static func nonZero(_ v: SpeedClassValues) -> [C: Double] {
        var out: [C: Double] = [:]
        for c in C.allCases where v[c] != 0 { out[c] = v[c] }
        return out
    }

    static func p(sfbb: Double = 0, ufbb100: Double = 0, ufbb300: Double = 0, gigabit: Double = 0,
                  unable2: Double = 0, unable5: Double = 0, unable10: Double = 0, fwa: Double = 0) -> PostcodePercentages {
        PostcodePercentages(sfbb: sfbb, ufbb100: ufbb100, ufbb300: ufbb300, gigabit: gigabit,
                            unable2: unable2, unable5: unable5, unable10: unable10, fwaDecent: fwa)
    }

    /// CA10 1AA in the sample file: SFBB 55.6, unable-10 11.1, everything faster 0.
    static let ca101aa = p(sfbb: 55.6, unable10: 11.1)

    @Test func nineHouseholdsOfCA101AA() {
        // Shares: >=30: 55.6, 10-30: 88.9 - 55.6 = 33.3, 5-10: 100 - 88.9 = 11.1.
        // Quotas of 9: 5.004, 2.997, 0.999 -> whole parts 5, 2, 0 (7); the 2 left go to the
        // largest remainders 0.999 (5-10) and 0.997 (10-30): 5, 3, 1, the file's own 5/3/1
        // of 9 addresses (55.6 / 33.3 / 11.1 %).
        let shares = PostcodeSplit.shares(Self.ca101aa)
        #expect(!shares.monotoneRepaired && !shares.fwaCapped)
        #expect(abs(shares.shares[.from30To100] - 55.6) < 1e-9)
        #expect(abs(shares.shares[.from10To30] - 33.3) < 1e-9)
        #expect(abs(shares.shares[.from5To10] - 11.1) < 1e-9)
        #expect(abs(shares.shares.total - 100) < 1e-9)
        #expect(Self.nonZero(PostcodeSplit.split(Self.ca101aa, households: 9)) == [.from30To100: 5, .from10To30: 3, .from5To10: 1])
        // Ten households: 5.56, 3.33, 1.11 -> 5, 3, 1 and one left for the largest remainder,
        // 0.56 (30-100).
        #expect(Self.nonZero(PostcodePercentages.split(Self.ca101aa, 10)) == [.from30To100: 6, .from10To30: 3, .from5To10: 1])
    }

    @Test func tiesGoToTheSlowerClass() {
        // Half below 2, half superfast. One household: quotas 0.5 and 0.5, a tie: the slower
        // class gets it. Three: 1.5 and 1.5 -> 1 and 1, the one left to the slower class.
        let half = Self.p(sfbb: 50, unable2: 50, unable5: 50, unable10: 50)
        #expect(Self.nonZero(PostcodeSplit.split(half, households: 1)) == [.below2: 1])
        #expect(Self.nonZero(PostcodeSplit.split(half, households: 3)) == [.below2: 2, .from30To100: 1])
        #expect(Self.nonZero(PostcodeSplit.split(half, households: 4)) == [.below2: 2, .from30To100: 2])
        // Thirds across three classes and two households: 0.667 each, the two slowest win.
        let explicit = SpeedClassValues([0, 0, 100.0 / 3, 0, 0, 100.0 / 3, 0, 0, 100.0 / 3])
        #expect(Self.nonZero(PostcodeSplit.split(shares: explicit, households: 2)) == [.from5To10: 1, .from30To100: 1])
    }

    @Test func roundingThatBreaksMonotonicityIsRepaired() {
        // SFBB 55.6 but unable-10 44.5, so >=10 would be 55.5 < >=30: >=10 is raised to 55.6
        // and the 10-30 class is empty; the lost 0.1 comes out of the 5-10 class (44.4).
        let broken = Self.p(sfbb: 55.6, unable5: 20, unable10: 44.5)
        let s = PostcodeSplit.shares(broken)
        #expect(s.monotoneRepaired)
        #expect(abs(s.shares[.from10To30]) < 1e-12)
        #expect(abs(s.shares[.from30To100] - 55.6) < 1e-9)
        #expect(abs(s.shares[.from5To10] - 24.4) < 1e-9)
        #expect(abs(s.shares[.from2To5] - 20) < 1e-9)
        #expect(abs(s.shares.total - 100) < 1e-9)
        // Gigabit above UFBB: UFBB (and everything slower) is raised to the gigabit share.
        let g = PostcodeSplit.shares(Self.p(sfbb: 60, ufbb100: 40, ufbb300: 39.9, gigabit: 40))
        #expect(g.monotoneRepaired)
        #expect(abs(g.shares[.gigabit] - 40) < 1e-9)
        #expect(abs(g.shares[.from300To1000]) < 1e-12)
        #expect(abs(g.shares[.from100To300]) < 1e-12)
        #expect(abs(g.shares[.from30To100] - 20) < 1e-9)
        #expect(abs(g.shares[.from10To30] - 40) < 1e-9)
    }

    @Test func fwaComesOutOfTheBelow10ClassesInProportion() {
        // Below 10: 20% (2-5: 10, 5-10: 10). FWA 5 takes a quarter of each: 7.5 and 7.5 stay.
        let p = Self.p(sfbb: 80, unable5: 10, unable10: 20, fwa: 5)
        let s = PostcodeSplit.shares(p)
        #expect(!s.fwaCapped)
        #expect(abs(s.shares[.fwaDecent] - 5) < 1e-9)
        #expect(abs(s.shares[.from2To5] - 7.5) < 1e-9)
        #expect(abs(s.shares[.from5To10] - 7.5) < 1e-9)
        #expect(abs(s.shares[.from30To100] - 80) < 1e-9)
        // Four households: quotas 3.2 (30-100), 0.3, 0.3, 0.2 (FWA): 3 whole, one left, a tie
        // of 0.3 between 2-5 and 5-10 goes to 2-5.
        #expect(Self.nonZero(PostcodeSplit.split(p, households: 4)) == [.from30To100: 3, .from2To5: 1])
        // Twenty: 16, 1.5, 1.5, 1 -> 16 + 1 + 1 + 1, one left: tie 0.5/0.5 -> 2-5.
        #expect(Self.nonZero(PostcodeSplit.split(p, households: 20)) == [.from30To100: 16, .from2To5: 2, .from5To10: 1, .fwaDecent: 1])
        // Decent broadband counts the FWA class: 17 of 20.
        #expect(PostcodeSplit.split(p, households: 20).atLeast(mbps: 10) == 17)
    }

    @Test func fwaLargerThanTheBelow10ShareIsCapped() {
        let s = PostcodeSplit.shares(Self.p(sfbb: 80, unable10: 20, fwa: 30))
        #expect(s.fwaCapped)
        #expect(abs(s.shares[.fwaDecent] - 20) < 1e-9)
        #expect(s.shares[.from5To10] == 0 && s.shares[.from2To5] == 0 && s.shares[.below2] == 0)
    }

    @Test func estimatedHouseholdsSplitProportionally() {
        let counts = PostcodeSplit.split(Self.ca101aa, households: 15.28)
        #expect(abs(counts[.from30To100] - 15.28 * 0.556) < 1e-9)
        #expect(abs(counts[.from10To30] - 15.28 * 0.333) < 1e-9)
        #expect(abs(counts[.from5To10] - 15.28 * 0.111) < 1e-9)
        #expect(abs(counts.total - 15.28) < 1e-9)
        #expect(PostcodeSplit.split(Self.ca101aa, households: 0) == .zero)
    }

    @Test func classesAndThresholds() {
        #expect(C.allCases.map(\.label) == ["0-2", "2-5", "5-10", "fwa-decent", "10-30", "30-100", "100-300", "300-1000", "1000+"])
        let v = SpeedClassValues([1, 2, 3, 4, 5, 6, 7, 8, 9])
        #expect(v.atLeast(mbps: 10) == 4 + 5 + 6 + 7 + 8 + 9)
        #expect(v.atLeast(mbps: 30) == 6 + 7 + 8 + 9)
        #expect(v.atLeast(mbps: 1000) == 9)
        #expect(v.atLeast(mbps: 0) == 45)
    }

    @Test func wholeSplitsAlwaysSumToTheHouseholds() {
        // Every combination of a grid of percentages and households 0-40: counts are whole,
        // non-negative and sum to the households; each class is within one of its quota.
        let values: [Double] = [0, 11.1, 33.3, 50, 66.7, 100]
        var checked = 0
        for sfbb in values {
            for gigabit in values where gigabit <= sfbb {
                for unable10 in values where unable10 <= 100 - sfbb {
                    for fwa in [0, unable10 / 2] {
                        let p = Self.p(sfbb: sfbb, ufbb100: gigabit, ufbb300: gigabit, gigabit: gigabit,
                                       unable2: unable10 / 3, unable5: unable10 / 2, unable10: unable10, fwa: fwa)
                        let shares = PostcodeSplit.shares(p).shares
                        for h in 0...40 {
                            let counts = PostcodeSplit.split(p, households: Double(h))
                            #expect(counts.total == Double(h))
                            for c in C.allCases {
                                #expect(counts[c] >= 0 && counts[c] == counts[c].rounded())
                                #expect(abs(counts[c] - Double(h) * shares[c] / 100) < 1)
                            }
                            checked += 1
                        }
                    }
                }
            }
        }
        #expect(checked > 5_000)
    }
}

extension PostcodePercentages {
    /// Shorthand for a whole-household split in the tests.
    static func split(_ p: PostcodePercentages, _ h: Double) -> SpeedClassValues { PostcodeSplit.split(p, households: h) }
}
