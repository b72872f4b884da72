import Dispatch
import Foundation
import Testing
@testable import Locking

@Suite("LockedBox and BackgroundResults")
struct LockingTests {
    /// 8 threads × 20,000 read-modify-write steps: without the lock, lost updates make the
    /// total fall short (and the thread sanitizer reports the race).
    @Test func concurrentUpdatesAreNotLost() {
        let box = LockedBox(0)
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for _ in 0..<20_000 { box.withLock { $0 += 1 } }
        }
        #expect(box.current == 160_000)
    }

    @Test func withLockReturnsAndRethrows() {
        struct Failure: Error {}
        let box = LockedBox([1, 2])
        #expect(box.withLock { $0.append(3); return $0.count } == 3)
        #expect(throws: Failure.self) { try box.withLock { _ in throw Failure() } }
        #expect(box.current == [1, 2, 3])
    }

    @Test func backgroundResultsCollectEveryKeyAndTheirErrors() throws {
        struct Odd: Error, Equatable { let n: Int }
        let results = BackgroundResults(keys: Array(0..<50) + [4, 4]) { n -> Int in
            if n % 2 == 1 { throw Odd(n: n) }
            return n * n
        }
        for n in stride(from: 0, to: 50, by: 2) { #expect(try results.value(for: n) == n * n) }
        #expect(throws: Odd(n: 7)) { try results.value(for: 7) }
        #expect(try results.value(for: 99) == nil)
    }

    /// A key's result is there as soon as its own task ends: reading the small authorities
    /// file's digest must not wait for the digest of a gigabyte of address points.
    @Test func aKeyDoesNotWaitForTheOtherKeys() throws {
        let release = DispatchSemaphore(value: 0)
        let results = BackgroundResults(keys: ["quick", "slow"]) { key -> String in
            guard key == "slow" else { return "done" }
            // Released by the test once it has the quick key's value; if that value waited
            // for every task, this gives up after 30 s and says so.
            return release.wait(timeout: .now() + 30) == .success ? "released" : "timed out"
        }
        #expect(try results.value(for: "quick") == "done")
        release.signal()
        #expect(try results.value(for: "slow") == "released")
    }
}
