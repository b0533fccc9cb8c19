import NeuralNet
import Tensors

/// BERT's input embeddings: word vector + position vector + token-type vector, then LayerNorm
/// and dropout (Hugging Face's `BertEmbeddings`).
///
/// Parameters under its scope, with Hugging Face's names: `word_embeddings.weight`
/// `[vocabularySize, hiddenSize]`, `position_embeddings.weight`
/// `[maximumPositionEmbeddings, hiddenSize]`, `token_type_embeddings.weight`
/// `[typeVocabularySize, hiddenSize]`, `LayerNorm.weight` and `LayerNorm.bias` `[hiddenSize]`.
///
/// The word lookup and the rest are separate steps (`wordVectors(_:shape:)`, then
/// `callAsFunction`) so that soft prompts can be prepended to the word vectors in between, as
/// peft does with `inputs_embeds`. Every sequence is a single segment: token type 0 everywhere,
/// as sentence-transformers passes it.
public struct BertEmbeddings {
    /// The word (WordPiece) vectors.
    public let wordEmbeddings: Embedding
    /// The learned absolute position vectors.
    public let positionEmbeddings: Embedding
    /// The segment vectors (only row 0 is used).
    public let tokenTypeEmbeddings: Embedding
    /// The normalisation after the sum.
    public let layerNorm: LayerNorm
    /// Dropout after the normalisation (BERT's `hidden_dropout_prob` when enabled).
    public let dropout: Dropout

    /// Builds the tables under `parameters` (e.g. `store.scope("embeddings")`), with
    /// `dropoutProbability` after the normalisation in training mode.
    public init(
        _ configuration: BertConfiguration, parameters: ParameterScope,
        dropoutProbability: Float = 0
    ) {
        let hidden = configuration.hiddenSize
        let initialization = WeightInitialization.normal(
            standardDeviation: BertModel.initializerStandardDeviation)
        wordEmbeddings = Embedding(
            .init(
                count: configuration.vocabularySize, size: hidden, initialization: initialization),
            parameters: parameters.scope("word_embeddings"))
        positionEmbeddings = Embedding(
            .init(
                count: configuration.maximumPositionEmbeddings, size: hidden,
                initialization: initialization),
            parameters: parameters.scope("position_embeddings"))
        tokenTypeEmbeddings = Embedding(
            .init(
                count: configuration.typeVocabularySize, size: hidden,
                initialization: initialization),
            parameters: parameters.scope("token_type_embeddings"))
        layerNorm = LayerNorm(
            .init(size: hidden, epsilon: configuration.layerNormEpsilon),
            parameters: parameters.scope("LayerNorm"))
        dropout = Dropout(probability: dropoutProbability)
    }

    /// The word vectors of `tokenIDs` (row-major, of shape `indexShape`, e.g.
    /// `[batch, tokens]`): `indexShape + [hiddenSize]`.
    public func wordVectors(_ tokenIDs: [Int], shape indexShape: [Int]) -> Tensor {
        wordEmbeddings(tokenIDs, shape: indexShape)
    }

    /// Adds position and token-type vectors to word vectors, normalises and applies dropout.
    ///
    /// - Parameters:
    ///   - wordVectors: `[batch, tokens, hiddenSize]`; position `p` of every row gets position
    ///     vector `p` (so prompt vectors prepended to the words take positions `0..<n` and the
    ///     text `n...`).
    ///   - context: training mode turns on dropout.
    /// - Returns: `[batch, tokens, hiddenSize]`.
    public func callAsFunction(_ wordVectors: Tensor, context: inout ForwardContext) -> Tensor {
        let hidden = layerNorm.configuration.size
        precondition(
            wordVectors.rank == 3 && wordVectors.shape[2] == hidden,
            "BertEmbeddings: word vectors \(wordVectors.shape) are not [batch, tokens, \(hidden)]")
        let tokens = wordVectors.shape[1]
        let positionCount = positionEmbeddings.configuration.count
        precondition(
            tokens <= positionCount,
            "BertEmbeddings: \(tokens) positions, but the model has only \(positionCount)"
                + " (max_position_embeddings; with a soft prompt, prompt length + text tokens)")
        // Positions and token type 0 are the same for every row (broadcast over the batch);
        // summed in Hugging Face's order, (words + token type) + positions.
        let positions = positionEmbeddings(Array(0..<tokens), shape: [1, tokens])
        let tokenType = tokenTypeEmbeddings.weight.slice(axis: 0, range: 0..<1)  // [1, hidden]
        let summed = (wordVectors + tokenType) + positions
        return dropout(layerNorm(summed), context: &context)
    }
}
