import Foundation

/// CLIP's byte-level BPE tokenizer: text → `<|startoftext|>` tokens `<|endoftext|>`, id for id
/// what transformers' `CLIPTokenizer` gives (checked on every query of four real annotation
/// files and on hard cases, Tests/TextEncodingTests/Fixtures/clip_tokenizer_golden.json.gz).
///
/// The steps, in the reference's order:
/// 1. `<|startoftext|>` and `<|endoftext|>` written in the raw text (exact, case-sensitive) are
///    kept as their ids;
/// 2. the rest is normalised and split into words (see `CLIPPreTokenizer`);
/// 3. each word's UTF-8 bytes are merged by rank (see `BPEVocabulary`), through a cache of words
///    already seen;
/// 4. tokens past `contextLength − 2` are dropped and the start and end tokens added.
///
/// The reference without ftfy: transformers' `CLIPTokenizer` never calls ftfy (its normaliser is
/// NFC, white space, lower case); the original OpenAI tokenizer and open_clip call
/// `ftfy.fix_text` and `html.unescape` first, which changes only texts with mojibake or HTML
/// entities. See Docs/clip-text-encoder.md.
public struct CLIPTokenizer: Sendable {
    /// CLIP's context length: the text tower's positions.
    public static let defaultContextLength = 77

    /// The vocabulary and merges.
    public let vocabulary: BPEVocabulary
    /// The longest encoding, start and end tokens included.
    public let contextLength: Int
    /// The id that starts every encoding.
    public var startOfTextID: Int { vocabulary.startOfTextID }
    /// The id that ends every encoding and pads batches (CLIP's pad token is `<|endoftext|>`).
    public var endOfTextID: Int { vocabulary.endOfTextID }

    private let preTokenizer = CLIPPreTokenizer()
    private let cache = BPEWordCache()

    /// A tokenizer over `vocabulary` that truncates to `contextLength` tokens.
    public init(vocabulary: BPEVocabulary, contextLength: Int = defaultContextLength) {
        precondition(
            contextLength >= 2,
            "CLIPTokenizer: contextLength \(contextLength) leaves no room for the start and end")
        self.vocabulary = vocabulary
        self.contextLength = contextLength
    }

    /// Reads the vocabulary in `directory`: `vocab.json` and `merges.txt` (Hugging Face's model
    /// folder), or else the original `bpe_simple_vocab_16e6.txt.gz`.
    public init(directory: URL, contextLength: Int = defaultContextLength) throws(TextModelError) {
        let vocabularyURL = directory.appendingPathComponent("vocab.json")
        let mergesURL = directory.appendingPathComponent("merges.txt")
        let originalURL = directory.appendingPathComponent("bpe_simple_vocab_16e6.txt.gz")
        let manager = FileManager.default
        let vocabulary: BPEVocabulary
        if manager.fileExists(atPath: vocabularyURL.path) {
            vocabulary = try BPEVocabulary(vocabularyURL: vocabularyURL, mergesURL: mergesURL)
        } else if manager.fileExists(atPath: originalURL.path) {
            vocabulary = try BPEVocabulary(originalFileURL: originalURL)
        } else {
            throw .missingFile(path: vocabularyURL.path)
        }
        self.init(vocabulary: vocabulary, contextLength: contextLength)
    }

    /// Encodes one text: the start token, its tokens (truncated to `contextLength − 2`), the end
    /// token.
    public func encode(_ text: String) -> EncodedText {
        let limit = contextLength - 2
        var ids: [Int32] = []
        let truncated = appendIDs(of: text, limit: limit, to: &ids)
        var tokenIDs = [startOfTextID]
        tokenIDs.reserveCapacity(min(ids.count, limit) + 2)
        tokenIDs += ids.prefix(limit).lazy.map(Int.init)
        tokenIDs.append(endOfTextID)
        return EncodedText(tokenIDs: tokenIDs, wasTruncated: truncated)
    }

    /// Encodes several texts and pads them with `<|endoftext|>` to the longest, with the mask of
    /// real tokens.
    public func encode(batch texts: [String]) -> EncodedBatch {
        EncodedBatch(texts.map(encode), paddingID: endOfTextID)
    }

    /// The tokens of `text` as strings (in the byte-level alphabet), without the start and end
    /// tokens and without truncation; for inspection and tests.
    public func tokenize(_ text: String) -> [String] {
        var ids: [Int32] = []
        appendIDs(of: text, limit: .max, to: &ids)
        return ids.map { vocabulary.tokens[Int($0)] }
    }

    /// Appends the token ids of `text` to `ids`, stopping once there are more than `limit` (the
    /// first `limit` are then those of the whole text); returns whether it stopped.
    @discardableResult
    private func appendIDs(of text: String, limit: Int, to ids: inout [Int32]) -> Bool {
        // Code points throughout: a String index of a special token need not be a Character
        // boundary (a prepended mark before `<` joins it in one Character).
        var rest = text.unicodeScalars[...]
        while !rest.isEmpty {
            let special = Self.firstSpecialToken(in: rest)
            let segment = rest[..<(special?.range.lowerBound ?? rest.endIndex)]
            guard appendSegment(segment, limit: limit, to: &ids) else { return true }
            guard let special else { break }
            ids.append(Int32(special.isStart ? startOfTextID : endOfTextID))
            if ids.count > limit { return true }
            rest = rest[special.range.upperBound...]
        }
        return false
    }

    /// The first `<|startoftext|>` or `<|endoftext|>` in `scalars`, compared code point by code
    /// point (as the reference matches added tokens, with no canonical equivalence).
    private static func firstSpecialToken(in scalars: Substring.UnicodeScalarView)
        -> (range: Range<String.Index>, isStart: Bool)?
    {
        var index = scalars.startIndex
        while let opening = scalars[index...].firstIndex(of: "<") {
            for (token, isStart) in [
                (BPEVocabulary.startOfText, true), (BPEVocabulary.endOfText, false),
            ] where scalars[opening...].starts(with: token.unicodeScalars) {
                let end = scalars.index(opening, offsetBy: token.unicodeScalars.count)
                return (opening..<end, isStart)
            }
            index = scalars.index(after: opening)
        }
        return nil
    }

    /// Normalises, splits and merges `segment`; false once over `limit` tokens.
    private func appendSegment(
        _ segment: Substring.UnicodeScalarView, limit: Int, to ids: inout [Int32]
    ) -> Bool {
        guard !segment.isEmpty else { return true }
        let scalars = preTokenizer.normalized(String(String.UnicodeScalarView(segment)))
        var bytes: [UInt8] = []
        var withinLimit = true
        preTokenizer.forEachPiece(in: scalars) { piece in
            bytes.removeAll(keepingCapacity: true)
            for scalar in piece { bytes.append(contentsOf: scalar.utf8) }
            cache.appendIDs(ofWord: bytes, vocabulary: vocabulary, to: &ids)
            withinLimit = ids.count <= limit
            return withinLimit
        }
        return withinLimit
    }
}
