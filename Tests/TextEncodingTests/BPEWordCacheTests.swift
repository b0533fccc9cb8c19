import Testing

@testable import TextEncoding

@Suite struct BPEWordCacheTests {
    @Test func returnsTheSameIDsAsMergingAndFromSeveralThreads() async throws {
        let vocabulary = try BPEVocabularyTests.tiny()
        let cache = BPEWordCache()
        var first: [Int32] = []
        cache.appendIDs(ofWord: Array("abab".utf8), vocabulary: vocabulary, to: &first)
        var second: [Int32] = [7]
        cache.appendIDs(ofWord: Array("abab".utf8), vocabulary: vocabulary, to: &second)
        #expect(second == [7] + first)
        let results = await withTaskGroup(of: [Int32].self) { group in
            for _ in 0..<8 {
                group.addTask {
                    var ids: [Int32] = []
                    for word in ["abc", "bbb", "abab"] {
                        cache.appendIDs(ofWord: Array(word.utf8), vocabulary: vocabulary, to: &ids)
                    }
                    return ids
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(Set(results).count == 1)
    }
}
