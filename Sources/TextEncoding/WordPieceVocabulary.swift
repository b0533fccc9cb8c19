import Foundation

/// A WordPiece vocabulary (`vocab.txt`: one token per line, the token id is the 0-based line
/// number), with the greedy longest-match-first split of a word into pieces.
///
/// Tokens are compared as exact code-point sequences, as the reference compares bytes. Swift
/// `String` keys would not do: `String` equality is canonical equivalence, so a decomposed Hangul
/// word would match a precomposed vocabulary entry that the reference never matches.
///
/// Lookup is an open-addressing hash table over code points, with continuation pieces
/// (`##piece`) stored without their `##` under a separate flag, so splitting a word builds no
/// strings at all.
public struct WordPieceVocabulary: Sendable {
    /// The tokens, indexed by id.
    public let tokens: [String]

    /// Code points of every entry (continuations without their `##`), back to back.
    private let storage: [UInt32]
    /// Start of entry `id` in `storage`; `entryStarts[id + 1]` is its end.
    private let entryStarts: [Int]
    /// Whether entry `id` is a continuation piece (`##` removed).
    private let isContinuation: [Bool]
    /// Hash slots holding entry ids, or -1 when empty; a power of two long.
    private let slots: [Int32]
    /// The longest word-initial and continuation entries, in code points: longer candidates can
    /// never match, which bounds the greedy search.
    private let longestInitialPiece: Int
    private let longestContinuationPiece: Int

    /// The number of tokens.
    public var count: Int { tokens.count }

    /// Reads `vocab.txt`: UTF-8, one token per line (LF or CRLF), no duplicate lines.
    public init(contentsOf url: URL) throws(TextModelError) {
        let bytes = [UInt8](try JSONConfigurationFile.contents(of: url))
        var tokens: [String] = []
        var lineStart = 0
        while lineStart < bytes.count {
            let newline = bytes[lineStart...].firstIndex(of: 0x0A) ?? bytes.count
            let lineEnd = newline > lineStart && bytes[newline - 1] == 0x0D ? newline - 1 : newline
            guard let token = String(validating: bytes[lineStart..<lineEnd], as: UTF8.self) else {
                throw .invalidVocabulary(
                    path: url.path, line: tokens.count + 1, reason: "not valid UTF-8")
            }
            tokens.append(token)
            lineStart = newline + 1
        }
        try self.init(tokens: tokens, path: url.path)
    }

    /// Builds the vocabulary from tokens in id order; `path` names the source in errors.
    init(tokens: [String], path: String) throws(TextModelError) {
        guard !tokens.isEmpty else {
            throw .invalidVocabulary(path: path, line: 1, reason: "the vocabulary is empty")
        }
        self.tokens = tokens
        var storage: [UInt32] = []
        var entryStarts: [Int] = [0]
        var isContinuation: [Bool] = []
        var longestInitial = 0
        var longestContinuation = 0
        for token in tokens {
            var scalars = token.unicodeScalars.map(\.value)
            let continuation = scalars.count >= 2 && scalars[0] == 0x23 && scalars[1] == 0x23  // ##
            if continuation {
                scalars.removeFirst(2)
                longestContinuation = max(longestContinuation, scalars.count)
            } else {
                longestInitial = max(longestInitial, scalars.count)
            }
            storage += scalars
            entryStarts.append(storage.count)
            isContinuation.append(continuation)
        }
        var slotCount = 1
        while slotCount < 2 * tokens.count { slotCount <<= 1 }  // load factor at most 1/2
        var slots = [Int32](repeating: -1, count: slotCount)
        for id in tokens.indices {
            let key = storage[entryStarts[id]..<entryStarts[id + 1]]
            var slot = Self.hash(key, continuation: isContinuation[id]) & (slotCount - 1)
            while slots[slot] >= 0 {
                let other = Int(slots[slot])
                if isContinuation[other] == isContinuation[id],
                    storage[entryStarts[other]..<entryStarts[other + 1]].elementsEqual(key)
                {
                    throw .invalidVocabulary(
                        path: path, line: id + 1,
                        reason: "the token '\(tokens[id])' is already on line \(other + 1)")
                }
                slot = (slot + 1) & (slotCount - 1)
            }
            slots[slot] = Int32(id)
        }
        self.storage = storage
        self.entryStarts = entryStarts
        self.isContinuation = isContinuation
        self.slots = slots
        longestInitialPiece = longestInitial
        longestContinuationPiece = longestContinuation
    }

    /// The id of `token` (`##` prefix for continuation pieces), or nil.
    public func id(of token: String) -> Int? {
        var scalars = token.unicodeScalars.map(\.value)
        let continuation = scalars.count >= 2 && scalars[0] == 0x23 && scalars[1] == 0x23
        if continuation { scalars.removeFirst(2) }
        return id(of: scalars[...], continuation: continuation)
    }

    /// The id of the piece `scalars` (without `##`), looked up as a continuation or not.
    func id(of scalars: ArraySlice<UInt32>, continuation: Bool) -> Int? {
        var slot = Self.hash(scalars, continuation: continuation) & (slots.count - 1)
        while true {
            let id = Int(slots[slot])
            if id < 0 { return nil }
            if isContinuation[id] == continuation,
                storage[entryStarts[id]..<entryStarts[id + 1]].elementsEqual(scalars)
            {
                return id
            }
            slot = (slot + 1) & (slots.count - 1)
        }
    }

    /// Appends the WordPiece ids of `word` (normalised code points) to `ids`: greedy
    /// longest-match-first from the left, continuation pieces after the first. A word longer than
    /// `maximumWordLength` code points, or one the vocabulary cannot spell completely, becomes
    /// the single id `unknownID`, as in the reference.
    func appendPieceIDs(
        of word: ArraySlice<UInt32>, unknownID: Int, maximumWordLength: Int, to ids: inout [Int]
    ) {
        guard word.count <= maximumWordLength else {
            ids.append(unknownID)
            return
        }
        let firstNewID = ids.count
        var start = word.startIndex
        while start < word.endIndex {
            let continuation = start > word.startIndex
            let longest = continuation ? longestContinuationPiece : longestInitialPiece
            var end = min(word.endIndex, start + longest)
            var match: Int? = nil
            while end > start {
                if let id = id(of: word[start..<end], continuation: continuation) {
                    match = id
                    break
                }
                end -= 1
            }
            guard let match else {
                ids.removeSubrange(firstNewID...)
                ids.append(unknownID)
                return
            }
            ids.append(match)
            start = end
        }
    }

    /// FNV-1a over the code points, seeded differently for continuation pieces.
    private static func hash(_ scalars: ArraySlice<UInt32>, continuation: Bool) -> Int {
        var hash: UInt64 = continuation ? 0x84222325_cbf29ce4 : 0xcbf2_9ce4_8422_2325
        for scalar in scalars {
            hash = (hash ^ UInt64(scalar)) &* 0x0000_0100_0000_01B3
        }
        return Int(truncatingIfNeeded: hash ^ (hash >> 32))
    }
}
