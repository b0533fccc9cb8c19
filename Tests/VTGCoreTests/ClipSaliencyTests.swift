import Testing
import VTGCore

@Test func clipSaliencyCountsAnnotators() {
    let saliency = ClipSaliency(
        clipDurationSeconds: 2, clipIndices: [3, 4], annotatorScores: [[1, 2, 3], [4, 4, 4]])
    #expect(saliency.annotatorCount == 3)
    #expect(
        ClipSaliency(clipDurationSeconds: 2, clipIndices: [], annotatorScores: []).annotatorCount
            == 0)
}
