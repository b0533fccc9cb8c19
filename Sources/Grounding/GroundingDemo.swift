import Datasets
import Foundation
import Metrics
import VTGCore

/// The end-to-end demo: a synthetic Charades-STA-layout dataset; VTM pretraining of the
/// backbone; prompt tuning of the frozen backbone; its test metrics beside full fine-tuning
/// (after VTM and without it) and the video-free baselines; and two queries grounded in one
/// test video by the prompt-tuned model. It returns typed results; the reporting module
/// prints them.
public enum GroundingDemo {
    /// The demo's fixed settings: a small dataset and short schedules that finish in minutes.
    public struct Settings: Sendable {
        /// Synthetic videos.
        public var videos = 400
        /// Seed of the synthetic benchmark.
        public var seed: UInt64 = 0
        /// Seed of every training run.
        public var trainingSeed: UInt64 = 1
        /// Epochs of the VTM pretraining.
        public var pretrainingEpochs = 5
        /// Epochs of every grounding run.
        public var epochs = 15
        /// Samples per batch.
        public var batchSize = 16
        /// Peak learning rate.
        public var learningRate: Float = 1e-3
        /// Peak learning rate of the prompt vectors.
        public var promptLearningRate: Float = 1e-2
        /// The prompts of the prompt-tuned run.
        public var prompts = PromptTuningConfiguration(fusionPromptLength: 4, deepPromptLength: 4)
        /// The span head's width in the prompt-tuned run: the model's width (256), as the demo
        /// has always shown (nil: prompt tuning's default, a quarter of it; on the demo's easy
        /// data the head's width does not matter, on the hard setting the narrower one is
        /// better: `Docs/peft-experiments.md`).
        public var promptHeadWidth: Int? = GroundingModelConfiguration.standardHiddenSize
        /// Queries grounded in the example video, and spans shown for each.
        public var exampleQueries = 2
        /// Spans shown per example query.
        public var exampleSpans = 3

        /// The demo's settings.
        public init() {}
    }

    /// The demo's training stages, in order.
    public enum Stage: Int, CaseIterable, Sendable {
        /// VTM pretraining (VIOLET with the clip-level objective).
        case pretraining
        /// Prompt tuning of the frozen backbone.
        case promptTuning
        /// Full fine-tuning of the same backbone (the baseline).
        case fullFineTuning
        /// Full fine-tuning from fresh weights.
        case fullWithoutPretraining
    }

    /// What the demo reports as it goes.
    public enum Step: Sendable {
        /// The synthetic benchmark is being written to `directory`.
        case writingData(directory: URL)
        /// A training stage starts.
        case stage(Stage)
    }

    /// Runs the demo in `directory` (data in `data/`, the runs in `pretrain/`, `prompt/`,
    /// `full/`, `full-no-vtm/`).
    public static func run(
        in directory: URL, settings: Settings = Settings(), encoder: any QueryEncoder,
        reporter: any ProgressReporting
    ) throws -> GroundingDemoResult {
        let dataDirectory = directory.appendingPathComponent("data")
        let runDirectory = directory.appendingPathComponent("prompt")
        let start = Date()

        reporter.report(.demo(.writingData(directory: dataDirectory)))
        let manifest = try SyntheticBenchmark.write(
            SyntheticBenchmarkConfiguration(
                layout: .charadesSTA, videoCount: settings.videos, seed: settings.seed),
            to: dataDirectory)
        let location = manifest.featureLocation(in: dataDirectory)
        var base = GroundingRunRequest()
        base.dataset = .charadesSTA
        base.annotationsPath = dataDirectory.path
        base.featuresPath = location.path
        base.featureKind = "synthetic"
        base.evaluationSplit = "test"
        base.evaluationProtocol = .vslnet
        base.epochs = settings.epochs
        base.batchSize = settings.batchSize
        base.learningRate = settings.learningRate
        base.seed = settings.trainingSeed
        base.promptLearningRate = settings.promptLearningRate

        reporter.report(.demo(.stage(.pretraining)))
        var pretrainingRequest = base
        pretrainingRequest.stage = .pretrain
        pretrainingRequest.matchingStyle = .violet
        pretrainingRequest.epochs = settings.pretrainingEpochs
        let pretraining = try pretrainingRequest.makeConfiguration()
        reporter.report(.configuration(pretraining))
        let pretrainDirectory = directory.appendingPathComponent("pretrain")
        let pretrained = try VideoTextMatchingTrainer(
            run: pretraining, directory: pretrainDirectory, encoder: encoder, reporter: reporter
        ).train(resume: false)

        func ground(_ name: String, _ request: GroundingRunRequest) throws
            -> GroundingTrainingSummary
        {
            let run = try request.makeConfiguration()
            reporter.report(.configuration(run))
            return try GroundingTrainer(
                run: run, directory: directory.appendingPathComponent(name), encoder: encoder,
                reporter: reporter
            ).train(resume: false)
        }
        reporter.report(.demo(.stage(.promptTuning)))
        var promptRequest = base
        promptRequest.pretrainingRunPath = pretrainDirectory.path
        promptRequest.tuning = .prompt
        promptRequest.setPrompts(settings.prompts)
        promptRequest.headWidth = settings.promptHeadWidth
        let promptTuned = try ground("prompt", promptRequest)
        reporter.report(.demo(.stage(.fullFineTuning)))
        var fullRequest = base
        fullRequest.pretrainingRunPath = pretrainDirectory.path
        fullRequest.tuning = .full
        let full = try ground("full", fullRequest)
        reporter.report(.demo(.stage(.fullWithoutPretraining)))
        let scratch = try ground("full-no-vtm", base)

        let trainSet = try GroundingDataset.load(
            .charadesSTA, split: "train", from: dataDirectory)
        let testSet = try GroundingDataset.load(.charadesSTA, split: "test", from: dataDirectory)
        let baselines = VideoFreeBaseline.fitted(on: trainSet.samples).map {
            GroundingDemoResult.Baseline(
                baseline: $0, report: $0.evaluate(
                    on: testSet.samples, evaluationProtocol: .vslnet, dataset: testSet.name,
                    split: testSet.split))
        }

        let grounder = try Grounder(runDirectory: runDirectory, encoder: encoder)
        guard let video = testSet.samples.first?.videoID else {
            throw GroundingError.invalidInput("the synthetic test split is empty")
        }
        let examples = Array(
            testSet.samples.filter { $0.videoID == video }.prefix(settings.exampleQueries))
        let features = try grounder.loadFeatures(path: location.file(forVideo: video).path)
        let results = try grounder.ground(
            features: features, durationSeconds: examples[0].durationSeconds,
            queries: examples.map(\.query), topK: settings.exampleSpans)
        // The trained runs carve their validation queries out of the training split.
        let validationQueries =
            promptTuned.validation == nil ? 0 : promptTuned.selectionMetrics.queryCount
        return GroundingDemoResult(
            trainingQueries: trainSet.samples.count - validationQueries,
            validationQueries: validationQueries, testQueries: testSet.samples.count,
            pretraining: pretrained, promptTuned: promptTuned, fullFineTuned: full,
            fullWithoutPretraining: scratch, baselines: baselines, exampleVideoID: video,
            examples: zip(examples, results).map {
                GroundingDemoResult.Example(sample: $0, result: $1)
            },
            runDirectory: runDirectory, totalSeconds: Date().timeIntervalSince(start))
    }
}

/// What the demo produced.
public struct GroundingDemoResult: Sendable {
    /// A video-free baseline and its test metrics.
    public struct Baseline: Sendable {
        /// The fitted baseline.
        public var baseline: VideoFreeBaseline
        /// Its metrics on the test split.
        public var report: MetricsReport
    }

    /// An annotated test query and what the prompt-tuned model found.
    public struct Example: Sendable {
        /// The query with its annotation.
        public var sample: GroundingSample
        /// The model's spans.
        public var result: GroundingResult
    }

    /// Queries the trained runs trained on (the training split less the validation queries).
    public var trainingQueries: Int
    /// Queries carved from the training split to choose the epoch (0 when test chose it).
    public var validationQueries: Int
    /// Queries of the test split.
    public var testQueries: Int
    /// The VTM pretraining.
    public var pretraining: PretrainingSummary
    /// Prompt tuning of the frozen backbone.
    public var promptTuned: GroundingTrainingSummary
    /// Full fine-tuning of the same backbone.
    public var fullFineTuned: GroundingTrainingSummary
    /// Full fine-tuning from fresh weights.
    public var fullWithoutPretraining: GroundingTrainingSummary
    /// The video-free baselines on the test split.
    public var baselines: [Baseline]
    /// The test video of the examples.
    public var exampleVideoID: String
    /// Queries of that video grounded by the prompt-tuned model.
    public var examples: [Example]
    /// The prompt-tuned run's directory.
    public var runDirectory: URL
    /// Wall time of the whole demo.
    public var totalSeconds: Double
}
