import Testing

@testable import Grounding

/// Counts the queries it is asked to encode, and the calls.
final class CountingEncoder: QueryEncoder {
    let stateSize = 2
    var calls: [[String]] = []

    func tokenStates(of queries: [String]) throws -> [QueryStates] {
        calls.append(queries)
        return queries.map { query in
            QueryStates(tokenCount: 1, stateSize: 2, values: [Float(query.count), 1])
        }
    }
}

@Suite struct QueryStateCacheTests {
    @Test func eachDistinctQueryIsEncodedOnceInBatches() throws {
        let encoder = CountingEncoder()
        let cache = QueryStateCache(encoder: encoder)
        var progress: [(Int, Int)] = []
        try cache.prepare(["a", "bb", "a", "ccc", "dddd", "bb"], batchSize: 2) {
            progress.append(($0, $1))
        }
        #expect(encoder.calls == [["a", "bb"], ["ccc", "dddd"]])
        #expect(progress.map(\.0) == [2, 4] && progress.allSatisfy { $0.1 == 4 })
        #expect(cache.count == 4)
        // Cached queries cost nothing; a new one is encoded alone.
        try cache.prepare(["bb", "a"])
        #expect(encoder.calls.count == 2)
        #expect(try cache.states(of: "ccc").values == [3, 1])
        #expect(try cache.states(of: "eeeee").values == [5, 1])
        #expect(encoder.calls.last == ["eeeee"])
        #expect(cache.count == 5)
    }

}
