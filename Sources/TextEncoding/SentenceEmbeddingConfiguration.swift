import Foundation

/// How sentence-transformers turns the encoder's token states into one sentence embedding, from
/// `sentence_bert_config.json`, `modules.json` and the pooling module's `config.json`.
///
/// all-MiniLM-L6-v2: inputs truncated to 256 tokens, mean pooling over the real tokens, then L2
/// normalisation, giving 384-wide unit vectors.
public struct SentenceEmbeddingConfiguration: Equatable, Sendable {
    /// How token states are pooled (`1_Pooling/config.json`, exactly one mode set).
    public enum PoolingMode: String, Sendable {
        /// The average of the real tokens' states (`pooling_mode_mean_tokens`).
        case mean
        /// The state of the first token, `[CLS]` (`pooling_mode_cls_token`).
        case classifierToken
        /// The element-wise maximum over the real tokens (`pooling_mode_max_tokens`).
        case maximum
        /// The sum of the real tokens' states divided by √(token count)
        /// (`pooling_mode_mean_sqrt_len_tokens`).
        case meanSquareRootLength
    }

    /// Longest input in tokens, `[CLS]` and `[SEP]` included (`max_seq_length`); longer inputs
    /// are truncated.
    public let maximumSequenceLength: Int
    /// The pooling mode.
    public let poolingMode: PoolingMode
    /// Width of the pooled embedding (`word_embedding_dimension`); equals the hidden size.
    public let embeddingDimension: Int
    /// Whether embeddings are L2-normalised (a `Normalize` module in `modules.json`).
    public let normalizesEmbeddings: Bool

    /// Creates a configuration; for tests.
    public init(
        maximumSequenceLength: Int, poolingMode: PoolingMode, embeddingDimension: Int,
        normalizesEmbeddings: Bool
    ) {
        self.maximumSequenceLength = maximumSequenceLength
        self.poolingMode = poolingMode
        self.embeddingDimension = embeddingDimension
        self.normalizesEmbeddings = normalizesEmbeddings
    }

    /// Reads the three files from the model directory. `modules.json` must list a Transformer,
    /// then a Pooling module (whose folder holds the pooling `config.json`), then optionally a
    /// Normalize module, and nothing else.
    public init(directory: URL) throws(TextModelError) {
        let modulesURL = directory.appendingPathComponent("modules.json")
        let modules = try JSONConfigurationFile.decode([Module].self, from: modulesURL)
        let kinds = modules.map { $0.type.split(separator: ".").last.map(String.init) ?? $0.type }
        guard
            kinds == ["Transformer", "Pooling"] || kinds == ["Transformer", "Pooling", "Normalize"]
        else {
            throw .invalidValue(
                path: modulesURL.path, key: "[].type",
                expected: "Transformer, Pooling and optionally Normalize",
                actual: kinds.joined(separator: ", "))
        }
        let sentenceURL = directory.appendingPathComponent("sentence_bert_config.json")
        let sentence = try JSONConfigurationFile.decode(SentenceSettings.self, from: sentenceURL)
        let poolingURL = directory.appendingPathComponent(modules[1].path)
            .appendingPathComponent("config.json")
        let pooling = try JSONConfigurationFile.decode(PoolingSettings.self, from: poolingURL)
        self.init(
            maximumSequenceLength: sentence.maximumSequenceLength, poolingMode: pooling.mode,
            embeddingDimension: pooling.embeddingDimension,
            normalizesEmbeddings: kinds.count == 3)
    }

    /// One entry of `modules.json`.
    private struct Module: Decodable {
        let type: String
        let path: String
    }

    /// `sentence_bert_config.json`.
    private struct SentenceSettings: Decodable {
        let maximumSequenceLength: Int

        private enum CodingKeys: String, CodingKey {
            case maximumSequenceLength = "max_seq_length"
            case lowercasesInput = "do_lower_case"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            maximumSequenceLength = try container.decode(
                Int.self, forKey: .maximumSequenceLength,
                expected: "an integer of at least 2 ([CLS] and [SEP])"
            ) { $0 >= 2 }
            // sentence-transformers' own lower-casing (Python str.lower) is not implemented.
            if try container.decodeIfPresent(Bool.self, forKey: .lowercasesInput) == true {
                throw ConfigurationValueError(
                    key: "do_lower_case", expected: "false (the tokenizer lower-cases)",
                    actual: "true")
            }
        }
    }

    /// `1_Pooling/config.json`.
    private struct PoolingSettings: Decodable {
        let embeddingDimension: Int
        let mode: PoolingMode

        private enum CodingKeys: String, CodingKey {
            case embeddingDimension = "word_embedding_dimension"
            case classifierToken = "pooling_mode_cls_token"
            case mean = "pooling_mode_mean_tokens"
            case maximum = "pooling_mode_max_tokens"
            case meanSquareRootLength = "pooling_mode_mean_sqrt_len_tokens"
            case weightedMean = "pooling_mode_weightedmean_tokens"
            case lastToken = "pooling_mode_lasttoken"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            embeddingDimension = try container.decode(
                Int.self, forKey: .embeddingDimension, expected: "a positive integer"
            ) { $0 > 0 }
            let required: [(CodingKeys, PoolingMode)] = [
                (.classifierToken, .classifierToken), (.mean, .mean), (.maximum, .maximum),
                (.meanSquareRootLength, .meanSquareRootLength),
            ]
            var chosen: [PoolingMode] = []
            for (key, mode) in required where try container.decode(Bool.self, forKey: key) {
                chosen.append(mode)
            }
            for key in [CodingKeys.weightedMean, .lastToken]
            where try container.decodeIfPresent(Bool.self, forKey: key) == true {
                throw ConfigurationValueError(
                    key: key.stringValue, expected: "false (not implemented)", actual: "true")
            }
            guard chosen.count == 1 else {
                throw ConfigurationValueError(
                    key: "pooling_mode_*", expected: "exactly one pooling mode set to true",
                    actual: chosen.isEmpty ? "none" : chosen.map(\.rawValue).joined(separator: ", ")
                )
            }
            mode = chosen[0]
        }
    }
}
