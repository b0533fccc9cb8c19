import Testing
import VTGCore

@Suite struct JSONValueTests {
    @Test func accessorsReturnValuesOfTheRightKindOnly() {
        let value = JSONValue.object([
            JSONMember("n", .number(3)), JSONMember("f", .number(2.5)),
            JSONMember("s", .string("x")), JSONMember("n", .number(9)),
        ])
        #expect(value["n"]?.integerValue == 3)  // the first member of that name
        #expect(value["f"]?.integerValue == nil)
        #expect(value["f"]?.numberValue == 2.5)
        #expect(value["s"]?.numberValue == nil)
        #expect(value["s"]?.stringValue == "x")
        #expect(value["missing"] == nil)
        #expect(JSONValue.array([]).objectMembers == nil)
        #expect(JSONValue.array([.null]).arrayValue == [.null])
        #expect(JSONValue.null.kindDescription == "null")
        #expect(value.kindDescription == "an object")
    }

    @Test func numbersFromDoublesAndIntegersAreWrittenAsPythonWouldWrite() {
        #expect(JSONNumber(150.0).text == "150")
        #expect(JSONNumber(-0.0).text == "0")
        #expect(JSONNumber(0.1).text == "0.1")
        #expect(JSONNumber(1e16).text == "1e+16")
        #expect(JSONNumber(Double.nan).text == "NaN")
        #expect(JSONNumber(-Double.infinity).text == "-Infinity")
        #expect(JSONNumber(Int.max).text == "9223372036854775807")
        #expect(JSONValue.number(3) == .number(3.0))
        #expect(JSONValue.number(Int.max).nonNegativeInteger == Int.max)
    }
}
