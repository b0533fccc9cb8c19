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
    ///
    /// Any length: a video with more clips than the model's `maxClips` is grounded by
    /// `SlidingWindows` of `maxClips` clips, `windowStride` clips apart (default half a window),
    /// whose spans are mapped to the video's time and merged by temporal NMS; its per-clip
    /// probabilities are the windows' averaged.
    public func predict(
        _ samples: [GroundingSample], batches: GroundingBatchBuilder, members: [Int]? = nil,
        topK: Int = SpanDecoder.defaultTopK, windowStride: Int? = nil,
        progress: (any ProgressReporting)? = nil
    ) throws -> [GroundingPrediction] {
        try batches.cache.prepare(samples.map(\.query))
        let windows = SlidingWindows(windowClips: run.model.maxClips, strideClips: windowStride)
        var predictions: [GroundingPrediction] = []
        predictions.reserveCapacity(samples.count)
        progress?.begin("evaluate", total: samples.count)
        var start = 0
        while start < samples.count {
            let chunk = Array(samples[start..<min(start + Self.evaluationBatchSize, samples.count)])
            var pieces: [[WindowPiece]] = []
            for sample in chunk {
                pieces.append(
                    WindowPiece.pieces(
                        of: sample, features: try batches.clipFeatures(of: sample),
                        windows: windows))
            }
            let flat = pieces.flatMap { $0 }
            var probabilities: [SpanProbabilities] = []
            for first in stride(from: 0, to: flat.count, by: Self.evaluationBatchSize) {
                let part = flat[first..<min(first + Self.evaluationBatchSize, flat.count)]
                let batch = GroundingBatch(
                    samples: part.map(\.sample), features: part.map(\.features),
                    states: try part.map { try batches.cache.states(of: $0.sample.query) })
                probabilities += spanProbabilities(batch, members: members)
            }
            var next = 0
            for (sample, samplePieces) in zip(chunk, pieces) {
                let own = probabilities[next..<next + samplePieces.count]
                next += samplePieces.count
                predictions.append(
                    prediction(
                        of: sample, pieces: samplePieces, probabilities: Array(own), topK: topK))
            }
            start += chunk.count
            progress?.update(done: start)
        }
        return predictions
    }

    /// One sample's prediction from the probabilities of its windows (one window: the whole
    /// video, decoded as it is).
    private func prediction(
        of sample: GroundingSample, pieces: [WindowPiece], probabilities: [SpanProbabilities],
        topK: Int
    ) -> GroundingPrediction {
        let maxSpanClips = run.model.maxSpanClips
        guard pieces.count > 1 else {
            return GroundingPrediction(
                sample: sample, probabilities: probabilities[0],
                spans: SpanDecoder.decode(
                    probabilities[0], durationSeconds: sample.durationSeconds,
                    maxSpanClips: maxSpanClips, topK: topK))
        }
        let windows = zip(pieces, probabilities).map {
            SlidingWindows.Window(firstClip: $0.firstClip, probabilities: $1)
        }
        let clipCount = pieces[0].videoClipCount
        return GroundingPrediction(
            sample: sample,
            probabilities: SlidingWindows.mergedProbabilities(windows, clipCount: clipCount),
            spans: SlidingWindows.decode(
                windows, clipCount: clipCount, durationSeconds: sample.durationSeconds,
                maxSpanClips: maxSpanClips, topK: topK))
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

/// One forward pass's worth of a sample: the whole video, or one window of a long one.
struct WindowPiece {
    /// The sample as the network sees it: for a window, its own duration and no targets.
    var sample: GroundingSample
    /// The piece's clip features.
    var features: ClipFeatures
    /// The piece's first clip in the video.
    var firstClip: Int
    /// The clips of the whole video.
    var videoClipCount: Int

    /// `sample` as one piece when its video fits in one window, else one piece per window, each
    /// lasting its share of the duration (W·D/N).
    static func pieces(
        of sample: GroundingSample, features: ClipFeatures, windows: SlidingWindows
    ) -> [WindowPiece] {
        let clipCount = features.clipCount
        let starts = windows.windowStarts(clipCount: clipCount)
        guard starts.count > 1 else {
            return [
                WindowPiece(
                    sample: sample, features: features, firstClip: 0, videoClipCount: clipCount)
            ]
        }
        let width = features.featureDimension
        let clips = windows.windowClips
        let windowSeconds = sample.durationSeconds * Double(clips) / Double(clipCount)
        return starts.map { first in
            WindowPiece(
                sample: GroundingSample(
                    queryID: sample.queryID, videoID: sample.videoID,
                    durationSeconds: windowSeconds, query: sample.query, targets: []),
                features: ClipFeatures(
                    values: Array(features.values[first * width..<(first + clips) * width]),
                    clipCount: clips, featureDimension: width),
                firstClip: first, videoClipCount: clipCount)
        }
    }
}
