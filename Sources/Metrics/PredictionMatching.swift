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
    /// Lines that were not valid predictions, or whose `vid` is not their query's video
    /// (ignored).
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
    /// Every line not used, in line order: the file's malformed lines and the predictions whose
    /// `vid` differs from their query's video.
    public var problemLines: [PredictionsFile.MalformedLine]

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
        var problems = file.malformedLines
        for (linePosition, line, prediction) in file.predictions {
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
            if let videoID = prediction.videoID, videoID != samples[target].videoID {
                // The prediction belongs to another video: scoring it would be meaningless.
                problems.append(
                    PredictionsFile.MalformedLine(
                        line: line,
                        reason: "vid \"\(videoID)\" but query \(samples[target].queryID) is of "
                            + "video \"\(samples[target].videoID)\""))
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
        self.problemLines = problems.sorted { $0.line < $1.line }
        self.counts = PredictionCounts(
            matched: matched, missing: samples.count - matched, unknown: unknown,
            duplicate: duplicate, malformed: problems.count)
    }
}
