import Datasets
import Foundation
import Metrics

/// The end-to-end demo (`vtg demo`): a synthetic Charades-STA-layout dataset, a grounding model
/// trained on it, its test metrics beside the video-free baseline, and two queries grounded in
/// one test video.
public enum GroundingDemo {
    /// The demo's fixed settings: a small dataset and a short schedule that finish in minutes.
    public struct Settings: Sendable {
        public var videos = 400
        public var seed: UInt64 = 0
        public var epochs = 15
        public var batchSize = 16
        public var learningRate: Float = 1e-3

        public init() {}
    }

    /// Runs the demo in `directory` (data in `data/`, the run in `run/`) and returns its report.
    public static func run(
        in directory: URL, settings: Settings = Settings(), encoder: any QueryEncoder,
        reporter: ProgressReporter
    ) throws -> String {
        let dataDirectory = directory.appendingPathComponent("data")
        let runDirectory = directory.appendingPathComponent("run")
        try? FileManager.default.removeItem(at: runDirectory)
        let start = Date()

        reporter.message("demo: writing a synthetic Charades-STA benchmark to \(dataDirectory.path)")
        let manifest = try SyntheticBenchmark.write(
            SyntheticBenchmarkConfiguration(
                layout: .charadesSTA, videoCount: settings.videos, seed: settings.seed),
            to: dataDirectory)
        let source = manifest.featureSource(in: dataDirectory)
        let location = FeatureLocation(format: .npyDirectory, path: source.url.path)

        let run = try GroundingRunConfiguration.prepare(
            dataset: .charadesSTA, annotationsPath: dataDirectory.path, features: location,
            featureKind: "synthetic", evaluationSplit: "test", evaluationProtocol: .vslnet,
            training: GroundingTrainingConfiguration(
                epochs: settings.epochs, batchSize: settings.batchSize,
                learningRate: settings.learningRate, seed: 1))
        reporter.message(GroundingReport.configurationSummary(run))
        let trainer = try GroundingTrainer(
            run: run, directory: runDirectory, encoder: encoder, reporter: reporter)
        let summary = try trainer.train(resume: false)

        let annotations = URL(fileURLWithPath: run.annotationsPath)
        let trainSet = try GroundingDataset.load(.charadesSTA, split: "train", from: annotations)
        let testSet = try GroundingDataset.load(.charadesSTA, split: "test", from: annotations)
        var rows: [(label: String, report: MetricsReport)] = [("PromptVTG (ours)", summary.bestMetrics)]
        for baseline in VideoFreeBaseline.fitted(on: trainSet.samples) {
            rows.append((baseline.label, baseline.evaluate(on: testSet, evaluationProtocol: .vslnet)))
        }

        let grounder = try Grounder(runDirectory: runDirectory, encoder: encoder)
        guard let video = testSet.samples.first?.videoID else {
            throw GroundingError.invalidInput("the synthetic test split is empty")
        }
        let examples = Array(testSet.samples.filter { $0.videoID == video }.prefix(2))
        let features = try grounder.loadFeatures(
            path: source.file(forVideo: video).path)
        let results = try grounder.ground(
            features: features, durationSeconds: examples[0].durationSeconds,
            queries: examples.map(\.query), topK: 3)

        var lines = [
            "",
            "# PromptVTG demo: synthetic Charades-STA (\(trainSet.samples.count) training, \(testSet.samples.count) test queries), protocol vslnet",
            "",
            MetricsTable.markdown(rows),
            "",
            GroundingReport.trainingSummary(summary, run: run),
            "## Two queries grounded in test video \(video) (\(String(format: "%.1f", examples[0].durationSeconds)) s)",
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
