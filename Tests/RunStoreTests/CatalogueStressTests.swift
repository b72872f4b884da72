import Foundation
import GRDB
import Testing
import TestSupport
@testable import RunStore

/// The catalogue when another process holds its lock, and when it holds values bbplan cannot
/// have written.
@Suite("Run catalogue under stress")
struct CatalogueStressTests {
    /// A finished run in a fresh catalogue, closed again.
    static func finishedCatalogue() throws -> String {
        let path = RunCatalogueTests.freshPath()
        let catalogue = try RunCatalogue.open(path: path)
        let id = try #require(try catalogue.beginRun(RunCatalogueTests.startedRun()).id)
        try catalogue.finishRun(id: id, summary: RunCatalogueTests.results(), finishedAt: Date())
        try catalogue.close()
        return path
    }

    @Test func aWriteBlockedPastTheBusyTimeoutIsLockedAndChangesNothing() throws {
        let path = try Self.finishedCatalogue()
        let catalogue = try RunCatalogue.open(path: path, busyTimeout: 0.2)
        // Another connection (as another process would) holds the write lock.
        var configuration = Configuration()
        configuration.allowsUnsafeTransactions = true
        let other = try DatabaseQueue(path: path, configuration: configuration)
        try other.inDatabase { db in try db.execute(sql: "BEGIN EXCLUSIVE") }
        let error = try #require(throws: CatalogueError.self) { try catalogue.beginRun(RunCatalogueTests.startedRun("second")) }
        #expect(error == .locked(path: path))
        #expect(!error.isBadInput)
        #expect(error.description == "\(path): the run catalogue is locked by another process")
        // Reads go on (WAL), and once the lock is released the write goes through.
        #expect(try catalogue.runs().count == 1)
        try other.inDatabase { db in try db.execute(sql: "COMMIT") }
        #expect(try catalogue.beginRun(RunCatalogueTests.startedRun("second")).id != nil)
    }

    /// (SQL that damages a finished catalogue, the reason the refusal must give)
    static let damages: [(String, String)] = [
        ("UPDATE runs SET cost_gbp = 'about a million'", "runs row 1: cost_gbp holds 'about a million', expected a number ≥ 0"),
        ("UPDATE runs SET started_at = 'yesterday'", "runs row 1: started_at holds 'yesterday', expected a date"),
        ("UPDATE runs SET scenario_name = x'00ff'", "runs row 1: scenario_name holds X'00FF', expected text"),
        ("PRAGMA ignore_check_constraints = ON; UPDATE runs SET status = 'paused'", "runs row 1: status holds 'paused', expected running, finished or failed"),
        ("PRAGMA ignore_check_constraints = ON; UPDATE runs SET gigabit_share_before = -0.5", "runs row 1: gigabit_share_before holds -0.5, expected a share from 0 to 1"),
        ("PRAGMA ignore_check_constraints = ON; UPDATE runs SET households = NULL", "runs row 1: expected the totals of a finished run"),
        ("UPDATE run_authorities SET premises = 2.5 WHERE code = 'E08000002'", "run_authorities row 2: premises holds 2.5, expected a whole number ≥ 0"),
        ("PRAGMA ignore_check_constraints = ON; UPDATE run_inputs SET sha256 = 'ABC' WHERE role = 'premises'",
         "sha256 holds 'ABC', expected 64 hex digits"),
    ]

    @Test(arguments: damages)
    func valuesBbplanCannotHaveWrittenAreRefused(_ sql: String, _ reason: String) throws {
        let path = try Self.finishedCatalogue()
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in try db.execute(sql: sql) }
        try queue.close()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let error = try #require(throws: CatalogueError.self) { try RunCatalogue.open(path: path) }
        guard case .corrupt(let errorPath, let found) = error else {
            Issue.record("\(sql): \(error)")
            return
        }
        #expect(errorPath == path)
        #expect(found.contains(reason), "\(sql): \(found)")
        #expect(error.description.split(separator: "\n").count == 1)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == bytes, "left as it was")
    }

    @Test func aSoundCatalogueHasNoProblem() throws {
        let path = try Self.finishedCatalogue()
        let queue = try DatabaseQueue(path: path)
        #expect(try queue.read { db in try CatalogueValues.firstProblem(db) } == nil)
    }
}
