import NeuralNet
import Tensors
import TestSupport
import Testing

@testable import VisionEncoding

@Suite struct CLIPVisionEmbeddingsTests {
    /// The patch convolution by its definition: out[b, p, d] = Σ_{c,y,x} pixel[b, c, row·s + y,
    /// column·s + x] · kernel[d, c, y, x], for patch p = row·perSide + column.
    static func convolution(
        _ pixels: Tensor, kernel: Tensor, configuration: CLIPVisionConfiguration
    )
        -> [Float]
    {
        let (batch, side, patch) = (
            pixels.shape[0], configuration.imageSize, configuration.patchSize
        )
        let perSide = configuration.patchesPerSide
        let hidden = configuration.hiddenSize
        let p = pixels.scalars
        let k = kernel.scalars
        var result: [Float] = []
        for image in 0..<batch {
            for row in 0..<perSide {
                for column in 0..<perSide {
                    for output in 0..<hidden {
                        var sum: Float = 0
                        for channel in 0..<3 {
                            for y in 0..<patch {
                                for x in 0..<patch {
                                    let pixel =
                                        ((image * 3 + channel) * side + row * patch + y) * side
                                        + column * patch + x
                                    sum +=
                                        p[pixel]
                                        * k[((output * 3 + channel) * patch + y) * patch + x]
                                }
                            }
                        }
                        result.append(sum)
                    }
                }
            }
        }
        return result
    }

    @Test("patch products equal the strided convolution; class token first; positions added")
    func matchesConvolution() {
        // Image 9 with patch 4: 2 patches per side, the last row and column of pixels dropped.
        let configuration = CLIPVisionConfiguration(
            imageSize: 9, patchSize: 4, hiddenSize: 6, layerCount: 1, headCount: 2,
            intermediateSize: 8, projectionSize: 3)
        let store = ParameterStore(seed: 7)
        let embeddings = CLIPVisionEmbeddings(configuration, parameters: store.scope("embeddings"))
        #expect(
            Set(store.entries.map(\.path)) == [
                "embeddings.patch_embedding.weight", "embeddings.class_embedding",
                "embeddings.position_embedding.weight",
            ])
        let pixels = randomTensor([2, 3, 9, 9], seed: 8)
        let tokens = withGradientsDisabled { embeddings(pixels) }
        #expect(tokens.shape == [2, 5, 6])
        let patches = Self.convolution(
            pixels, kernel: embeddings.patchWeight, configuration: configuration)
        let positions = embeddings.positionEmbedding.scalars
        let classVector = embeddings.classEmbedding.scalars
        let values = tokens.scalars
        for image in 0..<2 {
            for token in 0..<5 {
                for feature in 0..<6 {
                    let base =
                        token == 0
                        ? classVector[feature]
                        : patches[(image * 4 + token - 1) * 6 + feature]
                    let expected = base + positions[token * 6 + feature]
                    #expect(abs(values[(image * 5 + token) * 6 + feature] - expected) < 1e-5)
                }
            }
        }
    }
}
