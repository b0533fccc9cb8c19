import NeuralNet

/// The architecture of a BERT encoder, from the Hugging Face `config.json` of its model directory.
///
/// all-MiniLM-L6-v2: vocabulary 30,522, hidden size 384, 6 layers of 12 heads, feed-forward 1,536,
/// 512 positions, 2 token types, layer-norm epsilon 1e-12, exact (erf) GELU.
public struct BertConfiguration: Equatable, Sendable {
    /// Rows of the word-embedding table (`vocab_size`).
    public let vocabularySize: Int
    /// Width of every token state (`hidden_size`).
    public let hiddenSize: Int
    /// Encoder layers (`num_hidden_layers`).
    public let layerCount: Int
    /// Attention heads per layer (`num_attention_heads`); divides `hiddenSize`.
    public let headCount: Int
    /// Width of the feed-forward layer (`intermediate_size`).
    public let intermediateSize: Int
    /// Rows of the position-embedding table, the longest input (`max_position_embeddings`).
    public let maximumPositionEmbeddings: Int
    /// Rows of the token-type (segment) embedding table (`type_vocab_size`).
    public let typeVocabularySize: Int
    /// The ε of every layer norm (`layer_norm_eps`).
    public let layerNormEpsilon: Float
    /// The feed-forward activation (`hidden_act`: `"gelu"`, `"gelu_new"` or `"gelu_pytorch_tanh"`,
    /// `"relu"`).
    public let hiddenActivation: Activation
    /// Dropout after embeddings, attention output and feed-forward (`hidden_dropout_prob`, 0.1
    /// when absent as in Hugging Face); used only when fine-tuning.
    public let hiddenDropoutProbability: Float
    /// Dropout of attention probabilities (`attention_probs_dropout_prob`, 0.1 when absent).
    public let attentionDropoutProbability: Float

    /// Width of one attention head: `hiddenSize / headCount`.
    public var headSize: Int { hiddenSize / headCount }

    /// Creates a configuration; for tests and small random models.
    public init(
        vocabularySize: Int, hiddenSize: Int, layerCount: Int, headCount: Int,
        intermediateSize: Int, maximumPositionEmbeddings: Int, typeVocabularySize: Int,
        layerNormEpsilon: Float, hiddenActivation: Activation = .gelu,
        hiddenDropoutProbability: Float = 0.1, attentionDropoutProbability: Float = 0.1
    ) {
        precondition(
            headCount > 0 && hiddenSize % headCount == 0,
            "BertConfiguration: hiddenSize \(hiddenSize) is not a multiple of headCount \(headCount)"
        )
        self.vocabularySize = vocabularySize
        self.hiddenSize = hiddenSize
        self.layerCount = layerCount
        self.headCount = headCount
        self.intermediateSize = intermediateSize
        self.maximumPositionEmbeddings = maximumPositionEmbeddings
        self.typeVocabularySize = typeVocabularySize
        self.layerNormEpsilon = layerNormEpsilon
        self.hiddenActivation = hiddenActivation
        self.hiddenDropoutProbability = hiddenDropoutProbability
        self.attentionDropoutProbability = attentionDropoutProbability
    }
}

extension BertConfiguration: Decodable {
    private enum CodingKeys: String, CodingKey {
        case modelType = "model_type"
        case vocabularySize = "vocab_size"
        case hiddenSize = "hidden_size"
        case layerCount = "num_hidden_layers"
        case headCount = "num_attention_heads"
        case intermediateSize = "intermediate_size"
        case maximumPositionEmbeddings = "max_position_embeddings"
        case typeVocabularySize = "type_vocab_size"
        case layerNormEpsilon = "layer_norm_eps"
        case hiddenActivation = "hidden_act"
        case hiddenDropoutProbability = "hidden_dropout_prob"
        case attentionDropoutProbability = "attention_probs_dropout_prob"
        case positionEmbeddingType = "position_embedding_type"
    }

    /// Reads `config.json`. Required: the architecture keys; optional with Hugging Face's defaults:
    /// `model_type` (must be `bert`), the dropouts, `position_embedding_type` (must be `absolute`).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let positive: (Int) -> Bool = { $0 > 0 }
        if let modelType = try container.decodeIfPresent(String.self, forKey: .modelType),
            modelType != "bert"
        {
            throw ConfigurationValueError(
                key: "model_type", expected: "\"bert\"", actual: "\"\(modelType)\"")
        }
        if let positions = try container.decodeIfPresent(
            String.self, forKey: .positionEmbeddingType),
            positions != "absolute"
        {
            throw ConfigurationValueError(
                key: "position_embedding_type", expected: "\"absolute\"", actual: "\"\(positions)\""
            )
        }
        let activationName = try container.decode(String.self, forKey: .hiddenActivation)
        let activation: Activation
        switch activationName {
        case "gelu": activation = .gelu
        case "gelu_new", "gelu_pytorch_tanh": activation = .geluTanh
        case "relu": activation = .relu
        default:
            throw ConfigurationValueError(
                key: "hidden_act", expected: "\"gelu\", \"gelu_new\" or \"relu\"",
                actual: "\"\(activationName)\"")
        }
        let hiddenSize = try container.decode(
            Int.self, forKey: .hiddenSize, expected: "a positive integer", where: positive)
        let headCount = try container.decode(
            Int.self, forKey: .headCount,
            expected: "a positive divisor of hidden_size \(hiddenSize)"
        ) { $0 > 0 && hiddenSize % $0 == 0 }
        let probability: (Double) -> Bool = { $0 >= 0 && $0 < 1 }
        let epsilon = try container.decode(
            Double.self, forKey: .layerNormEpsilon, expected: "a positive number"
        ) { $0 > 0 }
        self.init(
            vocabularySize: try container.decode(
                Int.self, forKey: .vocabularySize, expected: "a positive integer", where: positive),
            hiddenSize: hiddenSize,
            layerCount: try container.decode(
                Int.self, forKey: .layerCount, expected: "a positive integer", where: positive),
            headCount: headCount,
            intermediateSize: try container.decode(
                Int.self, forKey: .intermediateSize, expected: "a positive integer", where: positive
            ),
            maximumPositionEmbeddings: try container.decode(
                Int.self, forKey: .maximumPositionEmbeddings, expected: "a positive integer",
                where: positive),
            typeVocabularySize: try container.decode(
                Int.self, forKey: .typeVocabularySize, expected: "a positive integer",
                where: positive),
            layerNormEpsilon: Float(epsilon),
            hiddenActivation: activation,
            hiddenDropoutProbability: Float(
                try container.decodeIfPresent(Double.self, forKey: .hiddenDropoutProbability) ?? 0.1
            ),
            attentionDropoutProbability: Float(
                try container.decodeIfPresent(Double.self, forKey: .attentionDropoutProbability)
                    ?? 0.1))
        for (key, value) in [
            ("hidden_dropout_prob", hiddenDropoutProbability),
            ("attention_probs_dropout_prob", attentionDropoutProbability),
        ] where !probability(Double(value)) {
            throw ConfigurationValueError(
                key: key, expected: "a probability in [0, 1)", actual: "\(value)")
        }
    }
}
