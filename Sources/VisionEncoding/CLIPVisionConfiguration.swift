import Foundation
import NeuralNet

/// The architecture of a CLIP image encoder (a ViT), from a model folder's `config.json`.
///
/// Two layouts are read: a `CLIPModel` configuration (`"model_type": "clip"`), whose
/// `vision_config` object holds the vision transformer and whose top-level `projection_dim` is the
/// width of the joint image-text space; and a standalone `CLIPVisionModelWithProjection`
/// configuration (`"model_type": "clip_vision_model"`), which holds both itself. Keys the file
/// does not hold take transformers' `CLIPVisionConfig` defaults, which are ViT-B/32's: image 224,
/// patch 32, width 768, 12 layers of 12 heads, MLP 3072, projection 512, `quick_gelu`, ε 1e-5.
public struct CLIPVisionConfiguration: Equatable, Sendable {
    /// The MLP's non-linearity (`hidden_act`), shared with the text tower.
    public typealias Activation = CLIPActivation

    /// The side of the square input image in pixels (`image_size`).
    public let imageSize: Int
    /// The side of a square patch in pixels (`patch_size`): the convolution's kernel and stride.
    public let patchSize: Int
    /// The width of every token state (`hidden_size`).
    public let hiddenSize: Int
    /// Encoder layers (`num_hidden_layers`).
    public let layerCount: Int
    /// Attention heads per layer (`num_attention_heads`); divides `hiddenSize`.
    public let headCount: Int
    /// The MLP's width (`intermediate_size`).
    public let intermediateSize: Int
    /// The width of the image embedding (`projection_dim`): `visual_projection`'s output.
    public let projectionSize: Int
    /// The MLP's non-linearity (`hidden_act`).
    public let hiddenActivation: Activation
    /// The ε of every layer norm (`layer_norm_eps`).
    public let layerNormEpsilon: Float

    /// Patches along each side: ⌊imageSize / patchSize⌋, as the strided convolution gives.
    public var patchesPerSide: Int { imageSize / patchSize }
    /// Patches per image.
    public var patchCount: Int { patchesPerSide * patchesPerSide }
    /// Tokens per image: the class token and the patches.
    public var tokenCount: Int { patchCount + 1 }
    /// Width of one attention head.
    public var headSize: Int { hiddenSize / headCount }
    /// The length of one patch unfolded channel by channel: 3·patchSize².
    public var patchLength: Int { 3 * patchSize * patchSize }
    /// The shape of the encoder layers.
    public var encoder: CLIPEncoderConfiguration {
        CLIPEncoderConfiguration(
            hiddenSize: hiddenSize, layerCount: layerCount, headCount: headCount,
            intermediateSize: intermediateSize, hiddenActivation: hiddenActivation,
            layerNormEpsilon: layerNormEpsilon)
    }

    /// A configuration; the defaults are ViT-B/32's (`openai/clip-vit-base-patch32`).
    public init(
        imageSize: Int = 224, patchSize: Int = 32, hiddenSize: Int = 768, layerCount: Int = 12,
        headCount: Int = 12, intermediateSize: Int = 3072, projectionSize: Int = 512,
        hiddenActivation: Activation = .quickGELU, layerNormEpsilon: Float = 1e-5
    ) {
        precondition(
            imageSize > 0 && patchSize > 0 && patchSize <= imageSize && hiddenSize > 0
                && layerCount > 0 && intermediateSize > 0 && projectionSize > 0,
            "CLIPVisionConfiguration: sizes must be positive and the patch within the image")
        precondition(
            headCount > 0 && hiddenSize % headCount == 0,
            "CLIPVisionConfiguration: hiddenSize \(hiddenSize) is not a multiple of headCount"
                + " \(headCount)")
        self.imageSize = imageSize
        self.patchSize = patchSize
        self.hiddenSize = hiddenSize
        self.layerCount = layerCount
        self.headCount = headCount
        self.intermediateSize = intermediateSize
        self.projectionSize = projectionSize
        self.hiddenActivation = hiddenActivation
        self.layerNormEpsilon = layerNormEpsilon
    }

    /// Reads `config.json` (either layout; see the type's documentation).
    public init(contentsOf url: URL) throws(CLIPModelError) {
        let file = try ConfigurationObject(contentsOf: url)
        let vision: ConfigurationObject
        switch try file.string("model_type") {
        case "clip":
            guard let nested = try file.object("vision_config") else {
                throw .missingKey(path: file.path, key: "vision_config")
            }
            vision = nested
        case "clip_vision_model":
            vision = file
        case let other:
            throw file.invalid(
                "model_type", expected: "\"clip\" or \"clip_vision_model\"",
                actual: other.map { .string($0) })
        }
        let projectionSize = try file.integer("projection_dim", default: 512)
        try self.init(vision: vision, projectionSize: projectionSize)
    }

    /// Reads the vision transformer's keys from `vision`.
    init(vision: ConfigurationObject, projectionSize: Int) throws(CLIPModelError) {
        _ = try vision.integer(
            "num_channels", default: 3, expected: "3 (RGB)", where: { $0 == 3 })
        let imageSize = try vision.integer("image_size", default: 224)
        let patchSize = try vision.integer(
            "patch_size", default: 32,
            expected: "a positive integer at most image_size \(imageSize)",
            where: { $0 > 0 && $0 <= imageSize })
        let hiddenSize = try vision.integer("hidden_size", default: 768)
        let headCount = try vision.integer(
            "num_attention_heads", default: 12,
            expected: "a positive divisor of hidden_size \(hiddenSize)",
            where: { $0 > 0 && hiddenSize % $0 == 0 })
        let activationName = try vision.string("hidden_act") ?? Activation.quickGELU.rawValue
        guard let activation = Activation(rawValue: activationName) else {
            throw vision.invalid(
                "hidden_act", expected: "\"quick_gelu\" or \"gelu\"",
                actual: .string(activationName))
        }
        let epsilon = try vision.number(
            "layer_norm_eps", default: 1e-5, expected: "a positive number", where: { $0 > 0 })
        self.init(
            imageSize: imageSize, patchSize: patchSize, hiddenSize: hiddenSize,
            layerCount: try vision.integer("num_hidden_layers", default: 12),
            headCount: headCount,
            intermediateSize: try vision.integer("intermediate_size", default: 3072),
            projectionSize: projectionSize, hiddenActivation: activation,
            layerNormEpsilon: Float(epsilon))
    }
}
