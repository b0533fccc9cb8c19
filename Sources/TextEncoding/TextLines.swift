/// Input text, one text per line (what `vtg embed` reads from standard input), checked to be
/// UTF-8 line by line so that an error can name the line.
///
/// Lines end at `\n`; a `\r` before it (Windows line ends) is dropped. An empty line is an empty
/// text (the encoder gives it `[CLS] [SEP]`); the newline that ends the last line does not start
/// another one.
public enum TextLines {
    /// The lines of `bytes`, in order.
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

    public var description: String {
        "\(source), line \(line): not valid UTF-8 (byte \(byteColumn) of the line); convert the"
            + " input to UTF-8 first, e.g. `iconv -f latin1 -t utf-8`"
    }
}
