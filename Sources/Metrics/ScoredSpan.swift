import VTGCore

/// A predicted moment and its confidence: one `[start, end, score]` of a predictions file.
public struct ScoredSpan: Hashable, Codable, Sendable {
    /// The predicted moment in seconds.
    public var span: TimeSpan
    /// Higher is more confident; only the order matters.
    public var score: Double

    /// Creates a scored prediction.
    public init(span: TimeSpan, score: Double) {
        self.span = span
        self.score = score
    }

    /// Creates a scored prediction from seconds.
    public init(startSeconds: Double, endSeconds: Double, score: Double) {
        self.init(span: TimeSpan(startSeconds: startSeconds, endSeconds: endSeconds), score: score)
    }
}

extension Array where Element == ScoredSpan {
    /// The spans by decreasing score; equal scores keep their order (a stable sort, like
    /// Python's `list.sort`).
    public func sortedByScore() -> [ScoredSpan] {
        enumerated().sorted { ($0.element.score, $1.offset) > ($1.element.score, $0.offset) }
            .map(\.element)
    }
}
