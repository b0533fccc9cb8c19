import Foundation
import TestSupport
import Testing

@testable import Datasets

@Test func qvhighlightsReadsWindowsAndSaliency() throws {
    let directory = try TestData.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try TestData.write(
        #"{"qid": 9, "query": "A girl cooks.", "duration": 150, "vid": "abc_60.0_210.0", "#
            + #""relevant_clip_ids": [41, 42], "saliency_scores": [[1, 1, 2], [4, 2, 2]], "#
            + #""relevant_windows": [[82, 86], [100, 104]]}"# + "\n"
            + "{not json}\n"
            + #"{"query": "no qid", "duration": 150, "vid": "x"}"# + "\n",
        to: "highlight_val_release.jsonl", in: directory)
    let dataset = try GroundingDataset.load(.qvHighlights, split: "val", from: directory)
    #expect(dataset.samples.count == 1)
    let sample = try #require(dataset.samples.first)
    #expect(sample.queryID == 9)
    #expect(sample.targets.count == 2)
    #expect(sample.saliency?.clipIndices == [41, 42])
    #expect(sample.saliency?.annotatorScores[1] == [4, 2, 2])
    #expect(dataset.anomalies.count(of: .malformedRecord) == 2)
}

/// SOURCES.md: the test release has the 1,542 qids of highlight_test_with_gt.jsonl, without
/// ground truth. metric-protocols.md: at >= VeryGood only 70.3 % (val) / 70.6 % (test) of the
/// (query, annotator) pairs have a positive clip.
@Test func realQVHighlightsSplits() throws {
    let directory = TestData.shared("qvhighlights")
    let test = try GroundingDataset.load(.qvHighlights, split: "test", from: directory)
    let withTruth = try GroundingDataset.load(.qvHighlights, split: "test_with_gt", from: directory)
    #expect(test.samples.count == 1542)
    #expect(Set(test.samples.map(\.queryID)) == Set(withTruth.samples.map(\.queryID)))
    #expect(test.samples.allSatisfy { $0.targets.isEmpty && $0.saliency == nil })
    let val = try GroundingDataset.load(.qvHighlights, split: "val", from: directory)
    for (dataset, expectedPercent) in [(val, 70.3), (withTruth, 70.6)] {
        var pairs = 0
        var pairsWithPositive = 0
        for sample in dataset.samples {
            let saliency = try #require(sample.saliency)
            for annotator in 0..<saliency.annotatorCount {
                pairs += 1
                if saliency.annotatorScores.contains(where: { $0[annotator] >= 4 }) {
                    pairsWithPositive += 1
                }
            }
        }
        let percent = 100 * Double(pairsWithPositive) / Double(pairs)
        #expect(abs(percent - expectedPercent) < 0.05, "\(dataset.split): \(percent)")
    }
}
