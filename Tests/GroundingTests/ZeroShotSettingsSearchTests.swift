import Datasets
import Foundation
import Metrics
import TestSupport
import Testing
import VTGCore

@testable import Grounding

@Suite struct ZeroShotSettingsSearchTests {
    @Test func theSettingsSearchUsesTheTrainingSplitAndKeepsItsBest() throws {
        let (directory, store) = try PlantedMoments.writtenDataset(
            trainVideos: 10, validationVideos: 2)
        let grounder = try ZeroShotGrounder(
            embedder: SignatureEmbedder(), settings: .init(topK: 3))
        let search = try grounder.searchSettings(
            dataset: .qvHighlights, annotationsDirectory: directory.url, featureStore: store,
            evaluationProtocol: .vslnet)
        #expect(search.split == "train")
        #expect(search.queryCount == 20)
        let grid =
            ZeroShotSettingsSearch.smoothingGrid.count
            * ZeroShotSettingsSearch.thresholdGrid.count
            * ZeroShotSettingsSearch.lengthPriorWeights.count
        #expect(search.trials.count == grid)
        let bestValue = try #require(search.trials.map(\.value).max())
        let best = try #require(search.trials.first { $0.settings == search.best })
        #expect(best.value == bestValue)
        // The base's other settings are kept.
        #expect(search.trials.allSatisfy { $0.settings.topK == 3 && $0.settings.clipSeconds == 2 })
        // Moments of 3 to 8 clips in 32: the prior prefers the median fraction.
        let fraction = try #require(search.trials.compactMap(\.settings.lengthPrior).first)
        #expect(fraction.preferredFraction >= 3.0 / 32 && fraction.preferredFraction <= 8.0 / 32)
    }

    @Test func theMedianMomentFractionIgnoresSamplesWithoutMoments() {
        func sample(_ length: Double?) -> GroundingSample {
            GroundingSample(
                queryID: 0, videoID: "v", durationSeconds: 100, query: "q",
                targets: length.map { [TimeSpan(startSeconds: 0, endSeconds: $0)] } ?? [])
        }
        let samples = [sample(10), sample(nil), sample(30), sample(20)]
        #expect(ZeroShotSettingsSearch.medianMomentFraction(samples) == 0.2)
        #expect(ZeroShotSettingsSearch.medianMomentFraction([sample(nil)]) == 1)
    }
}
