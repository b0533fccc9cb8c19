import Datasets
import Foundation
import Metrics
import NeuralNet
import Tensors

/// One query's answer in one video: ranked spans in seconds and the per-clip curves.
public struct GroundingResult: Codable, Sendable {
    public var query: String
    public var durationSeconds: Double
    /// Ranked spans, best first.
    public var spans: [ScoredSpan]
    /// Per-clip probabilities on the model's clip grid.
    public var startProbabilities: [Float]
    public var endProbabilities: [Float]
    public var insideProbabilities: [Float]
}

/// A trained model loaded from a run directory, ready to ground queries in one's own videos.
public final class Grounder {
    public let run: GroundingRunConfiguration
    public let network: GroundingNetwork
    public var model: GroundingModel { network.model }
    let cache: QueryStateCache

    /// Loads `RUN_DIR/run.json` and the best weights (strictly: every tensor present and of the
    /// right shape). A prompt-tuned run's checkpoint holds only its prompts and heads: the
    /// backbone it names is loaded first, and refused when its checksum differs.
    public init(runDirectory: URL, encoder: any QueryEncoder) throws {
        let directory = RunDirectory(runDirectory)
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
            run: run, queryEncoder: encoder, loadingBackbone: run.resolvedTuning == .prompt)
        do {
            _ = try Checkpoint.restore(
                from: directory.bestCheckpoint, into: network.parameters,
                policy: network.checkpointLoadPolicy)
        } catch {
            throw GroundingError.corruptRun(path: directory.bestCheckpoint.path, reason: "\(error)")
        }
        cache = QueryStateCache(encoder: encoder)
    }

    /// Loads a run with the query encoder its model was built for (MiniLM, or the tokenizer
    /// alone for a from-scratch text encoder).
    public convenience init(runDirectory: URL, textModelOption: String?) throws {
        let run = try RunDirectory(runDirectory).configuration()
        try self.init(
            runDirectory: runDirectory,
            encoder: makeQueryEncoder(for: run.model, textModelOption: textModelOption))
    }

    /// Reads one video's features from a `.npy` or `.npz` file (or an HDF5 file with `videoID`),
    /// checks them against the model, and average-pools videos longer than `maxClips` clips down
    /// to `maxClips` (no video is refused for its length).
    public func loadFeatures(path: String, key: String? = nil, videoID: String? = nil) throws
        -> ClipFeatures
    {
        let url = URL(fileURLWithPath: path)
        let source: FeatureSource
        let identifier: String
        switch url.pathExtension.lowercased() {
        case "npy":
            source = .numpyDirectory(url.deletingLastPathComponent())
            identifier = url.deletingPathExtension().lastPathComponent
        case "npz":
            source = .numpyArchiveDirectory(url.deletingLastPathComponent(), key: key ?? "features")
            identifier = url.deletingPathExtension().lastPathComponent
        default:
            guard let videoID else {
                throw GroundingError.missingInputs(
                    [.videoID], alternatives: [],
                    reason: "\(path) is an HDF5 file of many videos; name the one to ground")
            }
            source = .hdf5File(url, groupMember: key)
            identifier = videoID
        }
        guard FileManager.default.fileExists(atPath: path) else {
            throw GroundingError.missingFile(path: path, what: "features file", input: .features)
        }
        do {
            let store = try FeatureStore(FeatureStoreConfiguration(
                source: source, maxClips: run.model.maxClips))
            let features = try store.features(forVideo: identifier)
            guard features.featureDimension == run.model.featureDimension else {
                throw GroundingError.featureMismatch(
                    path: path,
                    expected: "\(run.model.featureKind) features of dimension \(run.model.featureDimension)",
                    actual: "of dimension \(features.featureDimension)")
            }
            return features
        } catch let error as GroundingError {
            throw error
        } catch {
            throw GroundingError.invalidInput("\(path): \(error)")
        }
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

    /// Grounds each query in the video (`topK` spans each, best first).
    public func ground(
        features: ClipFeatures, durationSeconds: Double, queries: [String],
        topK: Int = SpanDecoder.standardSpanCount
    ) throws -> [GroundingResult] {
        try Self.validate(durationSeconds: durationSeconds, queries: queries, topK: topK)
        try cache.prepare(queries)
        let samples = queries.enumerated().map { index, query in
            GroundingSample(
                queryID: index, videoID: "video", durationSeconds: durationSeconds, query: query,
                targets: [])
        }
        let batch = GroundingBatch(
            samples: samples, features: Array(repeating: features, count: samples.count),
            states: try queries.map { try cache.states(of: $0) })
        let probabilities = withGradientsDisabled { network.evaluationForward()(batch) }
        return zip(queries, probabilities).map { query, probability in
            GroundingResult(
                query: query, durationSeconds: durationSeconds,
                spans: SpanDecoder.decode(
                    probability, durationSeconds: durationSeconds,
                    maxSpanClips: run.model.maxSpanClips, topK: topK),
                startProbabilities: probability.start, endProbabilities: probability.end,
                insideProbabilities: probability.inside)
        }
    }
}

/// The evaluation of a trained run on one split: metrics and the predictions behind them.
public struct RunEvaluation: Sendable {
    public var report: MetricsReport
    public var predictions: [QueryPrediction]
    public var millisecondsPerQuery: Double
}

extension Grounder {
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
        let store = try FeatureStore(FeatureStoreConfiguration(
            source: run.features.source, expectedFeatureDimension: run.model.featureDimension,
            maxClips: run.model.maxClips, cacheCapacityBytes: 1 << 30))
        try cache.prepare(dataset.samples.map(\.query))
        let evaluator = GroundingEvaluator(featureStore: store, cache: cache)
        let start = Date()
        let probabilities = try evaluator.probabilities(
            of: dataset.samples, progress: reporter,
            forward: network.evaluationForward(members: members))
        let windows = GroundingEvaluator.windows(
            probabilities, samples: dataset.samples, maxSpanClips: run.model.maxSpanClips)
        let seconds = Date().timeIntervalSince(start)
        let protocolUsed = evaluationProtocol ?? run.evaluationProtocol
        let report = MetricsReport.evaluate(
            samples: dataset.samples, windows: windows, evaluationProtocol: protocolUsed,
            dataset: run.dataset, split: split)
        return RunEvaluation(
            report: report, predictions: submissionPredictions(samples: dataset.samples, windows: windows),
            millisecondsPerQuery: seconds * 1000 / Double(max(dataset.samples.count, 1)))
    }
}
