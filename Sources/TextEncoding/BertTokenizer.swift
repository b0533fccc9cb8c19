/// BERT's WordPiece tokenizer for uncased models: text → `[CLS]` word pieces `[SEP]`, token for
/// token what Hugging Face's tokenizer gives for all-MiniLM-L6-v2 (the one sentence-transformers
/// runs), checked against golden files made by it.
///
/// The steps, in the reference's order:
/// 1. special tokens written in the text (`[CLS]`, `[SEP]`, `[PAD]`, `[UNK]`, `[MASK]`, exact
///    and case-sensitive) are matched in the raw text, leftmost-longest, and kept as they are;
/// 2. the rest goes through `BertBasicTokenizer`: cleaning, CJK splitting, accent stripping,
///    lower-casing, then splitting on whitespace and punctuation;
/// 3. each word is split into WordPiece pieces (greedy longest match first, `##` continuations);
///    a word of more than 100 code points, or one the vocabulary cannot spell, is `[UNK]`;
/// 4. pieces past `maximumSequenceLength − 2` are dropped (truncation) and `[CLS]`, `[SEP]` added.
public struct BertTokenizer: Sendable {
    /// Words longer than this, in code points, become `[UNK]` (the reference's
    /// `max_input_chars_per_word`).
    public static let maximumWordLength = 100

    /// The vocabulary.
    public let vocabulary: WordPieceVocabulary
    /// The longest encoding, `[CLS]` and `[SEP]` included (256 for all-MiniLM-L6-v2).
    public let maximumSequenceLength: Int
    /// The id of `[CLS]`, which starts every encoding.
    public let classifierTokenID: Int
    /// The id of `[SEP]`, which ends every encoding.
    public let separatorTokenID: Int
    /// The id of `[PAD]`, which fills batch rows.
    public let paddingTokenID: Int
    /// The id of `[UNK]`.
    public let unknownTokenID: Int
    /// The id of `[MASK]`.
    public let maskTokenID: Int

    /// The special tokens matched in raw text, longest first, as code points with their ids.
    private let specialTokens: [(scalars: [UInt32], id: Int)]
    private let basicTokenizer = BertBasicTokenizer()

    /// Loads the vocabulary of `modelFiles` and checks it: as many tokens as the model's
    /// `vocab_size`, and every special token of `tokenizer_config.json` present.
    public init(modelFiles: TextModelFiles) throws(TextModelError) {
        let vocabulary = try WordPieceVocabulary(contentsOf: modelFiles.vocabularyURL)
        if vocabulary.count != modelFiles.configuration.vocabularySize {
            throw .invalidValue(
                path: modelFiles.vocabularyURL.path, key: "(number of lines)",
                expected: "\(modelFiles.configuration.vocabularySize) (vocab_size of config.json)",
                actual: "\(vocabulary.count)")
        }
        try self.init(
            vocabulary: vocabulary,
            specialTokens: modelFiles.tokenizerConfiguration.specialTokens,
            maximumSequenceLength: modelFiles.maximumSequenceLength,
            configurationPath: modelFiles.directory.appendingPathComponent("tokenizer_config.json")
                .path)
    }

    /// Builds a tokenizer from its parts; `configurationPath` names the special tokens' source in
    /// errors.
    init(
        vocabulary: WordPieceVocabulary, specialTokens: TokenizerConfiguration.SpecialTokens,
        maximumSequenceLength: Int, configurationPath: String
    ) throws(TextModelError) {
        precondition(
            maximumSequenceLength >= 2,
            "BertTokenizer: maximumSequenceLength \(maximumSequenceLength) leaves no room for [CLS] and [SEP]"
        )
        func id(_ token: String, key: String) throws(TextModelError) -> Int {
            guard let id = vocabulary.id(of: token) else {
                throw .invalidValue(
                    path: configurationPath, key: key, expected: "a token of vocab.txt",
                    actual: "\"\(token)\"")
            }
            return id
        }
        self.vocabulary = vocabulary
        self.maximumSequenceLength = maximumSequenceLength
        unknownTokenID = try id(specialTokens.unknown, key: "unk_token")
        separatorTokenID = try id(specialTokens.separator, key: "sep_token")
        paddingTokenID = try id(specialTokens.padding, key: "pad_token")
        classifierTokenID = try id(specialTokens.classifier, key: "cls_token")
        maskTokenID = try id(specialTokens.mask, key: "mask_token")
        let ids = [
            unknownTokenID, separatorTokenID, paddingTokenID, classifierTokenID, maskTokenID,
        ]
        self.specialTokens = zip(specialTokens.all, ids)
            .map { (scalars: $0.unicodeScalars.map(\.value), id: $1) }
            .sorted { $0.scalars.count > $1.scalars.count }
    }

    /// Encodes one text: `[CLS]`, its word pieces (truncated to `maximumSequenceLength − 2`),
    /// `[SEP]`.
    public func encode(_ text: String) -> EncodedText {
        var buffers = Buffers()
        return encode(text, buffers: &buffers)
    }

    /// Encodes several texts and pads them to the longest, with the mask of real tokens.
    public func encode(batch texts: [String]) -> EncodedBatch {
        var buffers = Buffers()
        return EncodedBatch(texts.map { encode($0, buffers: &buffers) }, paddingID: paddingTokenID)
    }

    /// The word pieces of `text` as strings, without `[CLS]`/`[SEP]` and without truncation
    /// (Hugging Face's `tokenize`); for inspection and tests.
    public func tokenize(_ text: String) -> [String] {
        var buffers = Buffers()
        appendPieceIDs(of: text, limit: .max, buffers: &buffers)
        return buffers.ids.map { vocabulary.tokens[$0] }
    }

    /// Scratch space reused across the texts of a batch.
    private struct Buffers {
        var input: [UInt32] = []
        var stage: [UInt32] = []
        var normalized: [UInt32] = []
        var ids: [Int] = []
    }

    private func encode(_ text: String, buffers: inout Buffers) -> EncodedText {
        let pieceLimit = maximumSequenceLength - 2
        let wasTruncated = appendPieceIDs(of: text, limit: pieceLimit, buffers: &buffers)
        var tokenIDs = [classifierTokenID]
        tokenIDs.reserveCapacity(min(buffers.ids.count, pieceLimit) + 2)
        tokenIDs += buffers.ids.prefix(pieceLimit)
        tokenIDs.append(separatorTokenID)
        return EncodedText(tokenIDs: tokenIDs, wasTruncated: wasTruncated)
    }

    /// Puts the piece ids of `text` in `buffers.ids`, stopping once there are more than `limit`
    /// (the first `limit` are then exactly those of the whole text); returns whether it stopped.
    @discardableResult
    private func appendPieceIDs(of text: String, limit: Int, buffers: inout Buffers) -> Bool {
        buffers.ids.removeAll(keepingCapacity: true)
        buffers.input.removeAll(keepingCapacity: true)
        buffers.input.append(contentsOf: text.unicodeScalars.lazy.map(\.value))
        var segmentStart = 0
        var index = 0
        while index < buffers.input.count {
            guard let special = specialToken(at: index, in: buffers.input) else {
                index += 1
                continue
            }
            guard appendSegment(segmentStart..<index, limit: limit, buffers: &buffers) else {
                return true
            }
            buffers.ids.append(special.id)
            index += special.length
            segmentStart = index
            if buffers.ids.count > limit { return true }
        }
        return !appendSegment(segmentStart..<index, limit: limit, buffers: &buffers)
    }

    /// The special token written at `index` of `input` (the longest, if several), if any.
    private func specialToken(at index: Int, in input: [UInt32]) -> (length: Int, id: Int)? {
        for token in specialTokens
        where token.scalars.count <= input.count - index
            && input[index] == token.scalars[0]
            && input[index..<index + token.scalars.count].elementsEqual(token.scalars)
        {
            return (token.scalars.count, token.id)
        }
        return nil
    }

    /// Normalises, splits and word-pieces `range` of the input; false once over `limit` pieces.
    private func appendSegment(_ range: Range<Int>, limit: Int, buffers: inout Buffers) -> Bool {
        guard !range.isEmpty else { return true }
        buffers.normalized.removeAll(keepingCapacity: true)
        basicTokenizer.normalize(
            buffers.input[range], into: &buffers.normalized, stage: &buffers.stage)
        var withinLimit = true
        let normalized = buffers.normalized
        basicTokenizer.forEachWord(in: normalized) { word in
            vocabulary.appendPieceIDs(
                of: normalized[word], unknownID: unknownTokenID,
                maximumWordLength: Self.maximumWordLength, to: &buffers.ids)
            withinLimit = buffers.ids.count <= limit
            return withinLimit
        }
        return withinLimit
    }
}
