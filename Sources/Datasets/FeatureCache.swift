import Foundation

/// A least-recently-used cache of loaded features, bounded by the bytes it holds.
/// Safe to use from several threads.
final class FeatureCache: @unchecked Sendable {
    private struct Slot {
        var features: ClipFeatures
        var lastUse: UInt64
    }

    /// The most bytes of feature values kept.
    let capacityBytes: Int
    private var slots: [String: Slot] = [:]
    private var heldBytes = 0
    private var clock: UInt64 = 0
    private let lock = NSLock()

    init(capacityBytes: Int) {
        self.capacityBytes = capacityBytes
    }

    /// The cached features of `videoID`, marking them recently used.
    func features(forVideo videoID: String) -> ClipFeatures? {
        lock.lock()
        defer { lock.unlock() }
        guard var slot = slots[videoID] else { return nil }
        clock += 1
        slot.lastUse = clock
        slots[videoID] = slot
        return slot.features
    }

    /// Stores `features`, evicting the least recently used entries to stay within capacity.
    /// Entries larger than the whole capacity are not stored.
    func store(_ features: ClipFeatures, forVideo videoID: String) {
        guard features.byteCount <= capacityBytes else { return }
        lock.lock()
        defer { lock.unlock() }
        if let old = slots[videoID] { heldBytes -= old.features.byteCount }
        clock += 1
        slots[videoID] = Slot(features: features, lastUse: clock)
        heldBytes += features.byteCount
        while heldBytes > capacityBytes {
            guard let oldest = slots.min(by: { $0.value.lastUse < $1.value.lastUse }) else { break }
            heldBytes -= oldest.value.features.byteCount
            slots[oldest.key] = nil
        }
    }

    /// Bytes currently held.
    var byteCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return heldBytes
    }

    /// Number of videos currently held.
    var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return slots.count
    }
}
