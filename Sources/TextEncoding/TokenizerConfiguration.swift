/// The tokenizer settings of a BERT model directory, from `tokenizer_config.json`.
///
/// Only the uncased BERT normaliser is implemented (lower-casing, accent stripping, CJK splitting:
/// all-MiniLM-L6-v2's settings); a file asking for anything else is refused with the key named,
/// rather than tokenized differently from the reference.
public struct TokenizerConfiguration: Equatable, Sendable {
    /// The special tokens, as written in the vocabulary.
    public struct SpecialTokens: Equatable, Sendable {
        /// Replaces words the vocabulary cannot spell (`unk_token`, `[UNK]`).
        public let unknown: String
        /// Ends a sequence (`sep_token`, `[SEP]`).
        public let separator: String
        /// Fills batches to a common length (`pad_token`, `[PAD]`).
        public let padding: String
        /// Starts a sequence (`cls_token`, `[CLS]`).
        public let classifier: String
        /// The masked-language-model token (`mask_token`, `[MASK]`).
        public let mask: String

        /// All five, in the order above.
        public var all: [String] { [unknown, separator, padding, classifier, mask] }
    }

    /// Whether text is lower-cased (`do_lower_case`; always true here).
    public let lowercases: Bool
    /// Whether accents are stripped (`strip_accents`, following `do_lower_case` when null).
    public let stripsAccents: Bool
    /// Whether CJK ideographs become one-character words (`tokenize_chinese_chars`).
    public let splitsChineseCharacters: Bool
    /// The longest input the tokenizer allows (`model_max_length`), in tokens with the specials.
    public let modelMaximumLength: Int
    /// The special tokens.
    public let specialTokens: SpecialTokens
}

extension TokenizerConfiguration: Decodable {
    private enum CodingKeys: String, CodingKey {
        case lowercases = "do_lower_case"
        case stripsAccents = "strip_accents"
        case splitsChineseCharacters = "tokenize_chinese_chars"
        case modelMaximumLength = "model_max_length"
        case doBasicTokenize = "do_basic_tokenize"
        case neverSplit = "never_split"
        case unknown = "unk_token"
        case separator = "sep_token"
        case padding = "pad_token"
        case classifier = "cls_token"
        case mask = "mask_token"
    }

    /// Reads `tokenizer_config.json`. Required: `do_lower_case`, `strip_accents` (may be null),
    /// `tokenize_chinese_chars`, `model_max_length` and the five special tokens (strings, or
    /// objects with a `content` string). Optional: `do_basic_tokenize` (must be true) and
    /// `never_split` (must be null or empty).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let isTrue: (Bool) -> Bool = { $0 }
        let uncasedOnly = "true (only the uncased BERT normaliser is implemented)"
        lowercases = try container.decode(
            Bool.self, forKey: .lowercases, expected: uncasedOnly, where: isTrue)
        let stripAccents = try container.decode(Bool?.self, forKey: .stripsAccents)
        if stripAccents == false {
            throw ConfigurationValueError(
                key: "strip_accents", expected: "null or \(uncasedOnly)", actual: "false")
        }
        stripsAccents = stripAccents ?? lowercases
        splitsChineseCharacters = try container.decode(
            Bool.self, forKey: .splitsChineseCharacters, expected: uncasedOnly, where: isTrue)
        // Some configurations write "no limit" as 1e30, which is not an Int.
        let maximumLength = try container.decode(
            Double.self, forKey: .modelMaximumLength, expected: "a positive number"
        ) { $0 >= 1 }
        modelMaximumLength =
            maximumLength >= Double(Int32.max) ? Int(Int32.max) : Int(maximumLength)
        if let basic = try container.decodeIfPresent(Bool.self, forKey: .doBasicTokenize), !basic {
            throw ConfigurationValueError(
                key: "do_basic_tokenize", expected: uncasedOnly, actual: "false")
        }
        if let neverSplit = try container.decodeIfPresent([String].self, forKey: .neverSplit),
            !neverSplit.isEmpty
        {
            throw ConfigurationValueError(
                key: "never_split", expected: "null or []", actual: "\(neverSplit)")
        }
        specialTokens = SpecialTokens(
            unknown: try Self.token(container, .unknown),
            separator: try Self.token(container, .separator),
            padding: try Self.token(container, .padding),
            classifier: try Self.token(container, .classifier),
            mask: try Self.token(container, .mask))
    }

    /// A special token written as a string or as an added-token object `{"content": ...}`.
    private static func token(
        _ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys
    ) throws -> String {
        struct AddedToken: Decodable { let content: String }
        let token: String
        if let text = try? container.decode(String.self, forKey: key) {
            token = text
        } else {
            token = try container.decode(AddedToken.self, forKey: key).content
        }
        guard !token.isEmpty else {
            throw ConfigurationValueError(
                key: key.stringValue, expected: "a non-empty token", actual: "\"\"")
        }
        return token
    }
}
