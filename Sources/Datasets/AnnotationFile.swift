import Foundation
import VTGCore

/// Reading annotation files as text and JSON, with errors that name the file.
enum AnnotationFile {
    /// The file's text; a UTF-8 byte-order mark is removed.
    static func readText(_ url: URL, expected: String) throws(DatasetError) -> String {
        let path = url.path
        guard FileManager.default.fileExists(atPath: path) else {
            throw .fileNotFound(path: path, expected: expected)
        }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw .unreadableFile(path: path, reason: FileErrorReason.of(error))
        }
        guard var text = String(data: data, encoding: .utf8) else {
            // Name the first line that is not UTF-8, so that it can be found and fixed.
            do {
                _ = try TextLines.decode([UInt8](data), source: path)
            } catch {
                throw .unreadableFile(
                    path: path,
                    reason: "line \(error.line) is not valid UTF-8 (byte \(error.byteColumn) of "
                        + "the line); convert the file to UTF-8, e.g. `iconv -f latin1 -t utf-8`")
            }
            throw .unreadableFile(path: path, reason: "not valid UTF-8")
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        return text
    }

    /// The file parsed as one JSON document.
    static func readJSON(_ url: URL, expected: String) throws(DatasetError) -> JSONValue {
        let text = try readText(url, expected: expected)
        do {
            return try JSONParser.parse(text)
        } catch {
            throw .malformedJSON(
                path: url.path, line: error.line, column: error.column, reason: error.reason)
        }
    }

    /// The non-blank lines of a JSON Lines file, each with its 1-based line number.
    static func readLines(_ url: URL, expected: String) throws(DatasetError) -> [(
        line: Int, text: Substring
    )] {
        TextLines.nonBlankLines(of: try readText(url, expected: expected)).map {
            ($0.lineNumber, $0.text)
        }
    }
}
