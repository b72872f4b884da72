import Foundation
import Testing
import TestSupport
@testable import FuzzHarness

/// Replays every input the fuzzers kept (Fuzz/Corpus) through the same property checks, so a
/// bug the fuzzer found once stays fixed.
@Suite("Fuzz corpus replay")
struct FuzzCorpusReplayTests {
    static func corpus(_ name: String) -> [URL] {
        let dir = URL(fileURLWithPath: TestPaths.repo("Fuzz/Corpus/\(name)"))
        let files = (try? FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil)) ?? []
        return files.filter { !$0.lastPathComponent.hasPrefix(".") }.sorted { $0.path < $1.path }
    }

    @Test func scenarioCorpus() throws {
        let files = Self.corpus("scenario")
        #expect(files.count >= 5, "the scenario corpus is missing")
        for file in files {
            #expect(FuzzHarness.scenario(Array(try Data(contentsOf: file))) == nil, "\(file.lastPathComponent)")
        }
    }

    @Test func csvCorpus() throws {
        let files = Self.corpus("csv")
        #expect(files.count >= 5, "the CSV corpus is missing")
        for file in files {
            #expect(FuzzHarness.csv(Array(try Data(contentsOf: file))) == nil, "\(file.lastPathComponent)")
        }
    }

    @Test func namesCorpus() throws {
        let files = Self.corpus("names")
        #expect(files.count >= 5, "the names corpus is missing")
        for file in files {
            #expect(FuzzHarness.outputName(Array(try Data(contentsOf: file))) == nil, "\(file.lastPathComponent)")
        }
    }

    @Test("the properties catch what they should", arguments: [
        "a: [1, 2\n", "name: x\nauthorities: 3\n", String(repeating: "[", count: 5000), "",
    ])
    func scenarioErrorsAreOneLine(text: String) {
        #expect(FuzzHarness.scenario(Array(text.utf8)) == nil)
    }
}
