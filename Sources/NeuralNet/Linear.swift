import Tensors
import VTGCore

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
    /// The trainable low-rank update beside the weight, when the store's
    /// `lowRankAdaptation` adapts this layer's path.
    public let adapter: LowRankAdapter?
    /// The packed copy of `weight` that passes without a tape multiply by: bf16 or int8, or the
    /// float32 copy of `packedForFewRows` (used for products of few rows only); nil otherwise.
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
        let store = parameters.store
        if let adaptation = store.lowRankAdaptation, adaptation.adapts(parameters.path) {
            adapter = LowRankAdapter(
                adaptation, inputSize: configuration.inputSize,
                outputSize: configuration.outputSize,
                parameters: store.scope(LowRankAdaptationConfiguration.scopePrefix)
                    .scope(parameters.path),
                seed: store.lowRankAdaptationSeed)
        } else {
            adapter = nil
        }
    }

    /// y = x·Wᵀ + b (plus the low-rank update, without its dropout):
    /// `[..., inputSize]` → `[..., outputSize]`.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        var context = ForwardContext(isTraining: false, generator: SeededGenerator(seed: 0))
        return callAsFunction(input, context: &context)
    }

    /// y = x·Wᵀ + b, plus the low-rank update when the layer has one (its dropout active in
    /// training, drawing from `context.generator`).
    public func callAsFunction(_ input: Tensor, context: inout ForwardContext) -> Tensor {
        callAsFunction(input, rows: nil, context: &context)
    }

    /// The same on the rows `rows` keeps (the rows of `input`'s leading axes, flattened): the
    /// others come out 0 (see `RowSelection`), at every precision.
    public func callAsFunction(
        _ input: Tensor, rows: RowSelection?, context: inout ForwardContext
    ) -> Tensor {
        precondition(
            input.rank >= 1 && input.shape[input.rank - 1] == configuration.inputSize,
            "Linear: input \(input.shape) does not end in \(configuration.inputSize) features")
        if input.rank == 1 {
            return callAsFunction(
                input.reshaped(to: [1, configuration.inputSize]), rows: nil, context: &context
            ).reshaped(to: [configuration.outputSize])
        }
        let base =
            packedWeight.map { linear(input, packedWeight: $0, bias: bias, rows: rows) }
            ?? linear(input, weight: weight, bias: bias, rows: rows)
        guard let adapter else { return base }
        return base + adapter(input, context: &context)
    }

    /// `self(input).quickGELU()`: at bf16 and int8 the kernel applies quick GELU to the outputs
    /// as it stores them (no second pass over the output; `linear(_:packedWeight:bias:
    /// activation:)`), otherwise exactly the two ops (float32, a low-rank adapter, a recording
    /// pass).
    public func quickGELUOutput(_ input: Tensor) -> Tensor {
        guard let fused = fusedOutput(input, activation: .quickGELU, rows: nil)
        else { return self(input).quickGELU() }
        return fused
    }

    /// `activation(self(input, rows: rows, context: &context), rows: rows)`: at bf16 and int8
    /// the kernel applies the exact GELU to the outputs as it stores them (its own erf, see
    /// `ProductActivation.gelu`), otherwise exactly the two ops (another activation, float32, a
    /// low-rank adapter, a recording pass: the same bits as before).
    public func activatedOutput(
        _ input: Tensor, activation: Activation, rows: RowSelection?,
        context: inout ForwardContext
    ) -> Tensor {
        guard activation == .gelu, let fused = fusedOutput(input, activation: .gelu, rows: rows)
        else { return activation(self(input, rows: rows, context: &context), rows: rows) }
        return fused
    }

    /// The product with `activation` applied by the kernel, or nil where no kernel fuses it (a
    /// low-rank adapter, a vector input, no packed weight or a float32 one).
    private func fusedOutput(
        _ input: Tensor, activation: ProductActivation, rows: RowSelection?
    ) -> Tensor? {
        guard adapter == nil, input.rank >= 2, let packedWeight,
            packedWeight.precision != .float32
        else { return nil }
        return linear(
            input, packedWeight: packedWeight, bias: bias, rows: rows, activation: activation)
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

    /// This layer, at float32, with its weight also packed for the few-row float32 kernel: passes
    /// without a tape over at most `PackedLinearWeights.float32RowLimit` rows (one short text)
    /// run it instead of OpenBLAS, which re-packs the weight on every call; more rows, and
    /// passes that record gradients, are unchanged. The same layer when it is at bf16 or int8,
    /// or when `features` have no float32 kernel. Values differ from OpenBLAS's by float32
    /// summation order only. Costs a second copy of the weight.
    public func packedForFewRows(features: CPUFeatures = .current) -> Linear {
        guard packedWeight == nil, PackedLinearWeights.hasFloat32Kernel(features) else {
            return self
        }
        var copy = self
        copy.packedWeight = PackedLinearWeights(weight, precision: .float32, features: features)
        return copy
    }
}
