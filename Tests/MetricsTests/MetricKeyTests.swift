import Datasets
import Foundation
import Testing
import VTGCore

@testable import Metrics

@Suite struct MetricKeyTests {
    @Test func shortNamesParseAndPrintBack() {
        let names = ["R1@0.5", "R5@0.7", "R1@0.1", "mIoU", "mAP", "mAP@0.75", "HIT@1"]
        for name in names {
            #expect(MetricKey(name)?.description == name, "\(name)")
        }
        #expect(MetricKey("R1@0.5") == .recallAtOne(iouThreshold: 0.5))
        #expect(MetricKey("R5@0.3") == .recall(rank: 5, iouThreshold: 0.3))
        #expect(MetricKey("mAP@0.5") == .meanAveragePrecisionAt(iouThreshold: 0.5))
        for invalid in ["", "R0@0.5", "R1@0", "R1@1.5", "R@0.5", "Rx@0.5", "R1", "miou", "HIT@5"] {
            #expect(MetricKey(invalid) == nil, "\(invalid)")
        }
    }

    @Test func storedAsTheShortNameSoOldRunsDecode() throws {
        let encoded = try JSONEncoder().encode([MetricKey.recallAtOne(iouThreshold: 0.5)])
        #expect(String(decoding: encoded, as: UTF8.self) == #"["R1@0.5"]"#)
        let decoded = try JSONDecoder().decode([MetricKey].self, from: Data(#"["mIoU"]"#.utf8))
        #expect(decoded == [.meanIoU])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([MetricKey].self, from: Data(#"["R9"]"#.utf8))
        }
    }

    @Test func looksUpRecallAndQVHighlightsFigures() {
        let sample = GroundingSample(
            queryID: 0, videoID: "v", durationSeconds: 10, query: "q",
            targets: [TimeSpan(startSeconds: 0, endSeconds: 5)])
        // IoU of [0, 4] with [0, 5] is 0.8: a hit at 0.5 and 0.7, a miss above.
        let windows = [[ScoredSpan(startSeconds: 0, endSeconds: 4, score: 1)]]
        let recall = MetricsReport.evaluate(
            samples: [sample], windows: windows, evaluationProtocol: .twoDTAN)
        #expect(recall.value(.recallAtOne(iouThreshold: 0.7)) == 100)
        #expect(recall.value(.recall(rank: 5, iouThreshold: 0.5)) == 100)
        #expect(abs((recall.value(.meanIoU) ?? 0) - 80) < 1e-9)
        #expect(recall.value(.meanAveragePrecision) == nil)
        #expect(recall.value(.hitAtOne) == nil)
        let qv = MetricsReport.evaluate(
            samples: [sample], windows: windows, evaluationProtocol: .qvhighlights)
        // R@1 falls back to QVHighlights' full-range R1; other ranks and mIoU do not exist.
        #expect(qv.value(.recallAtOne(iouThreshold: 0.7)) == 100)
        #expect(qv.value(.recallAtOne(iouThreshold: 0.9)) == 0)
        #expect(qv.value(.recall(rank: 5, iouThreshold: 0.5)) == nil)
        #expect(qv.value(.meanIoU) == nil)
        #expect(qv.value(.meanAveragePrecisionAt(iouThreshold: 0.5)) == 100)
        #expect(qv.value(.meanAveragePrecision) != nil)
        // No clip scores were given, so there is no highlight figure.
        #expect(qv.value(.hitAtOne) == nil)
    }
}
