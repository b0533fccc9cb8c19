/// One query of a grounding dataset: a sentence, the video it refers to, and when it happens.
///
/// The same type for all four datasets. Charades-STA, ActivityNet Captions and TACoS have one
/// target per sample; QVHighlights may have several, and also per-clip saliency ratings.
public struct GroundingSample: Hashable, Codable, Sendable {
    /// Identifies the query within its split: the `qid` for QVHighlights; for the other datasets
    /// the 0-based position of the moment in the annotation file (see ``DatasetName``), counting
    /// also the moments the anomaly policy dropped, so identifiers do not shift between runs.
    public var queryID: Int
    /// The video's identifier as the annotation file spells it (also the feature file's name).
    public var videoID: String
    /// Length of the video in seconds.
    public var durationSeconds: Double
    /// The sentence, with surrounding whitespace trimmed and line breaks replaced by spaces.
    public var query: String
    /// The moments the query describes, in seconds, inside `[0, durationSeconds]`. Empty only for
    /// splits whose ground truth is withheld (QVHighlights `test` release).
    public var targets: [TimeSpan]
    /// Per-clip saliency ratings where the dataset has them (QVHighlights), else `nil`.
    public var saliency: ClipSaliency?

    /// Creates a sample.
    public init(
        queryID: Int, videoID: String, durationSeconds: Double, query: String,
        targets: [TimeSpan], saliency: ClipSaliency? = nil
    ) {
        self.queryID = queryID
        self.videoID = videoID
        self.durationSeconds = durationSeconds
        self.query = query
        self.targets = targets
        self.saliency = saliency
    }

    /// The targets as fractions of the duration.
    public var normalizedTargets: [NormalizedSpan] {
        targets.map { $0.normalized(byDurationSeconds: durationSeconds) }
    }
}
