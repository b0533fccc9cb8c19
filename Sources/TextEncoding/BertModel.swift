import NeuralNet
import Tensors

/// A BERT encoder without its pooler (Hugging Face's `BertModel` as sentence-transformers uses
/// it): embeddings, then post-LN transformer layers with the configured activation (exact erf
/// GELU for all-MiniLM-L6-v2), attending only to real tokens.
///
/// Parameters under its scope, with Hugging Face's names: `embeddings.*` (see `BertEmbeddings`)
/// and `encoder.layer.N.*` (see `TransformerEncoderLayer`), so a BERT `model.safetensors` loads
/// as it is. The checkpoint's `pooler.*` is not used (sentence-transformers pools token states
/// itself).
///
/// Shape legend: `batch` sequences, `tokens` positions (padding included), `hidden` =
/// `configuration.hiddenSize`.
public struct BertModel {
    /// BERT's `initializer_range`: the standard deviation of new (not loaded) weights.
    public static let initializerStandardDeviation: Float = 0.02

    /// The architecture.
    public let configuration: BertConfiguration
    /// Word, position and token-type embeddings (`embeddings.*`).
    public let embeddings: BertEmbeddings
    /// The transformer layers (`encoder.layer.*`).
    public private(set) var encoder: TransformerEncoder

    /// Builds the model under `parameters` (the root of a store made from `model.safetensors`,
    /// or a seeded store for a random model).
    ///
    /// Dropout: off by default, in training mode too. A frozen pre-trained encoder under prompt
    /// tuning is then the same deterministic function during training and at inference, and the
    /// prompt's gradients carry no dropout noise. `usesDropout: true` restores BERT's
    /// fine-tuning dropout (`hidden_dropout_prob` after the embeddings and each sublayer,
    /// `attention_probs_dropout_prob` on the attention weights) for training-mode passes, as
    /// peft gets when the model is in `train()` mode.
    public init(
        _ configuration: BertConfiguration, parameters: ParameterScope, usesDropout: Bool = false
    ) {
        self.configuration = configuration
        let hiddenDropout = usesDropout ? configuration.hiddenDropoutProbability : 0
        let attentionDropout =
            usesDropout && configuration.attentionDropoutProbability > 0
            ? AttentionDropout.probabilityDropout(
                probability: configuration.attentionDropoutProbability) : .none
        embeddings = BertEmbeddings(
            configuration, parameters: parameters.scope("embeddings"),
            dropoutProbability: hiddenDropout)
        let activation = configuration.hiddenActivation
        encoder = TransformerEncoder(
            .init(
                layerCount: configuration.layerCount,
                layer: .init(
                    hiddenSize: configuration.hiddenSize, headCount: configuration.headCount,
                    intermediateSize: configuration.intermediateSize, activation: activation,
                    layerNormEpsilon: configuration.layerNormEpsilon,
                    normalization: .postLayerNorm, hiddenDropout: hiddenDropout,
                    initialization: .normal(standardDeviation: Self.initializerStandardDeviation)),
                attentionDropout: .constant(attentionDropout)),
            parameters: parameters.scope("encoder"))
    }

    /// The last layer's states of a tokenised batch, with a soft prompt in front of every text
    /// when given (see `SoftPrompt` for positions and the mask).
    ///
    /// - Parameters:
    ///   - batch: token ids and `validMask`, `[batch, tokens]`.
    ///   - prompt: the prompt, whose vectors get gradients when recording is on.
    ///   - context: training mode turns on dropout when the model was built with it.
    /// - Returns: states `[batch, promptLength + tokens, hidden]` (rows at padded positions are
    ///   computed but meaningless) and the mask the attention used.
    public func callAsFunction(
        _ batch: EncodedBatch, prompt: SoftPrompt? = nil, context: inout ForwardContext
    ) -> BertOutput {
        let shape = [batch.batchSize, batch.sequenceLength]
        var wordVectors = embeddings.wordVectors(batch.tokenIDs, shape: shape)
        var validMask = Mask(shape: shape, values: batch.validMask)
        if let prompt {
            (wordVectors, validMask) = prompt.prepended(to: wordVectors, validMask: validMask)
        }
        return BertOutput(
            states: self(wordVectors: wordVectors, validMask: validMask, context: &context),
            validMask: validMask, promptLength: prompt?.length ?? 0)
    }

    /// The last layer's token states from word vectors (looked up, or with soft prompts
    /// prepended).
    ///
    /// - Parameters:
    ///   - wordVectors: `[batch, tokens, hidden]`; position `p` gets position embedding `p`.
    ///   - validMask: `[batch, tokens]`, true for the positions that may be attended to.
    ///   - context: training mode turns on dropout when the model was built with it.
    /// - Returns: `[batch, tokens, hidden]`.
    public func callAsFunction(
        wordVectors: Tensor, validMask: Mask, context: inout ForwardContext
    ) -> Tensor {
        precondition(
            wordVectors.rank == 3 && validMask.shape == Array(wordVectors.shape.prefix(2)),
            "BertModel: validMask \(validMask.shape) does not match word vectors \(wordVectors.shape)"
        )
        let embedded = embeddings(wordVectors, context: &context)
        return encoder(embedded, validMask: validMask, context: &context)
    }

    /// This model with every linear product of its encoder layers at `precision` for inference
    /// (see `TransformerEncoderLayer.converted(to:features:)`); the embeddings stay float32.
    public func converted(to precision: Precision, features: CPUFeatures = .current) -> BertModel
    {
        var copy = self
        copy.encoder = encoder.converted(to: precision, features: features)
        return copy
    }
}
