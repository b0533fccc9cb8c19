import Datasets
import Foundation
import TestSupport
import Testing
import VTGCore

@testable import Grounding

@Suite struct GroundingPredictionTests {
    @Test func groundingAndEvaluationAreOnePath() throws {
        let directory = try TemporaryDirectory(label: "grounding")
        let (run, runURL) = try trainedTinyRun(in: directory.url, epochs: 1)
        let grounder = try Grounder(runDirectory: runURL, encoder: HashedWordEncoder())
        let test = try GroundingDataset.load(
            .charadesSTA, split: "test", from: URL(fileURLWithPath: run.annotationsPath))
        let cache = QueryStateCache(encoder: HashedWordEncoder())
        let batches = GroundingBatchBuilder(
            featureStore: try run.makeFeatureStore(resampled: false), cache: cache)
        let predictions = try grounder.network.predict(test.samples, batches: batches, topK: 3)
        #expect(predictions.map(\.sample) == test.samples)
        #expect(predictions.allSatisfy { $0.spans.count == 3 })

        // `vtg eval`: the same spans, top 5.
        let evaluation = try grounder.evaluate()
        let five = try grounder.network.predict(test.samples, batches: batches)
        #expect(evaluation.predictions.map(\.windows) == five.map(\.spans))
        #expect(zip(five, predictions).allSatisfy { Array($0.spans.prefix(3)) == $1.spans })

        // `vtg ground` on one sample's video file: the same probabilities and spans.
        let sample = test.samples[0]
        let features = try grounder.loadFeatures(
            path: run.features.file(forVideo: sample.videoID).path)
        let grounded = try grounder.ground(
            features: features, durationSeconds: sample.durationSeconds, queries: [sample.query],
            topK: 3)
        let single = try grounder.network.predict([sample], batches: batches, topK: 3)[0]
        #expect(grounded[0].spans == single.spans)
        #expect(grounded[0].startProbabilities == single.probabilities.start)
        #expect(grounded[0].insideProbabilities == single.probabilities.inside)
    }

}
