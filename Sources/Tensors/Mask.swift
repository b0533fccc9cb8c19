/// A boolean tensor for selecting elements (`maskedFill`, `where`). It broadcasts like a tensor.
///
/// Attention masks in PromptVTG are always `validMask`s (true = a real token or clip) and turn
/// into an additive bias in one place, the attention layer.
public struct Mask: Sendable, Equatable {
    /// The size of each axis.
    public let shape: [Int]
    /// The elements in row-major order.
    public let values: [Bool]

    /// A mask with the given elements.
    public init(shape: [Int], values: [Bool]) {
        precondition(values.count == shape.reduce(1, *),
            "Mask: shape \(shape) needs \(shape.reduce(1, *)) values, got \(values.count)")
        self.shape = shape
        self.values = values
    }

    /// The elements as 1 (true) and 0 (false).
    public var asTensor: Tensor {
        Tensor(shape: shape, scalars: values.map { $0 ? 1 : 0 })
    }

    /// The element-wise negation.
    public var inverted: Mask { Mask(shape: shape, values: values.map { !$0 }) }
}
