import Testing

@testable import VTGCore

@Suite struct TextLinesTests {
    /// CRLF files were read as one line, because Swift's "\r\n" is a single Character.
    @Test func nonBlankLinesEndAtLFAndCRLF() {
        let lines = TextLines.nonBlankLines(of: "a\r\nb\n\n \t\r\nc")
        #expect(lines.map(\.lineNumber) == [1, 2, 5])
        #expect(lines.map { String($0.text) } == ["a", "b", "c"])
    }

    @Test func decodeSplitsLinesKeepingEmptyOnes() throws {
        let text = "person opens the door.\r\n\nÉtudiant ouvre la porte 🚪\n中文"
        #expect(
            try TextLines.decode(Array(text.utf8), source: "standard input") == [
                "person opens the door.", "", "Étudiant ouvre la porte 🚪", "中文",
            ])
        #expect(try TextLines.decode(Array("one\n".utf8), source: "input") == ["one"])
        #expect(try TextLines.decode(Array("\n".utf8), source: "input") == [""])
        #expect(try TextLines.decode([], source: "input").isEmpty)
    }

    @Test func decodeNamesTheLineThatIsNotUTF8() {
        // Line 3 holds "caf" then Latin-1 é (0xE9) then "!".
        let bytes = Array("ok\nalso ok\ncaf".utf8) + [0xE9] + Array("!\nfine".utf8)
        #expect(throws: TextLinesError(source: "standard input", line: 3, byteColumn: 4)) {
            try TextLines.decode(bytes, source: "standard input")
        }
        let error = TextLinesError(source: "standard input", line: 3, byteColumn: 4)
        #expect(error.description.hasPrefix("standard input, line 3: not valid UTF-8"))
        // A truncated 3-byte sequence at the end of a line.
        #expect(throws: TextLinesError(source: "f", line: 1, byteColumn: 2)) {
            try TextLines.decode([0x61, 0xE4, 0xB8], source: "f")
        }
    }
}
