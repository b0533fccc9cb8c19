import Foundation
import NeuralNet
import Tensors
import TestSupport
import Testing

@testable import TextEncoding

/// Made by Scripts/make_clip_text_golden.py with transformers (CLIPTokenizer, CLIPModel's text
/// tower and projection).
struct CLIPTextGolden: Decodable {
    struct Item: Decodable {
        let text: String
        let inputIDs: [Int]
        let lastHiddenState: [Float]
        let textEmbeds: [Float]
        enum CodingKeys: String, CodingKey {
            case text
            case inputIDs = "input_ids"
            case lastHiddenState = "last_hidden_state"
            case textEmbeds = "text_embeds"
        }
    }
    let items: [Item]

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static func load() throws -> CLIPTextGolden {
        try JSONDecoder().decode(
            CLIPTextGolden.self,
            from: Data(contentsOf: fixtures.appendingPathComponent("clip_text_golden.json")))
    }

    /// The tiny CLIP as a model folder.
    static func modelFolder() throws -> TemporaryDirectory { try TinyCLIPTextModel.folder() }
}

private func cosine(_ a: [Float], _ b: [Float]) -> Float {
    let dot = zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
    let norms =
        a.reduce(0) { $0 + $1 * $1 }.squareRoot() * b.reduce(0) { $0 + $1 * $1 }.squareRoot()
    return dot / norms
}

@Suite struct CLIPTextEncoderTests {
    /// float32 sums of at most 64 products in 2 layers, from the same float16 weights.
    let stateTolerance: Float = 1e-4
    /// The bar for pooled, projected embeddings.
    let minimumCosine: Float = 0.99999

    /// Also with the products packed for few rows (every batch of 3 tiny texts is few rows).
    @Test(arguments: [false, true])
    func matchesTheReferenceTextByTextAndInABatch(packedForFewRows: Bool) throws {
        let folder = try CLIPTextGolden.modelFolder()
        let loaded = try CLIPTextEncoder(directory: folder.url)
        let encoder = packedForFewRows ? loaded.packedForFewRows() : loaded
        let golden = try CLIPTextGolden.load()
        let texts = golden.items.map(\.text)
        #expect(encoder.hiddenSize == 32 && encoder.embeddingSize == 16)

        let states = encoder.tokenStates(texts, batchSize: 3)
        let embeddings = encoder.embeddings(of: texts, batchSize: 3).scalars
        var (worstState, worstCosine, worstEmbedding): (Float, Float, Float) = (0, 1, 0)
        defer {
            print(
                "CLIP text parity (packed \(packedForFewRows)): worst state error \(worstState), worst embedding cosine"
                    + " \(worstCosine), worst embedding error \(worstEmbedding)")
        }
        for (index, item) in golden.items.enumerated() {
            #expect(states[index].tokenIDs == item.inputIDs, "\(item.text)")
            let difference = zip(states[index].states, item.lastHiddenState).map { abs($0 - $1) }
            #expect(states[index].states.count == item.lastHiddenState.count)
            #expect((difference.max() ?? 0) <= stateTolerance, "\(item.text)")
            let embedding = Array(embeddings[index * 16..<(index + 1) * 16])
            #expect(cosine(embedding, item.textEmbeds) >= minimumCosine, "\(item.text)")
            let embeddingDifference = zip(embedding, item.textEmbeds).map { abs($0 - $1) }
            #expect((embeddingDifference.max() ?? 0) <= stateTolerance, "\(item.text)")
            worstState = max(worstState, difference.max() ?? 0)
            worstCosine = min(worstCosine, cosine(embedding, item.textEmbeds))
            worstEmbedding = max(worstEmbedding, embeddingDifference.max() ?? 0)
        }
        let normalized = encoder.embeddings(of: [texts[0]], normalized: true).scalars
        #expect(abs(normalized.reduce(0) { $0 + $1 * $1 } - 1) < 1e-5)
    }

    @Test func poolsAtTheFirstEndOfTextToken() {
        let ids = [49406, 320, 49407, 49407, 49406, 49407, 9, 9]
        #expect(
            CLIPTextModel.endOfTextPositions(of: ids, batch: 2, tokens: 4, endOfTextID: 49407)
                == [2, 1])
        #expect(
            CLIPTextModel.endOfTextPositions(of: [1, 2, 3], batch: 1, tokens: 3, endOfTextID: 7)
                == [2])
    }

    /// The text tower's keys only: the image tower and logit_scale of the CLIPModel are not read.
    @Test func loadsTheTextTowerStrictly() throws {
        let folder = try CLIPTextGolden.modelFolder()
        let encoder = try CLIPTextEncoder(directory: folder.url)
        let paths = encoder.parameters.entries.map(\.path)
        #expect(paths.allSatisfy(CLIPTextEncoder.isTextTowerKey))
        #expect(paths.count == 4 + 2 * 16 + 1)
        #expect(encoder.parameters.trainableParameterCount == 0)
    }

    @Test func aFolderWithoutWeightsOrVocabularyIsAnError() throws {
        let folder = try CLIPTextGolden.modelFolder()
        try FileManager.default.removeItem(at: folder.file("model.safetensors"))
        #expect(throws: CLIPModelError.missingFile(path: folder.file("model.safetensors").path)) {
            _ = try CLIPTextEncoder(directory: folder.url)
        }
        try FileManager.default.removeItem(at: folder.file("bpe_simple_vocab_16e6.txt.gz"))
        #expect(throws: CLIPModelError.missingFile(path: folder.file("vocab.json").path)) {
            _ = try CLIPTextEncoder(directory: folder.url)
        }
    }
}
