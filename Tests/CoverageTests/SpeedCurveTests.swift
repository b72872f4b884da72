import Testing
@testable import Coverage

@Suite("Speed curve")
struct SpeedCurveTests {
    let curve = SpeedCurve.vdsl2Default

    @Test func defaultCurvePassesValidation() throws {
        #expect(try SpeedCurve(curve.points) == curve)
        #expect(curve.points.count == 7)
    }

    @Test("speeds at, between, before and past the points", arguments: [
        (0.0, 80.0), (600, 51), (300, 65.5), (900, 37.75), (3600, 4), (10_000, 4), (3300, 6.35),
    ])
    func interpolation(metres: Double, mbps: Double) {
        #expect(abs(curve.speed(lineLengthMetres: metres) - mbps) < 1e-12)
    }

    @Test func beforeTheFirstPointIsTheFirstSpeed() throws {
        let c = try SpeedCurve([.init(metres: 100, mbps: 60), .init(metres: 200, mbps: 40)])
        #expect(c.speed(lineLengthMetres: 0) == 60)
        #expect(c.speed(lineLengthMetres: 150) == 50)
        #expect(c.speed(lineLengthMetres: 900) == 40)
    }

    @Test func reachByHand() {
        // Superfast 30: between (600, 51) and (1200, 24.5): 600 + 21/26.5 × 600 = 1075.4717 m.
        guard case .metres(let m) = curve.reach(forMbps: 30) else { Issue.record("no reach"); return }
        #expect(abs(m - (600 + 21.0 / 26.5 * 600)) < 1e-9)
        // Decent 10: 2400 + 3.3/4.6 × 600 = 2830.4348 m.
        guard case .metres(let d) = curve.reach(forMbps: 10) else { Issue.record("no reach"); return }
        #expect(abs(d - (2400 + 3.3 / 4.6 * 600)) < 1e-9)
        #expect(curve.reach(forMbps: 80) == .metres(0))
        #expect(curve.reach(forMbps: 100) == .none)
        #expect(curve.reach(forMbps: 4) == .unlimited)
        #expect(curve.reach(forMbps: 2) == .unlimited)
        // Route factor turns line length into straight distance.
        let model = SpeedModel()
        guard case .metres(let straight) = model.fttcReach(forMbps: 30) else { Issue.record("no reach"); return }
        #expect(abs(straight - m / 1.3) < 1e-9)
    }

    @Test func flatSegmentReachesItsEnd() throws {
        let c = try SpeedCurve([.init(metres: 0, mbps: 50), .init(metres: 500, mbps: 30), .init(metres: 900, mbps: 30), .init(metres: 1000, mbps: 10)])
        #expect(c.reach(forMbps: 30) == .metres(900))
    }

    /// (points, the 0-based index of the point at fault).
    static let invalidCurves: [([(Double, Double)], Int)] = [
        ([(0.0, 10.0), (100, 20)], 1),          // rises
        ([(0.0, 80), (600, 51), (600, 40)], 2), // lengths not increasing
        ([(0.0, 80), (-5, 60)], 1),             // negative length, and not increasing
        ([(0.0, -1)], 0),                       // negative speed
        ([(0.0, 80), (10, Double.nan)], 1),
    ]

    @Test("invalid curves are rejected, naming the point", arguments: invalidCurves)
    func invalid(points: [(Double, Double)], fault: Int) {
        #expect { try SpeedCurve(points.map { .init(metres: $0.0, mbps: $0.1) }) } throws: { e in
            (e as? SpeedCurve.Invalid)?.point == fault
        }
    }

    @Test func emptyCurveIsRejected() {
        #expect(throws: SpeedCurve.Invalid.self) { try SpeedCurve([]) }
    }
}
