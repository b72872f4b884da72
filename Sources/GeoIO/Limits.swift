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
}
