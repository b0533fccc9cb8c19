/// The shape of CLIP's transformer layers, shared by its image and text towers: what
/// `CLIPEncoderLayer` and `CLIPAttention` are built from (`CLIPVisionConfiguration.encoder` and
/// `CLIPTextConfiguration.encoder` give it).
public struct CLIPEncoderConfiguration: Equatable, Sendable {
    /// The width of every token state (`hidden_size`).
    public let hiddenSize: Int
    /// Encoder layers (`num_hidden_layers`); sets the initialisation's residual scale.
    public let layerCount: Int
    /// Attention heads per layer (`num_attention_heads`); divides `hiddenSize`.
    public let headCount: Int
    /// The MLP's width (`intermediate_size`).
    public let intermediateSize: Int
    /// The MLP's non-linearity (`hidden_act`).
    public let hiddenActivation: CLIPActivation
    /// The ε of every layer norm (`layer_norm_eps`).
    public let layerNormEpsilon: Float

    /// A configuration; sizes must be positive and `headCount` must divide `hiddenSize`.
    public init(
        hiddenSize: Int, layerCount: Int, headCount: Int, intermediateSize: Int,
        hiddenActivation: CLIPActivation = .quickGELU, layerNormEpsilon: Float = 1e-5
    ) {
        precondition(
            hiddenSize > 0 && layerCount > 0 && intermediateSize > 0 && headCount > 0
                && hiddenSize % headCount == 0,
            "CLIPEncoderConfiguration: sizes must be positive and headCount \(headCount) must"
                + " divide hiddenSize \(hiddenSize)")
        self.hiddenSize = hiddenSize
        self.layerCount = layerCount
        self.headCount = headCount
        self.intermediateSize = intermediateSize
        self.hiddenActivation = hiddenActivation
        self.layerNormEpsilon = layerNormEpsilon
    }
}

/// CLIP's MLP non-linearity (`hidden_act`).
public enum CLIPActivation: String, Sendable, CaseIterable {
    /// x·σ(1.702·x) (`"quick_gelu"`), OpenAI CLIP's.
    case quickGELU = "quick_gelu"
    /// Exact GELU x·Φ(x) (`"gelu"`), used by some later CLIP checkpoints.
    case gelu
}
