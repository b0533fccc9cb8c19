import Datasets
import Metrics
import Reports
import Testing
import VTGCore

@Test func recallTableHasOneColumnPerRankAndThreshold() {
    let sample = GroundingSample(
        queryID: 0, videoID: "v", durationSeconds: 10, query: "q",
        targets: [TimeSpan(startSeconds: 0, endSeconds: 5)])
    let report = MetricsReport.evaluate(
        samples: [sample], windows: [[ScoredSpan(startSeconds: 0, endSeconds: 4, score: 1)]],
        evaluationProtocol: .twoDTAN)
    let table = MetricsTable.markdown([("model", report)])
    let lines = table.split(separator: "\n")
    #expect(lines.count == 3)
    #expect(
        lines[0].contains("R@1 IoU=0.1") && lines[0].contains("R@5 IoU=0.7")
            && lines[0].hasSuffix("mIoU |"))
    #expect(
        lines[2]
            == "| model | 1 | " + String(repeating: "100.00 | ", count: 8) + "80.00 |"
    )
}

@Test func qvHighlightsTableMarksMissingFigures() {
    let sample = GroundingSample(
        queryID: 0, videoID: "v", durationSeconds: 10, query: "q",
        targets: [TimeSpan(startSeconds: 0, endSeconds: 4)])
    let report = MetricsReport.evaluate(
        samples: [sample], windows: [[ScoredSpan(startSeconds: 0, endSeconds: 4, score: 1)]],
        evaluationProtocol: .qvhighlights)
    let table = MetricsTable.markdown([("model", report)])
    #expect(table.contains("| model | 1 | 100.00 | 100.00 |"))
    #expect(table.hasSuffix("| – | – |"))
    #expect(
        MetricsTable.countsLine(report.predictionCounts).hasPrefix(
            "predictions: 1 matched, 0 missing"))
}
