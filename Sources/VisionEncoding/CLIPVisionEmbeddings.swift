import NeuralNet
import Tensors

/// CLIP's image embeddings (Hugging Face's `CLIPVisionEmbeddings`): the image cut into square
/// patches, each projected to the model width by the patch "convolution" (kernel = stride = patch
/// size, no bias), a learned class token in front, and a learned position vector added to every
/// token.
///
/// The convolution is computed as what it is for a stride equal to its kernel: one matrix
/// product of the unfolded patches `[batch·patches, 3·patch²]` (channel, row, column order, as the
/// kernel `[hidden, 3, patch, patch]` is laid out) with the kernel seen as `[hidden, 3·patch²]`.
///
/// Parameters under its scope (`vision_model.embeddings`), with Hugging Face's names:
/// `patch_embedding.weight` `[hidden, 3, patch, patch]`, `class_embedding` `[hidden]`,
/// `position_embedding.weight` `[tokens, hidden]` (tokens = patches + 1).
public struct CLIPVisionEmbeddings {
    /// The convolution kernel `[hidden, 3, patch, patch]`.
    public let patchWeight: Tensor
    /// The class token's vector `[hidden]`.
    public let classEmbedding: Tensor
    /// One vector per position, the class token's first: `[tokens, hidden]`.
    public let positionEmbedding: Tensor
    /// The architecture.
    public let configuration: CLIPVisionConfiguration
    /// The reduced-precision copy of the kernel `[hidden, 3·patch²]` that passes without a tape
    /// multiply by (see `converted(to:features:)`); nil at float32.
    public internal(set) var packedPatchWeight: PackedLinearWeights?

    /// Builds the tables under `parameters`. New values follow transformers' CLIP
    /// initialisation: N(0, 0.02²) kernel and positions, N(0, 1/hidden) class token.
    public init(_ configuration: CLIPVisionConfiguration, parameters: ParameterScope) {
        self.configuration = configuration
        let hidden = configuration.hiddenSize
        let patch = configuration.patchSize
        patchWeight = parameters.parameter(
            "patch_embedding.weight", shape: [hidden, 3, patch, patch], role: .weight,
            initializer: .normal(standardDeviation: 0.02))
        classEmbedding = parameters.parameter(
            "class_embedding", shape: [hidden], role: .embedding,
            initializer: .normal(standardDeviation: 1 / Float(hidden).squareRoot()))
        positionEmbedding = parameters.parameter(
            "position_embedding.weight", shape: [configuration.tokenCount, hidden],
            role: .embedding, initializer: .normal(standardDeviation: 0.02))
    }

    /// The token vectors of a batch of images: `pixelValues` `[batch, 3, imageSize, imageSize]`
    /// → `[batch, tokens, hidden]`, the class token first, then the patches row by row.
    public func callAsFunction(_ pixelValues: Tensor) -> Tensor {
        let side = configuration.imageSize
        precondition(
            pixelValues.rank == 4 && Array(pixelValues.shape.dropFirst()) == [3, side, side],
            "CLIPVisionEmbeddings: pixel values \(pixelValues.shape) are not"
                + " [batch, 3, \(side), \(side)]")
        let batch = pixelValues.shape[0]
        let hidden = configuration.hiddenSize
        let unfolded = unfoldedPatches(pixelValues)
        let patches =
            packedPatchWeight.map { linear(unfolded, packedWeight: $0, bias: nil) }
            ?? linear(
                unfolded, weight: patchWeight.reshaped(to: [hidden, configuration.patchLength]),
                bias: nil)
        let classTokens = classEmbedding.reshaped(to: [1, 1, hidden]).expanded(
            to: [batch, 1, hidden])
        return Tensor.concatenate([classTokens, patches], axis: 1) + positionEmbedding
    }

    /// The patches of every image, each unfolded channel by channel, row by row:
    /// `[batch, 3, side, side]` → `[batch, patches, 3·patch²]` (pixels past the last whole patch
    /// are dropped, as the strided convolution drops them).
    func unfoldedPatches(_ pixelValues: Tensor) -> Tensor {
        let batch = pixelValues.shape[0]
        let side = configuration.imageSize
        let patch = configuration.patchSize
        let perSide = configuration.patchesPerSide
        let patchLength = configuration.patchLength
        var unfolded = [Float](repeating: 0, count: batch * configuration.patchCount * patchLength)
        pixelValues.withUnsafeScalars { pixels in
            unfolded.withUnsafeMutableBufferPointer { output in
                var destination = output.baseAddress!
                for image in 0..<batch {
                    for patchRow in 0..<perSide {
                        for patchColumn in 0..<perSide {
                            for channel in 0..<3 {
                                for row in 0..<patch {
                                    let source =
                                        ((image * 3 + channel) * side + patchRow * patch + row)
                                        * side + patchColumn * patch
                                    destination.update(
                                        from: pixels.baseAddress! + source, count: patch)
                                    destination += patch
                                }
                            }
                        }
                    }
                }
            }
        }
        return Tensor(shape: [batch, configuration.patchCount, patchLength], scalars: unfolded)
    }
}
