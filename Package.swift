// swift-tools-version:6.0
import PackageDescription

// Layers, bottom to top (see docs/ARCHITECTURE.md):
//   CGEOS, CPROJ, CGDAL (system libraries); Locking (the lock box and background results; Foundation only)
//   Geometry (GEOS), Projection (PROJ)  ->  GeoIO (GDAL/OGR)
//   Availability (observed data: Ofcom, BDUK, address points; the postcode split)  <-  GeoIO
//   Coverage (domain: premises, networks, baseline, coverage)  ->  Scenario (observed join, rollout, calibration; also <- Availability)
//   RunSummary (the typed summary.json and its ordered JSON writer; Foundation only)
//   OutputSafety (output folders: refused locations, manifests, atomic replacement, recovery)
//   Reports (summary.json, tables, HTML, output layers), RunStore (SQLite catalogue)
//   Batch (running scenarios: one run's pipeline, a batch's plan, resume, workers, report)
//   bbplan (the command line: ArgumentParser commands that parse flags and call the libraries)
let package = Package(
    name: "bbplan",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "bbplan", targets: ["bbplan"]),
        // For the fuzzers in Fuzz/ (a separate package built with -sanitize=fuzzer).
        .library(name: "FuzzHarness", targets: ["FuzzHarness"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CGEOS", pkgConfig: "geos",
            providers: [.apt(["libgeos-dev"]), .brew(["geos"])]),
        .systemLibrary(
            name: "CPROJ", pkgConfig: "proj",
            providers: [.apt(["libproj-dev"]), .brew(["proj"])]),
        .systemLibrary(
            name: "CGDAL", pkgConfig: "gdal",
            providers: [.apt(["libgdal-dev"]), .brew(["gdal"])]),

        .target(name: "Geometry", dependencies: ["CGEOS"]),
        .target(name: "Projection", dependencies: ["CPROJ"]),
        .target(name: "GeoIO", dependencies: ["CGDAL", "Geometry", "Locking", "Projection"]),
        .target(name: "Availability", dependencies: ["GeoIO", "Projection"]),
        .target(name: "Locking"),
        .target(name: "Coverage", dependencies: ["Geometry", "Locking"]),
        .target(name: "RunSummary"),
        .target(name: "Scenario", dependencies: ["Availability", "Coverage", "Geometry", "GeoIO", "Locking", "Projection", "RunSummary", "Yams"]),
        .target(name: "OutputSafety", dependencies: ["Locking"]),
        .target(name: "Reports", dependencies: ["Availability", "Scenario", "Coverage", "GeoIO", "Geometry", "Projection", "OutputSafety", "RunSummary"]),
        .target(name: "FuzzHarness", dependencies: ["Scenario", "GeoIO"]),
        .target(name: "RunStore", dependencies: ["RunSummary", .product(name: "GRDB", package: "GRDB.swift")]),
        .target(name: "Batch", dependencies: ["Scenario", "Reports", "RunStore", "RunSummary", "GeoIO", "OutputSafety", "Locking"]),
        .executableTarget(
            name: "bbplan",
            dependencies: [
                "Geometry", "Projection", "GeoIO", "Coverage", "Scenario", "Reports", "RunStore", "RunSummary", "OutputSafety", "Batch",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        // The readers' benchmark driver (scripts/bench-readers); not a bbplan command.
        .executableTarget(name: "ReaderBench", dependencies: ["Availability", "GeoIO", "Projection"]),

        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "LockingTests", dependencies: ["Locking"]),
        .testTarget(name: "GeometryTests", dependencies: ["Geometry"]),
        .testTarget(name: "ProjectionTests", dependencies: ["TestSupport", "Projection"]),
        .testTarget(name: "GeoIOTests", dependencies: ["TestSupport", "GeoIO", "Geometry", "Locking", "Projection"]),
        .testTarget(name: "AvailabilityTests", dependencies: ["TestSupport", "Availability", "GeoIO", "Geometry", "Projection"]),
        .testTarget(name: "CoverageTests", dependencies: ["TestSupport", "Coverage", "Geometry", "GeoIO", "Projection"]),
        .testTarget(name: "ScenarioTests", dependencies: ["TestSupport", "Scenario", "Availability", "Coverage", "Geometry", "GeoIO"]),
        .testTarget(name: "OutputSafetyTests", dependencies: ["TestSupport", "OutputSafety"]),
        .testTarget(name: "RunSummaryTests", dependencies: ["RunSummary"]),
        .testTarget(name: "ReportsTests", dependencies: ["TestSupport", "Reports", "RunSummary", "Scenario", "GeoIO", "OutputSafety"]),
        .testTarget(name: "RunStoreTests", dependencies: ["TestSupport", "RunStore", "RunSummary", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "BatchTests", dependencies: ["TestSupport", "Batch", "Locking", "RunStore", "RunSummary", "Reports", "Scenario"]),
        .testTarget(name: "FuzzHarnessTests", dependencies: ["TestSupport", "FuzzHarness"]),
        .testTarget(name: "bbplanTests", dependencies: ["TestSupport", ]),
    ]
)
