import Foundation

/// The largest inputs bbplan accepts, so that a mistaken or hostile file fails with a clear
/// message instead of exhausting memory or running forever. Documented in docs/RELIABILITY.md.
public enum Limits {
    /// Features in one vector layer (polygons or points read through GDAL).
    public static let maxFeatures = 50_000_000
    /// Vertices in one feature (the whole of Great Britain's coastline at full resolution is
    /// a few million).
    public static let maxVerticesPerFeature = 20_000_000
    /// Rows in one CSV point file (about twice the number of GB premises).
    public static let maxCSVRows = 60_000_000
    /// Size of one input file on disk (compressed size for gzip), checked before reading, and
    /// bytes actually read from one file by bbplan's own readers (the CSV reader and the
    /// SHA-256), so a file that grows while it is read is bounded too. The national postcode
    /// file is 14 MB gzipped; an address-level file for all of GB is a few GB.
    public static let maxFileBytes: Int64 = 16 << 30
    /// Bytes of decompressed data read from one gzip or archive input by the CSV reader. About
    /// 30 million GB addresses at 100-200 bytes a row are a few GB uncompressed: 64 GiB is over
    /// ten times that, and stops a small "gzip bomb" long before it fills memory or time.
    public static let maxUncompressedBytes: Int64 = 64 << 30
    /// Bytes in one CSV record (one row, including quoted line breaks). Real rows are under a
    /// few hundred bytes; a longer record is a file without line ends or a runaway quote, and
    /// is refused as soon as it is seen rather than after reading the whole file.
    public static let maxCSVRecordBytes = 1 << 20

    /// A byte count for messages: "16 GiB", "1 MiB", "512 KiB", "100 bytes".
    static func describe(bytes: Int64) -> String {
        for (shift, unit) in [(30, "GiB"), (20, "MiB"), (10, "KiB")] where bytes >= Int64(1) << shift {
            let whole = bytes >> shift
            return whole << shift == bytes ? "\(whole) \(unit)" : String(format: "%.1f %@", Double(bytes) / Double(Int64(1) << shift), unit)
        }
        return "\(bytes) bytes"
    }
}
