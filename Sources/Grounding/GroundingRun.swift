import Datasets
import Foundation
import Metrics
import NeuralNet
import Tensors
import VTGCore

/// Everything a training run was started with, saved as `RUN_DIR/run.json` and in every
/// checkpoint, so that a run can be resumed, evaluated and reproduced from its directory alone.
/// Made from what a user asks by `GroundingRunRequest.makeConfiguration()`.
public struct GroundingRunConfiguration: Codable, Sendable, Equatable {
    /// The dataset whose annotation layout is read.
    public var dataset: DatasetName
    /// The directory of annotation files.
    public var annotationsPath: String
    /// Where the clip features are.
    public var features: FeatureLocation
    /// The split trained on.
    public var trainSplit: String
    /// The split evaluated after every epoch (and by default by `Grounder.evaluate`).
    public var evaluationSplit: String
    /// The protocol the metrics follow.
    public var evaluationProtocol: EvaluationProtocol
    /// The model's shape.
    public var model: GroundingModelConfiguration
    /// How it is trained.
    public var training: GroundingTrainingConfiguration
    /// The text model directory used, if given explicitly.
    public var textModelPath: String?
    /// The precision of the frozen text encoder's products whose states the run trains and
    /// evaluates on (nil, as in runs saved before precisions existed: float32).
    public var textPrecision: Precision?
    /// The stage (nil, as in runs saved before stages existed: grounding).
    public var stage: TrainingStage?
    /// The video-text matching objective of a pretraining run.
    public var pretraining: PretrainingConfiguration?
    /// What a grounding run trains (nil: full).
    public var tuning: TuningMode?
    /// The soft prompts of a prompt-tuned run.
    public var prompts: PromptTuningConfiguration?
    /// The low-rank updates of a LoRA-tuned run.
    public var lowRankAdaptation: LowRankAdaptationConfiguration?
    /// The low-rank updates merged into this run's weights by `Grounder.writeMergedRun(to:)`
    /// (`vtg merge`); nil for a run that was trained.
    public var mergedLowRankAdaptation: LowRankAdaptationConfiguration?
    /// The pre-trained backbone the run started from; a prompt-tuned run needs it at
    /// evaluation, a fully fine-tuned run only records it.
    public var backbone: BackboneReference?
    /// The split that picks the best epoch when `training.selection` is `validation` (nil in
    /// runs that select on test and in pretraining runs).
    public var validation: ValidationSplit?

    /// The stage, grounding when unset.
    public var resolvedStage: TrainingStage { stage ?? .ground }
    /// The split that picks the best epoch: validation when `validation` is set (by
    /// `GroundingRunRequest.makeConfiguration()` when the training settings ask for it),
    /// else the evaluation split itself.
    public var resolvedSelection: ModelSelection {
        resolvedStage == .ground && validation != nil ? .validation : .bestOnTest
    }
    /// The tuning mode, full when unset.
    public var resolvedTuning: TuningMode { tuning ?? .full }
    /// The frozen text encoder's precision, float32 when unset.
    public var resolvedTextPrecision: Precision { textPrecision ?? .float32 }

    /// A grounding-stage configuration of the given parts.
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
    static func prepare(
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
    /// given tuning, prompts (nil: the library's defaults) and training settings.
    static func startingFrom(
        pretrainDirectory: URL, tuning: TuningMode, prompts: PromptTuningConfiguration?,
        training: GroundingTrainingConfiguration
    ) throws -> GroundingRunConfiguration {
        let directory = RunDirectory(pretrainDirectory)
        guard FileManager.default.fileExists(atPath: directory.configurationFile.path) else {
            throw GroundingError.missingFile(
                path: directory.configurationFile.path, what: "pretraining run",
                input: .pretrainingRun)
        }
        var run = try directory.configuration()
        guard run.resolvedStage == .pretrain else {
            throw GroundingError.invalidValue(
                .pretrainingRun,
                value: "\(pretrainDirectory.path) (its run.json has stage "
                    + "\(run.resolvedStage.rawValue))",
                expected: "the directory of a pretraining run")
        }
        let prompts = prompts ?? .defaults
        if tuning == .prompt { try prompts.validate() }
        run.lowRankAdaptation = nil
        run.backbone = try GroundingNetwork.reference(toBackbone: directory.backboneCheckpoint)
        run.stage = .ground
        run.pretraining = nil
        run.tuning = tuning
        run.prompts = tuning == .prompt ? prompts : nil
        run.training = training
        return run
    }

    /// Sets `validation` from the training settings: the validation split of a grounding run
    /// that selects on validation (the benchmark's official one, else carved), nil otherwise.
    mutating func chooseValidationSplit() {
        guard resolvedStage == .ground, training.selection == .validation else {
            validation = nil
            return
        }
        validation = ValidationSplit.choose(
            for: dataset, in: URL(fileURLWithPath: annotationsPath),
            evaluationSplit: evaluationSplit, fraction: training.validationFraction)
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

    /// Decodes the JSON of `jsonText()` and validates every model and training field, so that
    /// a hand-edited value is an error naming it rather than a trap later.
    public static func decode(_ text: String, source: String) throws(GroundingError)
        -> GroundingRunConfiguration
    {
        let configuration: GroundingRunConfiguration
        do {
            configuration = try JSONDecoder().decode(
                GroundingRunConfiguration.self, from: Data(text.utf8))
        } catch {
            throw .corruptRun(path: source, reason: "run configuration does not decode: \(error)")
        }
        do {
            try configuration.validate()
        } catch {
            throw .corruptRun(
                path: source, reason: "\(error) (was the file edited by hand? fix the value)")
        }
        return configuration
    }
}

/// The files of a run directory.
public struct RunDirectory: Sendable {
    /// The directory.
    public let url: URL
    /// The run directory at `url`.
    public init(_ url: URL) { self.url = url }

    /// Checks a run directory path a user gave: an empty one would write the run into the
    /// current directory.
    public static func validatePath(_ path: String) throws(GroundingError) {
        if path.trimmingCharacters(in: .whitespaces).isEmpty {
            throw .invalidValue(
                .runDirectory, value: "'\(path)'", expected: "a directory path (it is created)")
        }
    }

    /// The configuration the run was started with.
    public var configurationFile: URL { url.appendingPathComponent("run.json") }
    /// The latest state: weights, optimizer moments, generator and position (for resuming).
    public var lastCheckpoint: URL { url.appendingPathComponent("last.safetensors") }
    /// A pretraining run's backbone (video encoder, text projection, fusion transformer): what
    /// a grounding run starting from this run loads.
    public var backboneCheckpoint: URL { url.appendingPathComponent("backbone.safetensors") }
    /// The weights that scored best on the selection split (validation, or test).
    public var bestCheckpoint: URL { url.appendingPathComponent("best.safetensors") }
    /// One JSON record per epoch.
    public var log: URL { url.appendingPathComponent("log.jsonl") }
    /// The best checkpoint's metrics on the evaluation (test) split.
    public var bestMetrics: URL { url.appendingPathComponent("best_metrics.json") }
    /// The best checkpoint's metrics on the validation split that chose it.
    public var validationMetrics: URL {
        url.appendingPathComponent("validation_metrics.json")
    }

    /// The files a training run writes here (its log, configuration and checkpoints).
    public var runFiles: [URL] {
        [configurationFile, lastCheckpoint, backboneCheckpoint, bestCheckpoint, log, bestMetrics]
    }

    /// Readies the directory for a new run: refuses one that already holds files unless
    /// `overwrite`, which removes the files of the run there (so that nothing of it, such as a
    /// `best.safetensors` the new run may never replace, survives into the new one).
    public func prepareForNewRun(overwrite: Bool) throws(GroundingError) {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        guard !entries.isEmpty else { return }
        guard overwrite else { throw .runDirectoryNotEmpty(path: url.path) }
        for file in runFiles where FileManager.default.fileExists(atPath: file.path) {
            do { try FileManager.default.removeItem(at: file) } catch {
                throw .corruptRun(
                    path: file.path,
                    reason: "cannot be removed to overwrite the run (\(systemReason(error)))")
            }
        }
    }

    /// Reads `run.json`. New runs store absolute paths; a relative one (runs saved before)
    /// is read against the current directory as it always was, else, when it exists there,
    /// against the run directory's parent (where `vtg train` usually ran).
    public func configuration() throws(GroundingError) -> GroundingRunConfiguration {
        guard let data = FileManager.default.contents(atPath: configurationFile.path) else {
            throw .missingFile(
                path: configurationFile.path, what: "run configuration", input: .runDirectory)
        }
        var run = try GroundingRunConfiguration.decode(
            String(decoding: data, as: UTF8.self), source: configurationFile.path)
        let parent = url.standardizedFileURL.deletingLastPathComponent()
        run.annotationsPath = Self.resolved(run.annotationsPath, against: parent)
        run.features.path = Self.resolved(run.features.path, against: parent)
        run.textModelPath = run.textModelPath.map { Self.resolved($0, against: parent) }
        return run
    }

    /// `path` unchanged when absolute or present from the current directory; else the same
    /// path under `parent` when that exists.
    static func resolved(_ path: String, against parent: URL) -> String {
        let manager = FileManager.default
        guard !path.hasPrefix("/"), !manager.fileExists(atPath: path) else { return path }
        let candidate = parent.appendingPathComponent(path).standardizedFileURL.path
        return manager.fileExists(atPath: candidate) ? candidate : path
    }
}
