import Datasets
import Foundation
import Metrics
import Tensors
import VTGCore

/// One sample's answer in evaluation mode: the per-clip probabilities and the ranked spans
/// decoded from them.
public struct GroundingPrediction: Sendable {
    /// The sample predicted.
    public var sample: GroundingSample
    /// Per-clip probabilities over the sample's real clips.
    public var probabilities: SpanProbabilities
    /// Ranked spans in seconds, best first.
    public var spans: [ScoredSpan]
}

/// The evaluation of a trained run on one split: metrics and the predictions behind them.
public struct RunEvaluation: Sendable {
    /// The metrics of the split.
    public var report: MetricsReport
    /// Every query's ranked spans, in the QVHighlights submission layout.
    public var predictions: [QueryPrediction]
    /// Wall time of batching, the forward passes and decoding, per query.
    public var millisecondsPerQuery: Double
}

extension GroundingNetwork {
    /// Samples per evaluation-mode forward pass.
    public static let evaluationBatchSize = 32

    /// The one evaluation path (training's per-epoch evaluation, `vtg eval` and `vtg ground`):
    /// encodes the queries not yet cached, batches `samples` through `batches`, runs the
    /// network in evaluation mode (averaging `members`, default `evaluationMembers`) and
    /// decodes each sample's best `topK` spans. `progress` sees the samples done.
    public func predict(
        _ samples: [GroundingSample], batches: GroundingBatchBuilder, members: [Int]? = nil,
        topK: Int = SpanDecoder.defaultTopK, progress: (any ProgressReporting)? = nil
    ) throws -> [GroundingPrediction] {
        try batches.cache.prepare(samples.map(\.query))
        var predictions: [GroundingPrediction] = []
        predictions.reserveCapacity(samples.count)
        progress?.begin("evaluate", total: samples.count)
        var start = 0
        while start < samples.count {
            let chunk = Array(samples[start..<min(start + Self.evaluationBatchSize, samples.count)])
            let probabilities = spanProbabilities(try batches.batch(of: chunk), members: members)
            for (sample, probability) in zip(chunk, probabilities) {
                predictions.append(
                    GroundingPrediction(
                        sample: sample, probabilities: probability,
                        spans: SpanDecoder.decode(
                            probability, durationSeconds: sample.durationSeconds,
                            maxSpanClips: run.model.maxSpanClips, topK: topK)))
            }
            start += chunk.count
            progress?.update(done: start)
        }
        return predictions
    }

    /// The metrics of `predict` on the annotated `samples` of `split` under
    /// `evaluationProtocol`, with the predictions and the time per query (text encoding
    /// excluded).
    public func evaluate(
        _ samples: [GroundingSample], batches: GroundingBatchBuilder, split: String,
        evaluationProtocol: EvaluationProtocol, members: [Int]? = nil,
        progress: (any ProgressReporting)? = nil
    ) throws -> RunEvaluation {
        try batches.cache.prepare(samples.map(\.query))
        let start = Date()
        let windows = try predict(samples, batches: batches, members: members, progress: progress)
            .map(\.spans)
        let seconds = Date().timeIntervalSince(start)
        let report = MetricsReport.evaluate(
            samples: samples, windows: windows, evaluationProtocol: evaluationProtocol,
            dataset: run.dataset, split: split)
        return RunEvaluation(
            report: report, predictions: submissionPredictions(samples: samples, windows: windows),
            millisecondsPerQuery: seconds * 1000 / Double(max(samples.count, 1)))
    }
}

/// The predictions of each query in the QVHighlights submission layout.
public func submissionPredictions(samples: [GroundingSample], windows: [[ScoredSpan]])
    -> [QueryPrediction]
{
    zip(samples, windows).map { sample, windows in
        QueryPrediction(
            queryID: sample.queryID, videoID: sample.videoID, query: sample.query, windows: windows)
    }
}
