import Datasets
import Foundation

/// What every training stage reads: the run's training and evaluation splits, its feature
/// store and a cache of frozen query states. A grounding run that selects on validation
/// (`run.validation`) trains on the training split less the validation videos, evaluates the
/// validation split after every epoch and the test split once at the end.
struct TrainingData {
    /// The split trained on.
    let trainSet: GroundingDataset
    /// The split evaluated after every epoch (grounding: the one that picks the best epoch) or
    /// held out (pretraining).
    let evaluationSet: GroundingDataset
    /// The run's evaluation split when another split picks the epoch (evaluated once, at the
    /// chosen epoch); nil when the evaluation split picks it.
    let testSet: GroundingDataset?
    /// The clip features of both splits' videos.
    let featureStore: FeatureStore
    /// Frozen text states of both splits' queries.
    let cache: QueryStateCache

    /// Loads both splits of `run` and opens its feature store.
    init(run: GroundingRunConfiguration, encoder: any QueryEncoder) throws {
        let annotations = URL(fileURLWithPath: run.annotationsPath)
        let train = try GroundingDataset.load(run.dataset, split: run.trainSplit, from: annotations)
        let evaluation = try GroundingDataset.load(
            run.dataset, split: run.evaluationSplit, from: annotations)
        if let validation = run.validation, run.resolvedStage == .ground {
            if let official = validation.officialSplit {
                trainSet = train
                evaluationSet = try GroundingDataset.load(
                    run.dataset, split: official, from: annotations)
            } else {
                let carved = validation.carve(train.samples)
                trainSet = GroundingDataset(
                    name: train.name, split: train.split, annotationFile: train.annotationFile,
                    samples: carved.training, anomalies: train.anomalies)
                evaluationSet = GroundingDataset(
                    name: train.name, split: Self.carvedSplitName,
                    annotationFile: train.annotationFile, samples: carved.validation)
            }
            testSet = evaluation
        } else {
            trainSet = train
            evaluationSet = evaluation
            testSet = nil
        }
        featureStore = try run.makeFeatureStore()
        cache = QueryStateCache(encoder: encoder)
    }

    /// The name of a validation split carved from the training split.
    static let carvedSplitName = "validation"

    /// Every query of the splits read (training, evaluation, test).
    var allQueries: [String] {
        trainSet.samples.map(\.query) + evaluationSet.samples.map(\.query)
            + (testSet?.samples.map(\.query) ?? [])
    }

    /// Batches of both splits' samples.
    var batches: GroundingBatchBuilder {
        GroundingBatchBuilder(featureStore: featureStore, cache: cache)
    }
}

extension GroundingRunConfiguration {
    /// Bytes of resampled clip features a run's feature store keeps in memory (1 GiB; the
    /// least recently used videos are evicted beyond it and read again when needed).
    static let featureCacheCapacityBytes = 1 << 30

    /// The store of the run's clip features: checked against the model's feature dimension,
    /// resampled to its `maxClips`.
    func makeFeatureStore() throws -> FeatureStore {
        try FeatureStore(
            FeatureStoreConfiguration(
                location: features, expectedFeatureDimension: model.featureDimension,
                maxClips: model.maxClips, cacheCapacityBytes: Self.featureCacheCapacityBytes))
    }
}
