import Foundation
import TestSupport
import Testing

@testable import TextEncoding

private let tokens = [
    "[PAD]", "[UNK]", "un", "##aff", "##able", "aff", "able", "##a", "a", "가", "ᄀ", "##ᅡ", "##",
    "é",
]

private func vocabulary() throws -> WordPieceVocabulary {
    try WordPieceVocabulary(tokens: tokens, path: "test-vocab.txt")
}

private func pieces(_ word: String, maximumWordLength: Int = 100) throws -> [String] {
    let vocabulary = try vocabulary()
    var ids: [Int] = []
    vocabulary.appendPieceIDs(
        of: word.unicodeScalars.map(\.value)[...], unknownID: 1,
        maximumWordLength: maximumWordLength, to: &ids)
    return ids.map { vocabulary.tokens[$0] }
}

@Suite struct WordPieceVocabularyTests {
    @Test func idsAreLineNumbers() throws {
        let vocabulary = try vocabulary()
        #expect(vocabulary.count == tokens.count)
        #expect(vocabulary.id(of: "un") == 2 && vocabulary.id(of: "##aff") == 3)
        #expect(vocabulary.id(of: "aff") == 5 && vocabulary.id(of: "##") == 12)
        #expect(vocabulary.id(of: "##un") == nil && vocabulary.id(of: "") == nil)
    }

    @Test func splitsGreedilyLongestFirst() throws {
        #expect(try pieces("unaffable") == ["un", "##aff", "##able"])
        #expect(try pieces("affable") == ["aff", "##able"])
        #expect(try pieces("aaa") == ["a", "##a", "##a"])
        #expect(try pieces("a") == ["a"])
    }

    @Test func aWordItCannotSpellIsOneUnknown() throws {
        #expect(try pieces("unx") == ["[UNK]"])
        #expect(try pieces("xun") == ["[UNK]"])
    }

    @Test func aWordOverTheLengthLimitIsOneUnknown() throws {
        #expect(try pieces("aaaa", maximumWordLength: 4) == ["a", "##a", "##a", "##a"])
        #expect(try pieces("aaaaa", maximumWordLength: 4) == ["[UNK]"])
    }

    /// Decomposed Hangul (ᄀ + ᅡ) is canonically equivalent to 가, which Swift's `String ==` would
    /// match; the reference compares code points and splits it into ᄀ ##ᅡ.
    @Test func comparesCodePointsNotCanonicalEquivalence() throws {
        #expect(try pieces("\u{1100}\u{1161}") == ["ᄀ", "##ᅡ"])
        #expect(try pieces("\u{AC00}") == ["가"])
        #expect(try pieces("e\u{301}") == ["[UNK]"])
    }

    @Test func readsAFileWithCRLFLineEnds() throws {
        let directory = try TemporaryDirectory(label: "vocabulary")
        let url = directory.file("vocab.txt")
        try Data("[PAD]\r\n[UNK]\r\nhello\r\n".utf8).write(to: url)
        let vocabulary = try WordPieceVocabulary(contentsOf: url)
        #expect(vocabulary.tokens == ["[PAD]", "[UNK]", "hello"])
    }

    @Test func reportsDuplicatesAndBadBytesWithTheLine() throws {
        let directory = try TemporaryDirectory(label: "vocabulary")
        let url = directory.file("vocab.txt")
        try Data("a\nb\na\n".utf8).write(to: url)
        #expect(
            textModelError { () throws(TextModelError) in
                _ = try WordPieceVocabulary(contentsOf: url)
            }
                == .invalidVocabulary(
                    path: url.path, line: 3, reason: "the token 'a' is already on line 1"))
        try Data([0x61, 0x0A, 0xFF, 0xFE, 0x0A]).write(to: url)
        #expect(
            textModelError { () throws(TextModelError) in
                _ = try WordPieceVocabulary(contentsOf: url)
            }
                == .invalidVocabulary(path: url.path, line: 2, reason: "not valid UTF-8"))
        try Data().write(to: url)
        #expect(
            textModelError { () throws(TextModelError) in
                _ = try WordPieceVocabulary(contentsOf: url)
            }
                == .invalidVocabulary(path: url.path, line: 1, reason: "the vocabulary is empty"))
    }

    @Test func readsTheMiniLMVocabulary() throws {
        let vocabulary = try WordPieceVocabulary(
            contentsOf: try installedModelFiles().vocabularyURL)
        #expect(vocabulary.count == 30522)
        #expect(vocabulary.id(of: "[PAD]") == 0 && vocabulary.id(of: "[UNK]") == 100)
        #expect(vocabulary.id(of: "[CLS]") == 101 && vocabulary.id(of: "[SEP]") == 102)
        #expect(vocabulary.id(of: "person") == 2711 && vocabulary.id(of: "##s") == 2015)
    }
}
