import Datasets
import Foundation
import Metrics
import TestSupport
import Testing
import VTGCore

@testable import Grounding

@Suite struct ZeroShotGrounderEvaluationTests {
    @Test func evaluationScoresASplitAndWritesSaliency() throws {
        let (directory, store) = try PlantedMoments.writtenDataset(
            trainVideos: 20, validationVideos: 12)
        let grounder = try ZeroShotGrounder(embedder: SignatureEmbedder())
        let evaluation = try grounder.evaluate(
            dataset: .qvHighlights, split: "val", annotationsDirectory: directory.url,
            featureStore: store, evaluationProtocol: .vslnet)
        #expect(evaluation.report.queryCount == 24)
        // Signatures of norm 3 over noise of 0.5 a dimension: the moments stand out clearly.
        let recall = try #require(evaluation.report.value(.recallAtOne(iouThreshold: 0.5)))
        #expect(recall >= 75)
        #expect(evaluation.predictions.count == 24)
        #expect(evaluation.predictions.allSatisfy { $0.clipScores?.count == 32 })
    }
}
