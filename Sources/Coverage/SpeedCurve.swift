/// Download speed as a function of copper line length, for FTTC (VDSL2) lines.
///
/// Piecewise-linear through (line length m, Mbit/s) points; before the first point its speed,
/// past the last point the last speed.
public struct SpeedCurve: Sendable, Hashable {
    public struct Point: Sendable, Hashable {
        /// Line length in metres (route length of the copper, not straight distance).
        public let metres: Double
        public let mbps: Double
        public init(metres: Double, mbps: Double) {
            self.metres = metres
            self.mbps = mbps
        }
    }

    public let points: [Point]

    /// The default VDSL2 profile of the bbplan model (docs/MODEL.md): 80 Mbit/s at the cabinet
    /// falling to 4 Mbit/s at 3.6 km of line.
    public static let vdsl2Default = SpeedCurve(unchecked: [
        (0, 80), (600, 51), (1200, 24.5), (1800, 18), (2400, 13.3), (3000, 8.7), (3600, 4),
    ].map { Point(metres: $0.0, mbps: $0.1) })

    /// For literals that the tests validate through the checking initialiser.
    private init(unchecked points: [Point]) { self.points = points }

    /// Why a curve was rejected.
    public struct Invalid: Error, CustomStringConvertible, Sendable {
        /// The 0-based index of the point at fault; nil when the curve as a whole is.
        public let point: Int?
        /// What is wrong, without the position.
        public let reason: String
        public var description: String { point.map { "point \($0 + 1) of the speed curve: \(reason)" } ?? reason }
    }

    /// - Throws: `Invalid` when there are no points, a value is negative or not finite, the
    ///   lengths do not strictly increase, or a speed rises with length.
    public init(_ points: [Point]) throws {
        guard !points.isEmpty else { throw Invalid(point: nil, reason: "the speed curve has no points") }
        func text(_ v: Double) -> String { String(format: "%g", v) }
        for (i, p) in points.enumerated() {
            guard p.metres.isFinite, p.mbps.isFinite, p.metres >= 0, p.mbps >= 0 else {
                throw Invalid(point: i, reason: "a length or speed is negative or not a number")
            }
            if i > 0 {
                let before = points[i - 1]
                guard p.metres > before.metres else {
                    throw Invalid(point: i, reason: "the lengths must increase (\(text(p.metres)) m after \(text(before.metres)) m)")
                }
                guard p.mbps <= before.mbps else {
                    throw Invalid(point: i, reason: "the speed must not rise with line length (\(text(p.mbps)) Mbit/s after \(text(before.mbps)))")
                }
            }
        }
        self.points = points
    }

    /// Speed in Mbit/s at a line length in metres.
    @inline(__always)
    public func speed(lineLengthMetres length: Double) -> Double {
        if length <= points[0].metres { return points[0].mbps }
        for i in 1..<points.count where length <= points[i].metres {
            let a = points[i - 1], b = points[i]
            return a.mbps + (b.mbps - a.mbps) * (length - a.metres) / (b.metres - a.metres)
        }
        return points[points.count - 1].mbps
    }

    /// How far a line can be and still give at least `mbps`.
    public enum Reach: Sendable, Equatable {
        /// Not even a zero-length line is fast enough.
        case none
        /// Up to this many metres of line.
        case metres(Double)
        /// Any length: the curve's last speed meets the threshold.
        case unlimited
    }

    public func reach(forMbps mbps: Double) -> Reach {
        guard points[0].mbps >= mbps else { return .none }
        if points[points.count - 1].mbps >= mbps { return .unlimited }
        for i in 0..<(points.count - 1) where points[i + 1].mbps < mbps {
            let a = points[i], b = points[i + 1]
            return .metres(a.metres + (a.mbps - mbps) / (a.mbps - b.mbps) * (b.metres - a.metres))
        }
        return .unlimited
    }

    /// The line length past which the speed no longer changes.
    public var lastMetres: Double { points[points.count - 1].metres }
}
