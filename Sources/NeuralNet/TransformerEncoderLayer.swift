import Tensors

/// Where a transformer layer normalises.
public enum NormalizationPlacement: String, Sendable, Codable, Equatable {
    /// After each residual sum, as BERT: x ← LN(x + sublayer(x)).
    case postLayerNorm
    /// Before each sublayer, as GPT-2 and `nn.TransformerEncoderLayer(norm_first=True)`:
    /// x ← x + sublayer(LN(x)).
    case preLayerNorm
}

/// One transformer encoder layer: self-attention and a feed-forward block, each with dropout on
/// its output, a residual connection and a LayerNorm (post-LN or pre-LN).
///
/// Parameters under its scope, with Hugging Face BERT's names:
/// `attention.self.{query,key,value}`, `attention.output.dense`, `attention.output.LayerNorm`,
/// `intermediate.dense` (hidden → intermediate), `output.dense` (intermediate → hidden),
/// `output.LayerNorm`. The pre-LN form uses the same names (each LayerNorm then precedes its
/// sublayer).
///
/// Shapes: `[batch, tokens, hiddenSize]` → `[batch, tokens, hiddenSize]`.
public struct TransformerEncoderLayer {
    /// Sizes, activation, normalisation and regularisation.
    public struct Configuration: Sendable, Codable, Equatable {
        /// The model width.
        public var hiddenSize: Int
        /// Attention heads; must divide `hiddenSize`.
        public var headCount: Int
        /// The feed-forward width (BERT's `intermediate_size`).
        public var intermediateSize: Int
        /// The feed-forward non-linearity.
        public var activation: Activation
        /// LayerNorm ε (BERT: 1e-12; PyTorch: 1e-5).
        public var layerNormEpsilon: Float
        /// Post-LN (BERT) or pre-LN.
        public var normalization: NormalizationPlacement
        /// Dropout on each sublayer's output before the residual sum (BERT's
        /// `hidden_dropout_prob`).
        public var hiddenDropout: Float
        /// DropKey or attention-probability dropout inside the attention.
        public var attentionDropout: AttentionDropout
        /// How new parameters are drawn.
        public var initialization: WeightInitialization

        /// Creates a configuration.
        public init(
            hiddenSize: Int, headCount: Int, intermediateSize: Int, activation: Activation = .gelu,
            layerNormEpsilon: Float = 1e-12, normalization: NormalizationPlacement = .postLayerNorm,
            hiddenDropout: Float = 0.1, attentionDropout: AttentionDropout = .none,
            initialization: WeightInitialization = .normal(standardDeviation: 0.02)
        ) {
            self.hiddenSize = hiddenSize
            self.headCount = headCount
            self.intermediateSize = intermediateSize
            self.activation = activation
            self.layerNormEpsilon = layerNormEpsilon
            self.normalization = normalization
            self.hiddenDropout = hiddenDropout
            self.attentionDropout = attentionDropout
            self.initialization = initialization
        }
    }

    /// Self-attention (`attention.self.*`, `attention.output.dense`).
    public private(set) var attention: MultiHeadAttention
    /// The LayerNorm around the attention (`attention.output.LayerNorm`).
    public let attentionNorm: LayerNorm
    /// hidden → intermediate (`intermediate.dense`).
    public private(set) var intermediate: Linear
    /// intermediate → hidden (`output.dense`).
    public private(set) var output: Linear
    /// The LayerNorm around the feed-forward block (`output.LayerNorm`).
    public let outputNorm: LayerNorm
    /// Dropout on each sublayer's output.
    public let hiddenDropout: Dropout
    /// The configuration it was built with.
    public let configuration: Configuration

    /// Builds the layer under `parameters` (e.g. `store.scope("encoder.layer.0")`).
    public init(_ configuration: Configuration, parameters: ParameterScope) {
        self.configuration = configuration
        let hidden = configuration.hiddenSize
        let initialization = configuration.initialization
        attention = MultiHeadAttention(
            .init(
                hiddenSize: hidden, headCount: configuration.headCount,
                initialization: initialization, dropout: configuration.attentionDropout),
            parameters: parameters.scope("attention"))
        let norm = LayerNorm.Configuration(size: hidden, epsilon: configuration.layerNormEpsilon)
        attentionNorm = LayerNorm(norm, parameters: parameters.scope("attention.output.LayerNorm"))
        intermediate = Linear(
            .init(
                inputSize: hidden, outputSize: configuration.intermediateSize,
                initialization: initialization),
            parameters: parameters.scope("intermediate.dense"))
        output = Linear(
            .init(
                inputSize: configuration.intermediateSize, outputSize: hidden,
                initialization: initialization),
            parameters: parameters.scope("output.dense"))
        outputNorm = LayerNorm(norm, parameters: parameters.scope("output.LayerNorm"))
        hiddenDropout = Dropout(probability: configuration.hiddenDropout)
    }

    /// Runs the layer.
    ///
    /// - Parameters:
    ///   - hidden: `[batch, tokens, hiddenSize]`.
    ///   - validMask: `[batch, tokens]`, true for real tokens; padded tokens are never attended
    ///     to (their own outputs are computed but meaningless).
    ///   - attentionBias: an additive logit bias broadcasting to `[batch, heads, tokens, tokens]`.
    ///   - keptRows: the real tokens of `[batch, tokens]` as rows, when the caller passes the
    ///     mask as `attentionBias` (default: from `validMask`); the linear products skip the
    ///     other rows (`RowSelection`), which changes no real token's value or gradient.
    ///   - context: training mode turns on dropout and DropKey.
    /// - Returns: `[batch, tokens, hiddenSize]`.
    public func callAsFunction(
        _ hidden: Tensor, validMask: Mask? = nil, attentionBias: Tensor? = nil,
        keptRows: RowSelection? = nil, context: inout ForwardContext
    ) -> Tensor {
        let rows = keptRows ?? validMask.flatMap { RowSelection(keeping: $0) }
        switch configuration.normalization {
        case .postLayerNorm:
            let attended = attention(
                hidden, keyValidMask: validMask, bias: attentionBias, keptRows: rows,
                context: &context)
            let afterAttention = attentionNorm(hidden + hiddenDropout(attended, context: &context))
            let fed = output(
                intermediate.activatedOutput(
                    afterAttention, activation: configuration.activation, rows: rows,
                    context: &context),
                rows: rows, context: &context)
            return outputNorm(afterAttention + hiddenDropout(fed, context: &context))
        case .preLayerNorm:
            let attended = attention(
                attentionNorm(hidden), keyValidMask: validMask, bias: attentionBias,
                keptRows: rows, context: &context)
            let afterAttention = hidden + hiddenDropout(attended, context: &context)
            let fed = output(
                intermediate.activatedOutput(
                    outputNorm(afterAttention), activation: configuration.activation, rows: rows,
                    context: &context),
                rows: rows, context: &context)
            return afterAttention + hiddenDropout(fed, context: &context)
        }
    }

    /// This layer with every linear product (query, key, value, attention output, intermediate,
    /// output) at `precision` for inference (see `Linear.converted(to:features:)`); layer norms,
    /// softmax and the residual sums stay float32, and the exact GELU runs inside the
    /// intermediate product (`Linear.activatedOutput(_:activation:rows:context:)`).
    public func converted(to precision: Precision, features: CPUFeatures = .current)
        -> TransformerEncoderLayer
    {
        var copy = self
        copy.attention = attention.converted(to: precision, features: features)
        copy.intermediate = intermediate.converted(to: precision, features: features)
        copy.output = output.converted(to: precision, features: features)
        return copy
    }
}
