import Datasets
import Foundation
import TestSupport
import Testing
import VTGCore

@testable import Metrics

/// The figures of moment_detr's `sample_val_preds_metrics_raw.json`, by their JSON path.
private func goldenFigures() throws -> [String: Double] {
    let url = TestData.shared("qvhighlights/standalone_eval/sample_val_preds_metrics_raw.json")
    let json = try JSONParser.parse(String(contentsOf: url, encoding: .utf8))
    var figures: [String: Double] = [:]
    func collect(_ value: JSONValue, _ path: String) {
        switch value {
        case .number(let number): figures[path] = number.doubleValue
        case .object(let members):
            for member in members {
                collect(member.value, path.isEmpty ? member.key : "\(path)/\(member.key)")
            }
        default: break
        }
    }
    collect(json, "")
    return figures
}

/// The golden test: the official sample predictions on QVHighlights val, scored with the
/// `qvhighlights` protocol, reproduce every figure the official evaluation printed, to 2 decimals.
@Test func qvHighlightsGoldenSamplePredictions() throws {
    let dataset = try GroundingDataset.load(
        .qvHighlights, split: "val", from: TestData.shared("qvhighlights"))
    let report = try MetricsReport.score(
        predictionsFile: TestData.shared("qvhighlights/standalone_eval/sample_val_preds.jsonl"),
        against: dataset.samples, evaluationProtocol: .qvhighlights)
    #expect(report.predictionCounts == PredictionCounts(matched: 1550, missing: 0))
    let metrics = try #require(report.qvHighlights)
    var ours: [String: Double] = [:]
    for range in try #require(metrics.momentRetrieval) {
        for value in range.meanAveragePrecision {
            ours["\(range.range.rawValue)/MR-mAP/\(value.iouThreshold)"] = value.percent
        }
        ours["\(range.range.rawValue)/MR-mAP/average"] = range.averageMeanAveragePrecisionPercent
        for value in range.recallAtOne {
            ours["\(range.range.rawValue)/MR-R1/\(value.iouThreshold)"] = value.percent
        }
        ours["brief/MR-\(range.range.rawValue)-mAP"] = range.averageMeanAveragePrecisionPercent
    }
    let full = try #require(metrics.momentRetrieval(.full))
    ours["brief/MR-full-mAP@0.5"] = full.meanAveragePrecision(iouThreshold: 0.5)
    ours["brief/MR-full-mAP@0.75"] = full.meanAveragePrecision(iouThreshold: 0.75)
    ours["brief/MR-full-R1@0.5"] = full.recallAtOne(iouThreshold: 0.5)
    ours["brief/MR-full-R1@0.7"] = full.recallAtOne(iouThreshold: 0.7)
    for highlight in try #require(metrics.highlights) {
        let name = "HL-min-\(highlight.level.rawValue)"
        ours["\(name)/HL-mAP"] = highlight.meanAveragePrecisionPercent
        ours["\(name)/HL-Hit1"] = highlight.hitAtOnePercent
        ours["brief/\(name)-mAP"] = highlight.meanAveragePrecisionPercent
        ours["brief/\(name)-Hit1"] = highlight.hitAtOnePercent
    }
    let golden = try goldenFigures()
    #expect(golden.count == 104)
    for (path, expected) in golden.sorted(by: { $0.key < $1.key }) {
        let value = try #require(ours[path], "no figure for \(path)")
        #expect(String(format: "%.2f", value) == String(format: "%.2f", expected), "\(path)")
    }
}

@Test func reportEncodesTypedJSON() throws {
    let sample = GroundingSample(
        queryID: 0, videoID: "v", durationSeconds: 10, query: "q",
        targets: [TimeSpan(startSeconds: 0, endSeconds: 5)])
    let report = MetricsReport.evaluate(
        samples: [sample], windows: [[ScoredSpan(startSeconds: 0, endSeconds: 5, score: 1)]],
        evaluationProtocol: .vslnet, dataset: .charadesSTA, split: "test")
    let data = try JSONEncoder().encode(report)
    let decoded = try JSONDecoder().decode(MetricsReport.self, from: data)
    #expect(decoded == report)
    #expect(decoded.recall?.percent(rank: 1, iouThreshold: 0.7) == 100)
    #expect(String(decoding: data, as: UTF8.self).contains("\"evaluationProtocol\":\"vslnet\""))
}
