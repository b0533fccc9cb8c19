import Datasets
import Testing

@Test func errorMessagesNameTheFileAndTheNextStep() {
    let missing = DatasetError.fileNotFound(path: "/d/x.csv", expected: "the durations")
    #expect(missing.description.hasPrefix("/d/x.csv: file not found; expected the durations."))
    let json = DatasetError.malformedJSON(path: "/d/t.json", line: 1, column: 17, reason: "bad")
    #expect(json.description.hasPrefix("/d/t.json:1:17: not valid JSON: bad."))
    let column = DatasetError.missingColumn(path: "/d/c.csv", column: "length", header: ["id"])
    #expect(column.description.contains("no column \"length\""))
    let split = DatasetError.splitNotFound(
        dataset: .tacos, split: "dev", directory: "/d", available: ["train"])
    #expect(split.description.contains("Use one of those splits"))
}
