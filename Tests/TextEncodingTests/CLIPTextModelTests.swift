import NeuralNet
import Tensors
import TestSupport
import Testing

@testable import TextEncoding

@Suite struct CLIPTextModelTests {
    static let configuration = CLIPTextConfiguration(
        vocabularySize: 20, maximumPositions: 6,
        encoder: CLIPEncoderConfiguration(
            hiddenSize: 8, layerCount: 2, headCount: 2, intermediateSize: 12),
        projectionSize: 4)

    /// Causal: a token's state does not depend on the tokens after it.
    @Test func aTokenSeesOnlyTheTokensBeforeIt() {
        let model = CLIPTextModel(Self.configuration, parameters: ParameterStore(seed: 3).root)
        let states = withGradientsDisabled {
            model.states(ofTokenIDs: [1, 5, 7, 2, 1, 5, 9, 3], batch: 2, tokens: 4).scalars
        }
        // The same first two tokens: equal states (up to the products' summation order).
        let same = zip(states[0..<16], states[32..<48]).map { abs($0 - $1) }.max() ?? 0
        #expect(same < 1e-6)
        let third = zip(states[16..<24], states[48..<56]).map { abs($0 - $1) }.max() ?? 0
        #expect(third > 1e-3)
    }

    /// The last layer run at the pooled rows only gives the embeddings of the full pass, for
    /// rows pooled before their padding, at the last position, and at the first.
    @Test func pooledRowsOnlyLastLayerMatchesTheFullPass() {
        let model = CLIPTextModel(Self.configuration, parameters: ParameterStore(seed: 5).root)
        let ids = [1, 5, 7, 19, 19, 19, 1, 5, 9, 3, 4, 19, 19, 8, 2, 6, 11, 12]
        let positions = [3, 5, 0]
        let (full, pooled) = withGradientsDisabled {
            (
                model.projectedEmbeddings(
                    of: model.states(ofTokenIDs: ids, batch: 3, tokens: 6), at: positions
                ).scalars,
                model.projectedEmbeddings(ofTokenIDs: ids, batch: 3, tokens: 6, at: positions)
                    .scalars
            )
        }
        #expect(full.count == 12 && pooled.count == 12)
        // Only the products' summation order differs.
        let tolerance: Float = 1e-5
        #expect(zip(full, pooled).allSatisfy { abs($0 - $1) <= tolerance }, "\(full) \(pooled)")
    }

    @Test func parametersCarryHuggingFaceNames() {
        let store = ParameterStore(seed: 1)
        _ = CLIPTextModel(Self.configuration, parameters: store.root)
        let paths = Set(store.entries.map(\.path))
        #expect(paths.contains("text_model.embeddings.token_embedding.weight"))
        #expect(paths.contains("text_model.embeddings.position_embedding.weight"))
        #expect(paths.contains("text_model.encoder.layers.1.self_attn.q_proj.weight"))
        #expect(paths.contains("text_model.final_layer_norm.bias"))
        #expect(store["text_projection.weight"]?.shape == [4, 8])
        #expect(paths.count == 2 + 2 * 16 + 2 + 1)
    }
}
