import Datasets
import Foundation
import NeuralNet
import Tensors
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

    /// Queries about one video share its encoding in an evaluation batch
    /// (`GroundingBatch.sameVideoRows`): the same bits as encoding every row.
    @Test func queriesOfOneVideoShareItsEncodingBitForBit() throws {
        let directory = try TemporaryDirectory(label: "same-video")
        let (run, runURL) = try trainedTinyRun(in: directory.url, epochs: 1)
        let grounder = try Grounder(runDirectory: runURL, encoder: HashedWordEncoder())
        let test = try GroundingDataset.load(
            .charadesSTA, split: "test", from: URL(fileURLWithPath: run.annotationsPath))
        // Resampled to the model's clips, so that one batch holds every test query.
        let batches = GroundingBatchBuilder(
            featureStore: try run.makeFeatureStore(),
            cache: QueryStateCache(encoder: HashedWordEncoder()))
        let batch = try batches.batch(of: test.samples)
        let groups = try #require(batch.sameVideoRows())
        #expect(groups.representatives.count == Set(test.samples.map(\.videoID)).count)
        #expect(groups.representatives.count < test.samples.count)
        for (row, group) in groups.groupOfRow.enumerated() {
            let representative = test.samples[groups.representatives[group]]
            #expect(representative.videoID == test.samples[row].videoID)
        }
        var context = ForwardContext.evaluation
        let model = grounder.network.model
        let shared = withGradientsDisabled { model.encodeVideo(batch, context: &context) }
        let everyRow = withGradientsDisabled {
            model.encodeVideo(
                clipFeatures: batch.clipFeatures, clipMask: batch.clipMask,
                firstClipPositions: nil, context: &context)
        }
        #expect(shared.scalars == everyRow.scalars)
    }

    @Test func aMomentInAVideoTenWindowsLongIsFoundByWindowsWherePoolingLosesIt() throws {
        let directory = try TemporaryDirectory(label: "long-video")
        let grounder = try Grounder(
            runDirectory: PlantedMoments.trainedRun(in: directory.url),
            encoder: HashedWordEncoder())
        // 320 clips (640 s): ten windows of the model's 32 clips. The queried moment covers
        // clips 150…155 (300–312 s); the other query's moment is a distractor at 60…67.
        var generator = SeededGenerator(seed: 97)
        let clips = 10 * PlantedMoments.clipsPerVideo
        let long = PlantedMoments.features(
            clipCount: clips, moments: [(0, 150..<156), (1, 60..<68)], using: &generator)
        let duration = Double(clips) * PlantedMoments.clipSeconds
        let truth = TimeSpan(startSeconds: 300, endSeconds: 312)
        let query = PlantedMoments.queries[0]

        let windowed = try grounder.ground(
            features: long, durationSeconds: duration, queries: [query], topK: 5)[0]
        let best = try #require(windowed.spans.first)
        #expect(best.span.intersectionOverUnion(with: truth) >= 0.7, "best span \(best.span)")
        #expect(windowed.startProbabilities.count == clips)
        #expect(
            windowed.spans.allSatisfy {
                $0.span.startSeconds >= 0 && $0.span.endSeconds <= duration
            })

        // Average pooling to 32 clips (what grounding did before): each pooled clip is 20 s and
        // the moment's signature is diluted; the best span cannot match the 12-second moment.
        let pooled = TemporalResampling.averagePooling.resample(
            long, maxClips: PlantedMoments.clipsPerVideo)
        let coarse = try grounder.ground(
            features: pooled, durationSeconds: duration, queries: [query], topK: 5)[0]
        let coarseBest = try #require(coarse.spans.first)
        #expect(
            coarseBest.span.intersectionOverUnion(with: truth) < 0.7, "pooled \(coarseBest.span)")
    }

    @Test func aStrideOutsideTheWindowIsRefusedNamingTheInput() throws {
        let directory = try TemporaryDirectory(label: "stride")
        let (_, runURL) = try trainedTinyRun(in: directory.url, epochs: 1)
        let grounder = try Grounder(runDirectory: runURL, encoder: HashedWordEncoder())
        for stride in [0, grounder.run.model.maxClips + 1] {
            #expect(throws: GroundingError.self) { try grounder.validate(windowStride: stride) }
        }
        try grounder.validate(windowStride: grounder.run.model.maxClips)
        try grounder.validate(windowStride: nil)
    }
}
