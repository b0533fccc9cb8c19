import VTGCore

/// Cuts a dataset into batches of sample indices for one epoch: optionally shuffled with an
/// explicit seeded generator, optionally bucketed so that a batch holds samples of similar
/// length (less padding).
///
/// The shuffle is PromptVTG's own Fisher–Yates with Lemire's unbiased bounded integers
/// (`uniformIndex(below:)`), so a seed gives the same batches on every platform and Swift
/// version (the standard library's `shuffle(using:)` does not promise a fixed algorithm).
public struct BatchSampler: Hashable, Sendable {
    /// Samples per batch.
    public var batchSize: Int
    /// Shuffle the order each epoch.
    public var shuffle: Bool
    /// Group samples of similar length: sort pools of `batchSize × bucketPoolBatches` samples by
    /// length, cut them into batches, then shuffle the batches. `nil` disables bucketing.
    public var bucketPoolBatches: Int?
    /// Leave out a last, smaller batch.
    public var dropLast: Bool

    /// Creates a sampler.
    public init(
        batchSize: Int, shuffle: Bool = true, bucketPoolBatches: Int? = nil, dropLast: Bool = false
    ) {
        precondition(batchSize > 0, "BatchSampler: batchSize \(batchSize) <= 0")
        precondition((bucketPoolBatches ?? 1) > 0, "BatchSampler: bucketPoolBatches must be > 0")
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.bucketPoolBatches = bucketPoolBatches
        self.dropLast = dropLast
    }

    /// The batches of one epoch over samples whose lengths are `lengths` (used only when
    /// bucketing). Every index appears once, unless `dropLast` leaves out a remainder.
    public func batches<Generator: RandomNumberGenerator>(
        lengths: [Int], using generator: inout Generator
    ) -> [[Int]] {
        var order = Array(lengths.indices)
        if shuffle { Self.shuffle(&order, using: &generator) }
        var batches: [[Int]]
        if let poolBatches = bucketPoolBatches {
            let poolSize = shuffle ? batchSize * poolBatches : order.count
            batches = []
            var poolStart = 0
            while poolStart < order.count {
                let pool = order[poolStart..<min(poolStart + poolSize, order.count)]
                // Stable sort by length, so equal lengths keep the (shuffled) order.
                let sorted = pool.enumerated().sorted {
                    (lengths[$0.element], $0.offset) < (lengths[$1.element], $1.offset)
                }.map(\.element)
                batches += Self.chunks(sorted, size: batchSize)
                poolStart += poolSize
            }
            if shuffle { Self.shuffle(&batches, using: &generator) }
        } else {
            batches = Self.chunks(order, size: batchSize)
        }
        if dropLast { batches.removeAll { $0.count < batchSize } }
        return batches
    }

    private static func chunks(_ indices: [Int], size: Int) -> [[Int]] {
        stride(from: 0, to: indices.count, by: size).map {
            Array(indices[$0..<min($0 + size, indices.count)])
        }
    }

    /// Fisher–Yates: for i from the end, swap element i with a uniform j in 0...i.
    public static func shuffle<Element, Generator: RandomNumberGenerator>(
        _ elements: inout [Element], using generator: inout Generator
    ) {
        guard elements.count > 1 else { return }
        for index in stride(from: elements.count - 1, to: 0, by: -1) {
            let other = generator.uniformIndex(below: index + 1)
            elements.swapAt(index, other)
        }
    }
}
