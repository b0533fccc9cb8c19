/// Parses JSON text (RFC 8259) into a ``JSONValue``: object members in file order, duplicates
/// kept, numbers as their text. PromptVTG's one JSON parser (why it is not Foundation's: see
/// ``JSONValue``).
///
/// Strict about the grammar (no leading zeros, no trailing commas, strings of valid UTF-8, paired
/// surrogate escapes) with one extension: Python's `json` module writes `NaN`, `Infinity` and
/// `-Infinity` for non-finite floats, and annotation files made with it are read. Errors give the
/// byte offset and the 1-based line and column of the offending byte.
public enum JSONParser {
    /// Where and why parsing failed.
    public struct SyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
        /// 1-based line of the offending byte.
        public var line: Int
        /// 1-based column (in bytes) of the offending byte.
        public var column: Int
        /// 0-based offset of the offending byte from the start of the parsed text.
        public var byteOffset: Int
        /// What was expected.
        public var reason: String

        /// "line L, column C: reason".
        public var description: String { "line \(line), column \(column): \(reason)" }
    }

    /// Objects and arrays nested deeper than this are refused, so that a hostile file cannot
    /// exhaust the stack (serde_json's limit, which safetensors' reference reader uses).
    public static let maximumDepth = 128

    /// Parses one complete JSON value; whitespace may surround it, nothing else.
    public static func parse(_ text: String) throws(SyntaxError) -> JSONValue {
        try parse(bytes: Array(text.utf8)[...])
    }

    /// Parses one complete JSON value from UTF-8 bytes; whitespace may surround it (safetensors
    /// headers are padded with spaces), nothing else.
    public static func parse(bytes: ArraySlice<UInt8>) throws(SyntaxError) -> JSONValue {
        var cursor = Cursor(bytes: bytes)
        cursor.skipWhitespace()
        let value = try cursor.parseValue(depth: 0)
        cursor.skipWhitespace()
        if cursor.index < cursor.bytes.endIndex {
            throw cursor.error("unexpected text after the JSON value")
        }
        return value
    }

    private struct Cursor {
        let bytes: ArraySlice<UInt8>
        var index: Int

        init(bytes: ArraySlice<UInt8>) {
            self.bytes = bytes
            self.index = bytes.startIndex
        }

        var current: UInt8? { index < bytes.endIndex ? bytes[index] : nil }

        /// An error at `index` (or at `position` when given).
        func error(_ reason: String, at position: Int? = nil) -> SyntaxError {
            let end = min(position ?? index, bytes.endIndex)
            var line = 1
            var lineStart = bytes.startIndex
            for offset in bytes.startIndex..<end where bytes[offset] == UInt8(ascii: "\n") {
                line += 1
                lineStart = offset + 1
            }
            return SyntaxError(
                line: line, column: end - lineStart + 1, byteOffset: end - bytes.startIndex,
                reason: reason)
        }

        mutating func skipWhitespace() {
            while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
                index += 1
            }
        }

        mutating func parseValue(depth: Int) throws(SyntaxError) -> JSONValue {
            guard depth < maximumDepth else {
                throw error("nesting deeper than \(maximumDepth) levels")
            }
            guard let byte = current else { throw error("unexpected end of text") }
            switch byte {
            case UInt8(ascii: "{"): return try parseObject(depth: depth)
            case UInt8(ascii: "["): return try parseArray(depth: depth)
            case UInt8(ascii: "\""): return .string(try parseString())
            case UInt8(ascii: "t"):
                try expectLiteral("true")
                return .bool(true)
            case UInt8(ascii: "f"):
                try expectLiteral("false")
                return .bool(false)
            case UInt8(ascii: "n"):
                try expectLiteral("null")
                return .null
            case UInt8(ascii: "N"):
                try expectLiteral("NaN")
                return .number(JSONNumber(validatedText: "NaN"))
            case UInt8(ascii: "I"):
                try expectLiteral("Infinity")
                return .number(JSONNumber(validatedText: "Infinity"))
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
            default: throw error("expected a JSON value")
            }
        }

        mutating func expectLiteral(_ literal: StaticString) throws(SyntaxError) {
            let count = literal.utf8CodeUnitCount
            guard bytes.endIndex - index >= count else { throw error("expected \(literal)") }
            let matches = literal.withUTF8Buffer { expected in
                (0..<count).allSatisfy { bytes[index + $0] == expected[$0] }
            }
            guard matches else { throw error("expected \(literal)") }
            index += count
        }

        mutating func parseObject(depth: Int) throws(SyntaxError) -> JSONValue {
            var members: [JSONMember] = []
            try parseElements(closingWith: "}", in: "an object") { cursor throws(SyntaxError) in
                guard cursor.current == UInt8(ascii: "\"") else {
                    throw cursor.error("expected a member name in double quotes")
                }
                let key = try cursor.parseString()
                cursor.skipWhitespace()
                guard cursor.current == UInt8(ascii: ":") else {
                    throw cursor.error("expected ':' after member name \"\(key)\"")
                }
                cursor.index += 1
                cursor.skipWhitespace()
                members.append(JSONMember(key, try cursor.parseValue(depth: depth + 1)))
            }
            return .object(members)
        }

        mutating func parseArray(depth: Int) throws(SyntaxError) -> JSONValue {
            var elements: [JSONValue] = []
            try parseElements(closingWith: "]", in: "an array") { cursor throws(SyntaxError) in
                elements.append(try cursor.parseValue(depth: depth + 1))
            }
            return .array(elements)
        }

        /// From the opening bracket at `index`: nothing, or elements separated by commas (each
        /// read by `parseElement`, whitespace around it skipped), then `closing`.
        mutating func parseElements(
            closingWith closing: Unicode.Scalar, in container: String,
            _ parseElement: (inout Cursor) throws(SyntaxError) -> Void
        ) throws(SyntaxError) {
            let closingByte = UInt8(ascii: closing)
            index += 1  // the opening bracket
            skipWhitespace()
            if current == closingByte {
                index += 1
                return
            }
            while true {
                skipWhitespace()
                try parseElement(&self)
                skipWhitespace()
                switch current {
                case UInt8(ascii: ","): index += 1
                case closingByte:
                    index += 1
                    return
                case nil: throw error("unexpected end inside \(container)")
                default: throw error("expected ',' or '\(closing)' in \(container)")
                }
            }
        }

        /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, or `-Infinity`.
        mutating func parseNumber() throws(SyntaxError) -> JSONValue {
            let start = index
            func isDigit(_ byte: UInt8?) -> Bool {
                byte.map { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") } ?? false
            }
            if current == UInt8(ascii: "-") {
                index += 1
                if current == UInt8(ascii: "I") {
                    try expectLiteral("Infinity")
                    return .number(JSONNumber(validatedText: "-Infinity"))
                }
            }
            if current == UInt8(ascii: "0") {
                index += 1
            } else if isDigit(current) {
                while isDigit(current) { index += 1 }
            } else {
                throw error("malformed number: expected a digit")
            }
            if current == UInt8(ascii: ".") {
                index += 1
                guard isDigit(current) else { throw error("malformed number: no digit after '.'") }
                while isDigit(current) { index += 1 }
            }
            if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
                index += 1
                if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
                guard isDigit(current) else {
                    throw error("malformed number: no digit in the exponent")
                }
                while isDigit(current) { index += 1 }
            }
            let text = String(decoding: bytes[start..<index], as: UTF8.self)
            return .number(JSONNumber(validatedText: text))
        }

        mutating func parseString() throws(SyntaxError) -> String {
            let start = index
            index += 1  // opening quote
            var utf8: [UInt8] = []
            var runStart = index
            while true {
                guard let byte = current else { throw error("unterminated string", at: start) }
                if byte == UInt8(ascii: "\"") {
                    utf8.append(contentsOf: bytes[runStart..<index])
                    index += 1
                    guard let string = String(validating: utf8, as: UTF8.self) else {
                        throw error("string is not valid UTF-8", at: start)
                    }
                    return string
                }
                if byte < 0x20 { throw error("unescaped control character in a string") }
                if byte != UInt8(ascii: "\\") {
                    index += 1
                    continue
                }
                utf8.append(contentsOf: bytes[runStart..<index])
                index += 1
                try parseEscape(into: &utf8)
                runStart = index
            }
        }

        /// The escape after a backslash (`index` at the letter), appended as UTF-8.
        mutating func parseEscape(into utf8: inout [UInt8]) throws(SyntaxError) {
            guard let letter = current else { throw error("unterminated escape") }
            switch letter {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(letter)
            case UInt8(ascii: "b"): utf8.append(0x08)
            case UInt8(ascii: "f"): utf8.append(0x0C)
            case UInt8(ascii: "n"): utf8.append(0x0A)
            case UInt8(ascii: "r"): utf8.append(0x0D)
            case UInt8(ascii: "t"): utf8.append(0x09)
            case UInt8(ascii: "u"):
                index += 1
                var codePoint = try parseHexQuad()
                if (0xD800..<0xDC00).contains(codePoint) {
                    // A high surrogate must be followed by an escaped low surrogate (UTF-16 pair).
                    guard bytes.endIndex - index >= 6, bytes[index] == UInt8(ascii: "\\"),
                        bytes[index + 1] == UInt8(ascii: "u")
                    else { throw error("unpaired UTF-16 surrogate in a \\u escape") }
                    index += 2
                    let low = try parseHexQuad()
                    guard (0xDC00..<0xE000).contains(low) else {
                        throw error("unpaired UTF-16 surrogate in a \\u escape")
                    }
                    codePoint = 0x10000 + ((codePoint - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00..<0xE000).contains(codePoint) {
                    throw error("unpaired UTF-16 surrogate in a \\u escape")
                }
                guard let scalar = Unicode.Scalar(codePoint) else {
                    throw error("invalid code point in a \\u escape")
                }
                utf8.append(contentsOf: String(Character(scalar)).utf8)
                return
            default:
                throw error("invalid escape '\\\(Character(Unicode.Scalar(letter)))'")
            }
            index += 1
        }

        mutating func parseHexQuad() throws(SyntaxError) -> UInt32 {
            var value: UInt32 = 0
            for _ in 0..<4 {
                let digit: UInt32
                switch current {
                case let byte? where byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"):
                    digit = UInt32(byte - UInt8(ascii: "0"))
                case let byte? where byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f"):
                    digit = UInt32(byte - UInt8(ascii: "a") + 10)
                case let byte? where byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "F"):
                    digit = UInt32(byte - UInt8(ascii: "A") + 10)
                default:
                    throw error("invalid \\u escape: expected four hexadecimal digits")
                }
                value = value << 4 | digit
                index += 1
            }
            return value
        }
    }
}
