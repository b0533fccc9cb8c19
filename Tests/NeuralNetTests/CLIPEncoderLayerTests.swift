import Tensors
import TestSupport
import Testing

@testable import NeuralNet

@Suite struct CLIPEncoderLayerTests {
    static let configuration = CLIPEncoderConfiguration(
        hiddenSize: 8, layerCount: 2, headCount: 2,
        intermediateSize: 12, layerNormEpsilon: 1e-5)

    @Test("parameters carry Hugging Face's CLIPEncoderLayer names")
    func parameterNames() {
        let store = ParameterStore(seed: 1)
        _ = CLIPEncoderLayer(Self.configuration, parameters: store.scope("layers.0"))
        let expected: Set<String> = [
            "layers.0.layer_norm1.weight", "layers.0.layer_norm1.bias",
            "layers.0.layer_norm2.weight", "layers.0.layer_norm2.bias",
            "layers.0.mlp.fc1.weight", "layers.0.mlp.fc1.bias",
            "layers.0.mlp.fc2.weight", "layers.0.mlp.fc2.bias",
            "layers.0.self_attn.q_proj.weight", "layers.0.self_attn.q_proj.bias",
            "layers.0.self_attn.k_proj.weight", "layers.0.self_attn.k_proj.bias",
            "layers.0.self_attn.v_proj.weight", "layers.0.self_attn.v_proj.bias",
            "layers.0.self_attn.out_proj.weight", "layers.0.self_attn.out_proj.bias",
        ]
        #expect(Set(store.entries.map(\.path)) == expected)
        #expect(store["layers.0.mlp.fc1.weight"]?.shape == [12, 8])
    }

    @Test("pre-LN residual blocks: x + attn(ln1(x)), then + fc2(act(fc1(ln2(·))))")
    func preLayerNormOrder() {
        let store = ParameterStore(seed: 5)
        let layer = CLIPEncoderLayer(Self.configuration, parameters: store.root)
        for entry in store.entries where entry.role != .weight {
            entry.tensor.assign(randomTensor(entry.tensor.shape, seed: 11))
        }
        let input = randomTensor([3, 4, 8], seed: 6)
        let ours = withGradientsDisabled { layer(input) }
        let expected = withGradientsDisabled { () -> Tensor in
            let attended = input + layer.attention(layer.attentionNorm(input))
            let hidden = layer.fc1(layer.mlpNorm(attended))
            return attended + layer.fc2(hidden * (hidden * 1.702).sigmoid())
        }
        #expect(allClose(ours.scalars, expected.scalars, tolerance: 1e-6))
    }

    @Test("the class-token output equals the first row of the full layer's output")
    func classTokenOutput() {
        let store = ParameterStore(seed: 8)
        let layer = CLIPEncoderLayer(Self.configuration, parameters: store.root)
        let input = randomTensor([3, 6, 8], seed: 9)
        let full = withGradientsDisabled { layer(input).slice(axis: 1, range: 0..<1) }
        let first = withGradientsDisabled { layer.classTokenOutput(input) }
        #expect(first.shape == [3, 1, 8])
        #expect(allClose(first.scalars, full.scalars, tolerance: 1e-6))
    }

    @Test("quick GELU is x·σ(1.702x); gelu is x·Φ(x)")
    func activations() {
        let input = Tensor(shape: [3], scalars: [-1, 0, 1])
        let quick = CLIPActivation.quickGELU(input).scalars
        // σ(1.702) = 1/(1 + e^−1.702) = 0.845796
        #expect(allClose(quick, [-(1 - 0.845796), 0, 0.845796], tolerance: 1e-5))
        let exact = CLIPActivation.gelu(input).scalars
        // Φ(1) = 0.841345
        #expect(allClose(exact, [-(1 - 0.841345), 0, 0.841345], tolerance: 1e-5))
    }
}
