import Datasets
import Foundation
import Testing
import VTGCore

@testable import Grounding

/// Samples of `videoCount` videos, three queries each.
private func samples(videoCount: Int) -> [GroundingSample] {
    (0..<videoCount).flatMap { video in
        (0..<3).map { query in
            GroundingSample(
                queryID: video * 3 + query, videoID: "video\(video)", durationSeconds: 30,
                query: "query \(query) of \(video)",
                targets: [TimeSpan(startSeconds: 1, endSeconds: 5)])
        }
    }
}

@Suite struct ValidationSplitTests {
    @Test func theCarvedSplitIsVideoDisjointAndCoversEverySample() {
        let all = samples(videoCount: 40)
        let carved = ValidationSplit().carve(all)
        let trainingVideos = Set(carved.training.map(\.videoID))
        let validationVideos = Set(carved.validation.map(\.videoID))
        #expect(trainingVideos.isDisjoint(with: validationVideos))
        #expect(validationVideos.count == 4)  // 10 % of 40 videos
        #expect(carved.training.count + carved.validation.count == all.count)
        // Both parts keep the file order.
        #expect(carved.training.map(\.queryID) == carved.training.map(\.queryID).sorted())
        #expect(carved.validation.map(\.queryID) == carved.validation.map(\.queryID).sorted())
    }

    @Test func theSameSamplesGiveTheSameSplitWhateverTheirOrder() {
        let all = samples(videoCount: 25)
        let first = ValidationSplit().carve(all)
        let again = ValidationSplit().carve(all.reversed())
        #expect(
            first.validation.map(\.queryID)
                == ValidationSplit().carve(all).validation.map(\.queryID))
        #expect(Set(first.validation.map(\.videoID)) == Set(again.validation.map(\.videoID)))
        let otherSeed = ValidationSplit(seed: 99).carve(all)
        #expect(Set(otherSeed.validation.map(\.videoID)) != Set(first.validation.map(\.videoID)))
    }

    @Test func atLeastOneVideoOnEachSide() {
        #expect(ValidationSplit(fraction: 0.01).carve(samples(videoCount: 5)).validation.count == 3)
        let tiny = ValidationSplit(fraction: 0.99).carve(samples(videoCount: 2))
        #expect(Set(tiny.training.map(\.videoID)).count == 1)
        #expect(ValidationSplit().carve(samples(videoCount: 1)).validation.isEmpty)
    }

    @Test func anOfficialValidationSplitIsUsedWhenTheBenchmarkHasOne() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "promptvtg-validation-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for split in ["train", "val", "test"] {
            try Data("{}".utf8).write(
                to: DatasetName.tacos.annotationFile(split: split, in: directory))
        }
        let tacos = ValidationSplit.choose(
            for: .tacos, in: directory, evaluationSplit: "test", fraction: 0.1)
        #expect(tacos.officialSplit == "val")
        let charades = ValidationSplit.choose(
            for: .charadesSTA, in: directory, evaluationSplit: "test", fraction: 0.1)
        #expect(charades.officialSplit == nil)
    }
}

@Suite struct EarlyStoppingTests {
    /// The epoch (from 0) after which a run stops on a scripted sequence of selection metrics,
    /// as `GroundingTrainer.record` marks improvements (strictly above the best so far).
    func stoppingEpoch(_ metrics: [Double], patience: Int) -> Int? {
        var best = -Double.infinity
        var improvements: [Bool] = []
        for (epoch, value) in metrics.enumerated() {
            improvements.append(value > best)
            best = max(best, value)
            if EarlyStopping(patience: patience).shouldStop(improvements: improvements) {
                return epoch
            }
        }
        return nil
    }

    @Test func stopsAfterPatienceEpochsWithoutImprovement() {
        // Best at epoch 2 (0.6); 3, 4 and 5 do not beat it: stop after epoch 5.
        #expect(stoppingEpoch([0.3, 0.5, 0.6, 0.55, 0.6, 0.59, 0.7], patience: 3) == 5)
        #expect(stoppingEpoch([0.3, 0.5, 0.6, 0.55, 0.6, 0.59, 0.7], patience: 1) == 3)
        #expect(stoppingEpoch([0.1, 0.2, 0.3, 0.4], patience: 1) == nil)
    }
}
