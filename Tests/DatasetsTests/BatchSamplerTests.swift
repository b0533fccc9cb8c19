import Testing
import VTGCore

@testable import Datasets

@Test func sequentialBatchesCoverEveryIndexOnce() {
    var generator = SeededGenerator(seed: 1)
    let sampler = BatchSampler(batchSize: 4, shuffle: false)
    #expect(
        sampler.batches(lengths: Array(repeating: 1, count: 10), using: &generator) == [
            [0, 1, 2, 3], [4, 5, 6, 7], [8, 9],
        ])
    let dropping = BatchSampler(batchSize: 4, shuffle: false, dropLast: true)
    #expect(dropping.batches(lengths: Array(repeating: 1, count: 10), using: &generator).count == 2)
}

@Test func shuffleIsReproducibleBySeed() {
    let sampler = BatchSampler(batchSize: 3)
    let lengths = Array(repeating: 5, count: 20)
    var first = SeededGenerator(seed: 42)
    var second = SeededGenerator(seed: 42)
    var other = SeededGenerator(seed: 43)
    let batches = sampler.batches(lengths: lengths, using: &first)
    #expect(batches == sampler.batches(lengths: lengths, using: &second))
    #expect(batches != sampler.batches(lengths: lengths, using: &other))
    #expect(batches.flatMap { $0 }.sorted() == Array(0..<20))
}

@Test func bucketingGroupsSimilarLengths() {
    var generator = SeededGenerator(seed: 7)
    let lengths = (0..<32).map { ($0 * 37) % 100 }
    let sampler = BatchSampler(batchSize: 4, bucketPoolBatches: 8)  // one pool: the whole epoch
    let batches = sampler.batches(lengths: lengths, using: &generator)
    #expect(batches.flatMap { $0 }.sorted() == Array(0..<32))
    // Sorted within the pool, so each batch spans a narrow range of lengths.
    let spreads = batches.map { batch in
        (batch.map { lengths[$0] }.max() ?? 0) - (batch.map { lengths[$0] }.min() ?? 0)
    }
    #expect(spreads.allSatisfy { $0 <= 16 })
}
