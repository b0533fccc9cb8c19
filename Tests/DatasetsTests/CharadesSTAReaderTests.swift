import Foundation
import TestSupport
import Testing
import VTGCore

@testable import Datasets

@Test func charadesReadsLinesWithCSVDurations() throws {
    let directory = try TestData.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try TestData.write(
        "AO8RW 0.0 6.9##a person is putting a book on a shelf.\n"
            + "\n"
            + "Y6R7T 20.8 31.0##person begins to play on a phone.\n"
            + "ZZZZZ 1.0 2.0##unknown video.\n"
            + "Y6R7T twenty 30.0##broken times.\n"
            + "Y6R7T 1.0 2.0 no separator\n",
        to: "charades_sta_test.txt", in: directory)
    try TestData.write(
        "id,subject,script,length\r\n"
            + "AO8RW,CP6Y,\"A person, with a book\r\nputs it on a shelf.\",16.62\r\n"
            + "Y6R7T,T5EC,\"says \"\"hi\"\"\",30.96\r\n",
        to: "Charades_v1_test.csv", in: directory)

    let dataset = try GroundingDataset.load(.charadesSTA, split: "test", from: directory)
    #expect(dataset.samples.map(\.videoID) == ["AO8RW", "Y6R7T"])
    #expect(dataset.samples.map(\.queryID) == [0, 1])
    #expect(dataset.samples[0].durationSeconds == 16.62)
    #expect(dataset.samples[1].targets == [TimeSpan(startSeconds: 20.8, endSeconds: 30.96)])
    #expect(dataset.anomalies.count(of: .endPastDuration) == 1)
    #expect(dataset.anomalies.count(of: .missingDuration) == 1)
    #expect(dataset.anomalies.count(of: .malformedRecord) == 2)
    let malformedLines = dataset.anomalies.entries.first { $0.kind == .malformedRecord }?
        .examples.map { $0.location.line }
    #expect(malformedLines == [5, 6])
}

@Test func charadesFallsBackToVSLNetJSONDurations() throws {
    let directory = try TestData.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try TestData.write(
        "S9KOH 0.0 2.5##a person eats.\n", to: "charades_sta_train.txt", in: directory)
    try TestData.write(
        #"{"S9KOH": {"subset": "training", "duration": 8.0, "actions": [[20, 0.0, 9.0]]}}"#,
        to: "charades.json", in: directory)
    let dataset = try GroundingDataset.load(.charadesSTA, split: "train", from: directory)
    #expect(dataset.samples.first?.durationSeconds == 8)
}

@Test func charadesWithoutDurationsNamesTheMissingFile() throws {
    let directory = try TestData.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try TestData.write(
        "S9KOH 0.0 2.5##a person eats.\n", to: "charades_sta_train.txt", in: directory)
    #expect(throws: DatasetError.self) {
        try GroundingDataset.load(.charadesSTA, split: "train", from: directory)
    }
    do {
        _ = try GroundingDataset.load(.charadesSTA, split: "train", from: directory)
    } catch {
        #expect(error.description.contains("Charades_v1_train.csv"))
    }
}

/// SOURCES.md: the CSVs and VSLNet's charades.json give identical durations for all 9,848 videos.
@Test func realCharadesDurationSourcesAgree() throws {
    let directory = TestData.shared("charades_sta")
    let train = try CharadesSTAReader.readDurations(split: "train", in: directory)
    let test = try CharadesSTAReader.readDurations(split: "test", in: directory)
    let json = try CharadesSTAReader.readDurations(
        split: "none", in: directory.appendingPathComponent("vslnet"))
    #expect(train.byVideo.count + test.byVideo.count == 9848)
    #expect(json.byVideo.count == 9848)
    var disagreements = 0
    for (video, duration) in train.byVideo.merging(test.byVideo, uniquingKeysWith: { a, _ in a }) {
        guard case .valid(let csvSeconds) = duration, case .valid(let jsonSeconds)? = json[video],
            csvSeconds == jsonSeconds
        else {
            disagreements += 1
            continue
        }
    }
    #expect(disagreements == 0)
}

/// SOURCES.md: the 2D-TAN train file has 4 inverted moments (lines 8252, 8440, 9623, 9624) that
/// VSLNet's copy corrects; the files agree everywhere else.
@Test func realCharadesTrainCopiesDifferInTheFourInvertedLines() throws {
    let original = try GroundingDataset.load(
        .charadesSTA, split: "train", from: TestData.shared("charades_sta"))
    let corrected = try GroundingDataset.load(
        .charadesSTA, split: "train", from: TestData.shared("charades_sta/vslnet"))
    #expect(original.samples.count == 12404)
    #expect(corrected.samples.count == 12408)
    let inverted = original.anomalies.entries.first { $0.kind == .startAfterEnd }
    #expect(inverted?.count == 4)
    #expect(inverted?.examples.map { $0.location.line } == [8252, 8440, 9623, 9624])
    #expect(corrected.anomalies.count(of: .startAfterEnd) == 0)
    let originalByID = Dictionary(uniqueKeysWithValues: original.samples.map { ($0.queryID, $0) })
    let changed = corrected.samples.filter { originalByID[$0.queryID] != $0 }.map(\.queryID)
    #expect(changed == [8251, 8439, 9622, 9623])
}

@Test func charadesReadsCRLFFiles() throws {
    let directory = try TestData.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try TestData.write(
        "A 0.0 2.5##a person eats.\r\nB 1.0 3.0##a person drinks.\r\n",
        to: "charades_sta_test.txt", in: directory)
    try TestData.write("id,length\r\nA,8\r\nB,9\r\n", to: "Charades_v1_test.csv", in: directory)
    let dataset = try GroundingDataset.load(.charadesSTA, split: "test", from: directory)
    #expect(dataset.samples.map(\.query) == ["a person eats.", "a person drinks."])
    #expect(dataset.anomalies.isEmpty)
}

@Test func charadesWithCarriageReturnOnlyLineEndingsReadsEveryLine() throws {
    let directory = try TestData.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try TestData.write(
        "AO8RW 0.0 6.9##a person is putting a book on a shelf.\r"
            + "Y6R7T 20.8 30.0##person begins to play on a phone.\r",
        to: "charades_sta_test.txt", in: directory)
    try TestData.write(
        "id,subject,script,length\nAO8RW,CP6Y,x,16.62\nY6R7T,T5EC,y,30.96\n",
        to: "Charades_v1_test.csv", in: directory)
    let dataset = try GroundingDataset.load(.charadesSTA, split: "test", from: directory)
    #expect(dataset.samples.map(\.videoID) == ["AO8RW", "Y6R7T"])
    #expect(dataset.samples[1].query == "person begins to play on a phone.")
}
