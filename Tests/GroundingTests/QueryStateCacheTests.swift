import Tensors
import Testing
import VTGCore

@testable import Grounding

/// An encoder that counts what it is asked to encode: one state per query, its length.
final class CountingEncoder: QueryEncoder {
    let stateSize = 1
    /// The precision it claims to compute at.
    var precision: Precision = .float32
    /// Every batch the cache sent, in order.
    private(set) var batches: [[String]] = []

    func tokenStates(of queries: [String]) throws -> [QueryStates] {
        batches.append(queries)
        return queries.map { QueryStates(tokenCount: 1, stateSize: 1, values: [Float($0.count)]) }
    }
}

@Suite struct QueryStateCacheTests {
    @Test func statesOfAnotherPrecisionAreNeverReused() throws {
        let encoder = CountingEncoder()
        let cache = QueryStateCache(encoder: encoder)
        try cache.prepare(["a door", "a cup"])
        encoder.precision = .int8
        _ = try cache.states(of: "a door")
        try cache.prepare(["a door", "a cup"])
        #expect(encoder.batches == [["a door", "a cup"], ["a door"], ["a cup"]])
        #expect(cache.count == 4)
        encoder.precision = .float32
        try cache.prepare(["a door", "a cup"])
        #expect(encoder.batches.count == 3)
    }

    @Test func encodesEachDistinctQueryOnce() throws {
        let encoder = CountingEncoder()
        let cache = QueryStateCache(encoder: encoder)
        try cache.prepare(["a door", "a cup", "a door", "a cup", "a chair"])
        #expect(encoder.batches == [["a door", "a cup", "a chair"]])
        #expect(cache.count == 3)
        // Queries already cached are not encoded again, new ones are.
        try cache.prepare(["a cup", "a window", "a door", "a window"])
        #expect(encoder.batches.last == ["a window"])
        #expect(encoder.batches.count == 2)
        // Reading a cached query encodes nothing; an unknown one is encoded on the spot, once.
        #expect(try cache.states(of: "a chair").values == [7])
        #expect(encoder.batches.count == 2)
        #expect(try cache.states(of: "the lamp").values == [8])
        #expect(try cache.states(of: "the lamp").values == [8])
        #expect(encoder.batches.count == 3)
        #expect(cache.count == 5)
    }

    @Test func preparesInBatchesAndReportsProgress() throws {
        let encoder = CountingEncoder()
        let cache = QueryStateCache(encoder: encoder)
        var progress: [(done: Int, total: Int)] = []
        let queries = (0..<5).map { "query \($0)" }
        try cache.prepare(queries + queries, batchSize: 2) { progress.append(($0, $1)) }
        #expect(encoder.batches.map(\.count) == [2, 2, 1])
        #expect(encoder.batches.flatMap { $0 } == queries)
        #expect(progress.map(\.done) == [2, 4, 5])
        #expect(progress.allSatisfy { $0.total == 5 })
        // Nothing left to encode: no batch and no progress.
        progress = []
        try cache.prepare(queries)
        #expect(encoder.batches.count == 3)
        #expect(progress.isEmpty)
    }
}
