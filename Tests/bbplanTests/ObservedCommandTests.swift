import Foundation
import Testing
import TestSupport

/// The observed-data features end to end, through the bbplan binary: the warning on stderr,
/// in summary.json and in the report; the ofcom_laua check against the file itself; and
/// `bbplan calibrate`'s outputs and refusals.
@Suite("Observed data on the command line")
struct ObservedCommandTests {
    static func json(_ path: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
    }

    static func write(_ yaml: String, _ label: String) throws -> (dir: URL, path: String) {
        let dir = TestPaths.temporaryDirectory(label)
        let path = dir.appendingPathComponent("scenario.yaml").path
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: path))
        return (dir, path)
    }

    @Test func aModelledProgrammeBuyingServedPremisesIsWarnedAbout() throws {
        let (dir, path) = try Self.write("""
            extends: \(TestPaths.repo("Scenarios/greater-manchester-gigabit.yaml"))
            name: Trafford gigabit checked
            authorities: { only: [E08000009] }
            uncertainty: null
            observed:
              - type: ofcom_postcode
                use: check
                path: \(TestPaths.repo("GeoData/availability/ofcom"))/202601_fixed_pc_coverage_r1_*.csv.gz
            outputs: { formats: [html] }
            """, "observed-warning")
        let out = dir.appendingPathComponent("out").path
        let result = try BBPlanBinary.run(["run", path, "--out", out])
        #expect(result.status == 0, "\(result.stderr)")
        let warnings = result.stderr.split(separator: "\n").filter { $0.hasPrefix("warning: ") }
        #expect(warnings.count == 1, "\(result.stderr)")
        let summary = try Self.json(out + "/summary.json")
        let listed = try #require(summary["warnings"] as? [String])
        #expect(listed.count == 1)
        #expect(warnings.first.map { String($0.dropFirst("warning: ".count)) } == listed.first)
        let served = try #require((summary["observed"] as? [String: Any])?["already_served"] as? [String: Any])
        #expect((served["households"] as? Double ?? Double(served["households"] as? Int ?? 0)) > 0)
        let page = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
        #expect(page.contains("<section id=\"warnings\">"))
        #expect(page.contains("already puts at or above gigabit"))
    }

    @Test func theAuthorityCheckQuotesTheFileAndTheRun() throws {
        let out = TestPaths.temporaryDirectory("observed-laua").appendingPathComponent("out").path
        let result = try BBPlanBinary.run(["coverage", TestPaths.repo("Scenarios/greater-manchester-observed.yaml"), "--out", out])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stderr.contains("warning:"))
        let summary = try Self.json(out + "/summary.json")
        // The authority file read here by hand: column by name, one row per code.
        let text = try String(contentsOfFile: TestPaths.repo("GeoData/availability/ofcom/202601_fixed_laua_coverage_r1.csv"), encoding: .utf8)
        let lines = text.replacingOccurrences(of: "\u{FEFF}", with: "").split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = lines[0]
        let gigabitColumn = try #require(header.firstIndex(of: "Gigabit availability (% premises)"))
        let published = Dictionary(uniqueKeysWithValues: lines.dropFirst().map { ($0[0], Double($0[gigabitColumn])!) })
        let authorities = try #require(summary["authorities"] as? [[String: Any]])
        let runShare = Dictionary(uniqueKeysWithValues: try authorities.map { a in
            let before = try #require(a["before"] as? [String: Any])
            let shares = try #require(before["share_by_tier"] as? [String: Any])
            return (a["code"] as! String, (shares["gigabit"] as? Double) ?? Double(shares["gigabit"] as? Int ?? -1))
        })
        let check = try #require((summary["observed"] as? [String: Any])?["authority_check"] as? [[String: Any]])
        let gigabit = check.filter { $0["tier"] as? String == "gigabit" }
        #expect(gigabit.count == 10)
        for row in gigabit {
            let code = try #require(row["code"] as? String)
            let p = (row["published_share"] as? Double) ?? Double(row["published_share"] as? Int ?? -1)
            let r = (row["run_share"] as? Double) ?? Double(row["run_share"] as? Int ?? -1)
            let d = (row["difference_pp"] as? Double) ?? Double(row["difference_pp"] as? Int ?? -1)
            #expect(abs(p * 100 - published[code]!) < 1e-6, "\(code)")
            #expect(abs(r - runShare[code]!) < 1e-6, "\(code)")
            #expect(abs(d - (r - p) * 100) < 1e-3, "\(code)")
            #expect(abs(d) <= 0.5, "\(code): \(d) pp")
        }
    }

    @Test func calibrateWritesAScenarioThatValidates() throws {
        let (dir, path) = try Self.write("""
            extends: \(TestPaths.repo("Scenarios/greater-manchester-observed.yaml"))
            name: Trafford observed
            authorities: { only: [E08000009] }
            """, "calibrate")
        let out = dir.appendingPathComponent("calibration").path
        let result = try BBPlanBinary.run(["calibrate", path, "--out", out])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("held-out half"))
        for file in ["calibration.json", "postcodes.csv", "calibrated.yaml", "report.html"] {
            #expect(FileManager.default.fileExists(atPath: out + "/" + file), "\(file)")
        }
        let calibration = try Self.json(out + "/calibration.json")
        let authorities = try #require(calibration["authorities"] as? [[String: Any]])
        #expect(authorities.map { $0["code"] as? String } == ["E08000009"])
        // The snippet is a scenario bbplan accepts.
        let snippet = dir.appendingPathComponent("calibrated.yaml").path
        try FileManager.default.copyItem(atPath: out + "/calibrated.yaml", toPath: snippet)
        let validated = try BBPlanBinary.run(["validate", snippet])
        #expect(validated.status == 0, "\(validated.stderr)")
        #expect(validated.stdout.contains("Trafford observed (calibrated): valid"))
    }

    @Test func calibrateWithoutPostcodeDataIsRefused() throws {
        let result = try BBPlanBinary.run(["calibrate", TestPaths.repo("Scenarios/cumbria-baseline.yaml"),
                                           "--out", TestPaths.temporaryDirectory("calibrate-refused").appendingPathComponent("out").path])
        #expect(result.status == 2)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(result.stderr.contains("add an observed source of type ofcom_postcode"))
    }
}
