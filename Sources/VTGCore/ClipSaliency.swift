/// Per-clip saliency ratings of one query (QVHighlights): for each rated clip, one score in
/// `0...4` from each annotator ("Very Bad" ... "Very Good").
public struct ClipSaliency: Hashable, Codable, Sendable {
    /// Length of one rated clip in seconds (2 in QVHighlights).
    public var clipDurationSeconds: Double
    /// Indices of the rated clips (`relevant_clip_ids`); clip `i` covers
    /// `[i·clipDurationSeconds, (i+1)·clipDurationSeconds]`.
    public var clipIndices: [Int]
    /// One row per entry of ``clipIndices``, one score per annotator (`saliency_scores`).
    public var annotatorScores: [[Int]]

    /// Creates saliency ratings; `annotatorScores` has one row per clip index.
    public init(clipDurationSeconds: Double, clipIndices: [Int], annotatorScores: [[Int]]) {
        self.clipDurationSeconds = clipDurationSeconds
        self.clipIndices = clipIndices
        self.annotatorScores = annotatorScores
    }

    /// Number of annotators (the width of the rows; 3 in QVHighlights).
    public var annotatorCount: Int { annotatorScores.first?.count ?? 0 }
}
