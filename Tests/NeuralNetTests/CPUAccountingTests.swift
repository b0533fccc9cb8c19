import Foundation
import NeuralNet
import Testing

@Suite struct CPUAccountingTests {
    @Test func countsThisProcesssWork() throws {
        #if os(Linux)
            let before = try #require(CPUAccounting.sample())
            // About 20 ms of work on this thread.
            var total = 0.0
            let start = Date()
            while Date().timeIntervalSince(start) < 0.02 { total += sin(total + 1) }
            let after = try #require(CPUAccounting.sample())
            #expect(total.isFinite)
            #expect(after.processSeconds > before.processSeconds)
            #expect(after.wallSeconds >= before.wallSeconds + 0.02)
            #expect(after.machineBusySeconds >= before.machineBusySeconds)
            // /proc/stat counts in ticks of 10 ms per core, so a short window says little
            // about the amount, only that it is a non-negative number of cores.
            let other = try #require(CPUAccounting.otherProcessesCores(since: before))
            #expect(other >= 0 && other.isFinite)
        #else
            #expect(CPUAccounting.sample() == nil)
        #endif
    }
}
