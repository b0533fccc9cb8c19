/// Splitting text files into lines the way the annotation and prediction files need.
public enum TextLines {
    /// The lines of `text` that hold more than whitespace, each with its 1-based line number.
    ///
    /// Both LF and CRLF end a line. (Swift treats `"\r\n"` as one `Character`, so splitting on
    /// `"\n"` alone would leave a CRLF file as a single line.)
    public static func nonBlankLines(of text: String) -> [(lineNumber: Int, text: Substring)] {
        var lines: [(lineNumber: Int, text: Substring)] = []
        var number = 0
        for line in text.split(
            omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        {
            number += 1
            if line.allSatisfy(\.isWhitespace) { continue }
            lines.append((number, line))
        }
        return lines
    }
}
