import Testing

@testable import TextEncoding

@Suite struct TextEncodingBenchmarkTests {
    /// The workload the issue asks for: 64 queries of about 12 words.
    @Test func queriesAreSixtyFourOfAboutTwelveWords() throws {
        let queries = TextEncodingBenchmark.queries
        #expect(queries.count == 64)
        #expect(Set(queries).count == 64)
        let words = queries.map { $0.split(separator: " ").count }
        #expect(words.allSatisfy { (9...15).contains($0) })
        #expect(abs(Double(words.reduce(0, +)) / 64 - 12) < 0.5)
        // The first query as Scripts/bench_sentence_transformers.py builds it.
        #expect(queries[0] == "a person opens a small book at the table and smiles.")
        let tokenizer = try BertTokenizer(modelFiles: installedModelFiles())
        // 13 to 17 tokens each.
        #expect(queries.reduce(0) { $0 + tokenizer.encode($1).tokenIDs.count } == 968)
    }
}
