import Datasets
import Foundation
import Metrics
import NeuralNet
import Tensors
import VTGCore

/// One query's answer in one video: ranked spans in seconds and the per-clip curves.
public struct GroundingResult: Codable, Sendable {
    /// The query grounded.
    public var query: String
    /// The video's duration.
    public var durationSeconds: Double
    /// Ranked spans, best first.
    public var spans: [ScoredSpan]
    /// Per-clip start probabilities, one per clip of the video (averaged over the windows that
    /// cover a clip when the video is longer than the model's `maxClips`).
    public var startProbabilities: [Float]
    /// Per-clip end probabilities, as the start probabilities.
    public var endProbabilities: [Float]
    /// Per-clip inside-the-moment probabilities, as the start probabilities.
    public var insideProbabilities: [Float]
}

/// A trained model loaded from a run directory, ready to ground queries in one's own videos.
public final class Grounder {
    /// The run's configuration (`run.json`).
    public let run: GroundingRunConfiguration
    /// The run directory it was loaded from.
    public let runDirectory: URL
    /// The network with the run's best weights.
    public let network: GroundingNetwork
    /// The grounding model inside the network.
    public var model: GroundingModel { network.model }
    let cache: QueryStateCache

    /// Loads `RUN_DIR/run.json` and the best weights (strictly: every tensor present and of the
    /// right shape). A prompt-tuned run's checkpoint holds only its prompts and heads: the
    /// backbone it names is loaded first, and refused when its checksum differs. The grounding
    /// model's inference products run at `modelPrecision` (float32 where the CPU lacks its
    /// kernel: `network.modelPrecision` says what runs; see `GroundingNetwork.convertModel`).
    public init(
        runDirectory: URL, encoder: any QueryEncoder, modelPrecision: Precision = .float32
    ) throws {
        let directory = RunDirectory(runDirectory)
        self.runDirectory = runDirectory
        run = try directory.configuration()
        guard run.resolvedStage == .ground else {
            throw GroundingError.invalidValue(
                .runDirectory, value: "\(runDirectory.path), a pretraining run (no span head)",
                expected: "a grounding run: prompt-tune or fine-tune one from this run first")
        }
        guard FileManager.default.fileExists(atPath: directory.bestCheckpoint.path) else {
            throw GroundingError.missingFile(
                path: directory.bestCheckpoint.path,
                what: "trained weights (no epoch of the run has finished)", input: .runDirectory)
        }
        network = try GroundingNetwork(
            run: run, queryEncoder: encoder, loadingBackbone: run.resolvedTuning.freezesBackbone)
        do {
            _ = try Checkpoint.restore(
                from: directory.bestCheckpoint, into: network.parameters,
                policy: network.checkpointLoadPolicy)
        } catch {
            throw GroundingError.corruptRun(path: directory.bestCheckpoint.path, reason: "\(error)")
        }
        network.convertModel(to: modelPrecision)
        cache = QueryStateCache(encoder: encoder)
    }

    /// Loads a run with the query encoder its model was built for (MiniLM, its products at
    /// `textPrecision`, by default the run's own, float32 unless it was trained otherwise; CLIP's
    /// text tower from the CLIP folder the run recorded unless `textModelOption` names another;
    /// or the tokenizer alone for a from-scratch text encoder), and the grounding model's
    /// products at `modelPrecision`.
    public convenience init(
        runDirectory: URL, textModelOption: String?, textPrecision: Precision? = nil,
        modelPrecision: Precision = .float32
    ) throws {
        let run = try RunDirectory(runDirectory).configuration()
        let option =
            run.model.textEncoder == .clip ? textModelOption ?? run.textModelPath : textModelOption
        try self.init(
            runDirectory: runDirectory,
            encoder: makeQueryEncoder(
                for: run.model, textModelOption: option,
                precision: textPrecision ?? run.resolvedTextPrecision),
            modelPrecision: modelPrecision)
    }

    /// The precision the text encoder's products run at.
    public var textPrecision: Precision { cache.encoder.precision }

    /// Reads one video's features from a `.npy` or `.npz` file (or an HDF5 file with `videoID`)
    /// and checks them against the model. Any length: a video longer than `maxClips` clips is
    /// grounded by sliding windows (`SlidingWindows`).
    public func loadFeatures(path: String, key: String? = nil, videoID: String? = nil) throws
        -> ClipFeatures
    {
        let (location, identifier) = try FeatureLocation.detect(
            videoFile: path, key: key, videoID: videoID)
        let store = try FeatureStore(
            FeatureStoreConfiguration(location: location))
        let features = try store.features(forVideo: identifier)
        guard features.featureDimension == run.model.featureDimension else {
            throw GroundingError.featureMismatch(
                path: path,
                expected:
                    "\(run.model.featureKind) features of dimension \(run.model.featureDimension)",
                actual: "of dimension \(features.featureDimension)")
        }
        return features
    }

    /// Checks what `ground` is asked without loading anything: a positive finite duration, at
    /// least one query, no empty query, at least one span per query.
    public static func validate(durationSeconds: Double, queries: [String], topK: Int)
        throws(GroundingError)
    {
        guard durationSeconds > 0, durationSeconds.isFinite else {
            throw .invalidValue(
                .duration, value: "\(durationSeconds)", expected: "a positive number of seconds")
        }
        if queries.isEmpty {
            throw .missingInputs([.query], alternatives: [], reason: "there is nothing to ground")
        }
        for query in queries where query.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw .invalidValue(.query, value: "empty", expected: "some words")
        }
        if topK < 1 { throw .invalidValue(.spanCount, value: "\(topK)", expected: "at least 1") }
    }

    /// Checks a sliding-window stride against the model: nil (half a window) or 1…`maxClips`.
    public func validate(windowStride: Int?) throws(GroundingError) {
        guard let windowStride else { return }
        let window = run.model.maxClips
        guard (1...window).contains(windowStride) else {
            throw .invalidValue(
                .windowStride, value: "\(windowStride)",
                expected: "1…\(window) clips (the model's windows hold \(window) clips)")
        }
    }

    /// Grounds each query in the video (`topK` spans each, best first). A video longer than the
    /// model's `maxClips` clips is grounded by windows `windowStride` clips apart (default half
    /// a window; see `SlidingWindows`).
    public func ground(
        features: ClipFeatures, durationSeconds: Double, queries: [String],
        topK: Int = SpanDecoder.defaultTopK, windowStride: Int? = nil
    ) throws -> [GroundingResult] {
        try Self.validate(durationSeconds: durationSeconds, queries: queries, topK: topK)
        try validate(windowStride: windowStride)
        let samples = queries.enumerated().map { index, query in
            GroundingSample(
                queryID: index, videoID: "video", durationSeconds: durationSeconds, query: query,
                targets: [])
        }
        let predictions = try network.predict(
            samples, batches: GroundingBatchBuilder(video: features, cache: cache), topK: topK,
            windowStride: windowStride)
        return predictions.map { prediction in
            GroundingResult(
                query: prediction.sample.query, durationSeconds: durationSeconds,
                spans: prediction.spans, startProbabilities: prediction.probabilities.start,
                endProbabilities: prediction.probabilities.end,
                insideProbabilities: prediction.probabilities.inside)
        }
    }

    /// Evaluates the run's best weights on `split` (default: the run's evaluation split) under
    /// `evaluationProtocol` (default: the run's), averaging the prompt members `members`
    /// (default: the run's test-time choice).
    public func evaluate(
        split: String? = nil, evaluationProtocol: EvaluationProtocol? = nil,
        members: [Int]? = nil, reporter: (any ProgressReporting)? = nil
    ) throws -> RunEvaluation {
        let split = split ?? run.evaluationSplit
        let dataset = try GroundingDataset.load(
            run.dataset, split: split, from: URL(fileURLWithPath: run.annotationsPath))
        return try network.evaluate(
            dataset.samples,
            batches: GroundingBatchBuilder(
                featureStore: try run.makeFeatureStore(resampled: false), cache: cache),
            split: split, evaluationProtocol: evaluationProtocol ?? run.evaluationProtocol,
            members: members, progress: reporter)
    }
}
