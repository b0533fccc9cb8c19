import Tensors

/// Learned absolute position embeddings (BERT's `position_embeddings`): one trained row per
/// position, added to the token vectors.
///
/// Shapes: `weight` `[maximumLength, size]`; a call gives `[length, size]`, which broadcasts
/// over a batch `[batch, length, size]`. Parameters under its scope: `weight`.
public struct LearnedPositionEmbedding {
    /// The table of rows, one per position.
    public let table: Embedding

    /// Builds the table (`maximumLength` rows of `size`) under `parameters`.
    public init(_ configuration: Embedding.Configuration, parameters: ParameterScope) {
        table = Embedding(configuration, parameters: parameters)
    }

    /// The rows for positions `offset ..< offset + length`: `[length, size]`.
    public func callAsFunction(length: Int, offset: Int = 0) -> Tensor {
        precondition(
            offset >= 0 && offset + length <= table.configuration.count,
            "LearnedPositionEmbedding: positions \(offset)..<\(offset + length) exceed the \(table.configuration.count) learned ones"
        )
        return table(Array(offset..<(offset + length)), shape: [length])
    }
}
