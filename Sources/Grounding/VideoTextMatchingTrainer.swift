import Datasets
import Foundation
import NeuralNet
import Tensors
import VTGCore

/// Video-text matching pretraining (`vtg train --stage pretrain`): trains the video encoder and
/// the fusion transformer (with the text projection) to tell whether a sentence describes a
/// moment, on moment–sentence pairs of the training split with in-batch negatives (the shared
/// `TrainingLoop` over the matching objective). After every epoch it writes
/// `backbone.safetensors` (the backbone alone, what `--init` loads), `last.safetensors`
/// (everything with the optimiser, for `--resume`) and a log record.
public final class VideoTextMatchingTrainer {
    /// The pretraining run.
    public let run: GroundingRunConfiguration
    /// Where its files go.
    public let directory: RunDirectory
    /// Where progress and events go.
    public let reporter: any ProgressReporting
    let style: VideoTextMatchingStyle
    let contextFraction: Double
    let data: TrainingData
    var trainSet: GroundingDataset { data.trainSet }
    /// Held-out pairs come from the evaluation split.
    var heldOutSet: GroundingDataset { data.evaluationSet }
    /// The model being pre-trained.
    public let network: GroundingNetwork
    /// The [CLS] matching head of the run's style.
    public let head: VideoTextMatchingHead
    /// The clip-level matching classifier (`vtm_head.clip`), when that objective is on.
    let clipHead: Linear?
    let clipMatchingWeight: Float

    /// Loads the data and builds the model with its matching head (fresh weights from the
    /// run's seed); the span heads are frozen (pretraining does not use them).
    public init(
        run: GroundingRunConfiguration, directory: URL, encoder: any QueryEncoder,
        reporter: any ProgressReporting
    ) throws {
        guard run.resolvedStage == .pretrain, let pretraining = run.pretraining else {
            throw GroundingError.invalidValue(
                .stage, value: run.resolvedStage.rawValue,
                expected: "pretrain, with a video-text matching objective")
        }
        self.run = run
        self.directory = RunDirectory(directory)
        self.reporter = reporter
        style = pretraining.style
        contextFraction = pretraining.contextFraction
        data = try TrainingData(run: run, encoder: encoder)
        network = try GroundingNetwork(run: run, queryEncoder: encoder, loadingBackbone: false)
        head = VideoTextMatchingHead(
            style: pretraining.style, hiddenSize: run.model.hiddenSize,
            parameters: network.parameters.root)
        clipMatchingWeight = pretraining.clipMatchingWeight
        clipHead =
            pretraining.clipMatchingWeight > 0
            ? Linear(
                .init(inputSize: run.model.hiddenSize, outputSize: 1),
                parameters: network.parameters.scope(
                    VideoTextMatchingHead.parameterPrefix + ".clip"))
            : nil
        for prefix in SpanHead.parameterPrefixes { network.parameters.freeze(prefix: prefix) }
    }

    /// Trains for the configured epochs, or resumes from `last.safetensors` when `resume` is set
    /// and the file exists (bit-identical to an uninterrupted run); with `epochLimit`, stops
    /// after that many epochs in this call.
    public func train(resume: Bool, epochLimit: Int? = nil) throws -> PretrainingSummary {
        let outcome = try TrainingLoop(objective: self, directory: directory, reporter: reporter)
            .run(resume: resume, epochLimit: epochLimit)
        return PretrainingSummary(
            epochs: outcome.records, backbone: directory.backboneCheckpoint,
            trainableParameters: parameters.trainableParameterCount,
            backboneBytes: fileSize(directory.backboneCheckpoint))
    }

    /// The clip-level matching loss of whole videos with their own sentences: binary
    /// cross-entropy of every real clip's fused token against "inside the moment", averaged
    /// over real clips.
    func clipMatchingLoss(
        _ samples: [GroundingSample], clipHead: Linear, context: inout ForwardContext
    ) throws -> Tensor {
        let batch = try data.batches.batch(
            of: samples, insideExtension: run.training.insideExtension)
        let model = network.model
        let fused = model.fuse(
            video: model.encodeVideo(batch, context: &context), batch: batch, context: &context)
        let clips = batch.clipCount
        let logits = clipHead(fused.slice(axis: 1, range: 1..<(1 + clips)))
            .reshaped(to: [batch.size, clips])
        return GroundingLoss.insideLoss(logits, batch: batch)
    }

    /// The padded batch of `pairs` over `samples`: each pair's moment clips with its sentence.
    func batch(of pairs: [MatchingPair], samples: [GroundingSample]) throws -> GroundingBatch {
        let batches = data.batches
        var features: [ClipFeatures] = []
        var states: [QueryStates] = []
        var pairSamples: [GroundingSample] = []
        var firstClips: [Int] = []
        for pair in pairs {
            let video = samples[pair.videoIndex]
            let text = samples[pair.textIndex]
            let moment = VideoTextMatching.momentFeatures(
                of: video, in: try batches.clipFeatures(of: video),
                contextFraction: contextFraction)
            features.append(moment.features)
            firstClips.append(moment.firstClip)
            states.append(try batches.cache.states(of: text.query))
            pairSamples.append(
                GroundingSample(
                    queryID: text.queryID, videoID: video.videoID,
                    durationSeconds: video.durationSeconds, query: text.query, targets: []))
        }
        var batch = GroundingBatch(samples: pairSamples, features: features, states: states)
        batch.firstClipPositions = firstClips
        return batch
    }

    /// The head's logits for `pairs`.
    func logits(
        _ pairs: [MatchingPair], samples: [GroundingSample], context: inout ForwardContext
    ) throws -> Tensor {
        let batch = try batch(of: pairs, samples: samples)
        return head(network.model.classificationState(batch, context: &context), context: &context)
    }
}

extension VideoTextMatchingTrainer: TrainingObjective {
    var parameters: ParameterStore { network.parameters }
    var checkpointLoadPolicy: LoadPolicy { .strict }
    var checkpointFilter: (ParameterStore.Entry) -> Bool { { _ in true } }
    var epochLabel: String { "VTM epoch" }

    var openingEvents: [RunEvent] {
        [
            .pretrainingParameters(
                trainable: parameters.trainableParameterCount,
                frozen: parameters.frozenParameterCount),
            .data(
                TrainingDataSummary(
                    trainingCount: trainSet.samples.count, trainSplit: run.trainSplit,
                    evaluationCount: heldOutSet.samples.count, evaluationSplit: run.evaluationSplit,
                    momentContextFraction: contextFraction,
                    trainingAnomalies: data.trainSet.anomalies,
                    evaluationAnomalies: data.evaluationSet.anomalies)),
        ]
    }

    /// The matching loss of the batch's pairs (drawn from `generator`), plus the weighted
    /// clip-level matching loss when that objective is on.
    func step(_ samples: [GroundingSample], generator: inout SeededGenerator) throws
        -> (objective: Tensor, outcome: MatchingEpochTally.Outcome)
    {
        let pairs = VideoTextMatching.pairs(for: samples, style: style, using: &generator)
        var context = ForwardContext(isTraining: true, generator: generator)
        let logits = try logits(pairs, samples: samples, context: &context)
        generator = context.generator
        let labels = pairs.map(\.isMatch)
        let loss = VideoTextMatching.loss(logits: logits, isMatch: labels, style: style)
        var objective = loss
        var clipLoss: Tensor?
        if let clipHead {
            var clipContext = ForwardContext(isTraining: true, generator: generator)
            let value = try clipMatchingLoss(samples, clipHead: clipHead, context: &clipContext)
            generator = clipContext.generator
            objective = objective + value * clipMatchingWeight
            clipLoss = value
        }
        return (
            objective,
            .init(
                loss: loss, logits: logits, isMatch: labels, style: style, clipLoss: clipLoss,
                sampleCount: samples.count)
        )
    }

    /// The held-out checks of the current weights.
    func evaluate() throws -> HeldOutMatching {
        try evaluateHeldOut(batchSize: run.training.batchSize)
    }

    func record(
        epoch: Int, tally: MatchingEpochTally, evaluation: HeldOutMatching, timing: EpochTiming,
        learningRate: Double, previous: [PretrainingEpochRecord]
    ) -> PretrainingEpochRecord {
        let pairs = Double(max(tally.pairs, 1))
        return PretrainingEpochRecord(
            epoch: epoch, trainingLoss: tally.loss / pairs,
            clipMatchingLoss: tally.clipLoss / Double(tally.samples),
            trainingAccuracy: 100 * Double(tally.correct) / pairs,
            heldOutLoss: evaluation.loss, heldOutAccuracy: evaluation.accuracy,
            retrievalAccuracy: evaluation.retrieval, retrievalCandidates: run.training.batchSize,
            trainingSeconds: timing.trainingSeconds, evaluationSeconds: timing.evaluationSeconds,
            pairsPerSecond: Double(tally.pairs) / timing.trainingSeconds,
            learningRate: learningRate)
    }

    /// Every epoch's backbone replaces the last one (`backbone.safetensors`): pretraining has
    /// no metric that picks an epoch.
    func keep(
        _ record: PretrainingEpochRecord,
        save: (URL, (ParameterStore.Entry) -> Bool) throws -> Void
    ) throws {
        try save(directory.backboneCheckpoint, { GroundingNetwork.isBackbone($0.path) })
    }

    func finishedEvent(_ record: PretrainingEpochRecord) -> RunEvent {
        .pretrainingEpochFinished(record, totalEpochs: run.training.epochs)
    }
}

/// A pretraining epoch's running totals: the matching loss per pair, the clip-level loss per
/// sample, and the pairs classified right.
struct MatchingEpochTally: EpochTally {
    /// One step's matching loss and logits, the pairs' labels, and the clip-level loss.
    struct Outcome {
        var loss: Tensor
        var logits: Tensor
        var isMatch: [Bool]
        var style: VideoTextMatchingStyle
        var clipLoss: Tensor?
        var sampleCount: Int
    }

    /// The matching loss summed over pairs; the clip-level loss summed over samples.
    var loss = 0.0, clipLoss = 0.0
    /// Pairs classified right, pairs and samples so far.
    var correct = 0, pairs = 0, samples = 0

    mutating func add(_ outcome: Outcome) {
        if let value = outcome.clipLoss {
            clipLoss += Double(value.item) * Double(outcome.sampleCount)
        }
        let probabilities = VideoTextMatching.matchProbabilities(
            logits: outcome.logits, style: outcome.style)
        correct +=
            zip(probabilities, outcome.isMatch).filter {
                ($0 > VideoTextMatching.matchThreshold) == $1
            }.count
        pairs += outcome.isMatch.count
        loss += Double(outcome.loss.item) * Double(outcome.isMatch.count)
        samples += outcome.sampleCount
    }

    var status: String { String(format: "VTM loss %.3f", loss / Double(pairs)) }
    var itemsDone: Int { pairs }
}
