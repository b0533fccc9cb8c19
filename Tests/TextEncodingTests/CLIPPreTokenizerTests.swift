import Testing

@testable import TextEncoding

@Suite struct CLIPPreTokenizerTests {
    static func pieces(_ text: String) -> [String] {
        let preTokenizer = CLIPPreTokenizer()
        var result: [String] = []
        preTokenizer.forEachPiece(in: preTokenizer.normalized(text)) { piece in
            result.append(String(String.UnicodeScalarView(piece)))
            return true
        }
        return result
    }

    @Test func splitsLettersDigitsOthersAndContractions() {
        #expect(Self.pieces("Hello, World!") == ["hello", ",", "world", "!"])
        #expect(Self.pieces("it's 2024") == ["it", "'s", "2", "0", "2", "4"])
        #expect(Self.pieces("'sa 'lla '''") == ["'s", "a", "'ll", "a", "'''"])
        #expect(Self.pieces(" \t\u{3000}\n ") == [])
        #expect(Self.pieces("<|endoftext|>'s") == ["<|", "endoftext", "|>", "'s"])
        #expect(Self.pieces("<|end|>") == ["<|", "end", "|>"])
    }

    /// NFC first, then every code point lower-cased alone (no final-sigma rule).
    @Test func normalisesAsTheReference() {
        #expect(Self.pieces("e\u{301}") == ["\u{e9}"])
        #expect(Self.pieces("ΣΑΣ") == ["σασ"])
        #expect(Self.pieces("İ") == ["i", "\u{307}"])  // the dot is a mark: its own piece
        #expect(Self.pieces("a\u{301}\u{301}b") == ["\u{e1}", "\u{301}", "b"])
    }
}
