// swift-tools-version:6.0
import PackageDescription

// libFuzzer targets for bbplan. Built by scripts/fuzz with
//   swift build --sanitize=fuzzer,address -Xswiftc -parse-as-library
// kept apart from the main package so that a normal build never needs the fuzzer runtime.
let package = Package(
    name: "bbplan-fuzz",
    dependencies: [.package(name: "bbplan", path: "..")],
    targets: ["FuzzScenario", "FuzzCSV", "FuzzNames"].map { name in
        .executableTarget(name: name, dependencies: [.product(name: "FuzzHarness", package: "bbplan")])
    }
)
