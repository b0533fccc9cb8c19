import Datasets
import Foundation
import Metrics
import NeuralNet
import Tensors

/// Runs a model over samples in evaluation mode and scores its predictions.
public struct GroundingEvaluator {
    /// Produces per-clip probabilities for a batch (the model, or an ensemble of prompts).
    public typealias Forward = (GroundingBatch) -> [SpanProbabilities]

    public let featureStore: FeatureStore
    public let cache: QueryStateCache
    public let batchSize: Int

    public init(featureStore: FeatureStore, cache: QueryStateCache, batchSize: Int = 32) {
        self.featureStore = featureStore
        self.cache = cache
        self.batchSize = batchSize
    }

    /// The padded batch of `samples` (features from the store, states from the cache).
    public func batch(of samples: [GroundingSample], insideExtension: Double = 0) throws
        -> GroundingBatch
    {
        var features: [ClipFeatures] = []
        var states: [QueryStates] = []
        for sample in samples {
            do {
                features.append(try featureStore.features(forVideo: sample.videoID))
            } catch {
                throw GroundingError.invalidInput("query \(sample.queryID): \(error)")
            }
            states.append(try cache.states(of: sample.query))
        }
        return GroundingBatch(samples: samples, features: features, states: states,
            insideExtension: insideExtension)
    }

    /// The probabilities of every sample, in order, computed without a tape.
    public func probabilities(
        of samples: [GroundingSample], progress: (any ProgressReporting)? = nil, forward: Forward
    ) throws -> [SpanProbabilities] {
        var result: [SpanProbabilities] = []
        result.reserveCapacity(samples.count)
        progress?.begin("evaluate", total: samples.count)
        var start = 0
        while start < samples.count {
            let chunk = Array(samples[start..<min(start + batchSize, samples.count)])
            let batch = try self.batch(of: chunk)
            result += withGradientsDisabled { forward(batch) }
            start += chunk.count
            progress?.update(done: start)
        }
        return result
    }

    /// Decodes probabilities into ranked windows for each sample.
    public static func windows(
        _ probabilities: [SpanProbabilities], samples: [GroundingSample], maxSpanClips: Int,
        topK: Int = 5, nmsThreshold: Double = 0.5
    ) -> [[ScoredSpan]] {
        zip(probabilities, samples).map { probability, sample in
            SpanDecoder.decode(probability, durationSeconds: sample.durationSeconds,
                maxSpanClips: maxSpanClips, topK: topK, nmsThreshold: nmsThreshold)
        }
    }
}

/// The predictions of one query in the QVHighlights submission layout.
public func submissionPredictions(samples: [GroundingSample], windows: [[ScoredSpan]])
    -> [QueryPrediction]
{
    zip(samples, windows).map { sample, windows in
        QueryPrediction(
            queryID: sample.queryID, videoID: sample.videoID, query: sample.query, windows: windows)
    }
}
