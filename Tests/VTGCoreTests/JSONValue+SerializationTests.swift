import Testing

@testable import VTGCore

@Suite struct JSONValueSerializationTests {
    @Test func usesPythonSeparatorsAndIntegerFormatting() {
        let value = JSONValue.object([
            JSONMember("qid", .number(3)),
            JSONMember("windows", .array([.number(1.5), .number(150)])),
            JSONMember("text", .string("say \"hi\"\n")),
        ])
        #expect(
            value.serialized() == #"{"qid": 3, "windows": [1.5, 150], "text": "say \"hi\"\n"}"#)
        #expect(
            value.serialized(spacing: .compact)
                == #"{"qid":3,"windows":[1.5,150],"text":"say \"hi\"\n"}"#)
        #expect(
            value.serializedBytes(spacing: .compact)
                == Array(value.serialized(spacing: .compact).utf8))
    }

    @Test func roundTripsThroughTheParser() throws {
        let value = JSONValue.object([
            JSONMember("b", .array([.null, .bool(false), .number(0.1), .string("é\u{1}")])),
            JSONMember("a", .object([])),
            JSONMember("a", .number(-2)),
        ])
        #expect(try JSONParser.parse(value.serialized()) == value)
        #expect(try JSONParser.parse(value.serialized(spacing: .compact)) == value)
    }

    /// The escapes of Python's `json.dumps(s, ensure_ascii=False)` and serde_json, which agree.
    @Test func escapesStringsAsPythonAndSerdeDo() {
        func quoted(_ text: String) -> String { JSONValue.string(text).serialized() }
        #expect(quoted("a\"b\\c/") == #""a\"b\\c/""#)
        #expect(quoted("\u{8}\u{c}\n\r\t") == #""\b\f\n\r\t""#)
        #expect(quoted("\u{0}\u{1}\u{1f}\u{7f}") == "\"\\u0000\\u0001\\u001f\u{7f}\"")
        #expect(quoted("é😀中") == "\"é😀中\"")
    }

    @Test func everyCharacterRoundTripsThroughTheEscaper() throws {
        // Every control character, the escaped ASCII, and characters of 2, 3 and 4 UTF-8 bytes.
        let scalars =
            (0..<0x80).compactMap(Unicode.Scalar.init)
            + ["é", "\u{7FF}", "\u{800}", "\u{FFFD}", "\u{10000}", "\u{10FFFF}"]
        for scalar in scalars {
            let text = "x\(Character(scalar))y"
            var bytes: [UInt8] = []
            JSONValue.appendQuoted(text, to: &bytes)
            #expect(try JSONParser.parse(bytes: bytes[...]) == .string(text))
        }
        let everything = String(String.UnicodeScalarView(scalars))
        #expect(
            try JSONParser.parse(JSONValue.string(everything).serialized()) == .string(everything))
    }
}
