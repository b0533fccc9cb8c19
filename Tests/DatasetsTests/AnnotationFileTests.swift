import Foundation
import TestSupport
import Testing

@testable import Datasets

@Test func jsonLinesSkipBlankLinesAndKeepLineNumbers() throws {
    let directory = try TestData.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = try TestData.write(
        "\u{FEFF}{\"a\": 1}\r\n\n  \n{\"b\": 2}", to: "x.jsonl", in: directory)
    let lines = try AnnotationFile.readLines(url, expected: "test lines")
    #expect(lines.map(\.line) == [1, 4])
    #expect(lines.map { String($0.text) } == ["{\"a\": 1}", "{\"b\": 2}"])
}

@Test func missingAndInvalidFilesAreNamed() throws {
    let directory = try TestData.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let missing = directory.appendingPathComponent("absent.json")
    #expect(throws: DatasetError.fileNotFound(path: missing.path, expected: "something")) {
        try AnnotationFile.readText(missing, expected: "something")
    }
    let binary = directory.appendingPathComponent("binary.json")
    try Data([0xFF, 0xFE, 0x00, 0xC3]).write(to: binary)
    #expect(throws: DatasetError.self) { try AnnotationFile.readText(binary, expected: "text") }
}
