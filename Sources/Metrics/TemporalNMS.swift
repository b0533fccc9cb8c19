extension Array where Element == ScoredSpan {
    /// Greedy temporal non-maximum suppression (2D-TAN's `nms`): walk the spans by decreasing
    /// score, keep a span, and drop every later one whose IoU with it exceeds `iouThreshold`
    /// (strictly: IoU equal to the threshold survives); stop after `maxKept` spans.
    public func nonMaximumSuppressed(iouThreshold: Double, maxKept: Int? = nil) -> [ScoredSpan] {
        var remaining = sortedByScore()
        var kept: [ScoredSpan] = []
        while let best = remaining.first {
            kept.append(best)
            if let maxKept, kept.count >= maxKept { break }
            remaining = remaining.dropFirst().filter {
                $0.span.intersectionOverUnion(with: best.span) <= iouThreshold
            }
        }
        return kept
    }
}
