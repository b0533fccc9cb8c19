import Datasets
import Foundation
import Metrics
import VTGCore

/// The settings of the prompt-learning study on one dataset.
public struct PromptStudyConfiguration: Codable, Sendable, Equatable {
    /// The dataset (its layout, when synthesised).
    public var dataset: DatasetName
    /// Annotations and features to study; nil: a synthetic benchmark in the dataset's layout
    /// is written to `OUT/data` first.
    public var annotationsPath: String?
    /// The features to study (with `annotationsPath`).
    public var features: FeatureLocation?
    /// The synthetic benchmark's size and feature noise (when synthesised).
    public var syntheticVideos: Int
    /// Feature noise of the synthetic benchmark.
    public var syntheticNoise: Double
    /// The synthetic benchmark's test share of the videos (nil: the layout's).
    public var syntheticTestFraction: Double?
    /// One run of every variant per seed.
    public var seeds: [UInt64]
    /// Epochs of every VTM pretraining run.
    public var pretrainingEpochs: Int
    /// Epochs of every grounding run.
    public var groundingEpochs: Int
    /// Samples per batch in every run.
    public var batchSize: Int
    /// Peak learning rate of every run.
    public var learningRate: Float
    /// Peak learning rate of the prompt vectors.
    public var promptLearningRate: Float
    /// The prompts of every prompt-tuned variant.
    public var prompts: PromptTuningConfiguration
    /// K of the ensemble variants.
    public var ensembleSize: Int
    /// The ordinary attention-dropout probability of the DropKey comparison.
    public var attentionDropout: Float
    /// Which split picks every grounding run's epoch.
    public var selection: ModelSelection
    /// The rows studied (`PromptStudyVariant.standardSelection` by default).
    public var variants: [PromptStudyVariant]
    /// The CLIP model folder and context length of the CLIP-text rows (nil: no CLIP rows).
    public var clipText: PromptStudyCLIPText?

    /// The dataset studied when none is named.
    public static let standardDataset = DatasetName.charadesSTA

    /// The default study (benchmark size: 1000 synthetic videos, `standardSeedCount` seeds)
    /// or the quick one (200 videos, 1 seed, short schedules; a few minutes). Every grounding
    /// run picks its epoch on a validation split carved from the training videos.
    public init(dataset: DatasetName = standardDataset, quick: Bool = false) {
        self.dataset = dataset
        syntheticVideos = quick ? 200 : 1000
        syntheticNoise = SyntheticBenchmarkConfiguration(layout: dataset).noise
        seeds = Self.seeds(count: quick ? 1 : Self.standardSeedCount)
        pretrainingEpochs = quick ? 2 : 4
        groundingEpochs = quick ? 3 : 8
        batchSize = 16
        learningRate = 1e-3
        promptLearningRate = 1e-2
        prompts = PromptTuningConfiguration(fusionPromptLength: 4, deepPromptLength: 4)
        ensembleSize = 3
        attentionDropout = 0.1
        selection = .validation
        variants = PromptStudyVariant.standardSelection
    }

    /// Seeds of the default study: enough for a paired t-interval to separate differences of
    /// about one seed standard deviation.
    public static let standardSeedCount = 5

    /// The seeds 1, 2, ..., `count`.
    public static func seeds(count: Int) -> [UInt64] {
        count < 1 ? [] : (1...count).map(UInt64.init)
    }

    /// The synthetic benchmark the study writes when it has no data of its own.
    public var syntheticBenchmark: SyntheticBenchmarkConfiguration {
        var benchmark = SyntheticBenchmarkConfiguration(
            layout: dataset, videoCount: syntheticVideos, seed: 0, noise: syntheticNoise)
        benchmark.testFraction = syntheticTestFraction
        return benchmark
    }

    /// The request of one run of the study on `annotationsPath` and `features`: every run's
    /// schedule and `seed`; the variant's backbone, prompts and attention regularisation are
    /// set by the caller.
    func request(annotationsPath: String, features: FeatureLocation, seed: UInt64)
        -> GroundingRunRequest
    {
        var request = GroundingRunRequest()
        request.dataset = dataset
        request.annotationsPath = annotationsPath
        request.featuresPath = features.path
        request.featureKey = features.key
        request.featureKind = "study"
        request.epochs = groundingEpochs
        request.batchSize = batchSize
        request.learningRate = learningRate
        request.promptLearningRate = promptLearningRate
        request.seed = seed
        request.selection = selection
        return request
    }
}

/// What a user asks of the study: every field optional, nil meaning the default study's (or
/// the quick one's) value. `makeConfiguration()` checks it and reads where the features are.
public struct PromptStudyRequest: Sendable, Equatable {
    /// The dataset (default: `PromptStudyConfiguration.standardDataset`).
    public var dataset: DatasetName?
    /// The quick study: 200 videos, 1 seed, short schedules.
    public var quick = false
    /// Annotations to study (with `featuresPath`; neither: a synthetic benchmark).
    public var annotationsPath: String?
    /// Clip features to study (with `annotationsPath`).
    public var featuresPath: String?
    /// The number of seeds (seeds 1...n).
    public var seedCount: Int?
    /// Videos of the synthetic benchmark.
    public var syntheticVideos: Int?
    /// Feature noise of the synthetic benchmark.
    public var syntheticNoise: Double?
    /// Epochs of every grounding run.
    public var groundingEpochs: Int?
    /// Epochs of every pretraining run.
    public var pretrainingEpochs: Int?
    /// Which split picks every grounding run's epoch (default: validation).
    public var selection: ModelSelection?
    /// The synthetic benchmark's test share of the videos (default: the layout's).
    public var syntheticTestFraction: Double?
    /// The rows to study (default: `PromptStudyVariant.standardSelection`).
    public var variants: [PromptStudyVariant]?
    /// The CLIP model folder: the study adds its CLIP-text rows (`PromptStudyCLIPText`).
    public var clipModelPath: String?

    /// An empty request: the default study.
    public init() {}

    /// Checks the request without reading any file.
    public func validate() throws(GroundingError) {
        if (annotationsPath == nil) != (featuresPath == nil) {
            let missing: GroundingInput = annotationsPath == nil ? .annotations : .features
            throw .missingInputs(
                [missing], alternatives: [],
                reason: "a study of one's own data needs both annotations and features "
                    + "(neither: a synthetic benchmark)")
        }
        let counts: [(value: Int?, input: GroundingInput, least: Int)] = [
            (seedCount, .seedCount, 1), (groundingEpochs, .epochs, 1),
            (pretrainingEpochs, .pretrainingEpochs, 1), (syntheticVideos, .syntheticVideos, 2),
        ]
        for (value, input, least) in counts {
            if let value, value < least {
                throw .invalidValue(input, value: "\(value)", expected: "at least \(least)")
            }
        }
        if let variants, variants.isEmpty {
            throw .invalidValue(
                .studyVariants, value: "none",
                expected: "one or more of " + PromptStudyVariant.allCases.map(\.rawValue)
                    .joined(separator: ", "))
        }
        if let syntheticNoise, !(syntheticNoise >= 0 && syntheticNoise.isFinite) {
            throw .invalidValue(
                .syntheticNoise, value: "\(syntheticNoise)", expected: "a finite number ≥ 0")
        }
        try validateCLIPText()
    }

    /// The study's settings: validated, the defaults of the default or quick study elsewhere,
    /// the features' layout detected from their path.
    public func makeConfiguration() throws -> PromptStudyConfiguration {
        try validate()
        var configuration = PromptStudyConfiguration(
            dataset: dataset ?? PromptStudyConfiguration.standardDataset, quick: quick)
        if let selection { configuration.selection = selection }
        configuration.syntheticTestFraction = syntheticTestFraction
        if let annotationsPath, let featuresPath {
            configuration.annotationsPath = annotationsPath
            configuration.features = try FeatureLocation.detect(path: featuresPath)
        }
        if let seedCount { configuration.seeds = PromptStudyConfiguration.seeds(count: seedCount) }
        if let syntheticVideos { configuration.syntheticVideos = syntheticVideos }
        if let syntheticNoise { configuration.syntheticNoise = syntheticNoise }
        if let groundingEpochs { configuration.groundingEpochs = groundingEpochs }
        if let pretrainingEpochs { configuration.pretrainingEpochs = pretrainingEpochs }
        if let variants { configuration.variants = variants }
        return try addingCLIPText(to: configuration)
    }
}
