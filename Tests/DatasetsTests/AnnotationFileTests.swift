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

@Test func invalidUTF8NamesTheLine() throws {
    let directory = try TestData.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appendingPathComponent("latin1.txt")
    // "café" in Latin-1 on the third line.
    try Data(Array("a 1 2##ok\nb 1 2##ok\nc 1 2##caf".utf8) + [0xE9, 0x0A]).write(to: url)
    do {
        _ = try AnnotationFile.readText(url, expected: "text")
        Issue.record("Latin-1 must be refused")
    } catch {
        guard case .unreadableFile(let path, let reason) = error else {
            Issue.record("unexpected \(error)")
            return
        }
        #expect(path == url.path)
        #expect(reason.hasPrefix("line 3 is not valid UTF-8 (byte 11 of the line)"), "\(reason)")
    }
}

@Test func carriageReturnOnlyLineEndingsSplitLines() throws {
    let directory = try TestData.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = try TestData.write(
        "{\"a\": 1}\r{\"b\": 2}\r\r{\"c\": 3}\r", to: "x.jsonl", in: directory)
    let lines = try AnnotationFile.readLines(url, expected: "test lines")
    #expect(lines.map(\.line) == [1, 2, 4])
}
