import Grounding

extension TimelinePlot {
    /// A plot of one zero-shot result: each clip's cosine similarity with the query (grey) and
    /// the smoothed relevance curve the spans were read from (green), on a y axis of cosines
    /// from a little below the lowest value to a little above the highest.
    public init(zeroShot result: ZeroShotResult) {
        let values = result.curve.similarities + result.curve.smoothed
        let lowest = Double(values.min() ?? 0)
        let highest = Double(values.max() ?? 1)
        // A flat curve still gets a visible range; otherwise 5 % of headroom on each side.
        let margin = max((highest - lowest) * 0.05, 1e-3)
        self.init(
            query: result.query, durationSeconds: result.durationSeconds,
            curves: [
                Curve(name: "cosine", values: result.curve.similarities, color: "#9a9a9a"),
                Curve(name: "relevance", values: result.curve.smoothed, color: "#2ca02c"),
            ], valueRange: (lowest - margin)...(highest + margin), clipSeconds: result.clipSeconds,
            spans: result.spans.map { ($0.span.startSeconds, $0.span.endSeconds, $0.score) })
    }
}
