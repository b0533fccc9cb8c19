import VTGCore

/// How a predictions file lined up with a split's queries.
public struct PredictionCounts: Hashable, Codable, Sendable {
    /// Queries of the split that have a prediction.
    public var matched: Int
    /// Queries of the split without a prediction (scored as misses).
    public var missing: Int
    /// Predictions whose query is not in the split (ignored).
    public var unknown: Int
    /// Further predictions for a query already predicted (ignored; the first one counts).
    public var duplicate: Int
    /// Lines that were not valid predictions (ignored).
    public var malformed: Int

    /// Creates counts.
    public init(
        matched: Int, missing: Int, unknown: Int = 0, duplicate: Int = 0, malformed: Int = 0
    ) {
        self.matched = matched
        self.missing = missing
        self.unknown = unknown
        self.duplicate = duplicate
        self.malformed = malformed
    }
}

/// Predictions lined up with a split's samples: one entry per sample, empty when missing.
public struct PredictionMatching: Sendable {
    /// The windows of each sample, in sample order (empty for missing predictions).
    public var windows: [[ScoredSpan]]
    /// The clip scores of each sample, in sample order.
    public var clipScores: [[Double]?]
    /// What matched and what did not.
    public var counts: PredictionCounts

    /// Matches by `qid` when a line has one, else by the line's position among the split's
    /// samples (the n-th non-blank line predicts the n-th sample).
    public init(_ file: PredictionsFile, samples: [GroundingSample]) {
        var positionByQueryID: [Int: Int] = [:]
        for (position, sample) in samples.enumerated()
        where positionByQueryID[sample.queryID] == nil {
            positionByQueryID[sample.queryID] = position
        }
        var windows = [[ScoredSpan]](repeating: [], count: samples.count)
        var clipScores = [[Double]?](repeating: nil, count: samples.count)
        var filled = [Bool](repeating: false, count: samples.count)
        var unknown = 0
        var duplicate = 0
        for (linePosition, prediction) in file.predictions {
            let target: Int?
            if let queryID = prediction.queryID {
                target = positionByQueryID[queryID]
            } else {
                target = linePosition < samples.count ? linePosition : nil
            }
            guard let target else {
                unknown += 1
                continue
            }
            if filled[target] {
                duplicate += 1
                continue
            }
            filled[target] = true
            windows[target] = prediction.windows
            clipScores[target] = prediction.clipScores
        }
        let matched = filled.filter { $0 }.count
        self.windows = windows
        self.clipScores = clipScores
        self.counts = PredictionCounts(
            matched: matched, missing: samples.count - matched, unknown: unknown,
            duplicate: duplicate, malformed: file.malformedLines.count)
    }
}
