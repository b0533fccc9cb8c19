import Tensors

/// Inverted dropout (`nn.Dropout`): in training, each element is zeroed with probability p and
/// the survivors are scaled by 1/(1 − p); in evaluation it returns its input. No parameters.
public struct Dropout {
    /// The probability of zeroing an element, in [0, 1).
    public let probability: Float

    /// A dropout layer with probability `probability`.
    public init(probability: Float) {
        precondition(
            probability >= 0 && probability < 1,
            "Dropout: probability must be in [0, 1), got \(probability)")
        self.probability = probability
    }

    /// Drops elements in training (drawing from `context.generator`); identity in evaluation.
    public func callAsFunction(_ input: Tensor, context: inout ForwardContext) -> Tensor {
        guard context.isTraining, probability > 0 else { return input }
        return input.dropout(probability: probability, using: &context.generator)
    }
}
