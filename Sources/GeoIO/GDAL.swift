import CGDAL
import Foundation
import Projection

/// One-time GDAL setup and helpers for its error conventions.
enum GDAL {
    /// Registers drivers, silences GDAL's own stderr output (bbplan reports errors itself) and
    /// puts bbplan's grid folder on the search path GDAL gives PROJ, so GDAL-side
    /// reprojection uses OSTN15 too. Safe to call from any thread, runs once.
    static func ensureReady() { _ = ready }

    private static let ready: Bool = {
        CPLSetErrorHandler(CPLQuietErrorHandler)
        // No network access, ever: results must not depend on a server being reachable, and a
        // file must not make bbplan fetch anything. `InputFile` refuses network paths before
        // GDAL sees them; these close what a file could still ask for (an OGR VRT naming a
        // /vsicurl/ source, a GML schema or xlink URL, a PROJ grid on the CDN).
        CPLSetConfigOption("GDAL_HTTP_TIMEOUT", "1")
        CPLSetConfigOption("GDAL_HTTP_CONNECTTIMEOUT", "1")
        CPLSetConfigOption("GDAL_HTTP_MAX_RETRY", "0")
        CPLSetConfigOption("CPL_VSIL_CURL_ALLOWED_EXTENSIONS", "none")
        CPLSetConfigOption("GML_DOWNLOAD_WFS_SCHEMA", "NO")
        CPLSetConfigOption("GML_SKIP_RESOLVE_ELEMS", "ALL")
        CPLSetConfigOption("PROJ_NETWORK", "OFF")
        OSRSetPROJEnableNetwork(0)
        // Every HTTP request made through GDAL's CPLHTTPFetch (schemas, xlinks, web services)
        // is answered with a failure instead of reaching the network.
        CPLHTTPSetFetchCallback({ _, _, _, _, _, _, _ in
            let result = CPLCalloc(1, MemoryLayout<CPLHTTPResult>.size).assumingMemoryBound(to: CPLHTTPResult.self)
            result.pointee.nStatus = 1
            result.pointee.pszErrBuf = CPLStrdup("network access is switched off in bbplan")
            return result
        }, nil)
        // GeoJSON objects larger than GDAL's 200 MB default are refused; bbplan's own limit
        // (docs/RELIABILITY.md) is enforced before reading.
        var paths: [String] = []
        if let grids = GridLocator.directory { paths.append(grids) }
        let existing = OSRGetPROJSearchPaths()
        if let existing {
            var i = 0
            while let p = existing[i] {
                paths.append(String(cString: p))
                i += 1
            }
            CSLDestroy(existing)
        }
        withConstCStringArray(paths) { OSRSetPROJSearchPaths($0) }
        GDALAllRegister()
        return true
    }()

    /// Closes a dataset opened for writing. GDAL 3.6's GDALClose returns nothing, so failures
    /// (the final flush) are read from the error state; `failure` words the message, e.g.
    /// "cannot close".
    static func close(_ dataset: GDALDatasetH, path: String, failure: String) throws {
        CPLErrorReset()
        GDALClose(dataset)
        if CPLGetLastErrorType().rawValue >= CE_Failure.rawValue {
            throw GeoIOError(path: path, "\(failure): \(lastError())")
        }
    }

    /// GDAL's last error message on this thread, or a fallback.
    static func lastError(_ fallback: String = "unknown GDAL error") -> String {
        guard CPLGetLastErrorType() != CE_None, let msg = CPLGetLastErrorMsg() else { return fallback }
        let text = String(cString: msg).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? fallback : text
    }

    /// Calls `body` with a NULL-terminated C string list (GDAL's CSL convention).
    static func withCStringArray<R>(_ strings: [String], _ body: (UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
        var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        pointers.append(nil)
        defer { pointers.forEach { free($0) } }
        return pointers.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
    }

    /// `withCStringArray` for APIs taking `const char* const*`.
    static func withConstCStringArray<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
        withCStringArray(strings) { list in
            list.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: strings.count + 1) { body($0) }
        }
    }

    /// The CRS of an OGR spatial reference: `EPSG:n` when GDAL knows the code, else PROJJSON.
    static func crs(of srs: OGRSpatialReferenceH) throws -> CRS {
        if let auth = OSRGetAuthorityName(srs, nil), String(cString: auth) == "EPSG",
           let code = OSRGetAuthorityCode(srs, nil) {
            return try CRS("EPSG:\(String(cString: code))")
        }
        var json: UnsafeMutablePointer<CChar>?
        if OSRExportToPROJJSON(srs, &json, nil) == OGRERR_NONE, let json {
            defer { VSIFree(json) }
            return try CRS(String(cString: json))
        }
        var wkt: UnsafeMutablePointer<CChar>?
        guard OSRExportToWkt(srs, &wkt) == OGRERR_NONE, let wkt else {
            throw ProjectionError("cannot read the file's CRS")
        }
        defer { VSIFree(wkt) }
        return try CRS(String(cString: wkt))
    }

    /// An OGR spatial reference for a CRS, with x = easting/longitude axis order.
    static func spatialReference(_ crs: CRS) -> OGRSpatialReferenceH? {
        guard let srs = OSRNewSpatialReference(nil) else { return nil }
        let ok: Bool
        if let epsg = crs.epsg {
            ok = OSRImportFromEPSG(srs, Int32(epsg)) == OGRERR_NONE
        } else {
            ok = OSRSetFromUserInput(srs, crs.wkt) == OGRERR_NONE
        }
        guard ok else {
            OSRDestroySpatialReference(srs)
            return nil
        }
        OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER)
        return srs
    }
}
