import Synchronization

/// The tensor storage created inside one scope (a task, see `TensorMemory.withLedger`), alive
/// now: unlike `TensorMemory.liveBytes`, it does not move when other tasks (other tests running
/// alongside, other requests of a server) allocate. A tensor counts against the ledger that was
/// current where it was created, until it is freed, whatever thread frees it.
public final class TensorMemoryLedger: Sendable {
    private let live = Atomic<Int>(0)

    /// Bytes of storage created in the ledger's scope and alive now.
    public var liveBytes: Int { live.load(ordering: .relaxed) }

    /// The ledger of the current task, if any.
    @TaskLocal static var current: TensorMemoryLedger?

    func record(allocatedBytes: Int) {
        live.add(allocatedBytes, ordering: .relaxed)
    }
}

extension TensorMemory {
    /// Runs `body` with a fresh ledger that counts the tensor storage created inside it (on this
    /// task; work that the engine hands to its worker threads creates no tensors there), e.g. a
    /// leak test that must not see other tests' tensors.
    public static func withLedger<Result>(
        _ body: (TensorMemoryLedger) throws -> Result
    ) rethrows -> Result {
        let ledger = TensorMemoryLedger()
        return try TensorMemoryLedger.$current.withValue(ledger) { try body(ledger) }
    }
}
