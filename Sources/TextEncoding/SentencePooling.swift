import Tensors

/// sentence-transformers' `Pooling` and `Normalize` modules: token states → one sentence vector.
///
/// Shapes: states `[batch, tokens, hidden]` and a `validMask` `[batch, tokens]` (true for the
/// positions to pool) → `[batch, hidden]`. Differentiable (built from tensor ops), so a loss on
/// sentence embeddings trains soft prompts.
///
/// The modes, over the positions where the mask is true, as sentence-transformers computes them:
/// mean = Σ states / max(count, 1e-9); first = the state at position 0 (`[CLS]`, or the first
/// prompt vector when prompt positions are pooled); maximum = element-wise maximum, masked
/// positions set to −1e9 first; mean-√length = Σ states / √max(count, 1e-9). Normalisation is
/// `torch.nn.functional.normalize`: x / max(‖x‖₂, 1e-12).
public struct SentencePooling: Sendable, Equatable {
    /// How token states are combined.
    public let mode: SentenceEmbeddingConfiguration.PoolingMode
    /// Whether the pooled vector is scaled to unit L2 length.
    public let normalizes: Bool

    /// The pooling a model's sentence-transformers files describe.
    public init(_ configuration: SentenceEmbeddingConfiguration) {
        self.init(mode: configuration.poolingMode, normalizes: configuration.normalizesEmbeddings)
    }

    /// A pooling with the given mode and normalisation.
    public init(mode: SentenceEmbeddingConfiguration.PoolingMode, normalizes: Bool) {
        self.mode = mode
        self.normalizes = normalizes
    }

    /// Pools `states` `[batch, tokens, hidden]` over the positions where `validMask`
    /// `[batch, tokens]` is true: `[batch, hidden]`.
    public func callAsFunction(_ states: Tensor, validMask: Mask) -> Tensor {
        precondition(
            states.rank == 3 && validMask.shape == Array(states.shape.prefix(2)),
            "SentencePooling: validMask \(validMask.shape) does not match states \(states.shape)")
        let (batch, tokens, hidden) = (states.shape[0], states.shape[1], states.shape[2])
        let weights = validMask.asTensor.reshaped(to: [batch, tokens, 1])
        let pooled: Tensor
        switch mode {
        case .mean:
            let counts = weights.sum(axis: 1).clamped(min: 1e-9)  // [batch, 1]
            pooled = (states * weights).sum(axis: 1) / counts
        case .meanSquareRootLength:
            let counts = weights.sum(axis: 1).clamped(min: 1e-9)  // [batch, 1]
            pooled = (states * weights).sum(axis: 1) / counts.sqrt()
        case .classifierToken:
            pooled = states.slice(axis: 1, range: 0..<1).reshaped(to: [batch, hidden])
        case .maximum:
            let padding = Mask(shape: [batch, tokens, 1], values: validMask.values.map { !$0 })
            pooled = states.maskedFill(padding, with: -1e9).max(axis: 1)
        }
        return normalizes ? Self.l2Normalized(pooled) : pooled
    }

    /// Each row of `vectors` `[batch, hidden]` divided by max(its L2 norm, 1e-12).
    public static func l2Normalized(_ vectors: Tensor) -> Tensor {
        let norms = (vectors * vectors).sum(axis: -1, keepingDimensions: true).sqrt()
        return vectors / norms.clamped(min: 1e-12)
    }
}
