import Tensors

/// A lookup table of learned vectors, one row per index (`nn.Embedding`).
///
/// Shapes: `weight` `[count, size]`; indices of shape S → `S + [size]`.
/// Parameters under its scope: `weight`.
public struct Embedding {
    /// The table's size and initialisation.
    public struct Configuration: Sendable, Codable, Equatable {
        /// The number of rows (vocabulary size, maximum positions, ...).
        public var count: Int
        /// The length of each row.
        public var size: Int
        /// How a new table is drawn: `.pytorchDefault` is N(0, 1), `.normal(σ)` is N(0, σ²).
        public var initialization: WeightInitialization

        /// Creates a configuration.
        public init(count: Int, size: Int, initialization: WeightInitialization = .pytorchDefault) {
            self.count = count
            self.size = size
            self.initialization = initialization
        }
    }

    /// `[count, size]`.
    public let weight: Tensor
    /// The configuration it was built with.
    public let configuration: Configuration

    /// Builds the table under `parameters` (path `weight`).
    public init(_ configuration: Configuration, parameters: ParameterScope) {
        precondition(
            configuration.count > 0 && configuration.size > 0,
            "Embedding: count \(configuration.count) and size \(configuration.size) must be positive"
        )
        self.configuration = configuration
        let standardDeviation: Float
        switch configuration.initialization {
        case .pytorchDefault: standardDeviation = 1
        case .normal(let value): standardDeviation = value
        }
        weight = parameters.parameter(
            "weight", shape: [configuration.count, configuration.size], role: .embedding,
            initializer: .normal(standardDeviation: standardDeviation))
    }

    /// The rows at `indices` (row-major, of shape `indexShape`): `indexShape + [size]`.
    /// Every index must be in `0..<count`.
    public func callAsFunction(_ indices: [Int], shape indexShape: [Int]) -> Tensor {
        weight.indexSelect(indices, indexShape: indexShape)
    }
}
