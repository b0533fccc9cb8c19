import Datasets
import Foundation
import Metrics

/// The end-to-end demo (`vtg demo`): a synthetic Charades-STA-layout dataset; VTM pretraining
/// of the backbone; prompt tuning of the frozen backbone; its test metrics beside full
/// fine-tuning (after VTM and without it) and the video-free baselines; and two queries
/// grounded in one test video by the prompt-tuned model.
public enum GroundingDemo {
    /// The demo's fixed settings: a small dataset and short schedules that finish in minutes.
    public struct Settings: Sendable {
        public var videos = 400
        public var seed: UInt64 = 0
        public var pretrainingEpochs = 5
        public var epochs = 15
        public var batchSize = 16
        public var learningRate: Float = 1e-3
        public var promptLearningRate: Float = 1e-2
        public var prompts = PromptTuningConfiguration(fusionPromptLength: 4, deepPromptLength: 4)

        public init() {}
    }

    /// Runs the demo in `directory` (data in `data/`, the runs in `pretrain/`, `prompt/`,
    /// `full/`, `full-no-vtm/`) and returns its report.
    public static func run(
        in directory: URL, settings: Settings = Settings(), encoder: any QueryEncoder,
        reporter: ProgressReporter
    ) throws -> String {
        let dataDirectory = directory.appendingPathComponent("data")
        let runDirectory = directory.appendingPathComponent("prompt")
        let start = Date()

        reporter.message("demo: writing a synthetic Charades-STA benchmark to \(dataDirectory.path)")
        let manifest = try SyntheticBenchmark.write(
            SyntheticBenchmarkConfiguration(
                layout: .charadesSTA, videoCount: settings.videos, seed: settings.seed),
            to: dataDirectory)
        let location = manifest.featureLocation(in: dataDirectory)
        let training = GroundingTrainingConfiguration(
            epochs: settings.epochs, batchSize: settings.batchSize,
            learningRate: settings.learningRate, seed: 1,
            promptLearningRate: settings.promptLearningRate)
        let base = try GroundingRunConfiguration.prepare(
            dataset: .charadesSTA, annotationsPath: dataDirectory.path, features: location,
            featureKind: "synthetic", evaluationSplit: "test", evaluationProtocol: .vslnet,
            training: training)

        reporter.message("demo: 1/4 VTM pretraining (VIOLET + clip-level matching)")
        var pretraining = base
        pretraining.stage = .pretrain
        pretraining.pretraining = PretrainingConfiguration(style: .violet)
        pretraining.training.epochs = settings.pretrainingEpochs
        reporter.message(GroundingReport.configurationSummary(pretraining))
        let pretrainDirectory = directory.appendingPathComponent("pretrain")
        let pretrained = try VideoTextMatchingTrainer(
            run: pretraining, directory: pretrainDirectory, encoder: encoder, reporter: reporter
        ).train(resume: false)

        func ground(_ name: String, _ run: GroundingRunConfiguration) throws
            -> GroundingTrainingSummary
        {
            reporter.message(GroundingReport.configurationSummary(run))
            return try GroundingTrainer(
                run: run, directory: directory.appendingPathComponent(name), encoder: encoder,
                reporter: reporter
            ).train(resume: false)
        }
        reporter.message("demo: 2/4 prompt tuning of the frozen backbone")
        let run = try GroundingRunConfiguration.startingFrom(
            pretrainDirectory: pretrainDirectory, tuning: .prompt, prompts: settings.prompts,
            training: training)
        let summary = try ground("prompt", run)
        reporter.message("demo: 3/4 full fine-tuning of the same backbone (the baseline)")
        let full = try ground(
            "full",
            try .startingFrom(
                pretrainDirectory: pretrainDirectory, tuning: .full, prompts: nil,
                training: training))
        reporter.message("demo: 4/4 full fine-tuning without VTM pretraining")
        let scratch = try ground("full-no-vtm", base)

        let annotations = URL(fileURLWithPath: run.annotationsPath)
        let trainSet = try GroundingDataset.load(.charadesSTA, split: "train", from: annotations)
        let testSet = try GroundingDataset.load(.charadesSTA, split: "test", from: annotations)
        var rows: [(label: String, report: MetricsReport)] = [
            ("PromptVTG, prompt-tuned (ours)", summary.bestMetrics),
            ("full fine-tuning after VTM", full.bestMetrics),
            ("full fine-tuning, no VTM", scratch.bestMetrics),
        ]
        for baseline in VideoFreeBaseline.fitted(on: trainSet.samples) {
            rows.append(
                (
                    baseline.label,
                    baseline.evaluate(
                        on: testSet.samples, evaluationProtocol: .vslnet, dataset: testSet.name,
                        split: testSet.split)
                ))
        }

        let grounder = try Grounder(runDirectory: runDirectory, encoder: encoder)
        guard let video = testSet.samples.first?.videoID else {
            throw GroundingError.invalidInput("the synthetic test split is empty")
        }
        let examples = Array(testSet.samples.filter { $0.videoID == video }.prefix(2))
        let features = try grounder.loadFeatures(
            path: location.file(forVideo: video).path)
        let results = try grounder.ground(
            features: features, durationSeconds: examples[0].durationSeconds,
            queries: examples.map(\.query), topK: 3)

        var lines = [
            "",
            "# PromptVTG demo: synthetic Charades-STA (\(trainSet.samples.count) training, \(testSet.samples.count) test queries), protocol vslnet",
            "",
            MetricsTable.markdown(rows),
            "",
            GroundingReport.pretrainingSummary(pretrained),
            "",
            "prompt-tuned: " + GroundingReport.parameterSummary(
                trainable: summary.trainableParameters, frozen: summary.frozenParameters,
                textEncoder: summary.textEncoderParameters)
                + "; checkpoint \(GroundingReport.byteCount(summary.checkpointBytes)) beside the \(GroundingReport.byteCount(pretrained.backboneBytes)) backbone",
            "full fine-tuning: " + GroundingReport.parameterSummary(
                trainable: full.trainableParameters, frozen: full.frozenParameters,
                textEncoder: full.textEncoderParameters)
                + "; checkpoint \(GroundingReport.byteCount(full.checkpointBytes))",
            String(
                format: "training time: VTM pretraining %.0f s, prompt tuning %.0f s, full fine-tuning %.0f s (%.0f s without VTM)",
                pretrained.epochs.map(\.trainingSeconds).reduce(0, +),
                summary.epochs.map(\.trainingSeconds).reduce(0, +),
                full.epochs.map(\.trainingSeconds).reduce(0, +),
                scratch.epochs.map(\.trainingSeconds).reduce(0, +)),
            "",
            "## Two queries grounded by the prompt-tuned model in test video \(video) (\(String(format: "%.1f", examples[0].durationSeconds)) s)",
            "",
        ]
        for (example, result) in zip(examples, results) {
            let truth = example.targets.first.map {
                String(format: "%.1f–%.1f s", $0.startSeconds, $0.endSeconds)
            } ?? "–"
            lines.append("\"\(example.query)\" (annotated \(truth))")
            for (rank, span) in result.spans.enumerated() {
                lines.append(String(
                    format: "  #%d  %5.1f – %5.1f s  score %.3f  IoU with annotation %.2f", rank + 1,
                    span.span.startSeconds, span.span.endSeconds, span.score,
                    example.targets.first.map { span.span.intersectionOverUnion(with: $0) } ?? 0))
            }
        }
        lines.append("")
        lines.append(String(format: "demo finished in %.0f s; run directory %@", Date().timeIntervalSince(start), runDirectory.path))
        return lines.joined(separator: "\n")
    }
}
