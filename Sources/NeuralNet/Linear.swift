import Tensors

/// A fully connected layer, y = x·Wᵀ + b, with PyTorch's layout: `weight` `[output, input]`,
/// `bias` `[output]`. The product passes Wᵀ to BLAS as a flag: the weight is never copied.
///
/// Shapes: `[..., inputSize]` → `[..., outputSize]`.
/// Parameters under its scope: `weight`, `bias` (as `nn.Linear` and Hugging Face).
///
/// Inference at reduced precision: `converted(to:)` gives a copy whose passes without a tape
/// multiply by a bf16 or int8 copy of the weight (see `Precision`).
public struct Linear {
    /// The layer's sizes and initialisation.
    public struct Configuration: Sendable, Codable, Equatable {
        /// Features in.
        public var inputSize: Int
        /// Features out.
        public var outputSize: Int
        /// Whether the layer adds a bias.
        public var hasBias: Bool
        /// How new parameters are drawn.
        public var initialization: Initialization

        /// Creates a configuration.
        public init(
            inputSize: Int, outputSize: Int, hasBias: Bool = true,
            initialization: Initialization = .pytorchDefault
        ) {
            self.inputSize = inputSize
            self.outputSize = outputSize
            self.hasBias = hasBias
            self.initialization = initialization
        }
    }

    /// `[outputSize, inputSize]`.
    public let weight: Tensor
    /// `[outputSize]`, or nil without a bias.
    public let bias: Tensor?
    /// The configuration it was built with.
    public let configuration: Configuration
    /// The reduced-precision copy of `weight` that passes without a tape multiply by; nil at
    /// float32.
    public private(set) var packedWeight: PackedLinearWeights?

    /// The precision of this layer's inference products.
    public var precision: Precision { packedWeight?.precision ?? .float32 }

    /// Builds the layer, taking `weight` and `bias` from `parameters` (loaded or initialised).
    ///
    /// Initialisation: `.pytorchDefault` is `nn.Linear`'s Kaiming-uniform(a = √5) weight, which
    /// is U(−1/√in, 1/√in), and the same uniform bias; `.normal(σ)` is BERT's N(0, σ²) weight
    /// and zero bias.
    public init(_ configuration: Configuration, parameters: ParameterScope) {
        precondition(
            configuration.inputSize > 0 && configuration.outputSize > 0,
            "Linear: sizes must be positive, got \(configuration.inputSize) → \(configuration.outputSize)"
        )
        self.configuration = configuration
        let bound = 1 / Float(configuration.inputSize).squareRoot()
        let weightInitializer: ParameterInitializer
        let biasInitializer: ParameterInitializer
        switch configuration.initialization {
        case .pytorchDefault:
            weightInitializer = .uniform(bound: bound)
            biasInitializer = .uniform(bound: bound)
        case .normal(let standardDeviation):
            weightInitializer = .normal(standardDeviation: standardDeviation)
            biasInitializer = .zeros
        }
        weight = parameters.parameter(
            "weight", shape: [configuration.outputSize, configuration.inputSize], role: .weight,
            initializer: weightInitializer)
        bias =
            configuration.hasBias
            ? parameters.parameter(
                "bias", shape: [configuration.outputSize], role: .bias,
                initializer: biasInitializer)
            : nil
    }

    /// y = x·Wᵀ + b: `[..., inputSize]` → `[..., outputSize]`.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        precondition(
            input.rank >= 1 && input.shape[input.rank - 1] == configuration.inputSize,
            "Linear: input \(input.shape) does not end in \(configuration.inputSize) features")
        if input.rank == 1 {
            return callAsFunction(input.reshaped(to: [1, configuration.inputSize]))
                .reshaped(to: [configuration.outputSize])
        }
        if let packedWeight { return linear(input, packedWeight: packedWeight, bias: bias) }
        return linear(input, weight: weight, bias: bias)
    }

    /// This layer with its inference products at `precision`, or at float32 when `features`
    /// lack the precision's kernel. The weight is converted now, once (a snapshot: convert a
    /// frozen layer, after loading); passes that record gradients still use the float32 weight.
    public func converted(to precision: Precision, features: CPUFeatures = .current) -> Linear {
        let supported = features.supportedPrecision(precision)
        if supported == self.precision { return self }
        var copy = self
        copy.packedWeight =
            supported == .float32 ? nil : PackedLinearWeights(weight, precision: supported)
        return copy
    }
}

/// How a layer draws its new parameters.
public enum Initialization: Sendable, Codable, Equatable {
    /// PyTorch's defaults: `nn.Linear` Kaiming-uniform weights and uniform biases, `nn.Embedding`
    /// N(0, 1) rows.
    case pytorchDefault
    /// BERT's scheme: N(0, σ²) weights and embeddings (σ = 0.02 in BERT), zero biases.
    case normal(standardDeviation: Float)
}
