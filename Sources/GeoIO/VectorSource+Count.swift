import CGDAL
import Geometry

extension VectorSource {
    /// A layer's feature count and extent (in its own CRS; nil when it has no geometry).
    ///
    /// Drivers that keep both (GeoPackage, Shapefile, FlatGeobuf, GeoJSON held in memory) are
    /// asked for them. Others (CSV) can only find either by reading every feature, and GDAL's
    /// own count and extent would each read the whole file: for the national postcode file,
    /// decompressing and parsing 1.7 million rows twice. So such a layer is read once, with
    /// its attribute fields ignored, counting features and growing the extent together;
    /// `progress` hears when the scan starts (0) and how far it has got every `progressEvery`
    /// features.
    func countAndExtent(_ layer: OGRLayerH, name: String, hasGeometry: Bool, progressEvery: Int,
                        progress: ((String, Int) -> Void)?) throws -> (count: Int, extent: Envelope?) {
        let fastCount = OGR_L_TestCapability(layer, OLCFastFeatureCount) != 0
        let fastExtent = !hasGeometry || OGR_L_TestCapability(layer, OLCFastGetExtent) != 0
        CPLErrorReset()
        if fastCount && fastExtent {
            let count = OGR_L_GetFeatureCount(layer, 1)
            if count < 0 || CPLGetLastErrorType() == CE_Failure { throw countFailure(name) }
            var extent: Envelope?
            var e = OGREnvelope()
            if hasGeometry, count > 0, OGR_L_GetExtent(layer, &e, 1) == OGRERR_NONE {
                extent = Envelope(minX: e.MinX, minY: e.MinY, maxX: e.MaxX, maxY: e.MaxY)
            }
            return (Int(count), extent)
        }
        // Only the geometry is needed: every attribute field (and the style) is skipped.
        let defn = OGR_L_GetLayerDefn(layer)
        let ignored = (0..<OGR_FD_GetFieldCount(defn)).map { String(cString: OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, $0))) } + ["OGR_STYLE"]
        _ = GDAL.withCStringArray(ignored) { list in
            list.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: ignored.count + 1) { OGR_L_SetIgnoredFields(layer, $0) }
        }
        defer { OGR_L_SetIgnoredFields(layer, nil) }
        OGR_L_ResetReading(layer)
        defer { OGR_L_ResetReading(layer) }
        CPLErrorReset()
        var count = 0
        // Plain numbers rather than an Envelope per feature: this loop runs millions of times.
        var minX = Double.infinity, minY = Double.infinity, maxX = -Double.infinity, maxY = -Double.infinity
        var anyGeometry = false
        var e = OGREnvelope()
        let step = max(1, progressEvery)
        progress?(name, 0)
        while let feature = OGR_L_GetNextFeature(layer) {
            count += 1
            if let geometry = OGR_F_GetGeometryRef(feature), OGR_G_IsEmpty(geometry) == 0 {
                OGR_G_GetEnvelope(geometry, &e)
                minX = min(minX, e.MinX); minY = min(minY, e.MinY)
                maxX = max(maxX, e.MaxX); maxY = max(maxY, e.MaxY)
                anyGeometry = true
            }
            OGR_F_Destroy(feature)
            if count % step == 0 { progress?(name, count) }
        }
        let extent = anyGeometry ? Envelope(minX: minX, minY: minY, maxX: maxX, maxY: maxY) : nil
        if CPLGetLastErrorType() == CE_Failure { throw countFailure(name) }
        return (count, extent)
    }

    private func countFailure(_ name: String) -> GeoIOError {
        GeoIOError(path: path, location: "layer '\(name.excerpt)'", "cannot count features: \(VectorSource.shorten(GDAL.lastError()))")
    }
}
