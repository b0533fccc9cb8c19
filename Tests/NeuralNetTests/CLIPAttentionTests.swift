import Tensors
import TestSupport
import Testing

@testable import NeuralNet

@Suite struct CLIPAttentionTests {
    /// Hidden 8 in 2 heads of 4.
    static let configuration = CLIPEncoderConfiguration(
        hiddenSize: 8, layerCount: 1, headCount: 2,
        intermediateSize: 16)

    @Test("parameters are q_proj, k_proj, v_proj and out_proj with biases")
    func parameterNames() {
        let store = ParameterStore(seed: 1)
        _ = CLIPAttention(Self.configuration, parameters: store.scope("self_attn"))
        let names = Set(store.entries.map(\.path))
        let expected = ["q_proj", "k_proj", "v_proj", "out_proj"].flatMap {
            ["self_attn.\($0).weight", "self_attn.\($0).bias"]
        }
        #expect(names == Set(expected))
    }

    @Test("equals softmax(QKᵀ/√d)·V per head, composed from the engine's ops")
    func matchesComposedAttention() {
        let store = ParameterStore(seed: 3)
        let attention = CLIPAttention(Self.configuration, parameters: store.root)
        for entry in store.entries where entry.role == .bias {
            entry.tensor.assign(randomTensor(entry.tensor.shape, seed: 9))
        }
        let input = randomTensor([2, 5, 8], seed: 4)
        let ours = withGradientsDisabled { attention(input) }
        let expected = withGradientsDisabled { () -> Tensor in
            // [2, 5, 8] → [2, heads 2, 5, 4]
            func heads(_ x: Tensor) -> Tensor {
                x.reshaped(to: [2, 5, 2, 4]).permuted([0, 2, 1, 3])
            }
            let q = heads(attention.query(input))
            let k = heads(attention.key(input))
            let v = heads(attention.value(input))
            let weights = (matmul(q, k, transposeB: true) * 0.5).softmax(axis: -1)
            let mixed = matmul(weights, v).permuted([0, 2, 1, 3]).reshaped(to: [2, 5, 8])
            return attention.output(mixed)
        }
        #expect(allClose(ours.scalars, expected.scalars, tolerance: 1e-5))
    }

    @Test("queries from some tokens attend to all: the matching rows of full self-attention")
    func subsetOfQueries() {
        let store = ParameterStore(seed: 5)
        let attention = CLIPAttention(Self.configuration, parameters: store.root)
        let input = randomTensor([2, 5, 8], seed: 6)
        let full = withGradientsDisabled { attention(input) }
        let rows = withGradientsDisabled {
            attention(query: input.slice(axis: 1, range: 0..<2), keysAndValues: input)
        }
        #expect(rows.shape == [2, 2, 8])
        #expect(allClose(rows.scalars, full.slice(axis: 1, range: 0..<2).scalars, tolerance: 1e-6))
    }
}
