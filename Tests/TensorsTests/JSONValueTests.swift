import Testing

@testable import Tensors

private func parse(_ text: String) throws(JSONSyntaxError) -> JSONValue {
    let bytes = Array(text.utf8)
    return try bytes.withUnsafeBytes { buffer in
        Result { () throws(JSONSyntaxError) in try JSONValue.parse(buffer) }
    }.get()
}

private func syntaxError(_ text: String) -> JSONSyntaxError? {
    do {
        _ = try parse(text)
        return nil
    } catch {
        return error
    }
}

@Suite struct JSONValueTests {
    @Test func parsesEveryKindOfValue() throws {
        let value = try parse(#" {"a": [1, -2.5e3, true, false, null], "b": {}, "c": "x"}   "#)
        #expect(
            value
                == .object([
                    JSONMember(
                        key: "a",
                        value: .array([
                            .number("1"), .number("-2.5e3"), .bool(true), .bool(false), .null,
                        ])),
                    JSONMember(key: "b", value: .object([])),
                    JSONMember(key: "c", value: .string("x")),
                ]))
    }

    @Test func keepsDuplicateKeysInFileOrder() throws {
        #expect(
            try parse(#"{"k": 1, "k": 2}"#)
                == .object([
                    JSONMember(key: "k", value: .number("1")),
                    JSONMember(key: "k", value: .number("2")),
                ]))
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        #expect(
            try parse(#""\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00""#)
                == .string("\"\\/\u{8}\u{c}\n\r\té😀"))
        #expect(try parse("\"é😀\"") == .string("é😀"))
    }

    @Test func readsIntegersBeyondDoublePrecision() throws {
        // 2^53 + 1 is not a Double; offsets of huge files must stay exact.
        #expect(try parse("9007199254740993").nonNegativeInteger == 9_007_199_254_740_993)
        #expect(try parse("-1").nonNegativeInteger == nil)
        #expect(try parse("1.0").nonNegativeInteger == nil)
        #expect(try parse("1e3").nonNegativeInteger == nil)
        #expect(try parse("99999999999999999999").nonNegativeInteger == nil)
    }

    @Test func reportsSyntaxErrorsWithTheirOffset() {
        #expect(syntaxError(#"{"a" 1}"#)?.byteOffset == 5)
        #expect(syntaxError("[1,]")?.byteOffset == 3)
        #expect(syntaxError("01")?.byteOffset == 1)
        #expect(syntaxError("\"abc") != nil)
        #expect(syntaxError("\"a\nb\"")?.byteOffset == 2)
        #expect(syntaxError(#""\x""#)?.byteOffset == 2)
        #expect(syntaxError(#""\ud800""#) != nil)
        #expect(syntaxError("tru") != nil)
        #expect(syntaxError("{} x")?.byteOffset == 3)
        #expect(syntaxError("") != nil)
        #expect(syntaxError("\"\u{FF}\"") == nil)  // U+00FF is valid UTF-8 text
        #expect(
            syntaxError(String(repeating: "[", count: 100) + String(repeating: "]", count: 100))
                != nil)
    }

    @Test func rejectsInvalidUTF8InStrings() {
        let bytes: [UInt8] = [0x22, 0xC3, 0x28, 0x22]
        let error = bytes.withUnsafeBytes { buffer in
            Result { () throws(JSONSyntaxError) in try JSONValue.parse(buffer) }
        }
        guard case .failure(let failure) = error else {
            Issue.record("invalid UTF-8 must be refused")
            return
        }
        #expect(failure.reason == "string is not valid UTF-8")
    }
}
