import Foundation
import TestSupport
import Testing
import VTGCore

@testable import Grounding

/// A log record for the tests: an epoch and a value.
struct TestRecord: TrainingRecord, Equatable {
    var epoch: Int
    var loss: Double
}

@Suite struct TrainingLogTests {
    @Test func appendedRecordsReadBackInOrderOneLineEach() throws {
        let directory = try TemporaryDirectory(label: "grounding")
        let log = TrainingLog<TestRecord>(directory.file("log.jsonl"))
        let records = (0..<3).map { TestRecord(epoch: $0, loss: 1 / Double($0 + 1)) }
        for record in records { try log.append(record) }
        #expect(try log.records() == records)
        let text = try String(contentsOf: log.url, encoding: .utf8)
        #expect(text.hasSuffix("\n"))
        #expect(text.split(separator: "\n").count == 3)
        // Appending leaves what is there byte for byte.
        try log.append(TestRecord(epoch: 3, loss: 0))
        let longer = try String(contentsOf: log.url, encoding: .utf8)
        #expect(longer.hasPrefix(text))
    }

    @Test func aMissingLogIsAnErrorNamingTheFile() throws {
        let directory = try TemporaryDirectory(label: "grounding")
        let url = directory.file("log.jsonl")
        let error = #expect(throws: TrainingLogError.self) {
            try TrainingLog<TestRecord>(url).records()
        }
        guard case .unreadable(let path, _) = error else {
            Issue.record("expected .unreadable, got \(String(describing: error))")
            return
        }
        #expect(path == url.path)
        #expect(error?.description.hasPrefix(url.path) == true)
    }

    @Test func aLineThatDoesNotDecodeIsAnErrorNamingFileAndLine() throws {
        let directory = try TemporaryDirectory(label: "grounding")
        let url = directory.file("log.jsonl")
        for (text, line) in [
            ("{\"epoch\":0,\"loss\":1}\n{\"epoch\":1}\n", 2),  // a key missing
            ("{\"epoch\":0,\"loss\":1}\n{\"epoch\":1,\"lo", 2),  // cut short
            ("not json\n{\"epoch\":1,\"loss\":1}\n", 1),
            ("{\"epoch\":0,\"loss\":1}\n\n{\"epoch\":1,\"loss\":1}\n", 2),  // a blank line
        ] {
            try Data(text.utf8).write(to: url)
            let error = #expect(throws: TrainingLogError.self) {
                try TrainingLog<TestRecord>(url).records()
            }
            guard case .undecodableLine(let path, let number, _) = error else {
                Issue.record("expected .undecodableLine, got \(String(describing: error))")
                continue
            }
            #expect(path == url.path)
            #expect(number == line, "\(text)")
            #expect(error?.description.hasPrefix("\(url.path):\(line):") == true)
        }
    }

    @Test func resumingCutsRecordsAfterTheSavedEpochAndRefusesGaps() throws {
        let directory = try TemporaryDirectory(label: "grounding")
        let log = TrainingLog<TestRecord>(directory.file("log.jsonl"))
        let records = (0..<3).map { TestRecord(epoch: $0, loss: Double($0)) }
        for record in records { try log.append(record) }
        // Epoch 2 was logged, then the run stopped before saving its state.
        #expect(try log.records(before: 2) == Array(records.prefix(2)))
        #expect(try log.records() == Array(records.prefix(2)))
        try log.append(records[2])
        #expect(try log.records() == records)
        // A log that lacks a saved epoch's record is refused, listing what it holds.
        let error = #expect(throws: TrainingLogError.self) { try log.records(before: 4) }
        #expect(error == .epochsMissing(path: log.url.path, expected: 4, found: [0, 1, 2]))
        try log.remove()
        #expect(!FileManager.default.fileExists(atPath: log.url.path))
        try log.remove()  // nothing to remove is fine
    }
}
