import Datasets
import Testing

@Test func accessorsReturnValuesOfTheRightKindOnly() {
    let value = JSONValue.object([
        JSONMember("n", .number(3)), JSONMember("f", .number(2.5)), JSONMember("s", .string("x")),
        JSONMember("n", .number(9)),
    ])
    #expect(value["n"]?.integerValue == 3)  // the first member of that name
    #expect(value["f"]?.integerValue == nil)
    #expect(value["f"]?.numberValue == 2.5)
    #expect(value["s"]?.numberValue == nil)
    #expect(value["missing"] == nil)
    #expect(JSONValue.array([]).objectMembers == nil)
    #expect(JSONValue.null.kindDescription == "null")
    #expect(value.kindDescription == "an object")
}
