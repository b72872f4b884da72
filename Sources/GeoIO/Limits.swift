import Foundation

/// The largest inputs bbplan accepts, so that a mistaken or hostile file fails with a clear
/// message instead of exhausting memory. Documented in docs/RELIABILITY.md.
public enum Limits {
    /// Features in one vector layer (polygons or points read through GDAL).
    public static let maxFeatures = 50_000_000
    /// Vertices in one feature (the whole of Great Britain's coastline at full resolution is
    /// a few million).
    public static let maxVerticesPerFeature = 20_000_000
    /// Rows in one CSV point file (about twice the number of GB premises).
    public static let maxCSVRows = 60_000_000
    /// Size of one input file on disk (compressed size for gzip). The national postcode file
    /// is 14 MB gzipped; an address-level file for all of GB is a few GB.
    public static let maxFileBytes: Int64 = 16 << 30

    /// Throws when the file at `path` is larger than `maxFileBytes`.
    static func checkSize(_ path: String) throws {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let size = (attributes[.size] as? NSNumber)?.int64Value else { return }
        if size > maxFileBytes {
            throw GeoIOError(path: path, "file is \(size >> 20) MiB; inputs are limited to \(maxFileBytes >> 30) GiB (see docs/RELIABILITY.md)")
        }
    }
}
