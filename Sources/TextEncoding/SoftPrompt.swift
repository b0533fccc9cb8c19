import NeuralNet
import Tensors
import VTGCore

/// A soft prompt: `length` learned virtual-token vectors of the encoder's width, prepended to
/// the word vectors of every text (prompt tuning, as peft's `PROMPT_TUNING` and the classic
/// `SoftEmbedding`). The encoder stays frozen; only these vectors are trained.
///
/// **Positions.** The prompt takes positions `0..<length` and the text (`[CLS]` first) shifts to
/// `length...`: peft passes `cat(prompt, inputs_embeds)` as `inputs_embeds` and BERT numbers
/// positions from 0 over the whole sequence, and `SoftEmbedding` replaces the first `length` word
/// vectors of the same sequence. We follow both, so a prompt trained here behaves as one trained
/// with them. (The alternative, prompt vectors without positions and the text keeping `0...`,
/// keeps the text's pre-trained position statistics, but is what neither reference does.)
/// Token type 0 everywhere, as peft pads `token_type_ids` with zeros. `length + tokens` must fit
/// `max_position_embeddings` (512 for MiniLM, whose texts are cut at 256 tokens: any prompt of
/// up to 256 vectors fits).
///
/// **Mask.** `prepended(to:validMask:)` is the one place where the attention mask grows by
/// `length` ones (real positions); everything downstream sees only the extended mask.
///
/// Parameters under its scope: `embedding.weight` `[length, hiddenSize]`, role `.prompt` (no
/// weight decay in `ParameterGroup.standard`), as peft's `prompt_encoder.default.embedding`.
public struct SoftPrompt {
    /// How the vectors start.
    public enum Initialization: Sendable, Codable, Equatable {
        /// The word vectors of vocabulary rows `0..<length`.
        case firstVocabularyRows
        /// The word vectors of vocabulary rows `start..<(start + length)` (e.g. the members of
        /// a prompt ensemble each taking the next rows).
        case consecutiveVocabularyRows(start: Int)
        /// The word vectors of the init text's token ids, `[CLS]` and `[SEP]` included (what
        /// peft's TEXT mode gets from `tokenizer(text)["input_ids"]`), repeated or cut to
        /// `length`.
        case text(String)
        /// The word vectors of `length` vocabulary rows drawn uniformly with replacement from a
        /// generator seeded with `seed` (peft's SAMPLE_VOCAB).
        case randomVocabularyRows(seed: UInt64)
        /// Uniform in [−0.5, 0.5), drawn from the parameter store's seeded generator.
        case uniform
    }

    /// The prompt's length and initialisation.
    public struct Configuration: Sendable, Codable, Equatable {
        /// The number of virtual tokens.
        public var length: Int
        /// How the vectors start (when not loaded from a checkpoint).
        public var initialization: Initialization

        /// Creates a configuration.
        public init(length: Int, initialization: Initialization) {
            self.length = length
            self.initialization = initialization
        }
    }

    /// The bound of `.uniform` initialisation.
    public static let uniformBound: Float = 0.5

    /// `[length, hiddenSize]`, trainable.
    public let vectors: Tensor
    /// The configuration it was built with.
    public let configuration: Configuration

    /// The number of virtual tokens.
    public var length: Int { configuration.length }

    /// Builds the prompt under `parameters` (e.g. `store.scope("text_prompt")` of the store the
    /// task head lives in), taking `embedding.weight` from the store's weights when it was made
    /// from a checkpoint, else initialising it.
    ///
    /// - Parameters:
    ///   - wordEmbeddings: the frozen encoder's word table `[vocabularySize, hiddenSize]`, which
    ///     gives the width and the rows the vocabulary modes copy.
    ///   - tokenizer: needed for `.text` only.
    public init(
        _ configuration: Configuration, parameters: ParameterScope, wordEmbeddings: Tensor,
        tokenizer: BertTokenizer? = nil
    ) {
        let length = configuration.length
        precondition(length > 0, "SoftPrompt: length \(length) must be positive")
        precondition(
            wordEmbeddings.rank == 2,
            "SoftPrompt: word embeddings \(wordEmbeddings.shape) are not [vocabulary, hidden]")
        let (vocabularySize, hiddenSize) = (wordEmbeddings.shape[0], wordEmbeddings.shape[1])
        let rows = Self.vocabularyRows(
            configuration.initialization, count: length, vocabularySize: vocabularySize,
            tokenizer: tokenizer)
        let initializer: ParameterInitializer
        if let rows {
            initializer = .values(
                withGradientsDisabled { wordEmbeddings.indexSelect(rows).scalars })
        } else {
            initializer = .uniform(bound: Self.uniformBound)
        }
        vectors = parameters.parameter(
            "embedding.weight", shape: [length, hiddenSize], role: .prompt,
            initializer: initializer)
        self.configuration = configuration
    }

    /// The vocabulary rows whose word vectors start `count` prompt vectors under
    /// `initialization`, or nil for `.uniform` (no rows).
    public static func vocabularyRows(
        _ initialization: Initialization, count: Int, vocabularySize: Int,
        tokenizer: BertTokenizer?
    ) -> [Int]? {
        switch initialization {
        case .firstVocabularyRows:
            return vocabularyRows(
                .consecutiveVocabularyRows(start: 0), count: count,
                vocabularySize: vocabularySize, tokenizer: tokenizer)
        case .consecutiveVocabularyRows(let start):
            precondition(
                start >= 0 && start + count <= vocabularySize,
                "SoftPrompt: vocabulary rows \(start)..<\(start + count) asked of a vocabulary of \(vocabularySize)")
            return Array(start..<(start + count))
        case .text(let text):
            guard let tokenizer else {
                preconditionFailure("SoftPrompt: .text initialisation needs the tokenizer")
            }
            let ids = tokenizer.encode(text).tokenIDs
            return (0..<count).map { ids[$0 % ids.count] }
        case .randomVocabularyRows(let seed):
            var generator = SeededGenerator(seed: seed)
            return (0..<count).map { _ in Int.random(in: 0..<vocabularySize, using: &generator) }
        case .uniform:
            return nil
        }
    }

    /// The prompt vectors in front of every row of `wordVectors`, and the mask grown to match.
    /// The one place where a prompt extends the attention mask.
    ///
    /// - Parameters:
    ///   - wordVectors: `[batch, tokens, hiddenSize]`.
    ///   - validMask: `[batch, tokens]`, true for real tokens.
    /// - Returns: `[batch, length + tokens, hiddenSize]` (on the tape: the prompt's gradient
    ///   sums over the batch) and `[batch, length + tokens]`: `length` trues, then each row's
    ///   mask.
    public func prepended(to wordVectors: Tensor, validMask: Mask) -> (
        wordVectors: Tensor, validMask: Mask
    ) {
        precondition(
            wordVectors.rank == 3 && wordVectors.shape[2] == vectors.shape[1]
                && validMask.shape == Array(wordVectors.shape.prefix(2)),
            "SoftPrompt: word vectors \(wordVectors.shape) and validMask \(validMask.shape) do not"
                + " fit a prompt of width \(vectors.shape[1])")
        let (batch, tokens, hidden) = (wordVectors.shape[0], wordVectors.shape[1], vectors.shape[1])
        let repeated = vectors.reshaped(to: [1, length, hidden])
            .expanded(to: [batch, length, hidden])
        let joined = Tensor.concatenate([repeated, wordVectors], axis: 1)
        var mask: [Bool] = []
        mask.reserveCapacity(batch * (length + tokens))
        for row in 0..<batch {
            mask += repeatElement(true, count: length)
            mask += validMask.values[row * tokens..<(row + 1) * tokens]
        }
        return (joined, Mask(shape: [batch, length + tokens], values: mask))
    }
}
