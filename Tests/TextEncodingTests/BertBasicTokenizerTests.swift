import Testing

@testable import TextEncoding

private let basicTokenizer = BertBasicTokenizer()

private func normalized(_ text: String) -> [UInt32] {
    var output: [UInt32] = []
    var stage: [UInt32] = []
    basicTokenizer.normalize(text.unicodeScalars.map(\.value), into: &output, stage: &stage)
    return output
}

private func words(_ text: String) -> [String] {
    let scalars = normalized(text)
    var result: [String] = []
    basicTokenizer.forEachWord(in: scalars) { range in
        result.append(
            String(String.UnicodeScalarView(scalars[range].compactMap(Unicode.Scalar.init))))
        return true
    }
    return result
}

private func scalars(_ text: String) -> [UInt32] {
    text.unicodeScalars.map(\.value)
}

@Suite struct BertBasicTokenizerTests {
    @Test func lowercasesAndStripsAccents() {
        #expect(normalized("Héllo WÖRLD") == scalars("hello world"))
        #expect(normalized("İ") == scalars("i"))  // I + dot above → i
        #expect(normalized("ΣΑΣ") == scalars("σασ"))  // per character: no final sigma
    }

    @Test func cleansControlsAndWhitespace() {
        #expect(normalized("a\u{0}b\u{FFFD}c\u{7F}\td\u{A0}e\u{200B}f") == scalars("abc d ef"))
    }

    @Test func spacesOutChineseCharacters() {
        #expect(normalized("ab中文c") == scalars("ab 中  文 c"))
    }

    /// (The reference gives the same three results.) NFD sorts a run of combining marks by class
    /// (216 before 226); a mark of class 0 (U+0941, dropped as non-spacing) ends the run.
    @Test func reordersCombiningMarksAsNFDDoes() {
        #expect(normalized("x\u{1D16D}\u{1D165}") == [0x78, 0x1D165, 0x1D16D])
        #expect(normalized("x\u{1D16D}\u{301}\u{1D165}") == [0x78, 0x1D165, 0x1D16D])
        #expect(normalized("x\u{1D16D}\u{941}\u{1D165}") == [0x78, 0x1D16D, 0x1D165])
    }

    @Test func decomposesHangulAlgorithmically() {
        #expect(normalized("한") == [0x1112, 0x1161, 0x11AB])
        #expect(normalized("가") == [0x1100, 0x1161])
    }

    @Test func splitsOnWhitespaceAndPunctuation() {
        #expect(words("Hello, world!!  it's") == ["hello", ",", "world", "!", "!", "it", "'", "s"])
        #expect(words("  ") == [])
        #expect(words("a“b”") == ["a", "“", "b", "”"])
    }

    @Test func workOnScalarsNotCharacters() {
        // One Character (a family emoji grapheme) but three code points after the ZWJs go.
        #expect(normalized("👨\u{200D}👩\u{200D}👧") == [0x1F468, 0x1F469, 0x1F467])
        // CRLF is one Character but two whitespace scalars.
        #expect(words("a\r\nb") == ["a", "b"])
    }
}
