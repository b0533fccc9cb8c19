import NeuralNet
import Tensors
import TestSupport
import Testing

@testable import VisionEncoding

@Suite struct CLIPVisionModelTests {
    static let configuration = CLIPVisionConfiguration(
        imageSize: 32, patchSize: 16, hiddenSize: 8, layerCount: 2, headCount: 2,
        intermediateSize: 16, projectionSize: 5)

    @Test("parameters carry Hugging Face's names, pre_layrnorm spelling included")
    func parameterNames() {
        let store = ParameterStore(seed: 1)
        _ = CLIPVisionModel(Self.configuration, parameters: store.root)
        let names = Set(store.entries.map(\.path))
        for name in [
            "vision_model.embeddings.patch_embedding.weight",
            "vision_model.embeddings.class_embedding",
            "vision_model.embeddings.position_embedding.weight",
            "vision_model.pre_layrnorm.weight", "vision_model.pre_layrnorm.bias",
            "vision_model.encoder.layers.0.self_attn.q_proj.weight",
            "vision_model.encoder.layers.1.mlp.fc2.bias",
            "vision_model.post_layernorm.weight", "vision_model.post_layernorm.bias",
            "visual_projection.weight",
        ] {
            #expect(names.contains(name), "\(name)")
        }
        #expect(!names.contains("visual_projection.bias"))
        // 3 embedding tensors, 2 + 2 norms, 16 per layer, the projection.
        #expect(names.count == 3 + 4 + 2 * 16 + 1)
        #expect(store["visual_projection.weight"]?.shape == [5, 8])
    }

    @Test("[batch, 3, side, side] → [batch, projection]; an image's embedding ignores its batch")
    func batchIndependence() {
        let store = ParameterStore(seed: 2)
        let model = CLIPVisionModel(Self.configuration, parameters: store.root)
        let pixels = randomTensor([3, 3, 32, 32], seed: 3)
        let batch = withGradientsDisabled { model(pixels) }
        #expect(batch.shape == [3, 5])
        let second = withGradientsDisabled { model(pixels.slice(axis: 0, range: 1..<2)) }
        #expect(allClose(Array(batch.scalars[5..<10]), second.scalars, tolerance: 1e-6))
    }

    @Test("the class token's output is post_layernorm then visual_projection")
    func classTokenHead() {
        let store = ParameterStore(seed: 4)
        let model = CLIPVisionModel(Self.configuration, parameters: store.root)
        let pixels = randomTensor([2, 3, 32, 32], seed: 5)
        let expected = withGradientsDisabled { () -> Tensor in
            var hidden = model.preLayerNorm(model.embeddings(pixels))
            for layer in model.layers { hidden = layer(hidden) }
            let first = hidden.slice(axis: 1, range: 0..<1).reshaped(to: [2, 8])
            return matmul(
                model.postLayerNorm(first), model.visualProjection.weight, transposeB: true)
        }
        let ours = withGradientsDisabled { model(pixels) }
        #expect(allClose(ours.scalars, expected.scalars, tolerance: 1e-6))
    }
}
