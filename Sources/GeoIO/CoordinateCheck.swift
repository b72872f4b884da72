import Foundation
import Projection

/// Catches coordinates that cannot be in the CRS they are declared in, before they turn
/// into silently wrong answers: BNG metres declared as WGS 84, lon/lat swapped, degrees
/// declared as metres.
public struct CoordinateCheck: Sendable {
    public let source: CRS
    public let target: CRS
    /// The source CRS's area of use in its own coordinates, widened by a margin.
    let sourceBounds: (minX: Double, minY: Double, maxX: Double, maxY: Double)?
    /// The target CRS's area of use in target coordinates, widened by a margin.
    let targetBounds: (minX: Double, minY: Double, maxX: Double, maxY: Double)?

    /// - Parameters:
    ///   - source: the CRS the data is in.
    ///   - target: the working CRS it is converted to.
    public init(source: CRS, target: CRS) {
        self.source = source
        self.target = target
        sourceBounds = Self.bounds(of: source)
        targetBounds = source == target ? nil : Self.bounds(of: target)
    }

    /// The CRS's area of use widened by 10% of its larger side (generous: the check is there
    /// to catch coordinates in the wrong units or order, which miss by far more).
    private static func bounds(of crs: CRS) -> (minX: Double, minY: Double, maxX: Double, maxY: Double)? {
        if crs.isGeographic {
            return (-180, -90, 180, 90)
        }
        guard let t = try? CoordinateTransform(from: crs, to: crs), let b = t.sourceAreaBounds() else {
            return nil
        }
        let margin = 0.1 * max(b.maxX - b.minX, b.maxY - b.minY)
        return (b.minX - margin, b.minY - margin, b.maxX + margin, b.maxY + margin)
    }

    /// Why (x, y) cannot be a coordinate of the source CRS, or nil if it can.
    public func problem(sourceX x: Double, y: Double) -> String? {
        guard x.isFinite, y.isFinite else { return "coordinate is not a finite number" }
        if source.isGeographic {
            if abs(x) > 180 || abs(y) > 90 {
                return "(\(CSVWriter.number(x, digits: 6)), \(CSVWriter.number(y, digits: 6))) is not a longitude/latitude in \(source.label); are these projected metres (e.g. EPSG:27700)?"
            }
            return nil
        }
        if let b = sourceBounds, x < b.minX || x > b.maxX || y < b.minY || y > b.maxY {
            return "(\(CSVWriter.number(x, digits: 6)), \(CSVWriter.number(y, digits: 6))) is far outside the area of use of \(source.label)"
        }
        return nil
    }

    /// Why (x, y), already converted to the target CRS, cannot be right, or nil if it can.
    public func problem(targetX x: Double, y: Double, sourceX: Double, sourceY: Double) -> String? {
        guard x.isFinite, y.isFinite else {
            return "(\(CSVWriter.number(sourceX, digits: 6)), \(CSVWriter.number(sourceY, digits: 6))) in \(source.label) cannot be converted to \(target.label)"
        }
        if let b = targetBounds, x < b.minX || x > b.maxX || y < b.minY || y > b.maxY {
            let swap = source.isGeographic ? "; are longitude and latitude swapped?" : ""
            return "(\(CSVWriter.number(sourceX, digits: 6)), \(CSVWriter.number(sourceY, digits: 6))) in \(source.label) lies far outside the area of use of \(target.label)\(swap)"
        }
        return nil
    }

    /// For a projected CRS: data whose every coordinate fits within ±180/±90 is almost
    /// certainly longitude/latitude mislabelled as metres.
    public func looksLikeDegrees(_ envelope: (minX: Double, minY: Double, maxX: Double, maxY: Double), count: Int) -> String? {
        guard !source.isGeographic, count > 0,
              envelope.minX >= -180, envelope.maxX <= 180, envelope.minY >= -90, envelope.maxY <= 90
        else { return nil }
        return "every coordinate lies within ±180/±90: this looks like longitude/latitude, not \(source.label) metres; declare crs: EPSG:4326"
    }
}
