import Foundation
import NeuralNet

/// The architecture of CLIP's text encoder, from a model folder's `config.json`.
///
/// Two layouts are read: a `CLIPModel` configuration (`"model_type": "clip"`), whose
/// `text_config` object holds the text transformer and whose top-level `projection_dim` is the
/// width of the joint image-text space; and a standalone `CLIPTextModelWithProjection`
/// configuration (`"model_type": "clip_text_model"`), which holds both itself. Keys the file does
/// not hold take transformers' `CLIPTextConfig` defaults, which are ViT-B/32's text tower:
/// vocabulary 49,408, 77 positions, width 512, 12 layers of 8 heads, MLP 2048, projection 512,
/// `quick_gelu`, ε 1e-5.
public struct CLIPTextConfiguration: Equatable, Sendable {
    /// Token ids `0..<vocabularySize` (`vocab_size`).
    public let vocabularySize: Int
    /// The longest token sequence, start and end included (`max_position_embeddings`).
    public let maximumPositions: Int
    /// The transformer layers' shape (`hidden_size`, `num_hidden_layers`,
    /// `num_attention_heads`, `intermediate_size`, `hidden_act`, `layer_norm_eps`).
    public let encoder: CLIPEncoderConfiguration
    /// The width of the text embedding (`projection_dim`): `text_projection`'s output.
    public let projectionSize: Int

    /// The width of every token state.
    public var hiddenSize: Int { encoder.hiddenSize }

    /// A configuration; the defaults are ViT-B/32's text tower (`openai/clip-vit-base-patch32`).
    public init(
        vocabularySize: Int = 49_408, maximumPositions: Int = 77,
        encoder: CLIPEncoderConfiguration = CLIPEncoderConfiguration(
            hiddenSize: 512, layerCount: 12, headCount: 8, intermediateSize: 2048),
        projectionSize: Int = 512
    ) {
        precondition(
            vocabularySize > 0 && maximumPositions >= 2 && projectionSize > 0,
            "CLIPTextConfiguration: sizes must be positive and at least 2 positions")
        self.vocabularySize = vocabularySize
        self.maximumPositions = maximumPositions
        self.encoder = encoder
        self.projectionSize = projectionSize
    }

    /// Reads `config.json` (either layout; see the type's documentation).
    public init(contentsOf url: URL) throws(CLIPModelError) {
        let file = try ConfigurationObject(contentsOf: url)
        let text: ConfigurationObject
        switch try file.string("model_type") {
        case "clip":
            guard let nested = try file.object("text_config") else {
                throw .missingKey(path: file.path, key: "text_config")
            }
            text = nested
        case "clip_text_model":
            text = file
        case let other:
            throw file.invalid(
                "model_type", expected: "\"clip\" or \"clip_text_model\"",
                actual: other.map { .string($0) })
        }
        let hiddenSize = try text.integer("hidden_size", default: 512)
        let headCount = try text.integer(
            "num_attention_heads", default: 8,
            expected: "a positive divisor of hidden_size \(hiddenSize)",
            where: { $0 > 0 && hiddenSize % $0 == 0 })
        let activationName = try text.string("hidden_act") ?? CLIPActivation.quickGELU.rawValue
        guard let activation = CLIPActivation(rawValue: activationName) else {
            throw text.invalid(
                "hidden_act", expected: "\"quick_gelu\" or \"gelu\"",
                actual: .string(activationName))
        }
        let epsilon = try text.number(
            "layer_norm_eps", default: 1e-5, expected: "a positive number", where: { $0 > 0 })
        self.init(
            vocabularySize: try text.integer("vocab_size", default: 49_408),
            maximumPositions: try text.integer(
                "max_position_embeddings", default: 77, expected: "an integer of at least 2",
                where: { $0 >= 2 }),
            encoder: CLIPEncoderConfiguration(
                hiddenSize: hiddenSize,
                layerCount: try text.integer("num_hidden_layers", default: 12),
                headCount: headCount,
                intermediateSize: try text.integer("intermediate_size", default: 2048),
                hiddenActivation: activation, layerNormEpsilon: Float(epsilon)),
            projectionSize: try file.integer("projection_dim", default: 512))
    }
}
