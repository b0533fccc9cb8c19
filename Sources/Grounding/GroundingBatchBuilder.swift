import Datasets
import VTGCore

/// Builds padded batches of samples: each sample's clip features, from a feature store or one
/// video's features shared by every sample, beside its query's frozen text states from the
/// cache. Training, evaluation and grounding all batch through it.
public struct GroundingBatchBuilder {
    /// Where the text states come from.
    public let cache: QueryStateCache
    private let features: (GroundingSample) throws -> ClipFeatures

    /// Batches of samples of the videos in `featureStore`.
    public init(featureStore: FeatureStore, cache: QueryStateCache) {
        self.cache = cache
        features = { try featureStore.features(forVideo: $0.videoID) }
    }

    /// Batches of queries about one video, whose features are `video` (`vtg ground`).
    public init(video: ClipFeatures, cache: QueryStateCache) {
        self.cache = cache
        features = { _ in video }
    }

    /// The clip features of `sample`'s video; a store's error names the query.
    public func clipFeatures(of sample: GroundingSample) throws -> ClipFeatures {
        do { return try features(sample) } catch {
            throw GroundingError.invalidInput("query \(sample.queryID): \(error)")
        }
    }

    /// The padded batch of `samples`, with inside labels extended by `insideExtension` of each
    /// target's length on both sides.
    public func batch(of samples: [GroundingSample], insideExtension: Double = 0) throws
        -> GroundingBatch
    {
        var features: [ClipFeatures] = []
        var states: [QueryStates] = []
        for sample in samples {
            features.append(try clipFeatures(of: sample))
            states.append(try cache.states(of: sample.query))
        }
        return GroundingBatch(
            samples: samples, features: features, states: states,
            insideExtension: insideExtension)
    }
}
