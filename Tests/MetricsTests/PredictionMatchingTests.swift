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

@Test func aPredictionForAnotherVideoIsAProblemLineNotAScore() throws {
    let directory = try TestData.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appendingPathComponent("p.jsonl")
    let window = [ScoredSpan(startSeconds: 0, endSeconds: 5, score: 1)]
    try PredictionsFile.write(
        [
            QueryPrediction(queryID: 10, videoID: "v", windows: window),
            QueryPrediction(queryID: 11, videoID: "other", windows: window),
        ], to: url)
    let matching = PredictionMatching(try PredictionsFile.read(url), samples: samples([10, 11]))
    #expect(matching.counts == PredictionCounts(matched: 1, missing: 1, malformed: 1))
    #expect(
        matching.problemLines
            == [.init(line: 2, reason: "vid \"other\" but query 11 is of video \"v\"")])
}

@Test func scoringRefusesEmptyAndGarbageFilesAndStrictlyAnyBadLine() throws {
    let directory = try TestData.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appendingPathComponent("p.jsonl")
    func score(_ text: String, strict: Bool = false) throws(PredictionsFileError)
        -> MetricsReport
    {
        try? Data(text.utf8).write(to: url)
        return try MetricsReport.score(
            predictionsFile: url, against: samples([10, 11]), evaluationProtocol: .vslnet,
            strict: strict)
    }
    #expect(throws: PredictionsFileError.noPredictions(path: url.path, malformedLines: [])) {
        try score("")
    }
    #expect(
        throws: PredictionsFileError.noPredictions(
            path: url.path,
            malformedLines: [.init(line: 1, reason: "not JSON (column 1: expected a JSON value)")])
    ) { try score("garbage\n") }
    let good = "{\"qid\": 10, \"vid\": \"v\", \"pred_relevant_windows\": [[0, 5, 1]]}\n"
    let report = try score(good + "not json\n")
    #expect(report.problemLines?.map(\.line) == [2])
    #expect(report.predictionCounts.malformed == 1)
    #expect(try score(good).problemLines == nil)
    do {
        _ = try score(good + "not json\n", strict: true)
        Issue.record("strict scoring must refuse a malformed line")
    } catch {
        guard case .rejectedLines(_, let lines) = error else {
            Issue.record("unexpected \(error)")
            return
        }
        #expect(lines.map(\.line) == [2])
        #expect(error.description.contains("p.jsonl:2: not JSON"))
    }
}
