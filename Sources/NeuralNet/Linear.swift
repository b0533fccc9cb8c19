import Tensors

/// A fully connected layer, y = x·Wᵀ + b, with PyTorch's layout: `weight` `[output, input]`,
/// `bias` `[output]`. The product passes Wᵀ to BLAS as a flag: the weight is never copied.
///
/// Shapes: `[..., inputSize]` → `[..., outputSize]`.
/// Parameters under its scope: `weight`, `bias` (as `nn.Linear` and Hugging Face).
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
        public var initialization: WeightInitialization

        /// Creates a configuration.
        public init(
            inputSize: Int, outputSize: Int, hasBias: Bool = true,
            initialization: WeightInitialization = .pytorchDefault
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
        return linear(input, weight: weight, bias: bias)
    }
}
