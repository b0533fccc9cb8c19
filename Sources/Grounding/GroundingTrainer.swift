import Datasets
import Foundation
import Metrics
import NeuralNet
import Tensors

/// One epoch's record in `RUN_DIR/log.jsonl`.
public struct EpochRecord: Codable, Sendable {
    public var epoch: Int
    public var trainingLoss: Double
    public var startLoss: Double
    public var endLoss: Double
    public var insideLoss: Double
    public var trainingSeconds: Double
    public var evaluationSeconds: Double
    public var samplesPerSecond: Double
    public var learningRate: Double
    public var metrics: MetricsReport
    public var bestMetric: Double
    public var isBest: Bool
}

/// What a finished training run reports.
public struct GroundingTrainingSummary: Sendable {
    public var epochs: [EpochRecord]
    public var bestEpoch: Int
    public var bestMetrics: MetricsReport
    public var trainableParameters: Int
    /// Frozen scalars of the grounding model (backbone, when prompt-tuned).
    public var frozenParameters: Int
    /// Scalars of the frozen text encoder, shared by every run.
    public var textEncoderParameters: Int
    /// Size of the best checkpoint file.
    public var checkpointBytes: Int
    public var textEncodingSeconds: Double
    public var peakTensorBytes: Int
}

/// Trains a grounding model on one dataset, evaluating after every epoch, keeping the last
/// state (for resuming) and the best weights in the run directory.
public final class GroundingTrainer {
    public let run: GroundingRunConfiguration
    public let directory: RunDirectory
    public let reporter: any ProgressReporting
    let data: TrainingData
    var trainSet: GroundingDataset { data.trainSet }
    var evaluationSet: GroundingDataset { data.evaluationSet }
    var featureStore: FeatureStore { data.featureStore }
    var cache: QueryStateCache { data.cache }
    public let network: GroundingNetwork
    public var parameters: ParameterStore { network.parameters }
    public var model: GroundingModel { network.model }
    /// Scalars of the frozen text encoder (MiniLM), for the share of the whole system trained.
    public let textEncoderParameters: Int

    /// Loads the data and builds the network: fresh weights from the run's seed, the backbone
    /// from `run.backbone` when the run starts from a pretraining run.
    public init(
        run: GroundingRunConfiguration, directory: URL, encoder: any QueryEncoder,
        reporter: any ProgressReporting
    ) throws {
        self.run = run
        self.directory = RunDirectory(directory)
        self.reporter = reporter
        data = try TrainingData(run: run, encoder: encoder)
        network = try GroundingNetwork(run: run, queryEncoder: encoder, loadingBackbone: true)
        textEncoderParameters = (encoder as? MiniLMQueryEncoder)?.encoder.parameters.entries
            .reduce(0) { $0 + $1.tensor.count } ?? 0
    }

    /// Trains for the configured epochs, or resumes from `last.safetensors` when `resume` is set
    /// and the file exists (the result is bit-identical to an uninterrupted run). With
    /// `epochLimit`, stops after that many epochs in this call (a time-boxed session; resume later).
    public func train(resume: Bool, epochLimit: Int? = nil) throws -> GroundingTrainingSummary {
        try FileManager.default.createDirectory(at: directory.url, withIntermediateDirectories: true)
        let training = run.training
        reporter.report(.parameters(
            trainable: parameters.trainableParameterCount,
            frozen: parameters.frozenParameterCount, textEncoder: textEncoderParameters))
        reporter.report(.note(
            "data: \(trainSet.samples.count) training queries (\(run.trainSplit)), \(evaluationSet.samples.count) evaluation queries (\(run.evaluationSplit))"))

        let textStart = Date()
        let queries = trainSet.samples.map(\.query) + evaluationSet.samples.map(\.query)
        reporter.begin("text states", total: Set(queries).count)
        try cache.prepare(queries) { done, _ in self.reporter.update(done: done) }
        let textSeconds = Date().timeIntervalSince(textStart)

        let sampler = BatchSampler(batchSize: training.batchSize, shuffle: true)
        let optimizer = makeOptimizer(
            parameters, training: training, sampleCount: trainSet.samples.count)
        var (generator, firstEpoch, records) = try startOrResume(
            EpochRecord.self, epoch: \.epoch, directory: directory, parameters: parameters,
            optimizer: optimizer, policy: network.checkpointLoadPolicy, training: training,
            resume: resume, reporter: reporter)
        try writeConfiguration()
        let evaluator = GroundingEvaluator(featureStore: featureStore, cache: cache)
        var best = records.filter(\.isBest).last
        TensorMemory.resetPeak()

        let lastEpoch = min(training.epochs, firstEpoch + (epochLimit ?? training.epochs))
        for epoch in firstEpoch..<lastEpoch {
            // Lengths matter only for bucketing, which this sampler does not do.
            let batches = sampler.batches(
                lengths: Array(repeating: 1, count: trainSet.samples.count), using: &generator)
            let epochStart = Date()
            reporter.begin("epoch \(epoch + 1)/\(training.epochs)", total: batches.count)
            var totals = (total: 0.0, start: 0.0, end: 0.0, inside: 0.0)
            var seen = 0
            for (index, indices) in batches.enumerated() {
                let samples = indices.map { trainSet.samples[$0] }
                let batch = try evaluator.batch(
                    of: samples, insideExtension: training.insideExtension)
                var context = ForwardContext(isTraining: true, generator: generator)
                let losses = network.trainingLosses(batch, training: training, context: &context)
                var objective = losses.count == 1
                    ? losses[0].total : Tensor.stack(losses.map(\.total)).sum()
                if training.mismatchedQueryWeight > 0,
                    let mismatched = try mismatchedBatch(samples, evaluator: evaluator)
                {
                    let logits = network.logits(
                        mismatched, rowMembers: .init(repeating: 0, count: mismatched.size),
                        context: &context)
                    let mismatchLoss = GroundingLoss.insideLoss(logits.inside, batch: mismatched)
                    objective = objective + mismatchLoss * training.mismatchedQueryWeight
                }
                generator = context.generator
                optimizationStep(
                    objective, parameters: parameters, optimizer: optimizer,
                    maximumGradientNorm: training.gradientClipNorm)
                // Reported per member (the mean over an ensemble's members).
                let weight = Double(samples.count) / Double(losses.count)
                for loss in losses {
                    totals.total += Double(loss.total.item) * weight
                    totals.start += Double(loss.start.item) * weight
                    totals.end += Double(loss.end.item) * weight
                    totals.inside += Double(loss.inside.item) * weight
                }
                seen += samples.count
                reporter.update(
                    done: index + 1, status: String(format: "loss %.3f", totals.total / Double(seen)),
                    itemsDone: seen)
            }
            let trainingSeconds = Date().timeIntervalSince(epochStart)
            let evaluationStart = Date()
            let report = try evaluate(evaluator: evaluator)
            let evaluationSeconds = Date().timeIntervalSince(evaluationStart)
            let value = report.value(training.bestMetric) ?? 0
            let isBest = best.map { value > $0.bestMetric } ?? true
            let record = EpochRecord(
                epoch: epoch, trainingLoss: totals.total / Double(seen),
                startLoss: totals.start / Double(seen), endLoss: totals.end / Double(seen),
                insideLoss: totals.inside / Double(seen), trainingSeconds: trainingSeconds,
                evaluationSeconds: evaluationSeconds,
                samplesPerSecond: Double(seen) / trainingSeconds,
                learningRate: Double(optimizer.learningRate(group: 0)), metrics: report,
                bestMetric: isBest ? value : (best?.bestMetric ?? value), isBest: isBest)
            records.append(record)
            if isBest {
                best = record
                try Checkpoint.save(
                    to: directory.bestCheckpoint, parameters: parameters,
                    including: network.checkpointFilter, configuration: run.jsonText())
                try writeJSON(report, to: directory.bestMetrics)
            }
            try Checkpoint.save(
                to: directory.lastCheckpoint, parameters: parameters,
                including: network.checkpointFilter, optimizer: optimizer,
                progress: TrainingProgress(
                    epoch: epoch + 1, batch: 0, generatorState: generator.state),
                configuration: run.jsonText())
            try appendJSONLine(record, to: directory.log)
            reporter.report(.note(String(
                format: "epoch %d/%d: loss %.4f, %@ %.2f (best %.2f), train %.1f s (%.0f samples/s), eval %.1f s",
                epoch + 1, training.epochs, record.trainingLoss, training.bestMetric.description,
                value, record.bestMetric, trainingSeconds, record.samplesPerSecond,
                evaluationSeconds)))
        }
        guard let best else {
            throw GroundingError.invalidInput("no epoch was trained (epochs = \(training.epochs))")
        }
        return GroundingTrainingSummary(
            epochs: records, bestEpoch: best.epoch, bestMetrics: best.metrics,
            trainableParameters: parameters.trainableParameterCount,
            frozenParameters: parameters.frozenParameterCount,
            textEncoderParameters: textEncoderParameters,
            checkpointBytes: fileSize(directory.bestCheckpoint), textEncodingSeconds: textSeconds,
            peakTensorBytes: TensorMemory.peakBytes)
    }

    /// The batch's videos, each paired with the query of the next sample that is about another
    /// video (a rotation, so deterministic): no target spans, so every inside label is 0.
    /// Nil when the batch holds a single video.
    func mismatchedBatch(_ samples: [GroundingSample], evaluator: GroundingEvaluator) throws
        -> GroundingBatch?
    {
        var pairs: [GroundingSample] = []
        for (index, sample) in samples.enumerated() {
            let others = (1..<samples.count).map { samples[(index + $0) % samples.count] }
            guard let other = others.first(where: {
                $0.videoID != sample.videoID && $0.query != sample.query
            }) else { continue }
            pairs.append(GroundingSample(
                queryID: sample.queryID, videoID: sample.videoID,
                durationSeconds: sample.durationSeconds, query: other.query, targets: []))
        }
        return pairs.isEmpty ? nil : try evaluator.batch(of: pairs)
    }

    /// The metrics of the current weights on the evaluation split.
    func evaluate(evaluator: GroundingEvaluator) throws -> MetricsReport {
        let probabilities = try evaluator.probabilities(
            of: evaluationSet.samples, forward: network.evaluationForward())
        let windows = GroundingEvaluator.windows(
            probabilities, samples: evaluationSet.samples, maxSpanClips: run.model.maxSpanClips)
        return MetricsReport.evaluate(
            samples: evaluationSet.samples, windows: windows,
            evaluationProtocol: run.evaluationProtocol, dataset: run.dataset,
            split: run.evaluationSplit)
    }

    private func writeConfiguration() throws {
        try Data(run.jsonText().utf8).write(to: directory.configurationFile, options: .atomic)
    }
}

/// The size of the file at `url` in bytes (0 when absent).
func fileSize(_ url: URL) -> Int {
    ((try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? Int) ?? 0
}

/// Writes a value as pretty JSON, atomically.
func writeJSON<Value: Encodable>(_ value: Value, to url: URL) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    try encoder.encode(value).write(to: url, options: .atomic)
}
