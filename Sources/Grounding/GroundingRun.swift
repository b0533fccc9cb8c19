import Datasets
import Foundation
import Metrics
import VTGCore

/// Everything a training run was started with, saved as `RUN_DIR/run.json` and in every
/// checkpoint, so that a run can be resumed, evaluated and reproduced from its directory alone.
public struct GroundingRunConfiguration: Codable, Sendable, Equatable {
    public var dataset: DatasetName
    public var annotationsPath: String
    public var features: FeatureLocation
    public var trainSplit: String
    public var evaluationSplit: String
    public var evaluationProtocol: EvaluationProtocol
    public var model: GroundingModelConfiguration
    public var training: GroundingTrainingConfiguration
    /// The text model directory used, if given explicitly.
    public var textModelPath: String?
    /// The stage (nil, as in runs saved before stages existed: grounding).
    public var stage: TrainingStage?
    /// The video-text matching objective of a pretraining run.
    public var pretraining: PretrainingConfiguration?
    /// What a grounding run trains (nil: full).
    public var tuning: TuningMode?
    /// The soft prompts of a prompt-tuned run.
    public var prompts: PromptTuningConfiguration?
    /// The pre-trained backbone the run started from (`--init`); a prompt-tuned run needs it at
    /// evaluation, a fully fine-tuned run only records it.
    public var backbone: BackboneReference?

    /// The stage, grounding when unset.
    public var resolvedStage: TrainingStage { stage ?? .ground }
    /// The tuning mode, full when unset.
    public var resolvedTuning: TuningMode { tuning ?? .full }

    public init(
        dataset: DatasetName, annotationsPath: String, features: FeatureLocation,
        trainSplit: String, evaluationSplit: String, evaluationProtocol: EvaluationProtocol,
        model: GroundingModelConfiguration, training: GroundingTrainingConfiguration,
        textModelPath: String? = nil
    ) {
        self.dataset = dataset
        self.annotationsPath = annotationsPath
        self.features = features
        self.trainSplit = trainSplit
        self.evaluationSplit = evaluationSplit
        self.evaluationProtocol = evaluationProtocol
        self.model = model
        self.training = training
        self.textModelPath = textModelPath
    }

    /// A run configuration with the dataset's typed model defaults, the feature dimension read
    /// from the first training video's features, and the standard protocol and evaluation split
    /// unless given.
    public static func prepare(
        dataset: DatasetName, annotationsPath: String, features: FeatureLocation,
        featureKind: String, evaluationSplit: String? = nil,
        evaluationProtocol: EvaluationProtocol? = nil, training: GroundingTrainingConfiguration,
        textModelPath: String? = nil
    ) throws -> GroundingRunConfiguration {
        let annotations = URL(fileURLWithPath: annotationsPath)
        let trainSet = try GroundingDataset.load(dataset, split: DatasetName.trainingSplit,
            from: annotations)
        guard let first = trainSet.samples.first else {
            throw GroundingError.invalidInput(
                "\(trainSet.annotationFile.path): the training split has no usable queries")
        }
        let probe = try FeatureStore(FeatureStoreConfiguration(location: features))
        let dimension = try probe.features(forVideo: first.videoID).featureDimension
        return GroundingRunConfiguration(
            dataset: dataset, annotationsPath: annotationsPath, features: features,
            trainSplit: DatasetName.trainingSplit,
            evaluationSplit: evaluationSplit
                ?? defaultEvaluationSplit(for: dataset, in: annotations),
            evaluationProtocol: evaluationProtocol ?? .standard(for: dataset),
            model: .defaults(for: dataset, featureDimension: dimension, featureKind: featureKind),
            training: training, textModelPath: textModelPath)
    }

    /// A grounding run that starts from the pretraining run in `pretrainDirectory`: its data,
    /// splits, protocol and model shape, its backbone file (by path and checksum), and the
    /// given tuning, prompts and training settings.
    public static func startingFrom(
        pretrainDirectory: URL, tuning: TuningMode, prompts: PromptTuningConfiguration?,
        training: GroundingTrainingConfiguration
    ) throws -> GroundingRunConfiguration {
        let directory = RunDirectory(pretrainDirectory)
        guard FileManager.default.fileExists(atPath: directory.configurationFile.path) else {
            throw GroundingError.missingFile(
                path: directory.configurationFile.path, what: "pretraining run",
                hint: "pass --init a directory written by `vtg train --stage pretrain`")
        }
        var run = try directory.configuration()
        guard run.resolvedStage == .pretrain else {
            throw GroundingError.invalidInput(
                "\(pretrainDirectory.path) is not a pretraining run (its run.json has stage \(run.resolvedStage.rawValue)); pass --init a directory written by `vtg train --stage pretrain`")
        }
        if tuning == .prompt {
            guard let prompts else {
                throw GroundingError.invalidInput("--tuning prompt needs prompt lengths")
            }
            try prompts.validate()
        }
        run.backbone = try GroundingNetwork.reference(toBackbone: directory.backboneCheckpoint)
        run.stage = .ground
        run.pretraining = nil
        run.tuning = tuning
        run.prompts = tuning == .prompt ? prompts : nil
        run.training = training
        return run
    }

    /// The evaluation split each benchmark reports on (VSLNet's choice for ActivityNet: val_1).
    public static func defaultEvaluationSplit(for dataset: DatasetName, in directory: URL)
        -> String
    {
        let available = dataset.availableSplits(in: directory)
        for candidate in ["test", "val_1", "val"] where available.contains(candidate) {
            return candidate
        }
        return available.first { $0 != DatasetName.trainingSplit } ?? "test"
    }

    /// JSON text (sorted keys), as stored in checkpoints.
    public func jsonText() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        guard let data = try? encoder.encode(self), let text = String(data: data, encoding: .utf8)
        else { preconditionFailure("GroundingRunConfiguration: not encodable") }
        return text
    }

    /// Decodes the JSON of `jsonText()`.
    public static func decode(_ text: String, source: String) throws(GroundingError)
        -> GroundingRunConfiguration
    {
        do {
            return try JSONDecoder().decode(GroundingRunConfiguration.self, from: Data(text.utf8))
        } catch {
            throw .corruptRun(path: source, reason: "run configuration does not decode: \(error)")
        }
    }
}

/// The files of a run directory.
public struct RunDirectory: Sendable {
    public let url: URL
    public init(_ url: URL) { self.url = url }

    /// The configuration the run was started with.
    public var configurationFile: URL { url.appendingPathComponent("run.json") }
    /// The latest state: weights, optimizer moments, generator and position (for resuming).
    public var lastCheckpoint: URL { url.appendingPathComponent("last.safetensors") }
    /// A pretraining run's backbone (video encoder, text projection, fusion transformer): what
    /// `--init` loads.
    public var backboneCheckpoint: URL { url.appendingPathComponent("backbone.safetensors") }
    /// The weights that scored best on the evaluation split.
    public var bestCheckpoint: URL { url.appendingPathComponent("best.safetensors") }
    /// One JSON record per epoch.
    public var log: URL { url.appendingPathComponent("log.jsonl") }
    /// The best checkpoint's metrics.
    public var bestMetrics: URL { url.appendingPathComponent("best_metrics.json") }

    /// Reads `run.json`.
    public func configuration() throws(GroundingError) -> GroundingRunConfiguration {
        guard let data = FileManager.default.contents(atPath: configurationFile.path) else {
            throw .missingFile(path: configurationFile.path, what: "run configuration",
                hint: "pass --run with a directory written by `vtg train`")
        }
        return try GroundingRunConfiguration.decode(
            String(decoding: data, as: UTF8.self), source: configurationFile.path)
    }
}

/// Errors of the grounding pipeline: each names the file or input and what to do.
public enum GroundingError: Error, CustomStringConvertible, Equatable {
    case missingFile(path: String, what: String, hint: String)
    case corruptRun(path: String, reason: String)
    case invalidInput(String)
    case featureMismatch(path: String, expected: String, actual: String)
    case backboneMismatch(path: String, expected: String, actual: String)

    public var description: String {
        switch self {
        case .missingFile(let path, let what, let hint):
            return "\(path): no \(what) here; \(hint)"
        case .corruptRun(let path, let reason):
            return "\(path): \(reason); train again or point --run at an intact run directory"
        case .invalidInput(let message):
            return message
        case .featureMismatch(let path, let expected, let actual):
            return "\(path): features are \(actual) but the model was trained on \(expected); extract the same kind of features as in training"
        case .backboneMismatch(let path, let expected, let actual):
            return "\(path): this backbone's data checksum is \(actual) but the run was prompt-tuned on a backbone with checksum \(expected); its prompts only work with that backbone: restore the original file, or prompt-tune again on this one"
        }
    }
}
