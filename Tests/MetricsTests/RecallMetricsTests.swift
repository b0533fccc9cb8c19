import Datasets
import Metrics
import Testing
import VTGCore

private func sample(_ start: Double, _ end: Double, duration: Double = 30) -> GroundingSample {
    GroundingSample(
        queryID: 0, videoID: "v", durationSeconds: duration, query: "q",
        targets: [TimeSpan(startSeconds: start, endSeconds: end)])
}

private func window(_ start: Double, _ end: Double, _ score: Double = 1) -> ScoredSpan {
    ScoredSpan(startSeconds: start, endSeconds: end, score: score)
}

@Test func vslnetCountsEqualityAsAHitAnd2DTANDoesNot() {
    // Hull IoU of [0, 5] with [0, 10] is exactly 0.5.
    let samples = [sample(0, 10)]
    let windows = [[window(0, 5)]]
    let vslnet = RecallMetrics.compute(
        samples: samples, windows: windows, evaluationProtocol: .vslnet)
    let twoDTAN = RecallMetrics.compute(
        samples: samples, windows: windows, evaluationProtocol: .twoDTAN)
    #expect(vslnet.percent(rank: 1, iouThreshold: 0.5) == 100)
    #expect(twoDTAN.percent(rank: 1, iouThreshold: 0.5) == 0)
    #expect(vslnet.percent(rank: 5, iouThreshold: 0.5) == nil)
    #expect(vslnet.meanIoUPercent == 50 && twoDTAN.meanIoUPercent == 50)
}

@Test func queryWithoutPredictionIsAMissNotACrash() {
    let metrics = RecallMetrics.compute(
        samples: [sample(0, 10), sample(0, 10)], windows: [[window(0, 10)], []],
        evaluationProtocol: .twoDTAN)
    #expect(metrics.queryCount == 2)
    #expect(metrics.percent(rank: 1, iouThreshold: 0.7) == 50)
    #expect(metrics.percent(rank: 5, iouThreshold: 0.1) == 50)
    #expect(metrics.meanIoUPercent == 50)
}

@Test func zeroLengthAndPastDurationPredictions() {
    let metrics = RecallMetrics.compute(
        samples: [sample(0, 10), sample(20, 30)],
        windows: [[window(5, 5)], [window(25, 40)]], evaluationProtocol: .vslnet)
    // [5, 5] scores IoU 0; [25, 40] against [20, 30] in a 30 s video: 5 / 20 = 0.25, unclipped.
    #expect(metrics.percent(rank: 1, iouThreshold: 0.1) == 50)
    #expect(metrics.percent(rank: 1, iouThreshold: 0.3) == 0)
    #expect(metrics.meanIoUPercent == 12.5)
}

@Test func tiedScoresTakeTheFirstWindow() {
    let samples = [sample(0, 10)]
    let first = RecallMetrics.compute(
        samples: samples, windows: [[window(0, 10, 0.5), window(20, 30, 0.5)]],
        evaluationProtocol: .vslnet)
    let second = RecallMetrics.compute(
        samples: samples, windows: [[window(20, 30, 0.5), window(0, 10, 0.5)]],
        evaluationProtocol: .vslnet)
    #expect(first.meanIoUPercent == 100)
    #expect(second.meanIoUPercent == 0)
}

@Test func recallAtFiveLooksPastSuppressedWindows() {
    let windows = [
        [
            window(0, 10, 0.9),  // wrong
            window(1, 10, 0.8),  // suppressed by the first (IoU 0.9)
            window(20, 29, 0.7),  // right (IoU 0.9 with [20, 30]); second of the kept windows
        ]
    ]
    let metrics = RecallMetrics.compute(
        samples: [sample(20, 30)], windows: windows, evaluationProtocol: .twoDTAN)
    #expect(metrics.percent(rank: 1, iouThreshold: 0.5) == 0)
    #expect(metrics.percent(rank: 5, iouThreshold: 0.7) == 100)
}

@Test func severalTargetsUseTheBestMatch() {
    let multi = GroundingSample(
        queryID: 0, videoID: "v", durationSeconds: 150, query: "q",
        targets: [
            TimeSpan(startSeconds: 0, endSeconds: 10), TimeSpan(startSeconds: 50, endSeconds: 60),
        ])
    let metrics = RecallMetrics.compute(
        samples: [multi], windows: [[window(50, 60)]], evaluationProtocol: .vslnet)
    #expect(metrics.percent(rank: 1, iouThreshold: 0.7) == 100)
}
