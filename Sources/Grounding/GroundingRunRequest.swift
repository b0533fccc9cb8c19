import Datasets
import Foundation
import Metrics
import NeuralNet
import TextEncoding
import Tensors
import VTGCore

/// What a user asks of a training run. Every field is optional: nil means the library's default
/// (or, for a run that starts from a pretraining run, that run's value). `makeConfiguration()`
/// turns a request into the `GroundingRunConfiguration` the trainers run; `validate()` checks it
/// without reading any file. The command line, the study, the demo and the tests all go through
/// it, so every default is written once, in the configuration types.
public struct GroundingRunRequest: Sendable, Equatable {
    /// The dataset whose annotation layout is read (needed unless `pretrainingRunPath`).
    public var dataset: DatasetName?
    /// The directory of annotation files (needed unless `pretrainingRunPath`).
    public var annotationsPath: String?
    /// Clip features: a folder of per-video `.npy`/`.npz` files or an HDF5 file (needed unless
    /// `pretrainingRunPath`).
    public var featuresPath: String?
    /// The `.npz` member or HDF5 group member holding the features.
    public var featureKey: String?
    /// What the features are, recorded so that grounding refuses other kinds
    /// (default: `defaultFeatureKind`).
    public var featureKind: String?
    /// The evaluation split (default: test, else val_1, else val).
    public var evaluationSplit: String?
    /// The metrics' protocol (default: the dataset's standard one).
    public var evaluationProtocol: EvaluationProtocol?
    /// The MiniLM model directory (default: `VTG_TEXT_MODEL`, then the installed package).
    public var textModelPath: String?
    /// The precision of the frozen text encoder's products, whose states training caches and
    /// evaluation reads (default float32; see `MiniLMEncoder.converted(to:features:)`).
    public var textPrecision: Precision?
    /// When set, the run saved in this directory is continued: its `run.json` is the
    /// configuration (it must exist); a training setting given that differs from the saved
    /// one is refused unless its input is in `allowedChanges` (see `resumedConfiguration`).
    public var resumeDirectory: String?
    /// The training settings a resumed run may change (`epochs`, `learningRate`, `seed`, ...).
    public var allowedChanges: Set<GroundingInput> = []

    /// The stage (default: grounding).
    public var stage: TrainingStage?
    /// The video-text matching objective of a pretraining stage.
    public var matchingStyle: VideoTextMatchingStyle?
    /// Clips kept around each moment in pretraining, as a fraction of its length per side.
    public var matchingContextFraction: Double?
    /// Weight of the clip-level matching objective trained alongside VTM (0: VTM alone).
    public var clipMatchingWeight: Float?
    /// A pretraining run directory whose backbone a grounding run starts from (its data,
    /// splits and model shape are then the pretraining run's).
    public var pretrainingRunPath: String?
    /// What a grounding run trains (default: everything).
    public var tuning: TuningMode?

    /// Soft-prompt tokens in front of every query in the text encoder (prompt tuning).
    public var textPromptLength: Int?
    /// Learned tokens after [CLS] at the fusion input (prompt tuning).
    public var fusionPromptLength: Int?
    /// Learned tokens at every fusion layer's input (prompt tuning).
    public var deepPromptLength: Int?
    /// How prompt vectors start (prompt tuning).
    public var promptInitialization: PromptInitialization?
    /// The number of prompts K (prompt tuning).
    public var promptCount: Int?
    /// How K prompts are trained and combined (prompt tuning).
    public var ensemble: PromptEnsembleMode?
    /// With the augment ensemble: the one prompt used at test time instead of the average.
    public var testPrompt: Int?
    /// How the fusion and deep prompt vectors are rescaled (prompt tuning).
    public var promptNormalization: PromptNormalization?
    /// The bottleneck width of the MLP reparameterising the prompts while training (prompt
    /// tuning).
    public var promptEncoderWidth: Int?
    /// The width of the span head's hidden layers (default: the model's width; a quarter of it
    /// for prompt and LoRA tuning, `GroundingModelConfiguration.standardHeadWidth(for:)`).
    public var headWidth: Int?
    /// The rank of LoRA updates (LoRA tuning).
    public var loraRank: Int?
    /// LoRA's alpha: updates are scaled by alpha / rank (LoRA tuning).
    public var loraAlpha: Float?
    /// Dropout on the LoRA updates' input (LoRA tuning).
    public var loraDropout: Float?
    /// The projections LoRA adapts, by path ending (LoRA tuning).
    public var loraTargets: [String]?

    /// Training epochs.
    public var epochs: Int?
    /// Samples per batch.
    public var batchSize: Int?
    /// Peak learning rate.
    public var learningRate: Float?
    /// The fraction of all steps spent warming every group's learning rate up.
    public var warmupFraction: Float?
    /// Learning rate of the prompt vectors (default: `learningRate`).
    public var promptLearningRate: Float?
    /// Learning rate of LoRA updates (default: `learningRate`).
    public var adapterLearningRate: Float?
    /// AdamW weight decay.
    public var weightDecay: Float?
    /// Seed of initialisation, shuffling, dropout and DropKey.
    public var seed: UInt64?
    /// The metric that picks the best checkpoint.
    public var bestMetric: MetricKey?
    /// Weight of the inside-the-moment loss.
    public var insideLossWeight: Float?
    /// Weight of the mismatched-query loss (0: off).
    public var mismatchedQueryWeight: Float?
    /// Which split picks the best epoch (default: validation).
    public var selection: ModelSelection?
    /// The fraction of training videos carved out for validation.
    public var validationFraction: Double?
    /// Epochs without improvement before training stops (0: never stop early).
    public var earlyStoppingPatience: Int?

    /// The model's width (its feed-forward width follows; default: the dataset's).
    public var hiddenSize: Int?
    /// Fusion transformer layers (default: the dataset's).
    public var fusionLayerCount: Int?
    /// Video-only transformer layers before fusion (default: the dataset's).
    public var videoLayerCount: Int?
    /// Dropout on embeddings and hidden states.
    public var dropout: Float?
    /// DropKey probability of the first fusion layer (decreasing to a third of it in the last;
    /// the video encoder keeps its own). 0 turns attention regularisation off in the fusion
    /// layers and in the video encoder.
    public var dropKey: Float?
    /// Ordinary dropout on the attention probabilities of the fusion layers and the video
    /// encoder, instead of DropKey.
    public var attentionDropout: Float?
    /// The text encoder of a new model.
    public var textEncoder: TextEncoderKind?
    /// Transformer layers of the from-scratch text encoder.
    public var scratchTextLayerCount: Int?
    /// The CLIP model folder of `textEncoder` `.clip` (config.json, model.safetensors and the
    /// vocabulary files); recorded as the run's text model path.
    public var clipModelPath: String?

    /// The feature kind recorded when none is given.
    public static let defaultFeatureKind = "unspecified"

    /// An empty request: every setting at the library's default.
    public init() {}

    /// Sets every prompt field from `prompts`.
    public mutating func setPrompts(_ prompts: PromptTuningConfiguration) {
        textPromptLength = prompts.textPromptLength
        fusionPromptLength = prompts.fusionPromptLength
        deepPromptLength = prompts.deepPromptLength
        promptInitialization = prompts.initialization
        promptCount = prompts.count
        ensemble = prompts.ensemble
        testPrompt = prompts.testPrompt
        promptNormalization = prompts.normalization
        promptEncoderWidth = prompts.encoderWidth
    }

    /// Checks the request without reading any file: values in range, inputs that go together.
    public func validate() throws(GroundingError) {
        if let epochs, epochs < 1 {
            throw .invalidValue(.epochs, value: "\(epochs)", expected: "at least 1")
        }
        if let batchSize, batchSize < 1 {
            throw .invalidValue(.batchSize, value: "\(batchSize)", expected: "at least 1")
        }
        if let validationFraction, !(validationFraction > 0 && validationFraction < 1) {
            throw .invalidValue(
                .validationFraction, value: "\(validationFraction)", expected: "in (0, 1)")
        }
        if let earlyStoppingPatience, earlyStoppingPatience < 0 {
            throw .invalidValue(
                .earlyStoppingPatience, value: "\(earlyStoppingPatience)",
                expected: "0 (off) or more")
        }
        try Self.checkFinite(learningRate, .learningRate, allowingZero: false)
        if let warmupFraction, !(0...1).contains(warmupFraction) {
            throw .invalidValue(
                .warmupFraction, value: "\(warmupFraction)", expected: "a fraction in [0, 1]")
        }
        if let headWidth, headWidth < 1 {
            throw .invalidValue(.headWidth, value: "\(headWidth)", expected: "at least 1")
        }
        try Self.checkFinite(promptLearningRate, .promptLearningRate, allowingZero: false)
        try Self.checkFinite(adapterLearningRate, .adapterLearningRate, allowingZero: false)
        try Self.checkFinite(weightDecay, .weightDecay, allowingZero: true)
        try Self.checkFinite(insideLossWeight, .insideLossWeight, allowingZero: true)
        try Self.checkFinite(mismatchedQueryWeight, .mismatchedQueryWeight, allowingZero: true)
        if let fusionLayerCount, fusionLayerCount < 1 {
            throw .invalidValue(
                .fusionLayerCount, value: "\(fusionLayerCount)", expected: "at least 1")
        }
        if let videoLayerCount, videoLayerCount < 0 {
            throw .invalidValue(
                .videoLayerCount, value: "\(videoLayerCount)", expected: "0 or more")
        }
        try Self.checkProbability(dropout, .dropout)
        try Self.checkProbability(dropKey, .dropKey)
        try Self.checkProbability(attentionDropout, .attentionDropout)
        if attentionDropout != nil, (dropKey ?? 0) > 0 {
            throw .invalidCombination(
                [.dropKey, .attentionDropout], reason: "give one of the two, not both")
        }
        let heads = GroundingModelConfiguration.standardHeadCount
        if let hiddenSize, hiddenSize < heads || hiddenSize % heads != 0 {
            throw .invalidValue(
                .hiddenSize, value: "\(hiddenSize)",
                expected: "a positive multiple of \(heads) (the attention heads)")
        }
        if textEncoder == .scratch, let textPrecision, textPrecision != .float32 {
            throw .invalidCombination(
                [.precision, .textEncoder],
                reason: "the from-scratch text encoder has no frozen states to compute at"
                    + " \(textPrecision)")
        }
        if let scratchTextLayerCount, scratchTextLayerCount < 1 {
            throw .invalidValue(
                .scratchTextLayerCount, value: "\(scratchTextLayerCount)", expected: "at least 1")
        }
        if textEncoder == .clip && clipModelPath == nil {
            throw .missingInputs(
                [.clipModel], alternatives: [],
                reason: "the CLIP text encoder reads its weights and vocabulary from it")
        }
        guard resumeDirectory == nil else { return }
        if pretrainingRunPath == nil {
            let data: [(given: Bool, input: GroundingInput)] = [
                (dataset != nil, .dataset), (annotationsPath != nil, .annotations),
                (featuresPath != nil, .features),
            ]
            let missing = data.filter { !$0.given }.map(\.input)
            if !missing.isEmpty {
                throw .missingInputs(
                    missing, alternatives: [.pretrainingRun],
                    reason: "a new run reads its data from them")
            }
            if let tuning, tuning.freezesBackbone {
                throw .missingInputs(
                    [.pretrainingRun], alternatives: [],
                    reason: "\(tuning.rawValue) tuning freezes a pre-trained backbone; train "
                        + "one in a pretraining stage first")
            }
        } else if stage == .pretrain {
            throw .invalidCombination(
                [.stage, .pretrainingRun],
                reason: "a pretraining stage starts from fresh weights; only a grounding stage "
                    + "starts from a pretraining run")
        } else {
            let shape: [(given: Bool, input: GroundingInput)] = [
                (hiddenSize != nil, .hiddenSize), (fusionLayerCount != nil, .fusionLayerCount),
                (videoLayerCount != nil, .videoLayerCount),
                (textEncoder == .scratch || textEncoder == .clip, .textEncoder),
            ]
            let given = shape.filter(\.given).map(\.input)
            if !given.isEmpty {
                throw .invalidCombination(
                    [.pretrainingRun] + given,
                    reason: "the model's shape comes from the pretraining run; drop the others")
            }
            if tuning == .prompt { try promptConfiguration.validate() }
            if tuning == .lora { try lowRankAdaptationConfiguration.validate() }
        }
    }

    /// Throws unless `value` is nil or a finite number above 0 (`allowingZero`: 0 or more):
    /// NaN and infinity would train a model of NaNs.
    private static func checkFinite(_ value: Float?, _ input: GroundingInput, allowingZero: Bool)
        throws(GroundingError)
    {
        if let value, !value.isFinite || value < 0 || (!allowingZero && value == 0) {
            throw .invalidValue(
                input, value: "\(value)",
                expected: allowingZero ? "a finite number of 0 or more" : "a finite number above 0")
        }
    }

    /// Throws unless `value` is nil or a probability in [0, 1).
    private static func checkProbability(_ value: Float?, _ input: GroundingInput)
        throws(GroundingError)
    {
        if let value, !(0..<1).contains(value) {
            throw .invalidValue(input, value: "\(value)", expected: "a probability in [0, 1)")
        }
    }

    /// The training settings asked for, the library's defaults elsewhere.
    public var trainingConfiguration: GroundingTrainingConfiguration {
        var training = GroundingTrainingConfiguration.defaults
        if let epochs { training.epochs = epochs }
        if let batchSize { training.batchSize = batchSize }
        if let learningRate { training.learningRate = learningRate }
        if let warmupFraction { training.warmupFraction = warmupFraction }
        if let weightDecay { training.weightDecay = weightDecay }
        if let seed { training.seed = seed }
        if let insideLossWeight { training.insideLossWeight = insideLossWeight }
        if let bestMetric { training.bestMetric = bestMetric }
        if let mismatchedQueryWeight { training.mismatchedQueryWeight = mismatchedQueryWeight }
        if let promptLearningRate { training.promptLearningRate = promptLearningRate }
        if let adapterLearningRate { training.adapterLearningRate = adapterLearningRate }
        if let selection { training.selection = selection }
        if let validationFraction { training.validationFraction = validationFraction }
        if let earlyStoppingPatience {
            training.earlyStoppingPatience = earlyStoppingPatience > 0 ? earlyStoppingPatience : nil
        }
        return training
    }

    /// The prompts asked for, the library's defaults elsewhere.
    public var promptConfiguration: PromptTuningConfiguration {
        var prompts = PromptTuningConfiguration.defaults
        if let textPromptLength { prompts.textPromptLength = textPromptLength }
        if let fusionPromptLength { prompts.fusionPromptLength = fusionPromptLength }
        if let deepPromptLength { prompts.deepPromptLength = deepPromptLength }
        if let promptInitialization { prompts.initialization = promptInitialization }
        if let promptCount { prompts.count = promptCount }
        if let ensemble { prompts.ensemble = ensemble }
        if let testPrompt { prompts.testPrompt = testPrompt }
        if let promptNormalization { prompts.normalization = promptNormalization }
        if let promptEncoderWidth { prompts.encoderWidth = promptEncoderWidth }
        return prompts
    }

    /// The LoRA updates asked for, the library's defaults elsewhere.
    public var lowRankAdaptationConfiguration: LowRankAdaptationConfiguration {
        var adaptation = LowRankAdaptationConfiguration.grounding
        if let loraRank { adaptation.rank = loraRank }
        if let loraAlpha { adaptation.alpha = loraAlpha }
        if let loraDropout { adaptation.dropout = loraDropout }
        if let loraTargets { adaptation.targets = loraTargets }
        return adaptation
    }

    /// The pretraining objective asked for, the library's defaults elsewhere.
    public var pretrainingConfiguration: PretrainingConfiguration {
        var pretraining = PretrainingConfiguration.defaults
        if let matchingStyle { pretraining.style = matchingStyle }
        if let matchingContextFraction { pretraining.contextFraction = matchingContextFraction }
        if let clipMatchingWeight { pretraining.clipMatchingWeight = clipMatchingWeight }
        return pretraining
    }

    /// The fusion attention regularisation asked for (nil: keep the configuration's).
    public var fusionAttentionDropout: AttentionDropoutSchedule? {
        if let attentionDropout {
            return .constant(.probabilityDropout(probability: attentionDropout))
        }
        guard let dropKey else { return nil }
        return dropKey > 0
            ? GroundingModelConfiguration.fusionDropKey(firstLayer: dropKey) : .constant(.none)
    }

    /// The video encoder's attention regularisation asked for (nil: keep the configuration's):
    /// none when DropKey is turned off, the same ordinary dropout as the fusion layers when
    /// that is asked for.
    public var videoAttentionDropout: AttentionDropoutSchedule? {
        if let attentionDropout {
            return .constant(.probabilityDropout(probability: attentionDropout))
        }
        return dropKey == 0 ? .constant(.none) : nil
    }

    /// The run configuration this request describes: validated; the saved one when resuming;
    /// else the pretraining run's data and shape, or the dataset's typed model defaults with
    /// the feature dimension read from the first training video; then every setting asked for.
    public func makeConfiguration() throws -> GroundingRunConfiguration {
        try validate()
        if let resumeDirectory {
            return try resumedConfiguration(
                RunDirectory(URL(fileURLWithPath: resumeDirectory)).configuration())
        }
        var run: GroundingRunConfiguration
        if let pretrainingRunPath {
            let tuning = tuning ?? .full
            run = try .startingFrom(
                pretrainDirectory: URL(fileURLWithPath: pretrainingRunPath), tuning: tuning,
                prompts: tuning == .prompt ? promptConfiguration : nil,
                training: trainingConfiguration)
            run.model.headWidth = run.model.standardHeadWidth(for: tuning)
            if tuning == .lora {
                run.lowRankAdaptation = lowRankAdaptationConfiguration
                run.training.adapterLearningRate =
                    adapterLearningRate ?? GroundingTrainingConfiguration.standardAdapterLearningRate
            }
        } else {
            guard let dataset, let annotationsPath, let featuresPath else {
                preconditionFailure("GroundingRunRequest: validate() let missing data through")
            }
            // Absolute paths, so that the run can be evaluated from any directory.
            run = try .prepare(
                dataset: dataset, annotationsPath: Self.absolutePath(annotationsPath),
                features: try FeatureLocation.detect(
                    path: Self.absolutePath(featuresPath), key: featureKey),
                featureKind: featureKind ?? Self.defaultFeatureKind,
                evaluationSplit: evaluationSplit, evaluationProtocol: evaluationProtocol,
                training: trainingConfiguration,
                textModelPath: (textEncoder == .clip ? clipModelPath : textModelPath).map(
                    Self.absolutePath))
            if let hiddenSize { run.model.setHiddenSize(hiddenSize) }
            if let fusionLayerCount { run.model.fusionLayerCount = fusionLayerCount }
            if let videoLayerCount { run.model.videoLayerCount = videoLayerCount }
            if stage == .pretrain {
                run.stage = .pretrain
                run.pretraining = pretrainingConfiguration
            }
            if textEncoder == .clip, let clipModelPath {
                let clip = try CLIPTextConfiguration(
                    contentsOf: URL(fileURLWithPath: clipModelPath)
                        .appendingPathComponent("config.json"))
                run.model.textEncoder = .clip
                run.model.textStateSize = clip.hiddenSize
            }
            if textEncoder == .scratch {
                run.model.scratchTextVocabularySize =
                    try WordPieceQueryEncoder(textModelOption: textModelPath).vocabularySize
                run.model.scratchTextLayerCount =
                    scratchTextLayerCount
                    ?? GroundingModelConfiguration.standardScratchTextLayerCount
            }
        }
        // The precision that will run: float32 where the CPU lacks the kernel.
        if let textPrecision {
            run.textPrecision = CPUFeatures.current.supportedPrecision(textPrecision)
        }
        if let dropout { run.model.dropout = dropout }
        if let headWidth { run.model.headWidth = headWidth }
        if let fusionAttentionDropout { run.model.fusionAttentionDropout = fusionAttentionDropout }
        if let videoAttentionDropout { run.model.videoAttentionDropout = videoAttentionDropout }
        run.chooseValidationSplit()
        do {
            try run.validate()
        } catch {
            throw GroundingError.invalidInput("the run configuration is invalid: \(error)")
        }
        return run
    }
}
