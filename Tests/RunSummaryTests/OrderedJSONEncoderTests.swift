import Foundation
import Testing
@testable import RunSummary

@Suite("ordered JSON encoder")
struct OrderedJSONEncoderTests {
    struct Inner: Encodable {
        var areaKm2: Double
        var share: Double
        var missing: Int?
        var null: String?

        enum CodingKeys: String, CodingKey {
            case areaKm2 = "area_km2", share, missing, null
        }

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(areaKm2, forKey: .areaKm2)
            try c.encode(share, forKey: .share)
            try c.encodeIfPresent(missing, forKey: .missing)
            try c.encode(null, forKey: .null)
        }
    }

    struct Outer: Encodable {
        var zebra: Int
        var apple: [Inner]
        var map: OrderedMap<Double>
        var raw: JSON
    }

    /// Keys in the order `encode(to:)` gives them (not sorted), numbers by the rule of their
    /// key path, nil left out by encodeIfPresent and null by encode.
    @Test func keepsOrderAndAppliesTheNumberRules() throws {
        let value = Outer(zebra: 3, apple: [Inner(areaKm2: 1.23456789, share: 0.5, missing: nil, null: nil)],
                          map: OrderedMap([("b", 2.5), ("a", 1)]), raw: .number(1.123456789, decimals: 2))
        let encoder = OrderedJSONEncoder(decimals: { path in path.last == "area_km2" ? 3 : 1 })
        let text = try encoder.encode(value).rendered(pretty: false)
        #expect(text == #"{"zebra":3,"apple":[{"area_km2":1.235,"share":0.5,"null":null}],"map":{"b":2.5,"a":1},"raw":1.12}"#)
    }

    @Test func emptyObjectsAndArrays() throws {
        struct Empty: Encodable {
            var list: [Int] = []
            var map = OrderedMap<String>()
        }
        let text = try OrderedJSONEncoder(decimals: { _ in 4 }).encode(Empty()).rendered(pretty: false)
        #expect(text == #"{"list":[],"map":{}}"#)
    }

    /// The summary's declared rules (RunSummary.decimals(at:)).
    @Test func summaryNumberRules() {
        #expect(RunSummary.decimals(at: ["totals", "households"]) == 4)
        #expect(RunSummary.decimals(at: ["totals", "area_km2"]) == 6)
        #expect(RunSummary.decimals(at: ["authorities", "before", "gap_area_km2", "superfast"]) == 6)
        #expect(RunSummary.decimals(at: ["totals", "after", "share_by_tier", "gigabit"]) == 6)
        #expect(RunSummary.decimals(at: ["tiers_mbps", "superfast"]) == 6)
        #expect(RunSummary.decimals(at: ["timings_s", "reading premises"]) == 3)
        #expect(RunSummary.decimals(at: ["crs", "transformations", "premises", "accuracy_m"]) == 3)
        #expect(RunSummary.decimals(at: ["settings", "rollout", "budget_gbp"]) == 10)
        #expect(RunSummary.decimals(at: ["uncertainty", "cost_spread"]) == 6)
    }
}
