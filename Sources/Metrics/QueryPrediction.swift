import VTGCore

/// The predictions for one query: one line of a predictions file in the QVHighlights submission
/// layout (`qid`, `query`, `vid`, `pred_relevant_windows`, optional `pred_saliency_scores`).
public struct QueryPrediction: Hashable, Codable, Sendable {
    /// The query's identifier (``GroundingSample/queryID``); `nil` if the line has none, in which
    /// case the line's position identifies the query.
    public var queryID: Int?
    /// The video, as echoed by the predictor (informational).
    public var videoID: String?
    /// The sentence, as echoed by the predictor (informational).
    public var query: String?
    /// Predicted windows, best first.
    public var windows: [ScoredSpan]
    /// One score per 2-second clip, for highlight detection.
    public var clipScores: [Double]?

    /// Creates a prediction.
    public init(
        queryID: Int?, videoID: String? = nil, query: String? = nil, windows: [ScoredSpan],
        clipScores: [Double]? = nil
    ) {
        self.queryID = queryID
        self.videoID = videoID
        self.query = query
        self.windows = windows
        self.clipScores = clipScores
    }
}
