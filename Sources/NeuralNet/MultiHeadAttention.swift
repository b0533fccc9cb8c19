import Tensors

/// Multi-head attention (self- or cross-attention) with a key `validMask`, an optional additive
/// bias and DropKey or attention-probability dropout in training.
///
/// Parameters under its scope, with Hugging Face BERT's names: `self.query`, `self.key`,
/// `self.value` (Linear, `[hidden, hidden]` or `[hidden, keyValueSize]`) and `output.dense`
/// (Linear `[hidden, hidden]`). BERT's `output.LayerNorm` belongs to the encoder layer.
///
/// Shape legend: `[batch, queries, hiddenSize]` in and out; keys and values come from the same
/// input (self-attention) or from `keyValue` `[batch, keys, keyValueSize]` (cross-attention).
/// Heads split the hidden axis in `headCount` slices of `hiddenSize / headCount`.
public struct MultiHeadAttention {
    /// Sizes, initialisation and regularisation.
    public struct Configuration: Sendable, Codable, Equatable {
        /// The width of queries and of the output.
        public var hiddenSize: Int
        /// The number of heads; must divide `hiddenSize`.
        public var headCount: Int
        /// The width of the key/value input (cross-attention from another encoder); nil means
        /// `hiddenSize`.
        public var keyValueSize: Int?
        /// How new parameters are drawn.
        public var initialization: WeightInitialization
        /// DropKey or attention-probability dropout, active in training only.
        public var dropout: AttentionDropout

        /// Creates a configuration.
        public init(
            hiddenSize: Int, headCount: Int, keyValueSize: Int? = nil,
            initialization: WeightInitialization = .pytorchDefault,
            dropout: AttentionDropout = .none
        ) {
            self.hiddenSize = hiddenSize
            self.headCount = headCount
            self.keyValueSize = keyValueSize
            self.initialization = initialization
            self.dropout = dropout
        }
    }

    /// Projects the attending sequence to queries.
    public private(set) var query: Linear
    /// Projects the attended sequence to keys.
    public private(set) var key: Linear
    /// Projects the attended sequence to values.
    public private(set) var value: Linear
    /// Mixes the heads' outputs (`output.dense`).
    public private(set) var output: Linear
    /// The configuration it was built with.
    public let configuration: Configuration

    /// Builds the four projections under `parameters`.
    public init(_ configuration: Configuration, parameters: ParameterScope) {
        let hidden = configuration.hiddenSize
        precondition(
            configuration.headCount > 0 && hidden % configuration.headCount == 0,
            "MultiHeadAttention: hidden size \(hidden) is not divisible by \(configuration.headCount) heads"
        )
        let probability = configuration.dropout.probability
        precondition(
            probability >= 0 && probability < 1,
            "MultiHeadAttention: dropout probability must be in [0, 1), got \(probability)")
        self.configuration = configuration
        let keyValueSize = configuration.keyValueSize ?? hidden
        let initialization = configuration.initialization
        query = Linear(
            .init(inputSize: hidden, outputSize: hidden, initialization: initialization),
            parameters: parameters.scope("self.query"))
        key = Linear(
            .init(inputSize: keyValueSize, outputSize: hidden, initialization: initialization),
            parameters: parameters.scope("self.key"))
        value = Linear(
            .init(inputSize: keyValueSize, outputSize: hidden, initialization: initialization),
            parameters: parameters.scope("self.value"))
        output = Linear(
            .init(inputSize: hidden, outputSize: hidden, initialization: initialization),
            parameters: parameters.scope("output.dense"))
    }

    /// Attends `hidden` to itself, or to `keyValue` when given.
    ///
    /// - Parameters:
    ///   - hidden: `[batch, queries, hiddenSize]`.
    ///   - keyValue: `[batch, keys, keyValueSize]` for cross-attention; nil for self-attention.
    ///   - keyValidMask: `[batch, keys]`, true for a real key; false keys get zero weight.
    ///   - bias: added to the logits; broadcasts to `[batch, heads, queries, keys]`.
    ///   - context: training mode turns on `configuration.dropout`.
    /// - Returns: `[batch, queries, hiddenSize]`.
    public func callAsFunction(
        _ hidden: Tensor, keyValue: Tensor? = nil, keyValidMask: Mask? = nil,
        bias: Tensor? = nil, keptRows: RowSelection? = nil, context: inout ForwardContext
    ) -> Tensor {
        attend(
            hidden, keyValue: keyValue, keyValidMask: keyValidMask, bias: bias,
            keptRows: keptRows, context: &context
        ).output
    }

    /// As `callAsFunction`, also returning the attention weights `[batch, heads, queries, keys]`
    /// (after masking and DropKey, before probability dropout; not on the tape).
    ///
    /// `keptRows` (rows of `hidden`'s `[batch, queries]`) marks the padded queries whose
    /// projections may be skipped (they come out 0; see `RowSelection`); the keys and values
    /// of self-attention follow it, a separate `keyValue` is projected whole.
    public func attend(
        _ hidden: Tensor, keyValue: Tensor? = nil, keyValidMask: Mask? = nil,
        bias: Tensor? = nil, keptRows: RowSelection? = nil, context: inout ForwardContext
    ) -> (output: Tensor, weights: Tensor) {
        precondition(
            hidden.rank == 3 && hidden.shape[2] == configuration.hiddenSize,
            "MultiHeadAttention: hidden \(hidden.shape) is not [batch, queries, \(configuration.hiddenSize)]"
        )
        let source = keyValue ?? hidden
        precondition(
            source.rank == 3 && source.shape[0] == hidden.shape[0],
            "MultiHeadAttention: keyValue \(source.shape) vs hidden \(hidden.shape)")
        let sourceRows = keyValue == nil ? keptRows : nil
        // [batch, queries, hidden], and [batch, keys, hidden] twice.
        let queries = query(hidden, rows: keptRows, context: &context)
        let keys = key(source, rows: sourceRows, context: &context)
        let values = value(source, rows: sourceRows, context: &context)
        var logitBias = bias
        if let keyValidMask {
            let maskBias = Self.additiveBias(keyValidMask: keyValidMask)
            logitBias = bias.map { $0 + maskBias } ?? maskBias
        }
        let (mixed, weights) = scaledDotProductAttention(
            query: queries, key: keys, value: values, headCount: configuration.headCount,
            bias: logitBias, dropout: context.isTraining ? configuration.dropout : .none,
            using: &context.generator)
        return (output(mixed, rows: keptRows, context: &context), weights)
    }

    /// This attention with its four projections' inference products at `precision` (see
    /// `Linear.converted(to:features:)`); the attention itself stays float32.
    public func converted(to precision: Precision, features: CPUFeatures = .current)
        -> MultiHeadAttention
    {
        var copy = self
        copy.query = query.converted(to: precision, features: features)
        copy.key = key.converted(to: precision, features: features)
        copy.value = value.converted(to: precision, features: features)
        copy.output = output.converted(to: precision, features: features)
        return copy
    }

    /// The one place where a key `validMask` (true = real token) becomes an additive logit
    /// bias: 0 for a real key, −∞ for padding, shaped `[batch, 1, 1, keys]` to broadcast over
    /// heads and queries. The attention kernel gives −∞ logits exactly zero weight, and a query
    /// with no real key all-zero weights.
    public static func additiveBias(keyValidMask: Mask) -> Tensor {
        precondition(
            keyValidMask.shape.count == 2,
            "MultiHeadAttention: keyValidMask \(keyValidMask.shape) is not [batch, keys]")
        let (batch, keys) = (keyValidMask.shape[0], keyValidMask.shape[1])
        return Tensor(
            shape: [batch, 1, 1, keys],
            scalars: keyValidMask.values.map { $0 ? 0 : -Float.infinity })
    }
}
