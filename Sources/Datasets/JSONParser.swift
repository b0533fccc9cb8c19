/// Parses JSON text (RFC 8259) into a ``JSONValue``, keeping object members in file order.
///
/// Errors carry the 1-based line and column of the offending byte.
public enum JSONParser {
    /// Where and why parsing failed.
    public struct SyntaxError: Error, Sendable, Equatable {
        /// 1-based line of the offending byte.
        public var line: Int
        /// 1-based column (in bytes) of the offending byte.
        public var column: Int
        /// What was expected.
        public var reason: String
    }

    /// Parses one complete JSON value; whitespace may surround it, nothing else.
    public static func parse(_ text: String) throws(SyntaxError) -> JSONValue {
        let bytes = Array(text.utf8)
        return try parse(bytes: bytes[...])
    }

    /// Parses one complete JSON value from UTF-8 bytes.
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

        /// Nesting limit, so that a malicious file cannot exhaust the stack.
        static let maximumDepth = 512

        init(bytes: ArraySlice<UInt8>) {
            self.bytes = bytes
            self.index = bytes.startIndex
        }

        func error(_ reason: String) -> SyntaxError {
            var line = 1
            var lineStart = bytes.startIndex
            var position = bytes.startIndex
            let end = min(index, bytes.endIndex)
            while position < end {
                if bytes[position] == UInt8(ascii: "\n") {
                    line += 1
                    lineStart = position + 1
                }
                position += 1
            }
            return SyntaxError(line: line, column: end - lineStart + 1, reason: reason)
        }

        mutating func skipWhitespace() {
            while index < bytes.endIndex {
                switch bytes[index] {
                case 0x20, 0x09, 0x0A, 0x0D: index += 1
                default: return
                }
            }
        }

        mutating func parseValue(depth: Int) throws(SyntaxError) -> JSONValue {
            guard depth < Self.maximumDepth else { throw error("nesting deeper than 512 levels") }
            guard index < bytes.endIndex else { throw error("unexpected end of text") }
            switch bytes[index] {
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
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
            // Python's json module writes these for non-finite floats; accept them as numbers.
            case UInt8(ascii: "N"):
                try expectLiteral("NaN")
                return .number(.nan)
            case UInt8(ascii: "I"):
                try expectLiteral("Infinity")
                return .number(.infinity)
            default: throw error("expected a JSON value")
            }
        }

        mutating func expectLiteral(_ literal: StaticString) throws(SyntaxError) {
            let count = literal.utf8CodeUnitCount
            guard bytes.endIndex - index >= count else { throw error("expected \(literal)") }
            let matches = literal.withUTF8Buffer { expected in
                for offset in 0..<count where bytes[index + offset] != expected[offset] {
                    return false
                }
                return true
            }
            guard matches else { throw error("expected \(literal)") }
            index += count
        }

        mutating func parseObject(depth: Int) throws(SyntaxError) -> JSONValue {
            index += 1  // "{"
            var members: [JSONMember] = []
            skipWhitespace()
            if index < bytes.endIndex, bytes[index] == UInt8(ascii: "}") {
                index += 1
                return .object(members)
            }
            while true {
                skipWhitespace()
                guard index < bytes.endIndex, bytes[index] == UInt8(ascii: "\"") else {
                    throw error("expected a member name in double quotes")
                }
                let key = try parseString()
                skipWhitespace()
                guard index < bytes.endIndex, bytes[index] == UInt8(ascii: ":") else {
                    throw error("expected ':' after member name \"\(key)\"")
                }
                index += 1
                skipWhitespace()
                let value = try parseValue(depth: depth + 1)
                members.append(JSONMember(key, value))
                skipWhitespace()
                guard index < bytes.endIndex else { throw error("unexpected end inside an object") }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                } else if bytes[index] == UInt8(ascii: "}") {
                    index += 1
                    return .object(members)
                } else {
                    throw error("expected ',' or '}' in an object")
                }
            }
        }

        mutating func parseArray(depth: Int) throws(SyntaxError) -> JSONValue {
            index += 1  // "["
            var elements: [JSONValue] = []
            skipWhitespace()
            if index < bytes.endIndex, bytes[index] == UInt8(ascii: "]") {
                index += 1
                return .array(elements)
            }
            while true {
                skipWhitespace()
                elements.append(try parseValue(depth: depth + 1))
                skipWhitespace()
                guard index < bytes.endIndex else { throw error("unexpected end inside an array") }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                } else if bytes[index] == UInt8(ascii: "]") {
                    index += 1
                    return .array(elements)
                } else {
                    throw error("expected ',' or ']' in an array")
                }
            }
        }

        mutating func parseNumber() throws(SyntaxError) -> JSONValue {
            let start = index
            if bytes[index] == UInt8(ascii: "-") {
                index += 1
                if index < bytes.endIndex, bytes[index] == UInt8(ascii: "I") {
                    try expectLiteral("Infinity")
                    return .number(-.infinity)
                }
            }
            while index < bytes.endIndex {
                switch bytes[index] {
                case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "e"),
                    UInt8(ascii: "E"), UInt8(ascii: "+"), UInt8(ascii: "-"):
                    index += 1
                default:
                    return try finishNumber(from: start)
                }
            }
            return try finishNumber(from: start)
        }

        func finishNumber(from start: Int) throws(SyntaxError) -> JSONValue {
            let text = String(decoding: bytes[start..<index], as: UTF8.self)
            guard let value = Double(text) else { throw error("malformed number '\(text)'") }
            return .number(value)
        }

        mutating func parseString() throws(SyntaxError) -> String {
            index += 1  // opening quote
            var scalars: [UInt8] = []
            var runStart = index
            while true {
                guard index < bytes.endIndex else { throw error("unterminated string") }
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    scalars.append(contentsOf: bytes[runStart..<index])
                    index += 1
                    return String(decoding: scalars, as: UTF8.self)
                }
                if byte < 0x20 { throw error("unescaped control character in a string") }
                if byte != UInt8(ascii: "\\") {
                    index += 1
                    continue
                }
                scalars.append(contentsOf: bytes[runStart..<index])
                index += 1
                guard index < bytes.endIndex else { throw error("unterminated escape") }
                let escaped = bytes[index]
                index += 1
                switch escaped {
                case UInt8(ascii: "\""): scalars.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): scalars.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "/"): scalars.append(UInt8(ascii: "/"))
                case UInt8(ascii: "b"): scalars.append(0x08)
                case UInt8(ascii: "f"): scalars.append(0x0C)
                case UInt8(ascii: "n"): scalars.append(0x0A)
                case UInt8(ascii: "r"): scalars.append(0x0D)
                case UInt8(ascii: "t"): scalars.append(0x09)
                case UInt8(ascii: "u"):
                    var codePoint = try parseHexQuad()
                    if (0xD800..<0xDC00).contains(codePoint) {
                        // A high surrogate must be followed by an escaped low surrogate.
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
                    scalars.append(contentsOf: Array(String(Character(scalar)).utf8))
                default:
                    throw error("invalid escape '\\\(Character(Unicode.Scalar(escaped)))'")
                }
                runStart = index
            }
        }

        mutating func parseHexQuad() throws(SyntaxError) -> UInt32 {
            guard bytes.endIndex - index >= 4 else { throw error("truncated \\u escape") }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[index]
                let digit: UInt32
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"):
                    digit = UInt32(byte - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"):
                    digit = UInt32(byte - UInt8(ascii: "A") + 10)
                default: throw error("invalid hexadecimal digit in a \\u escape")
                }
                value = value * 16 + digit
                index += 1
            }
            return value
        }
    }
}
