/// How a layer draws its new parameters (`Linear`, `Embedding`, attention and transformer
/// layers; a soft prompt's vectors are `SoftPrompt.Initialization`).
public enum WeightInitialization: Sendable, Codable, Equatable {
    /// PyTorch's defaults: `nn.Linear` Kaiming-uniform weights and uniform biases, `nn.Embedding`
    /// N(0, 1) rows.
    case pytorchDefault
    /// BERT's scheme: N(0, σ²) weights and embeddings (σ = 0.02 in BERT), zero biases.
    case normal(standardDeviation: Float)
}
