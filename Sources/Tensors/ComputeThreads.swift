import Dispatch
import Foundation

/// The number of worker threads the engine uses, and the helpers that split work across them.
///
/// One setting: `VTG_THREADS` in the environment, or `ComputeThreads.count = n` before work
/// starts; the default is every core. OpenBLAS itself always runs single-threaded (its threads
/// spin-wait and lose whenever the other core is busy); the engine instead runs independent
/// products side by side (batch items, attention heads) and splits element-wise kernels only
/// when one thread's share is long enough to pay for waking a worker (about 200 µs, measured).
public enum ComputeThreads {
    nonisolated(unsafe) private static var configuredCount: Int = {
        if let text = ProcessInfo.processInfo.environment["VTG_THREADS"], let value = Int(text),
            value > 0
        {
            return value
        }
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
    }()

    /// Worker threads used by the engine (at least 1). Set it before starting work, not during.
    public static var count: Int {
        get { configuredCount }
        set {
            precondition(newValue >= 1, "ComputeThreads.count must be at least 1, got \(newValue)")
            configuredCount = newValue
        }
    }

    /// Element-wise work, in "element-cost units", below which splitting does not pay. An add of
    /// one float is 1 unit (~0.14 ns at memory speed); GELU is about 6; exp about 4.
    static let minimumUnitsPerThread = 1_400_000

    /// Runs `body(range)` over `0..<total` split into contiguous chunks, in parallel when the
    /// estimated work (`total * unitsPerElement`) gives each thread enough to pay for itself.
    /// `body` must give each element the same result whatever chunk it falls in.
    @inline(__always)
    public static func forEachChunk(
        total: Int, unitsPerElement: Int = 1, _ body: (Range<Int>) -> Void
    ) {
        let threads = min(count, max(1, total * unitsPerElement / minimumUnitsPerThread))
        if threads <= 1 || total < 2 {
            body(0..<total)
            return
        }
        withoutActuallyEscaping(body) { body in
            let work = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: threads) { part in
                let start = total * part / threads
                let end = total * (part + 1) / threads
                work.value(start..<end)
            }
        }
    }

    /// Runs `body(index)` for every index in `0..<total` across the worker threads, one index at
    /// a time: for independent coarse tasks (one GEMM per batch item, one attention head).
    static func forEachTask(total: Int, _ body: (Int) -> Void) {
        let threads = min(count, total)
        if threads <= 1 {
            for index in 0..<total { body(index) }
            return
        }
        withoutActuallyEscaping(body) { body in
            let work = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: threads) { part in
                var index = part
                while index < total {
                    work.value(index)
                    index += threads
                }
            }
        }
    }
}

/// Carries a non-Sendable value (a closure over raw pointers) into worker threads that write
/// disjoint parts of it.
public struct UncheckedSendable<Value>: @unchecked Sendable {
    /// The value carried.
    public let value: Value
    /// Wraps `value`.
    public init(_ value: Value) { self.value = value }
}
