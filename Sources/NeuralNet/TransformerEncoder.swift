import Tensors

/// How attention regularisation varies across the layers of an encoder.
public enum AttentionDropoutSchedule: Sendable, Codable, Equatable {
    /// Every layer uses the same setting.
    case constant(AttentionDropout)
    /// DropKey with a probability that moves linearly from `first` (layer 0) to `last` (the
    /// final layer); DropKey's authors found a decreasing schedule (higher in early layers) best.
    case linearDropKey(first: Float, last: Float)

    /// The setting of layer `index` among `layerCount`.
    public func dropout(layer index: Int, of layerCount: Int) -> AttentionDropout {
        switch self {
        case .constant(let dropout): return dropout
        case .linearDropKey(let first, let last):
            let fraction = layerCount > 1 ? Float(index) / Float(layerCount - 1) : 0
            // Written so that both ends are exact.
            return .dropKey(probability: first * (1 - fraction) + last * fraction)
        }
    }
}

/// A stack of transformer encoder layers (BERT's `encoder`), with an optional final LayerNorm
/// (usual for pre-LN stacks).
///
/// Parameters under its scope: `layer.0`, `layer.1`, ... (see `TransformerEncoderLayer`) and,
/// when `finalLayerNorm` is set, `LayerNorm`.
///
/// Shapes: `[batch, tokens, hiddenSize]` → `[batch, tokens, hiddenSize]`.
public struct TransformerEncoder {
    /// The layer count, the per-layer configuration and the attention regularisation schedule.
    public struct Configuration: Sendable, Codable, Equatable {
        /// The number of layers.
        public var layerCount: Int
        /// Every layer's configuration; its `attentionDropout` is replaced by the schedule's.
        public var layer: TransformerEncoderLayer.Configuration
        /// DropKey / attention dropout per layer.
        public var attentionDropout: AttentionDropoutSchedule
        /// Whether a LayerNorm follows the last layer.
        public var finalLayerNorm: Bool

        /// Creates a configuration.
        public init(
            layerCount: Int, layer: TransformerEncoderLayer.Configuration,
            attentionDropout: AttentionDropoutSchedule = .constant(.none),
            finalLayerNorm: Bool = false
        ) {
            self.layerCount = layerCount
            self.layer = layer
            self.attentionDropout = attentionDropout
            self.finalLayerNorm = finalLayerNorm
        }
    }

    /// The layers, first to last (exposed so that callers can run them one by one, e.g. to
    /// insert deep prompts between layers).
    public private(set) var layers: [TransformerEncoderLayer]
    /// The LayerNorm after the last layer, when configured.
    public let finalNorm: LayerNorm?
    /// The configuration it was built with.
    public let configuration: Configuration

    /// Builds the stack under `parameters` (e.g. `store.scope("encoder")`).
    public init(_ configuration: Configuration, parameters: ParameterScope) {
        precondition(configuration.layerCount > 0, "TransformerEncoder: needs at least 1 layer")
        self.configuration = configuration
        layers = (0..<configuration.layerCount).map { index in
            var layer = configuration.layer
            layer.attentionDropout = configuration.attentionDropout.dropout(
                layer: index, of: configuration.layerCount)
            return TransformerEncoderLayer(layer, parameters: parameters.scope("layer.\(index)"))
        }
        finalNorm =
            configuration.finalLayerNorm
            ? LayerNorm(
                .init(
                    size: configuration.layer.hiddenSize,
                    epsilon: configuration.layer.layerNormEpsilon),
                parameters: parameters.scope("LayerNorm"))
            : nil
    }

    /// Runs every layer in order.
    ///
    /// - Parameters:
    ///   - hidden: `[batch, tokens, hiddenSize]`.
    ///   - validMask: `[batch, tokens]`, true for real tokens.
    ///   - attentionBias: an additive logit bias for every layer, broadcasting to
    ///     `[batch, heads, tokens, tokens]`.
    ///   - context: training mode turns on dropout and DropKey.
    /// - Returns: `[batch, tokens, hiddenSize]`.
    public func callAsFunction(
        _ hidden: Tensor, validMask: Mask? = nil, attentionBias: Tensor? = nil,
        context: inout ForwardContext
    ) -> Tensor {
        // Turn the mask into a bias once, not once per layer.
        var bias = attentionBias
        if let validMask {
            let maskBias = MultiHeadAttention.additiveBias(keyValidMask: validMask)
            bias = attentionBias.map { $0 + maskBias } ?? maskBias
        }
        let rows = validMask.flatMap { RowSelection(keeping: $0) }
        var state = hidden
        for layer in layers {
            state = layer(state, attentionBias: bias, keptRows: rows, context: &context)
        }
        return finalNorm.map { $0(state) } ?? state
    }

    /// This stack with every layer's linear products at `precision` for inference (see
    /// `TransformerEncoderLayer.converted(to:features:)`).
    public func converted(to precision: Precision, features: CPUFeatures = .current)
        -> TransformerEncoder
    {
        var copy = self
        copy.layers = layers.map { $0.converted(to: precision, features: features) }
        return copy
    }
}
