import Datasets
import Dispatch
import Foundation
import Metrics
import VTGCore

/// A split's queries with each one's similarity to every clip of its video: computed once (text
/// encoding, feature reading, cosines), then decoded under any settings.
public struct ZeroShotSimilarities: Sendable {
    /// The queries, in the split's order.
    public var samples: [GroundingSample]
    /// cos(query, clip) of each sample's clips that start inside its video.
    public var similarities: [[Float]]
    /// Wall time of the cosines alone (text encoding and feature reading excluded).
    public var cosineSeconds: Double
}

extension ZeroShotGrounder {
    /// Texts per call of the text encoder.
    public static let embeddingBatchSize = 64

    /// The similarities of each of `samples` with the clips of its video in `featureStore` (which
    /// must not resample: zero-shot decoding maps clips to seconds by their length). Each
    /// distinct query is encoded once, each video read once.
    public func similarities(
        of samples: [GroundingSample], featureStore: FeatureStore,
        progress: (any ProgressReporting)? = nil
    ) throws -> ZeroShotSimilarities {
        let queries = Array(Set(samples.map(\.query))).sorted()
        progress?.begin("encode queries", total: queries.count)
        var embeddings: [String: [Float]] = [:]
        for first in stride(from: 0, to: queries.count, by: Self.embeddingBatchSize) {
            let batch = Array(queries[first..<min(first + Self.embeddingBatchSize, queries.count)])
            for (query, embedding) in zip(batch, try self.embeddings(of: batch)) {
                embeddings[query] = embedding
            }
            progress?.update(done: first + batch.count)
        }
        var order: [String: [Int]] = [:]
        for (index, sample) in samples.enumerated() {
            order[sample.videoID, default: []].append(index)
        }
        var similarities = [[Float]](repeating: [], count: samples.count)
        var cosineNanoseconds: UInt64 = 0
        progress?.begin("relevance curves", total: samples.count)
        var done = 0
        for videoID in order.keys.sorted() {
            let features = try featureStore.features(forVideo: videoID)
            try check(
                features: features,
                path: featureStore.configuration.location.file(forVideo: videoID).path)
            let start = DispatchTime.now().uptimeNanoseconds
            for index in order[videoID] ?? [] {
                let sample = samples[index]
                let usable = ZeroShotDecoder.usableClipCount(
                    clipCount: features.clipCount, durationSeconds: sample.durationSeconds,
                    clipSeconds: settings.clipSeconds)
                similarities[index] = RelevanceCurve.cosineSimilarities(
                    query: embeddings[sample.query] ?? [], clips: features, clipCount: usable)
            }
            cosineNanoseconds += DispatchTime.now().uptimeNanoseconds - start
            done += order[videoID]?.count ?? 0
            progress?.update(done: done)
        }
        return ZeroShotSimilarities(
            samples: samples, similarities: similarities,
            cosineSeconds: Double(cosineNanoseconds) / 1e9)
    }

    /// The metrics of `settings` on precomputed similarities, with the predictions (the
    /// per-clip similarities as the QVHighlights saliency scores) and the time per query of the
    /// cosines and the decoding.
    public static func evaluate(
        _ similarities: ZeroShotSimilarities, settings: ZeroShotSettings,
        evaluationProtocol: EvaluationProtocol, dataset: DatasetName? = nil, split: String? = nil
    ) -> RunEvaluation {
        let start = DispatchTime.now().uptimeNanoseconds
        let windows = zip(similarities.samples, similarities.similarities).map { sample, values in
            decode(values, durationSeconds: sample.durationSeconds, settings: settings).spans
        }
        let decodeSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let clipScores: [[Double]?] = similarities.similarities.map { $0.map(Double.init) }
        let report = MetricsReport.evaluate(
            samples: similarities.samples, windows: windows, clipScores: clipScores,
            evaluationProtocol: evaluationProtocol, dataset: dataset, split: split)
        let predictions = zip(similarities.samples, zip(windows, clipScores)).map {
            sample, answer in
            QueryPrediction(
                queryID: sample.queryID, videoID: sample.videoID, query: sample.query,
                windows: answer.0, clipScores: answer.1)
        }
        let count = Double(max(similarities.samples.count, 1))
        return RunEvaluation(
            report: report, predictions: predictions,
            millisecondsPerQuery: (similarities.cosineSeconds + decodeSeconds) * 1000 / count)
    }

    /// Evaluates these settings on `split` of `dataset` (annotations in `annotationsDirectory`,
    /// CLIP features in `featureStore`) under `evaluationProtocol` (default: the dataset's).
    public func evaluate(
        dataset: DatasetName, split: String, annotationsDirectory: URL,
        featureStore: FeatureStore, evaluationProtocol: EvaluationProtocol? = nil,
        progress: (any ProgressReporting)? = nil
    ) throws -> RunEvaluation {
        let annotations = try GroundingDataset.load(
            dataset, split: split, from: annotationsDirectory)
        let computed = try similarities(
            of: annotations.samples, featureStore: featureStore, progress: progress)
        return Self.evaluate(
            computed, settings: settings,
            evaluationProtocol: evaluationProtocol ?? .standard(for: dataset), dataset: dataset,
            split: split)
    }
}
