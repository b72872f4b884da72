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
}
