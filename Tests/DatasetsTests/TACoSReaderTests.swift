import Foundation
import TestSupport
import Testing
import VTGCore

@testable import Datasets

@Test func tacosConvertsFramesToSeconds() throws {
    let directory = try TestData.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try TestData.write(
        #"{"s30-d52.avi": {"timestamps": [[147, 294], [147, 294], [7300, 7360]], "#
            + #""sentences": ["She took out kiwi", "She took out kiwi", "She left"], "#
            + #""fps": 29.4, "num_frames": 7350}}"#,
        to: "test.json", in: directory)
    let dataset = try GroundingDataset.load(.tacos, split: "test", from: directory)
    #expect(dataset.samples.count == 3)
    #expect(dataset.samples[0].durationSeconds == 7350 / 29.4)
    #expect(
        dataset.samples[0].targets == [TimeSpan(startSeconds: 147 / 29.4, endSeconds: 294 / 29.4)])
    #expect(dataset.samples[2].targets[0].endSeconds == 7350 / 29.4)
    #expect(dataset.anomalies.count(of: .duplicate) == 1)
    #expect(dataset.anomalies.count(of: .endPastDuration) == 1)
}

@Test func tacosWithoutFrameRateDropsTheVideoAndSaysWhy() throws {
    let directory = try TestData.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try TestData.write(
        #"{"s1.avi": {"timestamps": [[1, 2]], "sentences": ["x"], "num_frames": 10}}"#,
        to: "train.json", in: directory)
    let dataset = try GroundingDataset.load(.tacos, split: "train", from: directory)
    #expect(dataset.samples.isEmpty)
    #expect(dataset.anomalies.count(of: .invalidDuration) == 1)
}

/// The published TACoS test set has 4,001 queries, duplicates included (2D-TAN, VSLNet).
@Test func realTACoSKeepsThePublishedQueryCounts() throws {
    let splits = try GroundingDataset.loadAll(.tacos, from: TestData.shared("tacos"))
    #expect(splits.map(\.split) == ["train", "val", "test"])
    #expect(splits.map(\.samples.count) == [9790, 4436, 4001])
    #expect(splits.map { $0.anomalies.count(with: .dropped) } == [0, 0, 0])
}
