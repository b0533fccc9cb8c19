import Datasets
import Testing

@Test func parserKeepsMemberOrder() throws {
    let value = try JSONParser.parse(
        #"{"zeta": 1, "alpha": [true, null, "x"], "mid": {"k": -2.5e1}}"#)
    #expect(value.objectMembers?.map(\.key) == ["zeta", "alpha", "mid"])
    #expect(value["zeta"]?.integerValue == 1)
    #expect(value["alpha"] == .array([.bool(true), .null, .string("x")]))
    #expect(value["mid"]?["k"]?.numberValue == -25)
}

@Test func parserDecodesEscapes() throws {
    let value = try JSONParser.parse(#""a\"b\\c\/d\n\t\u00e9\ud83d\ude00""#)
    #expect(value.stringValue == "a\"b\\c/d\n\té😀")
}

@Test func parserReportsLineAndColumn() {
    do {
        _ = try JSONParser.parse("{\n  \"a\": 1,\n  \"b\" 2\n}")
        Issue.record("expected a syntax error")
    } catch {
        #expect(error.line == 3)
        #expect(error.column == 7)
        #expect(error.reason.contains("':'"))
    }
}

@Test func parserRejectsTrailingTextAndTruncation() {
    #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse("[1, 2] x") }
    #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse(#"{"a": [1, 2"#) }
    #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse(#""\ud800""#) }
}

@Test func parserAcceptsPythonNonFiniteNumbers() throws {
    let value = try JSONParser.parse("[NaN, Infinity, -Infinity]")
    let numbers = value.arrayValue?.compactMap(\.numberValue) ?? []
    #expect(numbers.count == 3)
    #expect(numbers[0].isNaN)
    #expect(numbers[1] == .infinity && numbers[2] == -.infinity)
}
