import Datasets
import Testing

@Test func writerUsesPythonSeparatorsAndIntegerFormatting() {
    let value = JSONValue.object([
        JSONMember("qid", .number(3)), JSONMember("windows", .array([.number(1.5), .number(150)])),
        JSONMember("text", .string("say \"hi\"\n")),
    ])
    #expect(value.serialized() == #"{"qid": 3, "windows": [1.5, 150], "text": "say \"hi\"\n"}"#)
}

@Test func writerRoundTripsThroughParser() throws {
    let value = JSONValue.object([
        JSONMember("b", .array([.null, .bool(false), .number(0.1), .string("é\u{1}")])),
        JSONMember("a", .object([])),
    ])
    #expect(try JSONParser.parse(value.serialized()) == value)
}
