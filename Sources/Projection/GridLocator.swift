import Foundation

/// Finds the datum-shift grids bbplan ships (OSTN15 for OSGB36 <-> ETRS89) so that PROJ uses
/// them without any setup by the user.
///
/// Looked for, in order: the folder in `BBPLAN_PROJ_GRIDS`; `GeoData/proj` in the folders
/// above the running executable (a source checkout: `.build/<config>/bbplan`); the same above
/// this source file (tests); and above the working directory.
public enum GridLocator {
    /// The grid file for Great Britain. Source: PROJ-data, `uk_os` (BSD-2-Clause).
    public static let ostn15FileName = "uk_os_OSTN15_NTv2_OSGBtoETRS.tif"

    /// The folder holding the shipped grids, or nil when none is found.
    public static let directory: String? = locate()

    /// The OSTN15 grid's full path, when found.
    public static var ostn15Path: String? {
        directory.map { ($0 as NSString).appendingPathComponent(ostn15FileName) }
    }

    static func locate() -> String? {
        let fm = FileManager.default
        func holdsGrid(_ dir: String) -> Bool {
            fm.isReadableFile(atPath: (dir as NSString).appendingPathComponent(ostn15FileName))
        }
        if let env = ProcessInfo.processInfo.environment["BBPLAN_PROJ_GRIDS"], !env.isEmpty {
            return holdsGrid(env) ? env : nil
        }
        var starts: [String] = []
        if let exe = try? fm.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            starts.append((exe as NSString).deletingLastPathComponent)
        } else if let exe = Bundle.main.executablePath {
            starts.append(((exe as NSString).resolvingSymlinksInPath as NSString).deletingLastPathComponent)
        }
        starts.append((#filePath as NSString).deletingLastPathComponent)
        starts.append(fm.currentDirectoryPath)
        for start in starts {
            var dir = start
            for _ in 0..<8 {
                let candidate = (dir as NSString).appendingPathComponent("GeoData/proj")
                if holdsGrid(candidate) { return candidate }
                let installed = (dir as NSString).appendingPathComponent("share/bbplan/proj")
                if holdsGrid(installed) { return installed }
                let parent = (dir as NSString).deletingLastPathComponent
                if parent == dir { break }
                dir = parent
            }
        }
        return nil
    }
}
