import Availability
import Coverage
import Foundation

/// `bbplan calibrate`: the model against Ofcom's postcode shares, and a least-squares fit of
/// the FTTC speed curve's scale and the route factor (docs/MODEL.md, "Calibration").
public enum Calibration {
    /// The fixed-line thresholds the fit compares (Mbit/s), with Ofcom's published share of
    /// premises at or above each: 100 - unable 2, 100 - unable 5, 100 - unable 10, SFBB.
    public static let fitThresholds: [Double] = [2, 5, 10, 30]
    /// The thresholds the comparison tables show: 10 and 30 fixed, and gigabit.
    public static let tableThresholds: [Double] = [10, 30, 1000]
    /// Search ranges: route factor (a line is never shorter than the straight distance) and
    /// the curve scale.
    public static let factorRange = 1.0...2.5
    public static let scaleRange = 0.5...2.0

    public struct Parameters: Sendable, Equatable {
        /// Every speed of the scenario's FTTC curve is multiplied by this.
        public var scale: Double
        public var routeFactor: Double
        public init(scale: Double, routeFactor: Double) {
            self.scale = scale
            self.routeFactor = routeFactor
        }
    }

    /// The premises rows both the model and Ofcom's postcode files cover, with what the
    /// model needs to recompute their fixed-line speed for any curve scale and route factor.
    public struct Rows: Sendable {
        /// Postcode (Ofcom row) of each row, dense 0..<postcodes.count.
        public var postcode: [Int32] = []
        public var households: [Double] = []
        /// Distance to the nearest FTTC cabinet (metres); infinity without FTTC networks.
        public var cabinetDistance: [Double] = []
        /// Best speed of the other fixed networks (FTTP, cable), and of the FWA networks.
        public var otherFixed: [Double] = []
        public var fwa: [Double] = []
        public var authority: [Int32] = []
        /// Per postcode: Ofcom row, key, households, observed share (0-1) at each fit and
        /// table threshold (`fitThresholds` then `tableThresholds`), and whether it is in the
        /// fitting half.
        public var ofcomRow: [Int] = []
        public var keys: [PostcodeKey] = []
        public var postcodeHouseholds: [Double] = []
        public var observed: [[Double]] = []
        public var fitting: [Bool] = []
        public var postcodeAuthority: [Int32] = []
    }

    /// The observed shares of an Ofcom row at `fitThresholds` + `tableThresholds`.
    static func observedShares(_ p: PostcodePercentages) -> [Double] {
        let fit = [100 - p.unable2, 100 - p.unable5, 100 - p.unable10, p.sfbb]
        let table = [100 - p.unable10, p.sfbb, p.gigabit]
        return (fit + table).map { min(max($0, 0), 100) / 100 }
    }

    /// Which half a postcode falls in: a hash of its key (SplitMix64 finaliser), so the halves
    /// do not depend on file order and are spread over the map.
    public static func isFittingHalf(_ key: PostcodeKey) -> Bool {
        var z = key.rawValue &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z = z ^ (z >> 31)
        return z & 1 == 0
    }

    /// Collects the rows from loaded inputs with an `ofcom_postcode` source (either use).
    public static func rows(_ inputs: LoadedInputs, model: SpeedModel) throws -> Rows {
        guard let o = inputs.observed, let pc = inputs.observedData?.postcodes else { return Rows() }
        let premises = inputs.premises
        var cabX: [Double] = [], cabY: [Double] = []
        var otherFixed = [Double](repeating: 0, count: premises.count)
        var fwa = [Double](repeating: 0, count: premises.count)
        for network in inputs.networks {
            switch network.assets {
            case .cabinets(let xs, let ys):
                cabX += xs
                cabY += ys
            case .masts:
                let s = try Baseline.speeds(of: network, premises: premises, model: model)
                for i in 0..<premises.count { fwa[i] = max(fwa[i], s[i]) }
            case .footprints:
                let s = try Baseline.speeds(of: network, premises: premises, model: model)
                for i in 0..<premises.count { otherFixed[i] = max(otherFixed[i], s[i]) }
            }
        }
        let grid = cabX.isEmpty ? nil : PointGrid(xs: cabX, ys: cabY)
        var rows = Rows()
        var dense: [Int32: Int32] = [:]
        for i in 0..<premises.count {
            let r = o.postcodeRow[i]
            let a = o.classification.authority[i]
            guard r >= 0, a >= 0, inputs.selected.contains(Int(a)) else { continue }
            let k: Int32
            if let known = dense[r] { k = known } else {
                k = Int32(rows.ofcomRow.count)
                dense[r] = k
                rows.ofcomRow.append(Int(r))
                rows.keys.append(pc.keys[Int(r)])
                rows.postcodeHouseholds.append(0)
                rows.observed.append(observedShares(pc.percentages(row: Int(r))))
                rows.fitting.append(isFittingHalf(pc.keys[Int(r)]))
                rows.postcodeAuthority.append(a)
            }
            rows.postcode.append(k)
            rows.households.append(premises.households[i])
            rows.postcodeHouseholds[Int(k)] += premises.households[i]
            rows.cabinetDistance.append(grid?.nearest(x: premises.xs[i], y: premises.ys[i])?.distance ?? .infinity)
            rows.otherFixed.append(otherFixed[i])
            rows.fwa.append(fwa[i])
            rows.authority.append(a)
        }
        return rows
    }

    /// The modelled share of each postcode's households at or above each threshold, fixed
    /// line only (FTTC with the given parameters, FTTP, cable).
    public static func modelShares(_ rows: Rows, curve: SpeedCurve, _ p: Parameters, thresholds: [Double]) -> [[Double]] {
        let n = rows.ofcomRow.count
        var covered = [[Double]](repeating: [Double](repeating: 0, count: thresholds.count), count: n)
        // FTTC gives at least T where scale x curve(d x factor) >= T: d <= reach(T / scale) / factor.
        let reach: [Double] = thresholds.map { t in
            switch curve.reach(forMbps: t / p.scale) {
            case .none: return -1
            case .unlimited: return .infinity
            case .metres(let m): return m / p.routeFactor
            }
        }
        for i in 0..<rows.postcode.count {
            let k = Int(rows.postcode[i])
            let d = rows.cabinetDistance[i], other = rows.otherFixed[i], h = rows.households[i]
            for t in 0..<thresholds.count where other >= thresholds[t] || (d.isFinite && d <= reach[t]) {
                covered[k][t] += h
            }
        }
        for k in 0..<n where rows.postcodeHouseholds[k] > 0 {
            for t in 0..<thresholds.count { covered[k][t] /= rows.postcodeHouseholds[k] }
        }
        return covered
    }

    /// Household-weighted mean squared error of the postcode shares at the fit thresholds, over
    /// the postcodes `include` selects; in squared share units (0-1).
    public static func error(_ rows: Rows, curve: SpeedCurve, _ p: Parameters, include: (Int) -> Bool) -> Double {
        let m = modelShares(rows, curve: curve, p, thresholds: fitThresholds)
        var sum = 0.0, weight = 0.0
        for k in 0..<rows.ofcomRow.count where include(k) {
            let h = rows.postcodeHouseholds[k]
            for t in 0..<fitThresholds.count {
                let d = m[k][t] - rows.observed[k][t]
                sum += h * d * d
            }
            weight += h * Double(fitThresholds.count)
        }
        return weight > 0 ? sum / weight : 0
    }

    /// Least squares by grid search: the error on a grid over both ranges, then two finer grids
    /// (a fifth of the step) around the best point so far; ties go to the point met first.
    public static func fit(_ rows: Rows, curve: SpeedCurve, start: Parameters, include: (Int) -> Bool)
        -> (best: Parameters, error: Double, evaluations: Int) {
        var best = start
        var bestError = error(rows, curve: curve, start, include: include)
        var evaluations = 1
        var fStep = 0.1, sStep = 0.1
        var fLo = factorRange.lowerBound, fHi = factorRange.upperBound
        var sLo = scaleRange.lowerBound, sHi = scaleRange.upperBound
        for _ in 0..<3 {
            var f = fLo
            while f <= fHi + 1e-9 {
                var s = sLo
                while s <= sHi + 1e-9 {
                    let p = Parameters(scale: (s * 1e6).rounded() / 1e6, routeFactor: (f * 1e6).rounded() / 1e6)
                    let e = error(rows, curve: curve, p, include: include)
                    evaluations += 1
                    if e < bestError - 1e-15 {
                        bestError = e
                        best = p
                    }
                    s += sStep
                }
                f += fStep
            }
            fLo = max(factorRange.lowerBound, best.routeFactor - fStep)
            fHi = min(factorRange.upperBound, best.routeFactor + fStep)
            sLo = max(scaleRange.lowerBound, best.scale - sStep)
            sHi = min(scaleRange.upperBound, best.scale + sStep)
            fStep /= 5
            sStep /= 5
        }
        return (best, bestError, evaluations)
    }

    /// The curve with every speed multiplied by `scale`.
    public static func scaled(_ curve: SpeedCurve, by scale: Double) -> SpeedCurve {
        (try? SpeedCurve(curve.points.map { SpeedCurve.Point(metres: $0.metres, mbps: $0.mbps * scale) })) ?? curve
    }
}

/// What `bbplan calibrate` found.
public struct CalibrationResult: Sendable {
    public let scenario: Scenario
    public let rows: Calibration.Rows
    /// The scenario's own parameters (scale 1) and the fitted ones.
    public let before: Calibration.Parameters
    public let fitted: Calibration.Parameters
    public let evaluations: Int
    /// Root-mean-square error of the postcode shares at the fit thresholds, percentage
    /// points, on the fitting half and on the held-out half, before and after the fit.
    public let fitRMSEBefore: Double
    public let fitRMSEAfter: Double
    public let heldOutRMSEBefore: Double
    public let heldOutRMSEAfter: Double
    /// Per postcode, shares at `fitThresholds` + `tableThresholds`: modelled before and after.
    public let sharesBefore: [[Double]]
    public let sharesAfter: [[Double]]
    public let authorities: [AuthorityComparison]
    public let inputs: [InputRecord]
    /// The fitted parameters that lie on the edge of their search range (`route_factor`,
    /// `fttc_curve_scale`), where the true optimum may lie beyond.
    public var atSearchBound: [String] {
        var names: [String] = []
        if fitted.routeFactor <= Calibration.factorRange.lowerBound + 1e-9 || fitted.routeFactor >= Calibration.factorRange.upperBound - 1e-9 { names.append("route_factor") }
        if fitted.scale <= Calibration.scaleRange.lowerBound + 1e-9 || fitted.scale >= Calibration.scaleRange.upperBound - 1e-9 { names.append("fttc_curve_scale") }
        return names
    }
    /// The code of every authority read, by index (`rows.postcodeAuthority` indexes it).
    public let authorityCodes: [String]

    /// One planned authority over the premises both cover.
    public struct AuthorityComparison: Sendable {
        public let code: String
        public let name: String
        public let postcodes: Int
        public let households: Double
        /// At `tableThresholds`: observed, modelled before and after (shares 0-1).
        public let observed: [Double]
        public let before: [Double]
        public let after: [Double]
    }
}

extension Calibration {
    public static func run(_ scenario: Scenario, inputs: LoadedInputs) throws -> CalibrationResult {
        guard inputs.observedData?.postcodes != nil else {
            throw ScenarioError(file: scenario.file, "calibrate compares the model with Ofcom's postcode shares: add an observed source of type ofcom_postcode (use: check keeps the model's speeds)")
        }
        let model = scenario.model
        let rows = try Calibration.rows(inputs, model: model)
        guard !rows.ofcomRow.isEmpty else {
            throw ScenarioError(file: scenario.file, "calibrate: no premises in the planned authorities has a postcode in the Ofcom files")
        }
        let before = Parameters(scale: 1, routeFactor: model.routeFactor)
        let fitting = { (k: Int) in rows.fitting[k] }
        let heldOut = { (k: Int) in !rows.fitting[k] }
        let (fitted, _, evaluations) = fit(rows, curve: model.curve, start: before, include: fitting)
        func rmse(_ p: Parameters, _ include: (Int) -> Bool) -> Double { 100 * error(rows, curve: model.curve, p, include: include).squareRoot() }
        let thresholds = fitThresholds + tableThresholds
        let sharesBefore = modelShares(rows, curve: model.curve, before, thresholds: thresholds)
        let sharesAfter = modelShares(rows, curve: model.curve, fitted, thresholds: thresholds)
        var authorities: [CalibrationResult.AuthorityComparison] = []
        let offset = fitThresholds.count
        for a in inputs.selected {
            let members = rows.postcodeAuthority.indices.filter { rows.postcodeAuthority[$0] == Int32(a) }
            let h = members.reduce(0.0) { $0 + rows.postcodeHouseholds[$1] }
            func mean(_ values: [[Double]]) -> [Double] {
                tableThresholds.indices.map { t in
                    h > 0 ? members.reduce(0.0) { $0 + rows.postcodeHouseholds[$1] * values[$1][offset + t] } / h : 0
                }
            }
            authorities.append(.init(code: inputs.authorities[a].code, name: inputs.authorities[a].name, postcodes: members.count,
                                     households: h, observed: mean(rows.observed), before: mean(sharesBefore), after: mean(sharesAfter)))
        }
        return CalibrationResult(
            scenario: scenario, rows: rows, before: before, fitted: fitted, evaluations: evaluations,
            fitRMSEBefore: rmse(before, fitting), fitRMSEAfter: rmse(fitted, fitting),
            heldOutRMSEBefore: rmse(before, heldOut), heldOutRMSEAfter: rmse(fitted, heldOut),
            sharesBefore: sharesBefore, sharesAfter: sharesAfter, authorities: authorities, inputs: inputs.inputs,
            authorityCodes: inputs.authorities.map(\.code))
    }
}
