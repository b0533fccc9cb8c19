import Foundation
import Testing
import VTGCore

private func syntaxError(_ text: String) -> JSONParser.SyntaxError? {
    do {
        _ = try JSONParser.parse(text)
        return nil
    } catch {
        return error
    }
}

@Suite struct JSONParserTests {
    @Test func parsesEveryKindOfValue() throws {
        let value = try JSONParser.parse(
            #" {"a": [1, -2.5e3, true, false, null], "b": {}, "c": "x"}   "#)
        #expect(value.objectMembers?.map(\.key) == ["a", "b", "c"])
        let elements = value["a"]?.arrayValue ?? []
        #expect(elements.count == 5)
        #expect(elements.first == .number(1))
        // A number keeps its text: -2.5e3 is not the -2500 that a Double would write.
        guard case .number(let number)? = elements.dropFirst().first else {
            Issue.record("expected a number")
            return
        }
        #expect(number.text == "-2.5e3" && number.doubleValue == -2500)
        #expect(Array(elements.dropFirst(2)) == [.bool(true), .bool(false), .null])
        #expect(value["b"] == .object([]))
        #expect(value["c"] == .string("x"))
    }

    @Test func keepsMemberOrderAndDuplicateKeys() throws {
        let value = try JSONParser.parse(
            #"{"zeta": 1, "alpha": [true, null, "x"], "mid": {"k": -2.5e1}, "zeta": 2}"#)
        #expect(value.objectMembers?.map(\.key) == ["zeta", "alpha", "mid", "zeta"])
        #expect(value["zeta"]?.integerValue == 1)
        #expect(value["alpha"] == .array([.bool(true), .null, .string("x")]))
        #expect(value["mid"]?["k"]?.numberValue == -25)
    }

    /// The measured reason for a parser of our own: Foundation merges duplicate keys silently.
    @Test func foundationWouldMergeDuplicateKeys() throws {
        let object = try JSONSerialization.jsonObject(with: Data(#"{"k": 1, "k": 2}"#.utf8))
        #expect((object as? [String: Any])?.count == 1)
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        #expect(
            try JSONParser.parse(#""\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00""#)
                == .string("\"\\/\u{8}\u{c}\n\r\té😀"))
        #expect(try JSONParser.parse("\"é😀\"") == .string("é😀"))
    }

    @Test func readsIntegersBeyondDoublePrecision() throws {
        // 2^53 + 1 is not a Double; offsets of huge files must stay exact.
        #expect(
            try JSONParser.parse("9007199254740993").nonNegativeInteger == 9_007_199_254_740_993)
        #expect(try JSONParser.parse("-1").nonNegativeInteger == nil)
        #expect(try JSONParser.parse("1.0").nonNegativeInteger == nil)
        #expect(try JSONParser.parse("1e3").nonNegativeInteger == nil)
        #expect(try JSONParser.parse("99999999999999999999").nonNegativeInteger == nil)
        // The lenient reading that annotation files get.
        #expect(try JSONParser.parse("1e3").integerValue == 1000)
        #expect(try JSONParser.parse("3.0").integerValue == 3)
        #expect(try JSONParser.parse("3.5").integerValue == nil)
    }

    @Test func acceptsPythonNonFiniteNumbers() throws {
        let value = try JSONParser.parse("[NaN, Infinity, -Infinity]")
        let numbers = value.arrayValue?.compactMap(\.numberValue) ?? []
        #expect(numbers.count == 3)
        #expect(numbers[0].isNaN)
        #expect(numbers[1] == .infinity && numbers[2] == -.infinity)
    }

    @Test func reportsLineAndColumn() {
        let error = syntaxError("{\n  \"a\": 1,\n  \"b\" 2\n}")
        #expect(error?.line == 3)
        #expect(error?.column == 7)
        #expect(error?.byteOffset == 18)
        #expect(error?.reason.contains("':'") == true)
        #expect(error?.description.hasPrefix("line 3, column 7: ") == true)
    }

    @Test func reportsSyntaxErrorsAtTheOffendingByte() {
        #expect(syntaxError(#"{"a" 1}"#)?.byteOffset == 5)
        #expect(syntaxError("[1,]")?.byteOffset == 3)
        #expect(syntaxError("01")?.byteOffset == 1)
        #expect(syntaxError("1.")?.byteOffset == 2)
        #expect(syntaxError("-")?.byteOffset == 1)
        #expect(syntaxError("\"abc")?.byteOffset == 0)
        #expect(syntaxError("\"a\nb\"")?.byteOffset == 2)
        #expect(syntaxError(#""\x""#)?.byteOffset == 2)
        #expect(syntaxError(#""\ud800""#) != nil)
        #expect(syntaxError(#""\udc00""#) != nil)
        #expect(syntaxError(#""\u12G4""#) != nil)
        #expect(syntaxError("tru") != nil)
        #expect(syntaxError("{} x")?.byteOffset == 3)
        #expect(syntaxError("[1, 2] x") != nil)
        #expect(syntaxError(#"{"a": [1, 2"#) != nil)
        #expect(syntaxError("") != nil)
        #expect(syntaxError("\"\u{FF}\"") == nil)  // U+00FF is valid UTF-8 text
    }

    @Test func refusesDeepNesting() {
        let depth = JSONParser.maximumDepth
        let nested = { (levels: Int) in
            String(repeating: "[", count: levels) + String(repeating: "]", count: levels)
        }
        #expect(syntaxError(nested(depth)) == nil)
        #expect(syntaxError(nested(depth + 1))?.reason == "nesting deeper than \(depth) levels")
    }

    @Test func rejectsInvalidUTF8InStrings() {
        do {
            _ = try JSONParser.parse(bytes: [0x22, 0xC3, 0x28, 0x22][...])
            Issue.record("invalid UTF-8 must be refused")
        } catch {
            #expect(error.reason == "string is not valid UTF-8")
            #expect(error.byteOffset == 0)
        }
    }

    @Test func parsesASliceFromItsOwnStart() throws {
        let bytes = Array("xx[1, ]".utf8)
        do {
            _ = try JSONParser.parse(bytes: bytes[2...])
            Issue.record("a trailing comma must be refused")
        } catch {
            #expect(error.byteOffset == 4 && error.column == 5)
        }
    }
}
