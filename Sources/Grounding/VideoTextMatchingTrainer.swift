import Datasets
import Foundation
import NeuralNet
import Tensors

/// One pretraining epoch's record in `RUN_DIR/log.jsonl`.
public struct PretrainingEpochRecord: Codable, Sendable {
    /// The epoch, from 0.
    public var epoch: Int
    /// Mean VTM loss over the epoch's pairs.
    public var trainingLoss: Double
    /// The clip-level matching loss (binary cross-entropy per real clip; 0 when off).
    public var clipMatchingLoss: Double
    /// Share of training pairs classified right (match probability above ½), in percent.
    public var trainingAccuracy: Double
    /// VTM loss on the held-out pairs (the evaluation split, pairs drawn with a fixed seed).
    public var heldOutLoss: Double
    /// Matching accuracy on the held-out pairs, in percent.
    public var heldOutAccuracy: Double
    /// Share of held-out sentences whose own moment scores highest among the moments of its
    /// batch, in percent (chance: 100 / `retrievalCandidates`).
    public var retrievalAccuracy: Double
    /// Moments each held-out sentence is ranked against (the batch size).
    public var retrievalCandidates: Int
    /// Seconds spent training (evaluation excluded).
    public var trainingSeconds: Double
    /// Seconds of the held-out checks.
    public var evaluationSeconds: Double
    /// Training throughput in pairs (VIOLET: two per moment).
    public var pairsPerSecond: Double
    /// The learning rate at the end of the epoch.
    public var learningRate: Double
}

/// What a finished pretraining run reports.
public struct PretrainingSummary: Sendable {
    /// Every epoch's record.
    public var epochs: [PretrainingEpochRecord]
    /// The backbone file the grounding stage starts from (`--init`).
    public var backbone: URL
    /// Scalars trained (backbone and matching heads).
    public var trainableParameters: Int
    /// Size of `backbone.safetensors`.
    public var backboneBytes: Int
}

/// Video-text matching pretraining (`vtg train --stage pretrain`): trains the video encoder and
/// the fusion transformer (with the text projection) to tell whether a sentence describes a
/// moment, on moment–sentence pairs of the training split with in-batch negatives. After every
/// epoch it writes `backbone.safetensors` (the backbone alone, what `--init` loads),
/// `last.safetensors` (everything with the optimiser, for `--resume`) and a log record.
public final class VideoTextMatchingTrainer {
    /// The pretraining run.
    public let run: GroundingRunConfiguration
    /// Where its files go.
    public let directory: RunDirectory
    /// Progress and epoch lines.
    public let reporter: any ProgressReporting
    let style: VideoTextMatchingStyle
    let contextFraction: Double
    let data: TrainingData
    var trainSet: GroundingDataset { data.trainSet }
    /// Held-out pairs come from the evaluation split.
    var heldOutSet: GroundingDataset { data.evaluationSet }
    var featureStore: FeatureStore { data.featureStore }
    var cache: QueryStateCache { data.cache }
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
        clipHead = pretraining.clipMatchingWeight > 0
            ? Linear(
                .init(inputSize: run.model.hiddenSize, outputSize: 1),
                parameters: network.parameters.scope(VideoTextMatchingHead.parameterPrefix + ".clip"))
            : nil
        for prefix in SpanHead.parameterPrefixes { network.parameters.freeze(prefix: prefix) }
    }

    /// The clip-level matching loss of whole videos with their own sentences: binary
    /// cross-entropy of every real clip's fused token against "inside the moment", averaged
    /// over real clips.
    func clipMatchingLoss(
        _ samples: [GroundingSample], clipHead: Linear, context: inout ForwardContext
    ) throws -> Tensor {
        let evaluator = GroundingEvaluator(featureStore: featureStore, cache: cache)
        let batch = try evaluator.batch(of: samples, insideExtension: run.training.insideExtension)
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
        var features: [ClipFeatures] = []
        var states: [QueryStates] = []
        var pairSamples: [GroundingSample] = []
        var firstClips: [Int] = []
        for pair in pairs {
            let video = samples[pair.videoIndex]
            let text = samples[pair.textIndex]
            let clips: ClipFeatures
            do { clips = try featureStore.features(forVideo: video.videoID) } catch {
                throw GroundingError.invalidInput("query \(video.queryID): \(error)")
            }
            let moment = VideoTextMatching.momentFeatures(
                of: video, in: clips, contextFraction: contextFraction)
            features.append(moment.features)
            firstClips.append(moment.firstClip)
            states.append(try cache.states(of: text.query))
            pairSamples.append(GroundingSample(
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

    /// Trains for the configured epochs (or resumes from `last.safetensors`).
    public func train(resume: Bool) throws -> PretrainingSummary {
        try FileManager.default.createDirectory(at: directory.url, withIntermediateDirectories: true)
        let training = run.training
        let parameters = network.parameters
        reporter.report(.note(
            "parameters: \(parameters.trainableParameterCount) trainable (backbone and matching head), \(parameters.frozenParameterCount) frozen (span heads)"))
        reporter.report(.note(
            "data: \(trainSet.samples.count) training moments (\(run.trainSplit)), \(heldOutSet.samples.count) held-out moments (\(run.evaluationSplit)), context \(contextFraction) of each moment's length"))
        let queries = trainSet.samples.map(\.query) + heldOutSet.samples.map(\.query)
        reporter.begin("text states", total: Set(queries).count)
        try cache.prepare(queries) { done, _ in self.reporter.update(done: done) }

        let sampler = BatchSampler(batchSize: training.batchSize, shuffle: true)
        let optimizer = makeOptimizer(
            parameters, training: training, sampleCount: trainSet.samples.count)
        var (generator, firstEpoch, records) = try startOrResume(
            PretrainingEpochRecord.self, epoch: \.epoch, directory: directory,
            parameters: parameters, optimizer: optimizer, policy: .strict, training: training,
            resume: resume, reporter: reporter)
        try Data(run.jsonText().utf8).write(to: directory.configurationFile, options: .atomic)

        for epoch in firstEpoch..<training.epochs {
            let batches = sampler.batches(
                lengths: Array(repeating: 1, count: trainSet.samples.count), using: &generator)
            let epochStart = Date()
            reporter.begin("VTM epoch \(epoch + 1)/\(training.epochs)", total: batches.count)
            var lossTotal = 0.0
            var clipLossTotal = 0.0
            var correct = 0
            var pairCount = 0
            for (index, indices) in batches.enumerated() {
                let samples = indices.map { trainSet.samples[$0] }
                let pairs = VideoTextMatching.pairs(for: samples, style: style, using: &generator)
                var context = ForwardContext(isTraining: true, generator: generator)
                let logits = try logits(pairs, samples: samples, context: &context)
                generator = context.generator
                let labels = pairs.map(\.isMatch)
                let loss = VideoTextMatching.loss(logits: logits, isMatch: labels, style: style)
                var objective = loss
                if let clipHead {
                    var clipContext = ForwardContext(isTraining: true, generator: generator)
                    let clipLoss = try clipMatchingLoss(
                        samples, clipHead: clipHead, context: &clipContext)
                    generator = clipContext.generator
                    objective = objective + clipLoss * clipMatchingWeight
                    clipLossTotal += Double(clipLoss.item) * Double(samples.count)
                }
                optimizationStep(
                    objective, parameters: parameters, optimizer: optimizer,
                    maximumGradientNorm: training.gradientClipNorm)
                let probabilities = VideoTextMatching.matchProbabilities(logits: logits, style: style)
                correct += zip(probabilities, labels).filter { ($0 > 0.5) == $1 }.count
                pairCount += pairs.count
                lossTotal += Double(loss.item) * Double(pairs.count)
                reporter.update(
                    done: index + 1,
                    status: String(format: "VTM loss %.3f", lossTotal / Double(pairCount)),
                    itemsDone: pairCount)
            }
            let trainingSeconds = Date().timeIntervalSince(epochStart)
            let evaluationStart = Date()
            let heldOut = try evaluateHeldOut(batchSize: training.batchSize)
            let record = PretrainingEpochRecord(
                epoch: epoch, trainingLoss: lossTotal / Double(max(pairCount, 1)),
                clipMatchingLoss: clipLossTotal / Double(trainSet.samples.count),
                trainingAccuracy: 100 * Double(correct) / Double(max(pairCount, 1)),
                heldOutLoss: heldOut.loss, heldOutAccuracy: heldOut.accuracy,
                retrievalAccuracy: heldOut.retrieval, retrievalCandidates: training.batchSize,
                trainingSeconds: trainingSeconds,
                evaluationSeconds: Date().timeIntervalSince(evaluationStart),
                pairsPerSecond: Double(pairCount) / trainingSeconds,
                learningRate: Double(optimizer.learningRate(group: 0)))
            records.append(record)
            try Checkpoint.save(
                to: directory.backboneCheckpoint, parameters: parameters,
                including: { GroundingNetwork.isBackbone($0.path) }, configuration: run.jsonText())
            try Checkpoint.save(
                to: directory.lastCheckpoint, parameters: parameters, optimizer: optimizer,
                progress: TrainingProgress(
                    epoch: epoch + 1, batch: 0, generatorState: generator.state),
                configuration: run.jsonText())
            try appendJSONLine(record, to: directory.log)
            reporter.report(.note(String(
                format: "VTM epoch %d/%d: loss %.4f (clip matching %.4f), accuracy %.1f%%; held-out loss %.4f, accuracy %.1f%%, retrieval R@1 among %d %.1f%%; train %.1f s (%.0f pairs/s), eval %.1f s",
                epoch + 1, training.epochs, record.trainingLoss, record.clipMatchingLoss,
                record.trainingAccuracy,
                record.heldOutLoss, record.heldOutAccuracy, training.batchSize,
                record.retrievalAccuracy, trainingSeconds, record.pairsPerSecond,
                record.evaluationSeconds)))
        }
        return PretrainingSummary(
            epochs: records, backbone: directory.backboneCheckpoint,
            trainableParameters: parameters.trainableParameterCount,
            backboneBytes: fileSize(directory.backboneCheckpoint))
    }

    /// Held-out matching loss and accuracy (pairs drawn with a fixed seed, the same every
    /// epoch) and the in-batch retrieval check, in evaluation mode.
    func evaluateHeldOut(batchSize: Int) throws -> (loss: Double, accuracy: Double, retrieval: Double) {
        var generator = SeededGenerator(seed: 0xE7A1)
        var lossTotal = 0.0
        var correct = 0
        var pairCount = 0
        var retrieved = 0
        var ranked = 0
        let samples = heldOutSet.samples
        var start = 0
        while start < samples.count {
            let chunk = Array(samples[start..<min(start + batchSize, samples.count)])
            start += chunk.count
            let pairs = VideoTextMatching.pairs(for: chunk, style: style, using: &generator)
            var context = ForwardContext(isTraining: false, generator: SeededGenerator(seed: 0))
            try withGradientsDisabled {
                let logits = try logits(pairs, samples: chunk, context: &context)
                let labels = pairs.map(\.isMatch)
                lossTotal += Double(
                    VideoTextMatching.loss(logits: logits, isMatch: labels, style: style).item)
                    * Double(pairs.count)
                let probabilities = VideoTextMatching.matchProbabilities(logits: logits, style: style)
                correct += zip(probabilities, labels).filter { ($0 > 0.5) == $1 }.count
                pairCount += pairs.count
                guard chunk.count > 1 else { return }
                // Every sentence against every moment of the chunk.
                let all = chunk.indices.flatMap { text in
                    chunk.indices.map {
                        MatchingPair(videoIndex: $0, textIndex: text, isMatch: $0 == text)
                    }
                }
                var scores: [Float] = []
                for offset in stride(from: 0, to: all.count, by: 64) {
                    let part = Array(all[offset..<min(offset + 64, all.count)])
                    scores += VideoTextMatching.matchProbabilities(
                        logits: try self.logits(part, samples: chunk, context: &context),
                        style: style)
                }
                for text in chunk.indices {
                    let row = scores[(text * chunk.count)..<((text + 1) * chunk.count)]
                    let own = row[row.startIndex + text]
                    if !row.enumerated().contains(where: { $0.offset != text && $0.element >= own }) {
                        retrieved += 1
                    }
                    ranked += 1
                }
            }
        }
        return (
            lossTotal / Double(max(pairCount, 1)), 100 * Double(correct) / Double(max(pairCount, 1)),
            100 * Double(retrieved) / Double(max(ranked, 1))
        )
    }
}

/// Appends one JSON record to a JSON-lines log (the file rewritten whole and renamed into place,
/// so an interrupted write never truncates it).
func appendJSONLine<Record: Encodable>(_ record: Record, to url: URL) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    var text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    text += String(decoding: try encoder.encode(record), as: UTF8.self) + "\n"
    try Data(text.utf8).write(to: url, options: .atomic)
}

/// The records of a JSON-lines log that decode (none when the file is absent).
func readJSONLines<Record: Decodable>(_ type: Record.Type, from url: URL) -> [Record] {
    guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
    return text.split(separator: "\n").compactMap {
        try? JSONDecoder().decode(Record.self, from: Data($0.utf8))
    }
}
