import Datasets
import Foundation

/// What every training stage reads: the run's training and evaluation splits, its feature
/// store and a cache of frozen query states.
struct TrainingData {
    /// The split trained on.
    let trainSet: GroundingDataset
    /// The split evaluated after every epoch (grounding) or held out (pretraining).
    let evaluationSet: GroundingDataset
    /// The clip features of both splits' videos, resampled to the model's `maxClips` (what
    /// training batches).
    let featureStore: FeatureStore
    /// The same features at their full length: evaluation grounds long videos by windows.
    let evaluationFeatureStore: FeatureStore
    /// Frozen text states of both splits' queries.
    let cache: QueryStateCache

    /// Loads both splits of `run` and opens its feature store.
    init(run: GroundingRunConfiguration, encoder: any QueryEncoder) throws {
        let annotations = URL(fileURLWithPath: run.annotationsPath)
        trainSet = try GroundingDataset.load(run.dataset, split: run.trainSplit, from: annotations)
        evaluationSet = try GroundingDataset.load(
            run.dataset, split: run.evaluationSplit, from: annotations)
        featureStore = try run.makeFeatureStore()
        evaluationFeatureStore = try run.makeFeatureStore(resampled: false)
        cache = QueryStateCache(encoder: encoder)
    }

    /// Batches of both splits' samples, videos resampled to at most `maxClips` clips.
    var batches: GroundingBatchBuilder {
        GroundingBatchBuilder(featureStore: featureStore, cache: cache)
    }

    /// Batches for evaluation, videos at their full length (`GroundingNetwork.predict` cuts
    /// long ones into windows).
    var evaluationBatches: GroundingBatchBuilder {
        GroundingBatchBuilder(featureStore: evaluationFeatureStore, cache: cache)
    }
}

extension GroundingRunConfiguration {
    /// Bytes of resampled clip features a run's feature store keeps in memory (1 GiB; the
    /// least recently used videos are evicted beyond it and read again when needed).
    static let featureCacheCapacityBytes = 1 << 30

    /// The store of the run's clip features, checked against the model's feature dimension:
    /// resampled to its `maxClips` (training), or at full length when not `resampled`
    /// (evaluation and grounding, which cut long videos into windows).
    func makeFeatureStore(resampled: Bool = true) throws -> FeatureStore {
        try FeatureStore(
            FeatureStoreConfiguration(
                location: features, expectedFeatureDimension: model.featureDimension,
                maxClips: resampled ? model.maxClips : nil,
                cacheCapacityBytes: Self.featureCacheCapacityBytes))
    }
}
