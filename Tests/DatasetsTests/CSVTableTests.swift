import Testing

@testable import Datasets

@Test func csvHandlesQuotesCommasLineBreaksAndCRLF() {
    let text =
        "id,script,length\r\n"
        + "A1,\"opens a door, then \"\"waves\"\"\",12.5\r\n"
        + "B2,\"two\r\nlines\",7\r\n"
        + "\r\n"
        + "C3,plain,3.25"
    let table = CSVTable(parsing: text)
    #expect(table.header == ["id", "script", "length"])
    #expect(
        table.records.map(\.fields) == [
            ["A1", "opens a door, then \"waves\"", "12.5"],
            ["B2", "two\r\nlines", "7"],
            ["C3", "plain", "3.25"],
        ])
    #expect(table.records.map(\.line) == [2, 3, 6])
}

@Test func csvKeepsEmptyFields() {
    let table = CSVTable(parsing: "a,b,c\n,,\n\"\",x,\n")
    #expect(table.records.map(\.fields) == [["", "", ""], ["", "x", ""]])
}
