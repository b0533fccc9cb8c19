import Datasets
import Foundation
import Metrics
import TestSupport
import Testing

@Test func predictionsRoundTripInTheSubmissionLayout() throws {
    let directory = try TestData.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appendingPathComponent("predictions.jsonl")
    let predictions = [
        QueryPrediction(
            queryID: 2579, videoID: "NUsG9BgSes0_210.0_360.0", query: "A girl cooks.",
            windows: [ScoredSpan(startSeconds: 0, endSeconds: 70, score: 0.9986)],
            clipScores: [-0.25, 0.5]),
        QueryPrediction(queryID: 7, windows: []),
    ]
    try PredictionsFile.write(predictions, to: url)
    let text = try String(contentsOf: url, encoding: .utf8)
    #expect(
        text.hasPrefix(
            #"{"qid": 2579, "query": "A girl cooks.", "vid": "NUsG9BgSes0_210.0_360.0", "#
                + #""pred_relevant_windows": [[0, 70, 0.9986]], "#
                + #""pred_saliency_scores": [-0.25, 0.5]}"#
        ))
    let file = try PredictionsFile.read(url)
    #expect(file.predictions.map(\.prediction) == predictions)
    #expect(file.malformedLines.isEmpty)
}

@Test func malformedLinesAreCountedWithTheirLineNumbers() throws {
    let directory = try TestData.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appendingPathComponent("predictions.jsonl")
    try Data(
        ("{\"qid\": 1, \"pred_relevant_windows\": [[0, 1, 0.5]]}\n"
            + "\n"
            + "{\"qid\": 2, \"pred_relevant_windows\": [[0, 1]]}\n"
            + "not json\n"
            + "{\"qid\": \"x\", \"pred_relevant_windows\": []}\n"
            + "{\"pred_relevant_windows\": [[3, 4, 1]]}\n").utf8
    ).write(to: url)
    let file = try PredictionsFile.read(url)
    #expect(file.malformedLines.map(\.line) == [3, 4, 5])
    #expect(file.predictions.map(\.position) == [0, 4])
    #expect(file.predictions[1].prediction.queryID == nil)
}

@Test func unreadableFileIsAnError() {
    #expect(throws: PredictionsFileError.self) {
        try PredictionsFile.read(URL(fileURLWithPath: "/nonexistent/predictions.jsonl"))
    }
}

@Test func crlfPredictionFilesReadLineByLine() throws {
    let directory = try TestData.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appendingPathComponent("predictions.jsonl")
    try Data(
        ("{\"qid\": 1, \"pred_relevant_windows\": [[0, 1, 0.5]]}\r\n"
            + "{\"qid\": 2, \"pred_relevant_windows\": [[0, 2, 0.5]]}\r\n").utf8
    ).write(to: url)
    let file = try PredictionsFile.read(url)
    #expect(file.predictions.map(\.prediction.queryID) == [1, 2])
}
