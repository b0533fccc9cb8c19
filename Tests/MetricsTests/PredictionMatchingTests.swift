import Datasets
import Foundation
import Metrics
import TestSupport
import Testing
import VTGCore

private func samples(_ ids: [Int]) -> [GroundingSample] {
    ids.map {
        GroundingSample(
            queryID: $0, videoID: "v", durationSeconds: 10, query: "q",
            targets: [TimeSpan(startSeconds: 0, endSeconds: 5)])
    }
}

@Test func matchingCountsUnknownMissingAndDuplicates() throws {
    let directory = try TestData.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appendingPathComponent("p.jsonl")
    try PredictionsFile.write(
        [
            QueryPrediction(
                queryID: 10, windows: [ScoredSpan(startSeconds: 0, endSeconds: 5, score: 1)]),
            QueryPrediction(queryID: 99, windows: []),
            QueryPrediction(queryID: 10, windows: []),
        ], to: url)
    let matching = PredictionMatching(
        try PredictionsFile.read(url), samples: samples([10, 11, 12]))
    #expect(matching.counts == PredictionCounts(matched: 1, missing: 2, unknown: 1, duplicate: 1))
    #expect(matching.windows.map(\.count) == [1, 0, 0])
}

@Test func linesWithoutQueryIDMatchByPosition() throws {
    let directory = try TestData.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appendingPathComponent("p.jsonl")
    try PredictionsFile.write(
        (0..<4).map {
            QueryPrediction(
                queryID: nil,
                windows: [ScoredSpan(startSeconds: Double($0), endSeconds: 5, score: 1)])
        },
        to: url)
    let matching = PredictionMatching(try PredictionsFile.read(url), samples: samples([3, 4, 5]))
    #expect(matching.windows.map { $0.first?.span.startSeconds } == [0, 1, 2])
    #expect(matching.counts.unknown == 1)
}
