import Foundation
import Grounding

/// An SVG drawing of one query's per-clip start, end and inside probabilities over the video's
/// timeline, with the chosen spans as shaded bands: what `vtg ground --plot` writes.
public struct TimelinePlot {
    /// One curve's values, one per clip.
    public var startProbabilities: [Float]
    public var endProbabilities: [Float]
    public var insideProbabilities: [Float]
    /// The video's duration in seconds (the x axis).
    public var durationSeconds: Double
    /// Ranked spans (seconds) with their scores; the first is drawn strongest.
    public var spans: [(startSeconds: Double, endSeconds: Double, score: Double)]
    /// The query, shown as the title.
    public var query: String

    public init(
        query: String, durationSeconds: Double, startProbabilities: [Float],
        endProbabilities: [Float], insideProbabilities: [Float],
        spans: [(startSeconds: Double, endSeconds: Double, score: Double)]
    ) {
        self.query = query
        self.durationSeconds = durationSeconds
        self.startProbabilities = startProbabilities
        self.endProbabilities = endProbabilities
        self.insideProbabilities = insideProbabilities
        self.spans = spans
    }

    /// The SVG document.
    public func svg(width: Double = 900, height: Double = 320) -> String {
        let left = 50.0, right = 20.0, top = 40.0, bottom = 40.0
        let plotWidth = width - left - right
        let plotHeight = height - top - bottom
        func x(seconds: Double) -> Double { left + plotWidth * seconds / max(durationSeconds, 1e-9) }
        func y(_ probability: Double) -> Double { top + plotHeight * (1 - probability) }
        func format(_ value: Double) -> String { String(format: "%.1f", value) }

        var parts: [String] = []
        parts.append(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" font-family=\"sans-serif\" font-size=\"12\">"
        )
        parts.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>")
        parts.append(
            "<text x=\"\(format(left))\" y=\"20\" font-size=\"14\">\(escaped(query))</text>")
        for (rank, span) in spans.enumerated() {
            let opacity = rank == 0 ? 0.35 : 0.12
            let start = x(seconds: span.startSeconds)
            let end = x(seconds: span.endSeconds)
            parts.append(
                "<rect x=\"\(format(start))\" y=\"\(format(top))\" width=\"\(format(max(end - start, 1)))\" height=\"\(format(plotHeight))\" fill=\"#f2a900\" fill-opacity=\"\(opacity)\"><title>#\(rank + 1) \(String(format: "%.2f–%.2f s, score %.3f", span.startSeconds, span.endSeconds, span.score))</title></rect>"
            )
        }
        // Axes and ticks.
        parts.append(
            "<line x1=\"\(format(left))\" y1=\"\(format(top + plotHeight))\" x2=\"\(format(left + plotWidth))\" y2=\"\(format(top + plotHeight))\" stroke=\"black\"/>"
        )
        parts.append(
            "<line x1=\"\(format(left))\" y1=\"\(format(top))\" x2=\"\(format(left))\" y2=\"\(format(top + plotHeight))\" stroke=\"black\"/>"
        )
        for tick in 0...5 {
            let seconds = durationSeconds * Double(tick) / 5
            parts.append(
                "<text x=\"\(format(x(seconds: seconds)))\" y=\"\(format(top + plotHeight + 16))\" text-anchor=\"middle\">\(String(format: "%.1f s", seconds))</text>"
            )
            let probability = Double(tick) / 5
            parts.append(
                "<text x=\"\(format(left - 6))\" y=\"\(format(y(probability) + 4))\" text-anchor=\"end\">\(String(format: "%.1f", probability))</text>"
            )
        }
        let curves: [(String, [Float], String)] = [
            ("start", startProbabilities, "#1f77b4"), ("end", endProbabilities, "#d62728"),
            ("inside", insideProbabilities, "#2ca02c"),
        ]
        for (index, (name, values, color)) in curves.enumerated() where !values.isEmpty {
            let clipSeconds = durationSeconds / Double(values.count)
            let points = values.enumerated().map { clip, value in
                "\(format(x(seconds: (Double(clip) + 0.5) * clipSeconds))),\(format(y(Double(value))))"
            }.joined(separator: " ")
            parts.append(
                "<polyline points=\"\(points)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.5\"/>"
            )
            let legendX = left + plotWidth - 220 + Double(index) * 75
            parts.append(
                "<line x1=\"\(format(legendX))\" y1=\"28\" x2=\"\(format(legendX + 18))\" y2=\"28\" stroke=\"\(color)\" stroke-width=\"2\"/>"
            )
            parts.append("<text x=\"\(format(legendX + 22))\" y=\"32\">\(name)</text>")
        }
        parts.append("</svg>")
        return parts.joined(separator: "\n") + "\n"
    }

    /// A plot of one grounding result.
    public init(result: GroundingResult) {
        self.init(
            query: result.query, durationSeconds: result.durationSeconds,
            startProbabilities: result.startProbabilities, endProbabilities: result.endProbabilities,
            insideProbabilities: result.insideProbabilities,
            spans: result.spans.map { ($0.span.startSeconds, $0.span.endSeconds, $0.score) })
    }

    /// One SVG document holding several plots stacked vertically.
    public static func document(_ plots: [TimelinePlot], width: Double = 900, height: Double = 320)
        -> String
    {
        let total = height * Double(plots.count)
        var parts = [
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(total))\">"
        ]
        for (index, plot) in plots.enumerated() {
            let inner = plot.svg(width: width, height: height)
                .replacingOccurrences(of: "<svg xmlns=\"http://www.w3.org/2000/svg\"",
                    with: "<svg y=\"\(Int(height * Double(index)))\"")
            parts.append(inner)
        }
        parts.append("</svg>")
        return parts.joined(separator: "\n") + "\n"
    }

    private func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
