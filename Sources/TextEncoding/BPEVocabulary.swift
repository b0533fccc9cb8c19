import Foundation
import VTGCore

/// CLIP's byte-level BPE vocabulary: the token of every id, and the merges with their ranks,
/// held by id so that encoding builds no strings.
///
/// Two layouts are read: Hugging Face's `vocab.json` (token → id) with `merges.txt` (one merge
/// "a b" per line, rank = line order, an optional `#version` first line), and the original
/// OpenAI file `bpe_simple_vocab_16e6.txt.gz`, from which the Hugging Face files derive exactly:
/// its lines 2…48,895 are the merges, and the vocabulary is the 256 byte characters (in
/// `ByteLevelAlphabet.vocabularyOrder`), the same with `</w>`, every merge's concatenation, then
/// `<|startoftext|>` and `<|endoftext|>` (49,408).
public struct BPEVocabulary: Sendable {
    /// The end-of-word marker appended to the last symbol of every word.
    public static let endOfWord = "</w>"
    /// The token that starts every encoding.
    public static let startOfText = "<|startoftext|>"
    /// The token that ends every encoding (and pads batches).
    public static let endOfText = "<|endoftext|>"
    /// How many merges the original file's vocabulary uses: 49,408 − 2·256 − 2.
    public static let originalMergeCount = 49_152 - 256 - 2

    /// The tokens, indexed by id.
    public let tokens: [String]
    /// The id of `<|startoftext|>`.
    public let startOfTextID: Int
    /// The id of `<|endoftext|>`.
    public let endOfTextID: Int
    /// The number of merges.
    public let mergeCount: Int

    /// The id of each byte as a word's inner symbol, and as its last symbol (with `</w>`).
    let byteIDs: [Int32]
    let finalByteIDs: [Int32]
    /// (left id << 32 | right id) → the merge's rank and the merged token's id.
    let merges: [UInt64: Merge]

    /// One merge of the table.
    struct Merge: Sendable {
        /// Its position in the merges file: lower ranks merge first.
        let rank: Int32
        /// The id of the merged token.
        let id: Int32
    }

    /// The number of tokens.
    public var count: Int { tokens.count }

    /// Reads Hugging Face's `vocab.json` and `merges.txt`.
    public init(vocabularyURL: URL, mergesURL: URL) throws(TextModelError) {
        let vocabularyBytes = [UInt8](try JSONConfigurationFile.contents(of: vocabularyURL))
        let members: [JSONMember]
        do {
            guard let object = try JSONParser.parse(bytes: vocabularyBytes[...]).objectMembers
            else {
                throw TextModelError.invalidJSON(
                    path: vocabularyURL.path, reason: "the top level is not an object")
            }
            members = object
        } catch let error as TextModelError {
            throw error
        } catch {
            throw .invalidJSON(path: vocabularyURL.path, reason: "\(error)")
        }
        var tokens = [String?](repeating: nil, count: members.count)
        for member in members {
            guard let id = member.value.integerValue, id >= 0, id < members.count,
                tokens[id] == nil
            else {
                throw .invalidValue(
                    path: vocabularyURL.path, key: member.key,
                    expected: "a unique id in 0..<\(members.count)",
                    actual: member.value.serialized())
            }
            tokens[id] = member.key
        }
        let mergeLines = try Self.lines(
            of: [UInt8](try JSONConfigurationFile.contents(of: mergesURL)), path: mergesURL.path)
        let firstMerge = mergeLines.first?.hasPrefix("#version") == true ? 1 : 0
        try self.init(
            tokens: tokens.map { $0 ?? "" }, mergeLines: mergeLines[firstMerge...],
            firstLineNumber: firstMerge + 1, path: mergesURL.path)
    }

    /// Reads the original `bpe_simple_vocab_16e6.txt.gz` (gzip-compressed merges).
    public init(originalFileURL url: URL) throws(TextModelError) {
        let lines = try Self.lines(of: GzipDecompression.contents(of: url), path: url.path)
        guard lines.count > Self.originalMergeCount else {
            throw .invalidVocabulary(
                path: url.path, line: lines.count,
                reason: "the file ends before merge \(Self.originalMergeCount)")
        }
        let mergeLines = lines[1...Self.originalMergeCount]
        let bytes = ByteLevelAlphabet.vocabularyOrder.map {
            String(Character(ByteLevelAlphabet.characters[Int($0)]))
        }
        var tokens = bytes + bytes.map { $0 + Self.endOfWord }
        for line in mergeLines {
            tokens.append(
                String(String.UnicodeScalarView(line.unicodeScalars.filter { $0 != " " })))
        }
        tokens += [Self.startOfText, Self.endOfText]
        try self.init(tokens: tokens, mergeLines: mergeLines, firstLineNumber: 2, path: url.path)
    }

    /// Builds the tables from tokens in id order and merge lines "a b"; `path` and
    /// `firstLineNumber` locate the lines in errors.
    init(tokens: [String], mergeLines: ArraySlice<String>, firstLineNumber: Int, path: String)
        throws(TextModelError)
    {
        var ids: [String: Int32] = [:]
        ids.reserveCapacity(tokens.count)
        for (id, token) in tokens.enumerated() { ids[token] = Int32(id) }
        func id(_ token: String, line: Int) throws(TextModelError) -> Int32 {
            guard let id = ids[token] else {
                throw .invalidVocabulary(
                    path: path, line: line,
                    reason: "the token \"\(token)\" is not in the vocabulary")
            }
            return id
        }
        byteIDs = try ByteLevelAlphabet.characters.map { (character) throws(TextModelError) in
            try id(String(Character(character)), line: 0)
        }
        finalByteIDs = try ByteLevelAlphabet.characters.map { (character) throws(TextModelError) in
            try id(String(Character(character)) + Self.endOfWord, line: 0)
        }
        startOfTextID = Int(try id(Self.startOfText, line: 0))
        endOfTextID = Int(try id(Self.endOfText, line: 0))
        var merges: [UInt64: Merge] = [:]
        merges.reserveCapacity(mergeLines.count)
        for (rank, line) in mergeLines.enumerated() {
            let lineNumber = firstLineNumber + rank
            // Split by code points: a space before a combining mark is one `Character`.
            let parts = line.unicodeScalars.split(separator: " ", omittingEmptySubsequences: false)
                .map { String(String.UnicodeScalarView($0)) }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw .invalidVocabulary(
                    path: path, line: lineNumber, reason: "expected two symbols \"a b\"")
            }
            let left = try id(parts[0], line: lineNumber)
            let right = try id(parts[1], line: lineNumber)
            let merged = try id(parts[0] + parts[1], line: lineNumber)
            let key = UInt64(UInt32(left)) << 32 | UInt64(UInt32(right))
            if merges[key] == nil { merges[key] = Merge(rank: Int32(rank), id: merged) }
        }
        self.tokens = tokens
        self.merges = merges
        mergeCount = mergeLines.count
    }

    /// The id of `token`, or nil; for inspection and tests (a linear search).
    public func id(of token: String) -> Int? { tokens.firstIndex(of: token) }

    /// Appends the BPE ids of one pre-tokenised word's bytes to `ids`: the bytes as symbols (the
    /// last with `</w>`), then, while some adjacent pair is a merge, every occurrence of the
    /// lowest-ranked pair merged, left to right (the original `SimpleTokenizer.bpe`).
    func appendIDs(ofWord bytes: [UInt8], to ids: inout [Int32]) {
        guard let last = bytes.last else { return }
        var symbols = bytes.map { byteIDs[Int($0)] }
        symbols[symbols.count - 1] = finalByteIDs[Int(last)]
        var merged: [Int32] = []
        merged.reserveCapacity(symbols.count)
        while symbols.count > 1 {
            var best: Merge?
            var bestPair: UInt64 = 0
            for index in 0..<(symbols.count - 1) {
                let pair = UInt64(UInt32(symbols[index])) << 32 | UInt64(UInt32(symbols[index + 1]))
                if let merge = merges[pair], merge.rank < best?.rank ?? .max {
                    best = merge
                    bestPair = pair
                }
            }
            guard let best else { break }
            merged.removeAll(keepingCapacity: true)
            var index = 0
            while index < symbols.count {
                if index + 1 < symbols.count,
                    UInt64(UInt32(symbols[index])) << 32 | UInt64(UInt32(symbols[index + 1]))
                        == bestPair
                {
                    merged.append(best.id)
                    index += 2
                } else {
                    merged.append(symbols[index])
                    index += 1
                }
            }
            swap(&symbols, &merged)
        }
        ids += symbols
    }

    /// The lines of a UTF-8 text file (LF or CRLF; a last empty line dropped).
    static func lines(of bytes: [UInt8], path: String) throws(TextModelError) -> [String] {
        var lines: [String] = []
        for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            let content = line.last == 0x0D ? line.dropLast() : line
            guard let text = String(validating: content, as: UTF8.self) else {
                throw .invalidVocabulary(
                    path: path, line: lines.count + 1, reason: "not valid UTF-8")
            }
            lines.append(text)
        }
        if lines.last == "" { lines.removeLast() }
        return lines
    }
}
