import Foundation

/// The files of a pre-trained sentence-transformers BERT model (all-MiniLM-L6-v2), checked and
/// with their configurations read: what the tokenizer and the encoder are built from.
///
/// A model directory holds `config.json` (architecture), `vocab.txt` (WordPiece vocabulary),
/// `tokenizer_config.json`, `sentence_bert_config.json`, `modules.json`, `1_Pooling/config.json`
/// and `model.safetensors` (weights, by Hugging Face parameter path).
public struct TextModelFiles: Equatable, Sendable {
    /// The model directory.
    public let directory: URL
    /// The encoder's architecture (`config.json`).
    public let configuration: BertConfiguration
    /// The tokenizer settings (`tokenizer_config.json`).
    public let tokenizerConfiguration: TokenizerConfiguration
    /// Truncation length, pooling and normalisation (the sentence-transformers files).
    public let sentenceEmbeddingConfiguration: SentenceEmbeddingConfiguration

    /// The weights, `model.safetensors` (open with `SafetensorsFile`).
    public var weightsURL: URL { directory.appendingPathComponent("model.safetensors") }
    /// The vocabulary, `vocab.txt`.
    public var vocabularyURL: URL { directory.appendingPathComponent("vocab.txt") }
    /// The longest input in tokens, `[CLS]` and `[SEP]` included: sentence-transformers'
    /// `max_seq_length` (256 for all-MiniLM-L6-v2).
    public var maximumSequenceLength: Int { sentenceEmbeddingConfiguration.maximumSequenceLength }

    /// Reads and checks the model files in `directory`. Every file must be there and every
    /// required key present and supported; the files must agree (pooling width = hidden size,
    /// `max_seq_length` within `max_position_embeddings` and `model_max_length`).
    public init(directory: URL) throws(TextModelError) {
        self.directory = directory
        let configurationURL = directory.appendingPathComponent("config.json")
        configuration = try JSONConfigurationFile.decode(
            BertConfiguration.self, from: configurationURL)
        tokenizerConfiguration = try JSONConfigurationFile.decode(
            TokenizerConfiguration.self,
            from: directory.appendingPathComponent("tokenizer_config.json"))
        sentenceEmbeddingConfiguration = try SentenceEmbeddingConfiguration(directory: directory)
        for required in [weightsURL, vocabularyURL] {
            _ = try JSONConfigurationFile.existingFile(required)
        }

        let sentence = sentenceEmbeddingConfiguration
        if sentence.embeddingDimension != configuration.hiddenSize {
            throw .invalidValue(
                path: directory.appendingPathComponent("1_Pooling/config.json").path,
                key: "word_embedding_dimension",
                expected: "\(configuration.hiddenSize) (hidden_size of config.json)",
                actual: "\(sentence.embeddingDimension)")
        }
        let longestAllowed = min(
            configuration.maximumPositionEmbeddings, tokenizerConfiguration.modelMaximumLength)
        if sentence.maximumSequenceLength > longestAllowed {
            throw .invalidValue(
                path: directory.appendingPathComponent("sentence_bert_config.json").path,
                key: "max_seq_length",
                expected: "at most \(longestAllowed) (max_position_embeddings, model_max_length)",
                actual: "\(sentence.maximumSequenceLength)")
        }
    }

    /// Locates the model directory (see `TextModelLocator` for the order) and reads its files.
    ///
    /// - Parameter option: the `--text-model` value, or nil when not given.
    public static func locate(
        option: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(TextModelError) -> TextModelFiles {
        try TextModelFiles(
            directory: TextModelLocator.locate(option: option, environment: environment).directory)
    }
}
