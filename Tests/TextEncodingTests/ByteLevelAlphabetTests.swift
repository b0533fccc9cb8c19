import Testing

@testable import TextEncoding

@Suite struct ByteLevelAlphabetTests {
    /// GPT-2's table: printable bytes stand for themselves, the others take U+0100 up in order.
    @Test func mapsBytesAsGPT2Does() {
        let characters = ByteLevelAlphabet.characters
        #expect(Set(characters).count == 256)
        #expect(characters[0x41] == "A" && characters[0xFF] == "ÿ" && characters[0xA1] == "¡")
        #expect(characters[0] == "\u{100}" && characters[0x20] == "Ġ" && characters[0xAD] == "Ń")
        #expect(ByteLevelAlphabet.decode("Ġa") == [0x20, 0x61])
        #expect(ByteLevelAlphabet.decode("\u{3000}") == nil)
        let order = ByteLevelAlphabet.vocabularyOrder
        #expect(order.count == 256 && Set(order).count == 256)
        #expect(order.prefix(3) == [0x21, 0x22, 0x23] && order[188] == 0x00 && order.last == 0xAD)
    }
}
