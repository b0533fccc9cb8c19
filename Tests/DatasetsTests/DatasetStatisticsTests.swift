import Foundation
import TestSupport
import Testing
import VTGCore

@testable import Datasets

@Test func wordsAreLowerCasedRunsOfLettersDigitsAndApostrophes() {
    #expect(
        SplitStatistics.words(of: "The person's T-shirt, 2 CAFÉS!") == [
            "the", "person's", "t", "shirt", "2", "cafés",
        ])
}

@Test func statisticsOfASmallSplit() {
    let samples = [
        GroundingSample(
            queryID: 0, videoID: "a", durationSeconds: 20, query: "open the door",
            targets: [TimeSpan(startSeconds: 0, endSeconds: 10)]),
        GroundingSample(
            queryID: 1, videoID: "a", durationSeconds: 20, query: "close the door",
            targets: [TimeSpan(startSeconds: 10, endSeconds: 15)]),
        GroundingSample(
            queryID: 2, videoID: "b", durationSeconds: 40, query: "Open it",
            targets: [
                TimeSpan(startSeconds: 0, endSeconds: 4), TimeSpan(startSeconds: 8, endSeconds: 12),
            ]),
    ]
    let dataset = GroundingDataset(
        name: .qvHighlights, split: "val", annotationFile: URL(fileURLWithPath: "/x"),
        samples: samples)
    let statistics = SplitStatistics.compute(for: dataset, videosElsewhere: ["b", "c"])
    #expect(statistics.videoCount == 2)
    #expect(statistics.queryCount == 3)
    #expect(statistics.momentCount == 4)
    #expect(statistics.meanVideoDurationSeconds == 30)
    #expect(statistics.meanMomentLengthSeconds == 23.0 / 4)
    #expect(abs(statistics.meanMomentFractionOfDuration - (0.5 + 0.25 + 0.1 + 0.1) / 4) < 1e-12)
    #expect(abs(statistics.meanQueryWordCount - 8.0 / 3) < 1e-12)
    #expect(statistics.vocabularySize == 5)
    #expect(statistics.videosSharedWithOtherSplits == 1)
    #expect(SplitStatistics.markdownTable([statistics]).contains("| val | 2 | 3 | 4 | 30.00 |"))
}

/// What `vtg stats` reports for the real files. Figures stated in shared/data/SOURCES.md (or in
/// shared/notes/metric-protocols.md, shared/BASELINES.md) are marked; the others were measured and
/// are documented in Docs/datasets.md.
@Test(arguments: [
    // SOURCES.md: 4 inverted train lines (dropped); BASELINES.md: 3,720 test queries.
    ("charades_sta", DatasetName.charadesSTA, [("train", 5336, 12404), ("test", 1334, 3720)]),
    // Both ActivityNet copies: 4 train pairs with start >= end dropped (metric-protocols.md).
    (
        "activitynet_captions/2d-tan", .activityNet,
        [("train", 10009, 37417), ("val", 4917, 17505), ("test", 4885, 17031)]
    ),
    (
        "activitynet_captions/vslnet", .activityNet,
        [("train", 10009, 37417), ("val_1", 4917, 17505), ("val_2", 4885, 17031)]
    ),
    ("tacos", .tacos, [("train", 75, 9790), ("val", 27, 4436), ("test", 25, 4001)]),
    // SOURCES.md: the test release and test_with_gt have the same 1,542 qids.
    (
        "qvhighlights", .qvHighlights,
        [
            ("train", 7100, 7218), ("val", 1519, 1550), ("test", 1529, 1542),
            ("test_with_gt", 1529, 1542),
        ]
    ),
])
func realDatasetStatistics(directory: String, name: DatasetName, expected: [(String, Int, Int)])
    throws
{
    let splits = try GroundingDataset.loadAll(name, from: TestData.shared(directory))
    let statistics = SplitStatistics.compute(for: splits)
    #expect(statistics.map(\.split) == expected.map(\.0))
    #expect(statistics.map(\.videoCount) == expected.map(\.1))
    #expect(statistics.map(\.queryCount) == expected.map(\.2))
    switch name {
    case .charadesSTA:
        #expect(statistics[0].anomalies.count(of: .startAfterEnd) == 4)
        #expect(statistics.map { $0.anomalies.count(with: .dropped) } == [4, 0])
    case .activityNet:
        #expect(statistics[0].anomalies.count(with: .dropped) == 4)
        // val_1 and val_2 (2D-TAN val and test) share all 4,885 videos of val_2.
        #expect(statistics.map(\.videosSharedWithOtherSplits) == [0, 4885, 4885])
    case .tacos:
        #expect(statistics.map { $0.anomalies.count(of: .duplicate) } == [1206, 517, 572])
    case .qvHighlights:
        #expect(statistics.map(\.momentCount) == [12803, 2803, 0, 2761])
    }
}
