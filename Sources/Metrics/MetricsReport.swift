import Foundation
import VTGCore

/// The metrics of one set of predictions on one split, under one protocol: what `vtg score`
/// prints and what training reports. Encodes to JSON with typed fields.
public struct MetricsReport: Hashable, Codable, Sendable {
    /// The protocol the figures follow.
    public var evaluationProtocol: EvaluationProtocol
    /// The dataset, if known.
    public var dataset: DatasetName?
    /// The split, if known.
    public var split: String?
    /// Queries evaluated.
    public var queryCount: Int
    /// How the predictions matched the queries.
    public var predictionCounts: PredictionCounts
    /// R@n and mIoU (protocols `vslnet` and `2d-tan`).
    public var recall: RecallMetrics?
    /// The QVHighlights figures (protocol `qvhighlights`).
    public var qvHighlights: QVHighlightsMetrics?
    /// The predictions file's lines that were not used, with why (scoring a file only; nil
    /// when every line was used).
    public var problemLines: [PredictionsFile.MalformedLine]?

    /// Evaluates predictions aligned with `samples` (`windows[i]` for `samples[i]`).
    public static func evaluate(
        samples: [GroundingSample], windows: [[ScoredSpan]], clipScores: [[Double]?]? = nil,
        evaluationProtocol: EvaluationProtocol, dataset: DatasetName? = nil, split: String? = nil,
        predictionCounts: PredictionCounts? = nil
    ) -> MetricsReport {
        let counts =
            predictionCounts
            ?? PredictionCounts(
                matched: windows.filter { !$0.isEmpty }.count,
                missing: windows.filter(\.isEmpty).count)
        var report = MetricsReport(
            evaluationProtocol: evaluationProtocol, dataset: dataset, split: split,
            queryCount: samples.count, predictionCounts: counts)
        switch evaluationProtocol {
        case .vslnet, .twoDTAN:
            report.recall = RecallMetrics.compute(
                samples: samples, windows: windows, evaluationProtocol: evaluationProtocol)
        case .qvhighlights:
            report.qvHighlights = QVHighlightsMetrics.compute(
                samples: samples, windows: windows,
                clipScores: clipScores ?? [[Double]?](repeating: nil, count: samples.count))
        }
        return report
    }

    /// Scores a predictions file against the samples of a split (`vtg score`). A file with no
    /// usable prediction is an error; so, when `strict`, is any malformed line or any
    /// prediction for another video than its query's.
    public static func score(
        predictionsFile url: URL, against samples: [GroundingSample],
        evaluationProtocol: EvaluationProtocol, dataset: DatasetName? = nil, split: String? = nil,
        strict: Bool = false
    ) throws(PredictionsFileError) -> MetricsReport {
        let file = try PredictionsFile.read(url)
        guard !file.predictions.isEmpty else {
            throw .noPredictions(path: url.path, malformedLines: file.malformedLines)
        }
        let matching = PredictionMatching(file, samples: samples)
        if strict, !matching.problemLines.isEmpty {
            throw .rejectedLines(path: url.path, lines: matching.problemLines)
        }
        var report = evaluate(
            samples: samples, windows: matching.windows, clipScores: matching.clipScores,
            evaluationProtocol: evaluationProtocol, dataset: dataset, split: split,
            predictionCounts: matching.counts)
        report.problemLines = matching.problemLines.isEmpty ? nil : matching.problemLines
        return report
    }
}
