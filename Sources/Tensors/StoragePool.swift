import Synchronization

/// A cache of freed large tensor buffers, reused by later allocations of the same size class.
///
/// Why: a training step allocates and frees the same few hundred megabytes every step. On the
/// main thread glibc keeps that memory (see `promptvtg_tune_malloc`), but a thread with its own
/// malloc arena (a Swift concurrency task, a test runner) unmaps an arena's heap as soon as it
/// empties, and the next step faults every page in again: 21 000 page faults and about 80 ms per
/// step of the 4-layer benchmark encoder, measured. Reusing the buffers makes the cost the same
/// on every thread.
///
/// Policy: buffers of at least `minimumBytes` are rounded up to a size class (8 classes per
/// doubling, so at most 1/8 is wasted) and, when freed, kept for reuse as long as the cache
/// holds no more than the largest live tensor memory seen so far (so the pool at most doubles
/// the footprint of the largest step). Smaller buffers go straight to malloc.
enum StoragePool {
    /// Buffers below this size are not pooled (malloc reuses them well).
    static let minimumBytes = 256 * 1024

    private struct State {
        /// Free buffers by size class, as addresses (raw pointers are not `Sendable`).
        var freeBuffers: [Int: [UInt]] = [:]
        var cachedBytes = 0
        var highWaterLiveBytes = 0
    }

    private static let state = Mutex(State())

    /// The bytes actually allocated for a request of `byteCount`: its size class.
    static func classBytes(_ byteCount: Int) -> Int {
        if byteCount < minimumBytes { return byteCount }
        // Keep the top 4 significant bits: classes 8/8, 9/8, ..., 15/8 of a power of two.
        let shift = (Int.bitWidth - byteCount.leadingZeroBitCount) - 4
        let unit = 1 << shift
        return (byteCount + unit - 1) / unit * unit
    }

    /// A 64-byte aligned buffer of at least `byteCount` bytes (contents undefined).
    static func allocate(byteCount: Int) -> UnsafeMutableRawPointer {
        let size = classBytes(max(byteCount, 1))
        if size >= minimumBytes {
            let reused = state.withLock { state -> UInt? in
                state.highWaterLiveBytes = max(state.highWaterLiveBytes, TensorMemory.liveBytes)
                guard let address = state.freeBuffers[size]?.popLast() else { return nil }
                state.cachedBytes -= size
                return address
            }
            if let reused, let pointer = UnsafeMutableRawPointer(bitPattern: reused) {
                return pointer
            }
        }
        // 64-byte alignment: one cache line, and full-width aligned SIMD loads.
        return UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 64)
    }

    /// Returns a buffer from `allocate(byteCount:)`: kept for reuse or freed.
    static func release(_ pointer: UnsafeMutableRawPointer, byteCount: Int) {
        let size = classBytes(max(byteCount, 1))
        if size >= minimumBytes {
            let kept = state.withLock { state -> Bool in
                guard state.cachedBytes + size <= state.highWaterLiveBytes else { return false }
                state.freeBuffers[size, default: []].append(UInt(bitPattern: pointer))
                state.cachedBytes += size
                return true
            }
            if kept { return }
        }
        pointer.deallocate()
    }

    /// The bytes held for reuse now.
    static var cachedBytes: Int { state.withLock { $0.cachedBytes } }

    /// Frees every cached buffer.
    static func releaseCachedBuffers() {
        let addresses = state.withLock { state -> [UInt] in
            let all = state.freeBuffers.values.flatMap { $0 }
            state.freeBuffers = [:]
            state.cachedBytes = 0
            return all
        }
        for address in addresses { UnsafeMutableRawPointer(bitPattern: address)?.deallocate() }
    }
}

extension TensorMemory {
    /// Bytes of freed tensor buffers kept for reuse (not counted in `liveBytes`).
    public static var cachedBytes: Int { StoragePool.cachedBytes }

    /// Returns every cached tensor buffer to the system (e.g. after training, before a long
    /// evaluation of other shapes).
    public static func releaseCachedBuffers() { StoragePool.releaseCachedBuffers() }
}
