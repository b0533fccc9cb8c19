import NeuralNet
import Tensors
import VTGCore

/// The CLIP text encoder's rows of `vtg bench` (run them from a release build).
///
/// Workload, as issue 13 specifies and `Scripts/bench_clip_text.py` measures for the peer
/// (transformers' `CLIPTokenizer` + `CLIPTextModelWithProjection` in PyTorch, same sizes, random
/// weights): the 64 queries of `TextEncodingBenchmark.queries` tokenised and encoded to projected
/// text embeddings as one batch, and one query alone, at each thread count. The encoder is the
/// one given, or a ViT-B/32-sized text tower (width 512, 12 layers of 8 heads, MLP 2048, 77
/// positions, projection 512) with random weights of the real size.
public enum CLIPTextBenchmark {
    /// A frozen encoder with `configuration`'s shape and random weights, over `tokenizer`.
    public static func randomEncoder(
        tokenizer: CLIPTokenizer, configuration: CLIPTextConfiguration = .init()
    ) -> CLIPTextEncoder {
        let store = ParameterStore(seed: 1)
        let model = CLIPTextModel(configuration, parameters: store.root)
        return CLIPTextEncoder(tokenizer: tokenizer, model: model, parameters: store)
    }

    /// Measures the rows with `encoder` at each of `threadCounts` (restoring
    /// `ComputeThreads.count` afterwards); `quick` shortens each measurement (a smoke run).
    public static func run(
        encoder: CLIPTextEncoder, threadCounts: [Int] = [1, 2], quick: Bool,
        progress: (String) -> Void = { _ in }
    ) -> [BenchmarkRow] {
        precondition(
            !threadCounts.isEmpty && threadCounts.allSatisfy { $0 > 0 },
            "CLIPTextBenchmark: thread counts must be positive")
        let seconds = quick ? 0.3 : 2
        let savedThreads = ComputeThreads.count
        func setThreads(_ count: Int) {
            if ComputeThreads.count != count { ComputeThreads.count = count }
        }
        defer { setThreads(savedThreads) }
        let queries = TextEncodingBenchmark.queries
        let query = [queries[0]]
        let tokens = queries.reduce(0) { $0 + encoder.tokenizer.encode($1).tokenIDs.count }
        let configuration = encoder.model.configuration
        let shape =
            "width \(configuration.hiddenSize), \(configuration.encoder.layerCount) layers,"
            + " projection \(configuration.projectionSize)"
        let products = encoder.precision == .float32 ? "" : ", \(encoder.precision)"
        var rows: [BenchmarkRow] = []
        for threads in threadCounts {
            setThreads(threads)
            progress("CLIP text encoder\(products), \(threads) thread\(threads == 1 ? "" : "s")")
            let batch = measure(warmup: 1, minimumRepetitions: 3, minimumSeconds: seconds) {
                _ = encoder.embeddings(of: queries).scalars
            }
            rows.append(
                BenchmarkRow(
                    group: "CLIP text", name: "embed batch of 64\(products), threads \(threads)",
                    medianMilliseconds: batch.median * 1e3, bestMilliseconds: batch.best * 1e3,
                    rate: Double(queries.count) / batch.median, unit: "queries/s",
                    note: "64 queries, \(tokens) tokens, \(shape)"))
            let one = measure(warmup: 3, minimumRepetitions: 10, minimumSeconds: seconds) {
                _ = encoder.embeddings(of: query).scalars
            }
            rows.append(
                BenchmarkRow(
                    group: "CLIP text", name: "embed one query\(products), threads \(threads)",
                    medianMilliseconds: one.median * 1e3, bestMilliseconds: one.best * 1e3,
                    rate: one.median * 1e3, unit: "ms/query",
                    note: "\(encoder.tokenizer.encode(query[0]).tokenIDs.count) tokens, \(shape)"))
        }
        return rows
    }
}
