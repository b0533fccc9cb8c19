import Datasets
import Testing

/// CRLF files were read as one line, because Swift's "\r\n" is a single Character.
@Test func linesEndAtLFAndCRLF() {
    let lines = TextLines.nonBlankLines(of: "a\r\nb\n\n \t\r\nc")
    #expect(lines.map(\.lineNumber) == [1, 2, 5])
    #expect(lines.map { String($0.text) } == ["a", "b", "c"])
}
