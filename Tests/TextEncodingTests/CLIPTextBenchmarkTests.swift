import NeuralNet
import Tensors
import Testing

@testable import TextEncoding

@Suite struct CLIPTextBenchmarkTests {
    @Test func measuresTheBatchAndOneQueryAtEachThreadCount() throws {
        let tokenizer = try realCLIPTokenizer.get()
        let encoder = CLIPTextBenchmark.randomEncoder(
            tokenizer: tokenizer,
            configuration: CLIPTextConfiguration(
                encoder: CLIPEncoderConfiguration(
                    hiddenSize: 8, layerCount: 1, headCount: 2, intermediateSize: 16),
                projectionSize: 4))
        let threads = ComputeThreads.count
        let rows = CLIPTextBenchmark.run(encoder: encoder, threadCounts: [1, 2], quick: true)
        #expect(ComputeThreads.count == threads)
        #expect(
            rows.map(\.name) == [
                "embed batch of 64, threads 1", "embed one query, threads 1",
                "embed batch of 64, threads 2", "embed one query, threads 2",
            ])
        #expect(rows.allSatisfy { $0.group == "CLIP text" && $0.medianMilliseconds > 0 })
        #expect(rows[0].unit == "queries/s" && rows[1].unit == "ms/query")
    }
}
