import Foundation
import TestSupport
import Testing

@testable import TextEncoding

@Suite struct BPEVocabularyTests {
    /// A tiny table: bytes, then merges "a b" (rank 0), "ab c</w>" (rank 1), "b b" (rank 2).
    static func tiny() throws -> BPEVocabulary {
        let bytes = ByteLevelAlphabet.characters.map { String(Character($0)) }
        let tokens =
            bytes + bytes.map { $0 + "</w>" } + [
                "ab", "abc</w>", "bb", "<|startoftext|>", "<|endoftext|>",
            ]
        return try BPEVocabulary(
            tokens: tokens, mergeLines: ["a b", "ab c</w>", "b b"], firstLineNumber: 1, path: "tiny"
        )
    }

    static func merge(_ word: String, _ vocabulary: BPEVocabulary) -> [String] {
        var ids: [Int32] = []
        vocabulary.appendIDs(ofWord: Array(word.utf8), to: &ids)
        return ids.map { vocabulary.tokens[Int($0)] }
    }

    /// Lowest rank first, every occurrence left to right; the last symbol carries `</w>`.
    @Test func mergesByRank() throws {
        let vocabulary = try Self.tiny()
        #expect(Self.merge("abc", vocabulary) == ["abc</w>"])
        #expect(Self.merge("abab", vocabulary) == ["ab", "a", "b</w>"])
        #expect(Self.merge("bbb", vocabulary) == ["bb", "b</w>"])
        #expect(Self.merge("c", vocabulary) == ["c</w>"])
        #expect(vocabulary.startOfTextID == 515 && vocabulary.endOfTextID == 516)
    }

    @Test func readsTheOriginalFile() throws {
        let vocabulary = try BPEVocabulary(
            originalFileURL: TestDataFolder.file("bpe_simple_vocab_16e6.txt.gz"))
        #expect(vocabulary.count == 49_408 && vocabulary.mergeCount == 48_894)
        #expect(vocabulary.startOfTextID == 49_406 && vocabulary.endOfTextID == 49_407)
        #expect(vocabulary.tokens[512] == "in" && vocabulary.id(of: "cat</w>") == 2368)
    }

    @Test func aMergeOfUnknownSymbolsNamesItsLine() throws {
        let bytes = ByteLevelAlphabet.characters.map { String(Character($0)) }
        let tokens = bytes + bytes.map { $0 + "</w>" } + ["<|startoftext|>", "<|endoftext|>"]
        #expect(
            throws: TextModelError.invalidVocabulary(
                path: "m", line: 3, reason: "the token \"ab\" is not in the vocabulary")
        ) {
            _ = try BPEVocabulary(
                tokens: tokens, mergeLines: ["a b"], firstLineNumber: 3, path: "m")
        }
        #expect(
            throws: TextModelError.invalidVocabulary(
                path: "m", line: 1, reason: "expected two symbols \"a b\"")
        ) {
            _ = try BPEVocabulary(tokens: tokens, mergeLines: ["ab"], firstLineNumber: 1, path: "m")
        }
    }

    @Test func aVocabularyWithoutTheSpecialTokensIsAnError() {
        let bytes = ByteLevelAlphabet.characters.map { String(Character($0)) }
        #expect(throws: TextModelError.self) {
            _ = try BPEVocabulary(
                tokens: bytes + bytes.map { $0 + "</w>" }, mergeLines: [], firstLineNumber: 1,
                path: "m")
        }
    }
}
