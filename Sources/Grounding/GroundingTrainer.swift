import Datasets
import Foundation
import Metrics
import NeuralNet
import Tensors
import VTGCore

/// Trains a grounding model on one dataset (the shared `TrainingLoop` over the grounding
/// objective), evaluating after every epoch, keeping the last state (for resuming) and the
/// best weights in the run directory.
public final class GroundingTrainer {
    /// The run being trained.
    public let run: GroundingRunConfiguration
    /// Where its files go.
    public let directory: RunDirectory
    /// Where progress and events go.
    public let reporter: any ProgressReporting
    let data: TrainingData
    var trainSet: GroundingDataset { data.trainSet }
    var evaluationSet: GroundingDataset { data.evaluationSet }
    /// The network being trained.
    public let network: GroundingNetwork
    /// Every tensor of the network.
    public var parameters: ParameterStore { network.parameters }
    /// The grounding model inside the network.
    public var model: GroundingModel { network.model }
    /// Scalars of the frozen text encoder, for the share of the whole system trained.
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
        textEncoderParameters = encoder.parameterCount
    }

    /// Trains for the configured epochs, or resumes from `last.safetensors` when `resume` is set
    /// and the file exists (the result is bit-identical to an uninterrupted run). With
    /// `epochLimit`, stops after that many epochs in this call (a time-boxed session; resume
    /// later).
    public func train(resume: Bool, epochLimit: Int? = nil) throws -> GroundingTrainingSummary {
        let outcome = try TrainingLoop(objective: self, directory: directory, reporter: reporter)
            .run(resume: resume, epochLimit: epochLimit)
        guard let best = outcome.records.last(where: \.isBest) else {
            throw GroundingError.invalidInput(
                "no epoch was trained (epochs = \(run.training.epochs))")
        }
        let testMetrics = try evaluateTestOnce()
        return GroundingTrainingSummary(
            epochs: outcome.records, bestEpoch: best.epoch,
            bestMetrics: testMetrics ?? best.metrics, selection: run.resolvedSelection,
            validation: run.validation, selectionMetrics: best.metrics,
            stoppedEarly: shouldStop(after: outcome.records)
                && outcome.records.count < run.training.epochs,
            trainableParameters: parameters.trainableParameterCount,
            frozenParameters: parameters.frozenParameterCount,
            textEncoderParameters: textEncoderParameters,
            checkpointBytes: fileSize(directory.bestCheckpoint),
            textEncodingSeconds: outcome.textEncodingSeconds,
            peakTensorBytes: TensorMemory.peakBytes)
    }

    /// When another split picked the epoch: restores the chosen weights (`best.safetensors`)
    /// into the network, evaluates the test split once and writes its metrics to
    /// `best_metrics.json`. Nil when the test split itself picked the epoch.
    func evaluateTestOnce() throws -> MetricsReport? {
        guard let testSet = data.testSet else { return nil }
        try Checkpoint.restore(
            from: directory.bestCheckpoint, into: parameters,
            policy: network.checkpointLoadPolicy)
        let metrics = try network.evaluate(
            testSet.samples, batches: data.evaluationBatches, split: testSet.split,
            evaluationProtocol: run.evaluationProtocol
        ).report
        try writeJSON(metrics, to: directory.bestMetrics)
        return metrics
    }

    /// The batch's videos, each paired with the query of the next sample that is about another
    /// video (a rotation, so deterministic): no target spans, so every inside label is 0.
    /// Nil when the batch holds a single video.
    func mismatchedBatch(_ samples: [GroundingSample]) throws -> GroundingBatch? {
        var pairs: [GroundingSample] = []
        for (index, sample) in samples.enumerated() {
            let others = (1..<samples.count).map { samples[(index + $0) % samples.count] }
            guard
                let other = others.first(where: {
                    $0.videoID != sample.videoID && $0.query != sample.query
                })
            else { continue }
            pairs.append(
                GroundingSample(
                    queryID: sample.queryID, videoID: sample.videoID,
                    durationSeconds: sample.durationSeconds, query: other.query, targets: []))
        }
        return pairs.isEmpty ? nil : try data.batches.batch(of: pairs)
    }
}

extension GroundingTrainer: TrainingObjective {
    var checkpointLoadPolicy: LoadPolicy { network.checkpointLoadPolicy }
    var checkpointFilter: (ParameterStore.Entry) -> Bool { network.checkpointFilter }
    var epochLabel: String { "epoch" }

    var openingEvents: [RunEvent] {
        [
            .parameters(
                trainable: parameters.trainableParameterCount,
                frozen: parameters.frozenParameterCount, textEncoder: textEncoderParameters),
            .data(
                TrainingDataSummary(
                    trainingCount: trainSet.samples.count, trainSplit: run.trainSplit,
                    evaluationCount: evaluationSet.samples.count,
                    evaluationSplit: evaluationSet.split,
                    trainingAnomalies: data.trainSet.anomalies,
                    evaluationAnomalies: data.evaluationSet.anomalies)),
        ]
    }

    /// The grounding losses of the batch (one per trained ensemble member), plus the
    /// mismatched-query loss when it is weighted.
    func step(_ samples: [GroundingSample], generator: inout SeededGenerator) throws
        -> (objective: Tensor, outcome: GroundingEpochTally.Outcome)
    {
        let training = run.training
        let batch = try data.batches.batch(of: samples, insideExtension: training.insideExtension)
        var context = ForwardContext(isTraining: true, generator: generator)
        let losses = network.trainingLosses(batch, training: training, context: &context)
        var objective =
            losses.count == 1
            ? losses[0].total : Tensor.stack(losses.map(\.total)).sum()
        if training.mismatchedQueryWeight > 0, let mismatched = try mismatchedBatch(samples) {
            let logits = network.logits(
                mismatched, rowMembers: .init(repeating: 0, count: mismatched.size),
                context: &context)
            let mismatchLoss = GroundingLoss.insideLoss(logits.inside, batch: mismatched)
            objective = objective + mismatchLoss * training.mismatchedQueryWeight
        }
        generator = context.generator
        return (objective, .init(losses: losses, sampleCount: samples.count))
    }

    /// The metrics of the current weights on the evaluation split.
    func evaluate() throws -> MetricsReport {
        network.refreshEncodedPrompts()
        return try network.evaluate(
            evaluationSet.samples, batches: data.evaluationBatches, split: evaluationSet.split,
            evaluationProtocol: run.evaluationProtocol
        ).report
    }

    func record(
        epoch: Int, tally: GroundingEpochTally, evaluation: MetricsReport, timing: EpochTiming,
        learningRate: Double, previous: [EpochRecord]
    ) -> EpochRecord {
        let best = previous.last(where: \.isBest)
        let value = evaluation.value(run.training.bestMetric) ?? 0
        let isBest = best.map { value > $0.bestMetric } ?? true
        let seen = Double(tally.samples)
        return EpochRecord(
            epoch: epoch, trainingLoss: tally.total / seen, startLoss: tally.start / seen,
            endLoss: tally.end / seen, insideLoss: tally.inside / seen,
            trainingSeconds: timing.trainingSeconds, evaluationSeconds: timing.evaluationSeconds,
            samplesPerSecond: seen / timing.trainingSeconds, learningRate: learningRate,
            metrics: evaluation, bestMetric: isBest ? value : (best?.bestMetric ?? value),
            isBest: isBest)
    }

    /// The best weights so far (`best.safetensors`) and their metrics.
    func keep(
        _ record: EpochRecord, save: (URL, (ParameterStore.Entry) -> Bool) throws -> Void
    ) throws {
        guard record.isBest else { return }
        try save(directory.bestCheckpoint, network.bestCheckpointFilter)
        try writeJSON(
            record.metrics,
            to: data.testSet == nil ? directory.bestMetrics : directory.validationMetrics)
    }

    /// Early stopping on the selection metric, when configured.
    func shouldStop(after records: [EpochRecord]) -> Bool {
        run.training.earlyStopping?.shouldStop(improvements: records.map(\.isBest)) ?? false
    }

    func finishedEvent(_ record: EpochRecord) -> RunEvent {
        .epochFinished(
            record, totalEpochs: run.training.epochs, bestMetric: run.training.bestMetric)
    }
}

/// A grounding epoch's running loss totals, per sample (an ensemble's members averaged).
struct GroundingEpochTally: EpochTally {
    /// One step's losses (one per trained member) and its sample count.
    struct Outcome {
        var losses: [GroundingLoss]
        var sampleCount: Int
    }

    /// Sums of the losses' components over the epoch, each sample weighing 1.
    var total = 0.0, start = 0.0, end = 0.0, inside = 0.0
    /// Samples so far.
    var samples = 0

    mutating func add(_ outcome: Outcome) {
        // Reported per member (the mean over an ensemble's members).
        let weight = Double(outcome.sampleCount) / Double(outcome.losses.count)
        for loss in outcome.losses {
            total += Double(loss.total.item) * weight
            start += Double(loss.start.item) * weight
            end += Double(loss.end.item) * weight
            inside += Double(loss.inside.item) * weight
        }
        samples += outcome.sampleCount
    }

    var status: String { String(format: "loss %.3f", total / Double(samples)) }
    var itemsDone: Int { samples }
}
