import Foundation
import Testing
@testable import KefuServer

@Suite("The queue's doorbell")
struct QueueDoorbellTests {
    @Test("a ring before the wait makes the wait return at once, and only that one wait")
    func ringBeforeWait() async {
        let doorbell = QueueDoorbell()
        doorbell.ring()
        doorbell.ring()
        let start = ContinuousClock.now
        await doorbell.wait(upTo: .seconds(60))
        #expect(ContinuousClock.now - start < .seconds(30))
        // Two rings were one: the next wait sleeps its full timeout.
        let quiet = ContinuousClock.now
        await doorbell.wait(upTo: .milliseconds(200))
        #expect(ContinuousClock.now - quiet >= .milliseconds(200))
    }

    @Test("a ring during the wait ends it early; a wait that is not rung ends at its timeout")
    func ringDuringWait() async {
        let doorbell = QueueDoorbell()
        let start = ContinuousClock.now
        async let waited: Void = doorbell.wait(upTo: .seconds(60))
        try? await Task.sleep(for: .milliseconds(100))
        doorbell.ring()
        await waited
        #expect(ContinuousClock.now - start < .seconds(30))
        // An old wait's timer firing later resumes nothing of a newer wait.
        let next = ContinuousClock.now
        await doorbell.wait(upTo: .milliseconds(300))
        #expect(ContinuousClock.now - next >= .milliseconds(300))
    }

    @Test("a cancelled wait ends at once: a desk shutting down is not held for the dispatcher's interval")
    func cancelled() async {
        let doorbell = QueueDoorbell()
        let start = ContinuousClock.now
        let waiting = Task { await doorbell.wait(upTo: .seconds(600)) }
        try? await Task.sleep(for: .milliseconds(100))
        waiting.cancel()
        await waiting.value
        #expect(ContinuousClock.now - start < .seconds(30))
        // Already cancelled before waiting: no wait at all.
        let late = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            await doorbell.wait(upTo: .seconds(600))
        }
        await late.value
        #expect(ContinuousClock.now - start < .seconds(30))
    }
}
