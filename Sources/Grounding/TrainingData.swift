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
        let checked = [(trainSet, "training"), (evaluationSet, "evaluation")]
            + (testSet.map { [($0, "test")] } ?? [])
        for (set, role) in checked {
            try Self.checkUsable(set, role: role)
        }
        featureStore = try run.makeFeatureStore()
        evaluationFeatureStore = try run.makeFeatureStore(resampled: false)
        cache = QueryStateCache(encoder: encoder)
    }

    /// The name of a validation split carved from the training split.
    static let carvedSplitName = "validation"

    /// Every query of the splits read (training, evaluation, test).
    var allQueries: [String] {
        trainSet.samples.map(\.query) + evaluationSet.samples.map(\.query)
            + (testSet?.samples.map(\.query) ?? [])
    }

    /// Throws unless some query of `set` has a moment to learn or score: an empty or
    /// all-malformed split would train on nothing or report 0.00 as if it were a result.
    static func checkUsable(_ set: GroundingDataset, role: String) throws(GroundingError) {
        guard !set.samples.contains(where: { !$0.targets.isEmpty }) else { return }
        let dropped = set.anomalies.entries.filter { $0.action == .dropped }
            .map { "\($0.count) \($0.kind.rawValue)" }
        let found =
            set.samples.isEmpty
            ? "no usable query"
                + (dropped.isEmpty ? "" : " (dropped: \(dropped.joined(separator: ", ")))")
            : "\(set.samples.count) queries but none with a ground-truth moment"
        throw .invalidInput(
            "\(set.annotationFile.path): the \(role) split '\(set.split)' has \(found); "
                + "fix the file, or choose another split (`vtg stats` lists what each holds)")
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
