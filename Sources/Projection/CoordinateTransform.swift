import CPROJ
import Foundation

/// Converts coordinates between two CRSs in bulk, always with x = easting or longitude and
/// y = northing or latitude (authority axis order, e.g. EPSG:4326's lat/lon, is normalised).
///
/// Owns its own PROJ context, so one transform can be used on one thread at a time; parallel
/// code makes one per thread.
public final class CoordinateTransform {
    public let source: CRS
    public let target: CRS
    private let context: OpaquePointer
    private let pj: OpaquePointer?

    public init(from source: CRS, to target: CRS) throws {
        self.source = source
        self.target = target
        context = proj_context_create()
        ProjContext.configure(context)
        if source == target {
            pj = nil
            return
        }
        do {
            let s = try source.makePJ(context), t = try target.makePJ(context)
            guard let raw = proj_create_crs_to_crs_from_pj(context, s.pointer, t.pointer, nil, nil) else {
                throw ProjectionError("no transformation from \(source) to \(target)")
            }
            let normalized = proj_normalize_for_visualization(context, raw)
            proj_destroy(raw)
            guard let normalized else {
                throw ProjectionError("cannot normalise axis order from \(source) to \(target)")
            }
            pj = normalized
        } catch {
            proj_context_destroy(context)
            throw error
        }
    }

    deinit {
        if let pj { proj_destroy(pj) }
        proj_context_destroy(context)
    }

    /// True when source and target are the same CRS and coordinates pass through untouched.
    public var isIdentity: Bool { pj == nil }

    /// Transforms in place. Points PROJ cannot transform become NaN; their indices are returned.
    ///
    /// - Parameters:
    ///   - xs: eastings or longitudes (degrees), replaced by the target's x.
    ///   - ys: northings or latitudes (degrees), replaced by the target's y.
    @discardableResult
    public func transform(xs: inout [Double], ys: inout [Double]) -> [Int] {
        precondition(xs.count == ys.count, "transform: xs and ys differ in length")
        guard let pj, !xs.isEmpty else { return [] }
        let n = xs.count
        xs.withUnsafeMutableBufferPointer { xb in
            ys.withUnsafeMutableBufferPointer { yb in
                _ = proj_trans_generic(
                    pj, PJ_FWD,
                    xb.baseAddress, MemoryLayout<Double>.stride, n,
                    yb.baseAddress, MemoryLayout<Double>.stride, n,
                    nil, 0, 0, nil, 0, 0)
            }
        }
        var failed: [Int] = []
        for i in 0..<n where !xs[i].isFinite || !ys[i].isFinite || abs(xs[i]) >= 1e30 || abs(ys[i]) >= 1e30 {
            xs[i] = .nan
            ys[i] = .nan
            failed.append(i)
        }
        return failed
    }

    /// One point; nil when PROJ cannot transform it.
    public func transform(x: Double, y: Double) -> (x: Double, y: Double)? {
        var xs = [x], ys = [y]
        let failed = transform(xs: &xs, ys: &ys)
        return failed.isEmpty ? (xs[0], ys[0]) : nil
    }

    /// The operation PROJ applied to the last point transformed, with the grids it used.
    /// Nil before any transform or for an identity transform.
    public var lastOperation: OperationInfo? {
        guard let pj, let op = proj_trans_get_last_used_operation(pj) else { return nil }
        defer { proj_destroy(op) }
        return OperationInfo(op, context)
    }

    /// The operation PROJ ranks best for this pair of CRSs (the one used for points inside its
    /// area), without transforming anything. Nil only for an identity transform.
    /// - Throws: `ProjectionError` when PROJ lists no operation (a report must not read that
    ///   as "no datum shift needed").
    public func bestOperation() throws -> OperationInfo? {
        guard pj != nil else { return nil }
        let s = try source.makePJ(context), t = try target.makePJ(context)
        guard let factory = proj_create_operation_factory_context(context, nil) else {
            throw ProjectionError("cannot list the operations from \(source) to \(target)")
        }
        defer { proj_operation_factory_context_destroy(factory) }
        proj_operation_factory_context_set_grid_availability_use(
            context, factory, PROJ_GRID_AVAILABILITY_DISCARD_OPERATION_IF_MISSING_GRID)
        proj_operation_factory_context_set_spatial_criterion(
            context, factory, PROJ_SPATIAL_CRITERION_PARTIAL_INTERSECTION)
        guard let list = proj_create_operations(context, s.pointer, t.pointer, factory) else {
            throw ProjectionError("cannot list the operations from \(source) to \(target)")
        }
        defer { proj_list_destroy(list) }
        guard proj_list_get_count(list) > 0, let op = proj_list_get(context, list, 0) else {
            throw ProjectionError("PROJ lists no operation from \(source) to \(target)")
        }
        defer { proj_destroy(op) }
        return OperationInfo(op, context)
    }

    /// The operation this transform applied, for the run's record of datum shifts: the one PROJ
    /// used for the last point transformed, or (before any point, or when none could be
    /// transformed) the one it ranks best. Nil only for an identity transform.
    /// - Throws: `ProjectionError` when PROJ cannot name it.
    public func appliedOperation() throws -> OperationInfo? {
        guard pj != nil else { return nil }
        return try lastOperation ?? bestOperation()
    }

    /// The source CRS's area of use as a rectangle in the source's own coordinates, or nil
    /// when PROJ does not know the area.
    public func sourceAreaBounds() -> (minX: Double, minY: Double, maxX: Double, maxY: Double)? {
        guard let area = source.areaOfUse else { return nil }
        if source.isGeographic { return (area.west, area.south, area.east, area.north) }
        guard let degrees = try? CoordinateTransform(from: .wgs84, to: source), let dpj = degrees.pj else {
            return nil
        }
        var minX = 0.0, minY = 0.0, maxX = 0.0, maxY = 0.0
        let ok = proj_trans_bounds(
            degrees.context, dpj, PJ_FWD, area.west, area.south, area.east, area.north,
            &minX, &minY, &maxX, &maxY, 21)
        return ok == 1 ? (minX, minY, maxX, maxY) : nil
    }
}

/// What PROJ did (or would do) to go between two CRSs.
public struct OperationInfo: Sendable, Equatable {
    /// PROJ's name, e.g. "Inverse of British National Grid + OSGB36 to WGS 84 (9)".
    public let name: String
    /// Stated accuracy in metres; nil when unknown (e.g. a ballpark transformation).
    public let accuracyMetres: Double?
    /// Short names of the grids the operation uses, e.g. "uk_os_OSTN15_NTv2_OSGBtoETRS.tif".
    public let grids: [String]

    /// Whether the exact OSTN15 shift is applied (rather than a metres-off Helmert one).
    public var usesOSTN15: Bool { grids.contains { $0.contains("OSTN15") } }

    init(_ op: OpaquePointer, _ context: OpaquePointer) {
        name = proj_get_name(op).map { String(cString: $0) } ?? "unnamed operation"
        let accuracy = proj_coordoperation_get_accuracy(context, op)
        accuracyMetres = accuracy >= 0 ? accuracy : nil
        var grids: [String] = []
        let count = proj_coordoperation_get_grid_used_count(context, op)
        for i in 0..<max(0, count) {
            var shortName: UnsafePointer<CChar>?
            if proj_coordoperation_get_grid_used(
                context, op, i, &shortName, nil, nil, nil, nil, nil, nil) == 1, let shortName {
                grids.append(String(cString: shortName))
            }
        }
        self.grids = grids
    }
}
