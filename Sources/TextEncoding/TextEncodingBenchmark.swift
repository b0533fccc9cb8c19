import NeuralNet
import Tensors
import VTGCore

/// The text encoder's rows of `vtg bench` (run them from a release build).
///
/// Workload, as issue 4 specifies and `Scripts/bench_sentence_transformers.py` measures for the
/// peer: `queries`, 64 video-moment queries of about 12 words (13–17 tokens with `[CLS]` and
/// `[SEP]`), encoded to sentence embeddings by all-MiniLM-L6-v2 — as one batch, and one query at
/// a time — without and with a 20-token soft prompt, and the batch and the one query again at
/// each reduced precision this CPU has a kernel for (`Precision.bf16`, `.int8`); and the
/// training cost of prompt tuning: forward and backward through the frozen encoder to the prompt.
public enum TextEncodingBenchmark {
    /// The benchmark's 64 queries: templated so the Python peer builds the same list
    /// (query i = subject i mod 8, verb i / 8, then object, place and ending by other strides:
    /// 64 distinct queries).
    public static let queries: [String] = {
        let subjects: [String] = [
            "a person", "the man", "a young woman", "someone", "the child", "an old man",
            "the woman", "a boy",
        ]
        let verbs: [String] = [
            "opens", "picks up", "puts down", "looks at", "throws", "holds", "closes", "washes",
        ]
        let objects: [String] = [
            "the wooden door", "a small book", "the blue cup", "a dirty towel", "the laptop bag",
            "a glass of water", "the kitchen window", "an old pillow",
        ]
        let places: [String] = [
            "in the kitchen", "near the sofa", "at the table", "in the bedroom", "by the window",
            "in the hallway", "on the bed", "next to the sink",
        ]
        let endings: [String] = ["and smiles.", "then leaves.", "while talking.", "and sits down."]
        return (0..<64).map { (i: Int) -> String in
            let words: [String] = [
                subjects[i % 8], verbs[i / 8], objects[(3 * i + 1) % 8],
                places[(5 * i + 2) % 8], endings[(i / 2 + i / 8) % 4],
            ]
            return words.joined(separator: " ")
        }
    }()

    /// The soft prompt's length in the prompted rows.
    public static let promptLength = 20

    /// Measures every row with `encoder` at the current `ComputeThreads.count`; `quick` shortens
    /// each measurement (a smoke run).
    public static func run(
        encoder: MiniLMEncoder, quick: Bool, progress: (String) -> Void = { _ in }
    ) -> [BenchmarkRow] {
        let seconds = quick ? 0.3 : 2
        let threads = ComputeThreads.count
        let store = ParameterStore(seed: 1)
        let prompt = encoder.softPrompt(
            .init(length: promptLength, initialization: .randomVocabularyRows(seed: 1)),
            parameters: store.scope("prompt"))
        let tokens = queries.reduce(0) { $0 + encoder.tokenizer.encode($1).tokenIDs.count }
        let batchNote = "64 queries, \(tokens) tokens, threads \(threads)"
        var rows: [BenchmarkRow] = []

        func throughputRow(_ name: String, note: String, _ body: () -> Void) -> BenchmarkRow {
            let time = measure(warmup: 1, minimumRepetitions: 3, minimumSeconds: seconds, body)
            return BenchmarkRow(
                group: "MiniLM", name: name, medianMilliseconds: time.median * 1e3,
                bestMilliseconds: time.best * 1e3, rate: Double(queries.count) / time.median,
                unit: "queries/s", note: note)
        }
        func latencyRow(_ name: String, note: String, _ body: () -> Void) -> BenchmarkRow {
            let time = measure(warmup: 3, minimumRepetitions: 10, minimumSeconds: seconds, body)
            return BenchmarkRow(
                group: "MiniLM", name: name, medianMilliseconds: time.median * 1e3,
                bestMilliseconds: time.best * 1e3, rate: time.median * 1e3, unit: "ms/query",
                note: note)
        }

        progress("MiniLM inference")
        rows.append(
            throughputRow("embed batch of 64", note: batchNote) {
                _ = encoder.sentenceEmbeddings(queries)
            })
        // Length groups, before and after: the same 64 queries with a 60-word description
        // among them, as one batch padded to its length, then grouped by length.
        let mixed = Array(queries.dropLast()) + [Array(repeating: queries[0], count: 5).joined()]
        let mixedTokens = mixed.reduce(0) { $0 + encoder.tokenizer.encode($1).tokenIDs.count }
        let mixedNote = "63 queries and one long text, \(mixedTokens) tokens, threads \(threads)"
        rows.append(
            throughputRow("embed mixed lengths, one padded batch", note: mixedNote) {
                withGradientsDisabled {
                    var context = ForwardContext.evaluation
                    _ = encoder.sentenceEmbeddings(of: encoder(mixed, context: &context)).scalars
                }
            })
        rows.append(
            throughputRow("embed mixed lengths, length groups", note: mixedNote) {
                _ = encoder.sentenceEmbeddings(mixed)
            })
        rows.append(
            throughputRow(
                "embed batch of 64 + 20-token prompt", note: batchNote
            ) {
                _ = encoder.tokenStates(queries, prompt: prompt).map(encoder.sentenceEmbedding(of:))
            })
        let query = [queries[0]]
        let queryNote =
            "\(encoder.tokenizer.encode(query[0]).tokenIDs.count) tokens, threads \(threads)"
        rows.append(
            latencyRow("embed one query", note: queryNote) {
                _ = encoder.sentenceEmbeddings(query)
            })
        rows.append(
            latencyRow("embed one query + 20-token prompt", note: queryNote) {
                _ = encoder.tokenStates(query, prompt: prompt).map(encoder.sentenceEmbedding(of:))
            })
        for precision in [Precision.bf16, .int8] {
            let converted = encoder.converted(to: precision)
            if converted.precision != precision {
                progress(
                    "MiniLM \(precision) rows skipped: the CPU lacks \(precision.requiredFeatures)")
                continue
            }
            progress("MiniLM inference at \(precision)")
            rows.append(
                throughputRow("embed batch of 64, \(precision)", note: batchNote) {
                    _ = converted.sentenceEmbeddings(queries)
                })
            rows.append(
                latencyRow("embed one query, \(precision)", note: queryNote) {
                    _ = converted.sentenceEmbeddings(query)
                })
        }

        progress("MiniLM prompt training")
        // Backward to the prompt only: pull every embedding towards a fixed direction.
        let target = Tensor(shape: [1, encoder.hiddenSize], repeating: 0.05)
        func trainingStep(_ texts: [String]) {
            var context = ForwardContext.training(generator: SeededGenerator(seed: 1))
            let output = encoder(texts, prompt: prompt, context: &context)
            (encoder.sentenceEmbeddings(of: output) * target).sum().backward()
            prompt.vectors.zeroGradient()
        }
        let training = measure(warmup: 1, minimumRepetitions: 3, minimumSeconds: seconds) {
            trainingStep(queries)
        }
        rows.append(
            BenchmarkRow(
                group: "MiniLM", name: "train prompt, batch of 64, fwd+bwd",
                medianMilliseconds: training.median * 1e3, bestMilliseconds: training.best * 1e3,
                rate: training.median * 1e3 / Double(queries.count), unit: "ms/query",
                note: "20-token prompt, one padded batch, \(batchNote)"))
        rows.append(
            latencyRow("train prompt, one query, fwd+bwd", note: queryNote + ", 20-token prompt") {
                trainingStep(query)
            })
        return rows
    }
}
