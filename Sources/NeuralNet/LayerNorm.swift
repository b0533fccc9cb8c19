import Tensors

/// Layer normalisation over the last axis (`nn.LayerNorm`):
/// y = (x − mean) / √(var + ε) · weight + bias, biased variance.
///
/// Shapes: `[..., size]` → `[..., size]`. Parameters under its scope: `weight` (ones) and
/// `bias` (zeros), as Hugging Face's `LayerNorm.weight` / `LayerNorm.bias`.
public struct LayerNorm {
    /// The normalised size and ε.
    public struct Configuration: Sendable, Codable, Equatable {
        /// The length of the last axis.
        public var size: Int
        /// Added to the variance (PyTorch default 1e-5; BERT and MiniLM use 1e-12).
        public var epsilon: Float

        /// Creates a configuration.
        public init(size: Int, epsilon: Float = 1e-5) {
            self.size = size
            self.epsilon = epsilon
        }
    }

    /// The gain `[size]`.
    public let weight: Tensor
    /// The shift `[size]`.
    public let bias: Tensor
    /// The configuration it was built with.
    public let configuration: Configuration

    /// Builds the layer under `parameters`.
    public init(_ configuration: Configuration, parameters: ParameterScope) {
        precondition(configuration.size > 0, "LayerNorm: size must be positive")
        self.configuration = configuration
        weight = parameters.parameter(
            "weight", shape: [configuration.size], role: .normalization, initializer: .ones)
        bias = parameters.parameter(
            "bias", shape: [configuration.size], role: .normalization, initializer: .zeros)
    }

    /// Normalises the last axis: `[..., size]` → `[..., size]`.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        input.layerNorm(weight: weight, bias: bias, epsilon: configuration.epsilon)
    }
}
