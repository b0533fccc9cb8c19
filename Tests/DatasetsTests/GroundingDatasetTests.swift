import Foundation
import TestSupport
import Testing

@testable import Datasets

@Test func duplicatesAreKeptAndCounted() throws {
    let directory = try TestData.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try TestData.write(
        "A 1.0 2.0##a person sits.\nA 1.0 2.0##a person sits. \nA 1.0 2.5##a person sits.\n",
        to: "charades_sta_train.txt", in: directory)
    try TestData.write("id,length\nA,10\n", to: "Charades_v1_train.csv", in: directory)
    let dataset = try GroundingDataset.load(.charadesSTA, split: "train", from: directory)
    #expect(dataset.samples.count == 3)
    #expect(dataset.anomalies.count(of: .duplicate) == 1)
    #expect(dataset.anomalies.count(of: .surroundingWhitespace) == 1)
    #expect(dataset.videoIDs == ["A"])
}

@Test func strictLoadingStopsAtTheFirstAnomalyWithFileAndLine() throws {
    let directory = try TestData.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = try TestData.write(
        "A 1.0 2.0##fine.\nA 5.0 4.0##inverted.\n", to: "charades_sta_train.txt", in: directory)
    try TestData.write("id,length\nA,10\n", to: "Charades_v1_train.csv", in: directory)
    #expect(throws: DatasetError.self) {
        try GroundingDataset.load(
            .charadesSTA, split: "train", from: directory, policy: AnomalyPolicy(strict: true))
    }
    do {
        _ = try GroundingDataset.load(
            .charadesSTA, split: "train", from: directory, policy: AnomalyPolicy(strict: true))
    } catch {
        #expect(error.description.hasPrefix("\(file.path):2: start-after-end"))
    }
}

@Test func malformedJSONNamesFileLineAndColumn() throws {
    let directory = try TestData.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = try TestData.write("{\"v\": {\"duration\": 3,\n", to: "train.json", in: directory)
    do {
        _ = try GroundingDataset.load(.activityNet, split: "train", from: directory)
        Issue.record("expected malformedJSON")
    } catch {
        guard case .malformedJSON(let path, let line, _, _) = error else {
            Issue.record("unexpected \(error)")
            return
        }
        #expect(path == file.path)
        #expect(line == 2)
    }
}
