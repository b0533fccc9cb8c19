/// Splitting text into numbered lines, the two ways PromptVTG reads line-based input.
///
/// - Annotation and prediction files (JSON Lines, Charades-STA's text): ``nonBlankLines(of:)``
///   skips lines of only whitespace and keeps each line's number for error messages.
/// - Queries given one per line (`vtg embed` on standard input): ``decode(_:source:)`` keeps
///   empty lines (an empty query is still a query) and checks each line is UTF-8, so an error
///   can name the line.
///
/// Both end a line at LF and at CRLF; `nonBlankLines` also at CR in a file with no LF at all
/// (classic Mac line endings, which would otherwise make the whole file one line).
public enum TextLines {
    /// The lines of `text` that hold more than whitespace, each with its 1-based line number.
    ///
    /// (Swift treats `"\r\n"` as one `Character`, so splitting on `"\n"` alone would leave a CRLF
    /// file as a single line.)
    public static func nonBlankLines(of text: String) -> [(lineNumber: Int, text: Substring)] {
        var lines: [(lineNumber: Int, text: Substring)] = []
        var number = 0
        let carriageReturnOnly =
            text.contains("\r") && !text.contains("\n") && !text.contains("\r\n")
        for line in text.split(
            omittingEmptySubsequences: false,
            whereSeparator: {
                $0 == "\n" || $0 == "\r\n" || (carriageReturnOnly && $0 == "\r")
            })
        {
            number += 1
            if line.allSatisfy(\.isWhitespace) { continue }
            lines.append((number, line))
        }
        return lines
    }

    /// Every line of `bytes`, in order, each checked to be UTF-8.
    ///
    /// Lines end at `\n`; a `\r` before it is dropped. An empty line is an empty text; the newline
    /// that ends the last line does not start another one.
    ///
    /// - Parameter source: names the input in errors ("standard input", a path).
    /// - Throws: `TextLinesError` naming the first line that is not valid UTF-8.
    public static func decode(_ bytes: [UInt8], source: String) throws(TextLinesError) -> [String] {
        var lines: [String] = []
        var start = 0
        var lineNumber = 1
        while start < bytes.count {
            let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            var end = newline
            if end > start && bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            guard let line = String(validating: bytes[start..<end], as: UTF8.self) else {
                throw TextLinesError(
                    source: source, line: lineNumber,
                    byteColumn: firstInvalidByte(bytes[start..<end]) + 1)
            }
            lines.append(line)
            start = newline + 1
            lineNumber += 1
        }
        return lines
    }

    /// The offset, from the start of `line`, of the first byte that does not begin a valid UTF-8
    /// sequence (0 when none is found, which `decode` never asks for).
    static func firstInvalidByte(_ line: ArraySlice<UInt8>) -> Int {
        var index = line.startIndex
        while index < line.endIndex {
            let lead = line[index]
            let length: Int
            switch lead {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: return index - line.startIndex
            }
            guard index + length <= line.endIndex,
                String(validating: line[index..<index + length], as: UTF8.self) != nil
            else { return index - line.startIndex }
            index += length
        }
        return 0
    }
}

/// A line of input text that is not valid UTF-8.
public struct TextLinesError: Error, Equatable, CustomStringConvertible {
    /// The input's name ("standard input", a path).
    public let source: String
    /// The 1-based line number.
    public let line: Int
    /// The 1-based byte position, in the line, of the first invalid byte.
    public let byteColumn: Int

    /// The file and line, and what to do.
    public var description: String {
        "\(source), line \(line): not valid UTF-8 (byte \(byteColumn) of the line); convert the"
            + " input to UTF-8 first, e.g. `iconv -f latin1 -t utf-8`"
    }
}
