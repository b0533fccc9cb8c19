import Foundation
import TestSupport
import Testing
import VTGCore

@testable import Datasets

@Test func activityNetReadsVideosInFileOrder() throws {
    let directory = try TestData.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try TestData.write(
        #"{"v_b": {"duration": 82.73, "timestamps": [[0.83, 19.86], [17.37, 82.74]], "#
            + #""sentences": ["A woman dances.", " She bows.\n"]}, "#
            + #""v_a": {"duration": 10, "timestamps": [[3, 3], [1, 2]], "#
            + #""sentences": ["x", "y", "z"]}}"#,
        to: "val_1.json", in: directory)
    let dataset = try GroundingDataset.load(.activityNet, split: "val_1", from: directory)
    #expect(dataset.samples.map(\.videoID) == ["v_b", "v_b", "v_a"])
    #expect(dataset.samples.map(\.queryID) == [0, 1, 3])
    #expect(dataset.samples[1].query == "She bows.")
    #expect(dataset.samples[1].targets == [TimeSpan(startSeconds: 17.37, endSeconds: 82.73)])
    #expect(dataset.anomalies.count(of: .zeroLength) == 1)
    #expect(dataset.anomalies.count(of: .malformedRecord) == 1)
    let malformed = dataset.anomalies.entries.first { $0.kind == .malformedRecord }?.examples.first
    #expect(malformed?.location.key == "v_a.timestamps[2]")
}

@Test func activityNetRejectsAFileOfTheWrongShape() throws {
    let directory = try TestData.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try TestData.write("[1, 2]", to: "train.json", in: directory)
    #expect(throws: DatasetError.self) {
        try GroundingDataset.load(.activityNet, split: "train", from: directory)
    }
}

/// metric-protocols.md: 2D-TAN drops 4 ActivityNet train pairs (start >= end); SOURCES.md: the
/// two copies have the same videos and times and differ in the text of 6 / 18 / 3 videos.
@Test func realActivityNetCopiesAgreeExceptSomeSentences() throws {
    let pairs = [("train", "train", 6), ("val", "val_1", 18), ("test", "val_2", 3)]
    for (tanSplit, vslnetSplit, changedVideos) in pairs {
        let tan = try GroundingDataset.load(
            .activityNet, split: tanSplit, from: TestData.shared("activitynet_captions/2d-tan"))
        let vslnet = try GroundingDataset.load(
            .activityNet, split: vslnetSplit, from: TestData.shared("activitynet_captions/vslnet"))
        #expect(tan.samples.count == vslnet.samples.count)
        #expect(tan.samples.map(\.targets) == vslnet.samples.map(\.targets))
        #expect(tan.videoIDs == vslnet.videoIDs)
        let differing = Set(
            zip(tan.samples, vslnet.samples).filter { $0.query != $1.query }.map(\.0.videoID))
        #expect(differing.count == changedVideos, "\(tanSplit)")
        if tanSplit == "train" {
            let dropped =
                tan.anomalies.count(of: .startAfterEnd) + tan.anomalies.count(of: .zeroLength)
            #expect(dropped == 4)
            #expect(tan.samples.count == 37417)
        }
    }
}

@Test func activityNetDuplicateVideoKeyDropsTheEarlierObject() throws {
    let directory = try TestData.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try TestData.write(
        #"{"v_a": {"duration": 10, "timestamps": [[1, 2]], "sentences": ["first"]}, "#
            + #""v_b": {"duration": 10, "timestamps": [[1, 3]], "sentences": ["other"]}, "#
            + #""v_a": {"duration": 10, "timestamps": [[4, 5]], "sentences": ["second"]}}"#,
        to: "val_1.json", in: directory)
    let dataset = try GroundingDataset.load(.activityNet, split: "val_1", from: directory)
    // json.load keeps the last "v_a"; query ids still count the dropped moment.
    #expect(dataset.samples.map(\.query) == ["other", "second"])
    #expect(dataset.samples.map(\.queryID) == [1, 2])
    #expect(dataset.anomalies.count(of: .duplicateKey) == 1)
    let duplicate = dataset.anomalies.entries.first { $0.kind == .duplicateKey }?.examples.first
    #expect(duplicate?.location.key == "v_a")
}
