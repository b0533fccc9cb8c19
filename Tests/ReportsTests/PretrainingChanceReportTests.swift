import Foundation
import Testing

@testable import Grounding
@testable import Reports

@Suite struct PretrainingChanceReportTests {
    static func check(_ seed: UInt64, _ backbone: String, heldOut: Double, retrieval: Double)
        -> PretrainingChanceCheck
    {
        PretrainingChanceCheck(
            seed: seed, backbone: backbone,
            record: PretrainingEpochRecord(
                epoch: 1, trainingLoss: 0.7, clipMatchingLoss: 0, trainingAccuracy: 50,
                heldOutLoss: 0.69, heldOutAccuracy: heldOut, retrievalAccuracy: retrieval,
                retrievalCandidates: 16, trainingSeconds: 1, evaluationSeconds: 1,
                pairsPerSecond: 1, learningRate: 1e-3))
    }

    @Test func oneSentencePerBackboneAtChanceNamingItsSeedsAndWorstFigures() {
        let checks = [
            Self.check(1, "pretrain-violet", heldOut: 99, retrieval: 90),
            Self.check(1, "clip", heldOut: 51.2, retrieval: 7),
            Self.check(2, "pretrain-violet", heldOut: 98, retrieval: 88),
            Self.check(2, "clip", heldOut: 48.5, retrieval: 6),
        ]
        let sentences = PretrainingChanceReport.sentences(checks) { "[\($0)]" }
        #expect(sentences.count == 1)
        #expect(
            sentences.first?.hasPrefix(
                "The VTM pretraining of [clip] stayed at chance on seed(s) 1, 2 (held-out matching "
                    + "accuracy 48.5 % (chance 50 %), retrieval R@1 6.0 % among 16 (chance 6.2 %)): "
                    + "the grounding runs built on it cannot read the query") == true)
    }

    @Test func noSentenceWhenEveryBackboneLearned() {
        let checks = [Self.check(1, "pretrain-violet", heldOut: 99, retrieval: 90)]
        #expect(PretrainingChanceReport.sentences(checks) { $0 }.isEmpty)
        #expect(PretrainingChanceReport.sentences([]) { $0 }.isEmpty)
    }

    @Test func thePretrainingSummaryWarnsOnlyAtChance() {
        func summary(_ heldOut: Double, _ retrieval: Double) -> PretrainingSummary {
            PretrainingSummary(
                epochs: [
                    PretrainingEpochRecord(
                        epoch: 0, trainingLoss: 0.7, clipMatchingLoss: 0, trainingAccuracy: 50,
                        heldOutLoss: 0.69, heldOutAccuracy: heldOut, retrievalAccuracy: retrieval,
                        retrievalCandidates: 16, trainingSeconds: 1, evaluationSeconds: 1,
                        pairsPerSecond: 1, learningRate: 1e-3)
                ],
                backbone: URL(fileURLWithPath: "/tmp/b/backbone.safetensors"),
                trainableParameters: 10, backboneBytes: 100)
        }
        #expect(PretrainingChanceReport.warning(summary(99, 90)) == nil)
        #expect(!GroundingReport.pretrainingSummary(summary(99, 90)).contains("warning"))
        let text = GroundingReport.pretrainingSummary(summary(50, 6))
        #expect(text.contains("\nwarning: this backbone stayed at chance (held-out matching"))
    }
}
