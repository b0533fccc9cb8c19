import NeuralNet
import Tensors

/// CLIP's image encoder with its projection: what Hugging Face's
/// `CLIPVisionModelWithProjection` returns as `image_embeds` (and `CLIPModel.get_image_features`).
///
///     tokens = embeddings(pixels)                      [batch, tokens, hidden]
///     x = pre_layrnorm(tokens); x = layer_i(x) for every encoder layer
///     image_embeds = visual_projection(post_layernorm(x[:, 0]))     [batch, projection]
///
/// Parameters, with Hugging Face's names (so a CLIP `model.safetensors` loads as it is):
/// `vision_model.embeddings.*` (see `CLIPVisionEmbeddings`), `vision_model.pre_layrnorm`
/// (sic), `vision_model.encoder.layers.N.*` (see `CLIPEncoderLayer`),
/// `vision_model.post_layernorm`, and `visual_projection.weight` `[projection, hidden]` (no
/// bias).
///
/// Inference only: call it inside `withGradientsDisabled` (as `CLIPImageEncoder` does) so that no
/// tape is recorded.
public struct CLIPVisionModel {
    /// The architecture.
    public let configuration: CLIPVisionConfiguration
    /// Patches, class token and positions (`vision_model.embeddings`).
    public let embeddings: CLIPVisionEmbeddings
    /// The normalisation before the first layer (`vision_model.pre_layrnorm`).
    public let preLayerNorm: LayerNorm
    /// The encoder layers (`vision_model.encoder.layers.N`).
    public let layers: [CLIPEncoderLayer]
    /// The normalisation of the class token's last state (`vision_model.post_layernorm`).
    public let postLayerNorm: LayerNorm
    /// hidden → projection, no bias (`visual_projection`).
    public let visualProjection: Linear

    /// Builds the model under `parameters`: the root of a store made from `model.safetensors`,
    /// or of a seeded store for random weights.
    public init(_ configuration: CLIPVisionConfiguration, parameters: ParameterScope) {
        self.configuration = configuration
        let vision = parameters.scope("vision_model")
        let hidden = configuration.hiddenSize
        let norm = LayerNorm.Configuration(size: hidden, epsilon: configuration.layerNormEpsilon)
        embeddings = CLIPVisionEmbeddings(configuration, parameters: vision.scope("embeddings"))
        preLayerNorm = LayerNorm(norm, parameters: vision.scope("pre_layrnorm"))
        layers = (0..<configuration.layerCount).map { index in
            CLIPEncoderLayer(
                configuration.encoder, parameters: vision.scope("encoder.layers.\(index)"))
        }
        postLayerNorm = LayerNorm(norm, parameters: vision.scope("post_layernorm"))
        visualProjection = Linear(
            .init(
                inputSize: hidden, outputSize: configuration.projectionSize, hasBias: false,
                initialization: .normal(standardDeviation: 1 / Float(hidden).squareRoot())),
            parameters: parameters.scope("visual_projection"))
    }

    /// The image embeddings (un-normalised) of `pixelValues` `[batch, 3, imageSize, imageSize]`:
    /// `[batch, projectionSize]`. The last layer is computed for the class token only (see
    /// `CLIPEncoderLayer.classTokenOutput`), the one state the embedding reads.
    public func callAsFunction(_ pixelValues: Tensor) -> Tensor {
        let batch = pixelValues.shape[0]
        var hidden = preLayerNorm(embeddings(pixelValues))
        for layer in layers.dropLast() { hidden = layer(hidden) }
        let classStates = layers[layers.count - 1].classTokenOutput(hidden)  // [batch, 1, hidden]
            .reshaped(to: [batch, configuration.hiddenSize])
        return visualProjection(postLayerNorm(classStates))
    }
}
