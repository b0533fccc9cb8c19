import Foundation
import Testing

@testable import Grounding

@Suite struct PretrainingChanceCheckTests {
    static func record(heldOut: Double, retrieval: Double, candidates: Int = 16)
        -> PretrainingEpochRecord
    {
        PretrainingEpochRecord(
            epoch: 3, trainingLoss: 0.7, clipMatchingLoss: 0, trainingAccuracy: 50,
            heldOutLoss: 0.69, heldOutAccuracy: heldOut, retrievalAccuracy: retrieval,
            retrievalCandidates: candidates, trainingSeconds: 1, evaluationSeconds: 1,
            pairsPerSecond: 100, learningRate: 1e-3)
    }

    @Test func aBackboneAtChanceOnBothFiguresIsFlagged() {
        // The CLIP-text backbone of a random tower: 50.3 % matching, 7.0 % R@1 among 16.
        let check = PretrainingChanceCheck(
            seed: 1, backbone: "pretrain-violet-clip-text",
            record: Self.record(heldOut: 50.3, retrieval: 7.0))
        #expect(check.isAtChance)
        #expect(check.retrievalChance == 6.25)
    }

    @Test func aBackboneThatLearnedEitherFigureIsNotFlagged() {
        // The study's MiniLM backbone: 99.1 % matching, 89.7 % R@1.
        #expect(
            !PretrainingChanceCheck(
                seed: 1, backbone: "pretrain-violet", record: Self.record(heldOut: 99.1, retrieval: 89.7)
            ).isAtChance)
        // Matching at chance but retrieval at 3× chance: it learned to rank.
        #expect(
            !PretrainingChanceCheck(
                seed: 1, backbone: "b", record: Self.record(heldOut: 52, retrieval: 18.75)
            ).isAtChance)
        // Retrieval at chance but matching at 75 %.
        #expect(
            !PretrainingChanceCheck(seed: 1, backbone: "b", record: Self.record(heldOut: 75, retrieval: 6))
                .isAtChance)
    }

    @Test func theLimitsAreInclusive() {
        let limit = PretrainingChanceCheck.matchingAccuracyLimit
        let retrieval = PretrainingChanceCheck.retrievalChanceMultiple * 100 / 16
        #expect(
            PretrainingChanceCheck(
                seed: 1, backbone: "b", record: Self.record(heldOut: limit, retrieval: retrieval)
            ).isAtChance)
        #expect(
            !PretrainingChanceCheck(
                seed: 1, backbone: "b",
                record: Self.record(heldOut: limit.nextUp, retrieval: retrieval)
            ).isAtChance)
    }

    @Test func aSummaryIsCheckedAtItsLastEpoch() {
        let summary = PretrainingSummary(
            epochs: [Self.record(heldOut: 50, retrieval: 6), Self.record(heldOut: 90, retrieval: 60)],
            backbone: URL(fileURLWithPath: "/tmp/b/backbone.safetensors"), trainableParameters: 1,
            backboneBytes: 1)
        #expect(summary.chanceCheck(seed: 2, backbone: "x")?.isAtChance == false)
        #expect(summary.chanceCheck(seed: 2, backbone: "x")?.seed == 2)
        let empty = PretrainingSummary(
            epochs: [], backbone: summary.backbone, trainableParameters: 1, backboneBytes: 1)
        #expect(empty.chanceCheck(seed: 2, backbone: "x") == nil)
    }
}
