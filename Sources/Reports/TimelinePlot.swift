import Foundation
import Grounding
import VTGCore

/// An SVG drawing of one query's per-clip curves over the video's timeline, with the chosen spans
/// as shaded bands: what `vtg ground --plot` writes (a trained model's start, end and inside
/// probabilities; zero-shot grounding's similarity and relevance curves).
public struct TimelinePlot {
    /// One curve: a value per clip, drawn at the clips' centres.
    public struct Curve {
        /// The legend's name.
        public var name: String
        /// One value per clip.
        public var values: [Float]
        /// An SVG colour.
        public var color: String

        /// A curve named `name` drawn in `color`.
        public init(name: String, values: [Float], color: String) {
            self.name = name
            self.values = values
            self.color = color
        }
    }

    /// The curves, drawn in order, each with a legend entry.
    public var curves: [Curve]
    /// The values at the bottom and top of the y axis.
    public var valueRange: ClosedRange<Double>
    /// The video's duration in seconds (the x axis).
    public var durationSeconds: Double
    /// Ranked spans (seconds) with their scores; the first is drawn strongest.
    public var spans: [(startSeconds: Double, endSeconds: Double, score: Double)]
    /// The query, shown as the title.
    public var query: String
    /// The seconds per clip of the curves (the last clip cut at the video's end); nil: the clips
    /// share the duration evenly.
    public var clipSeconds: Double?

    /// A plot of `curves` on a y axis from `valueRange`'s lower to upper bound, clips of
    /// `clipSeconds` (nil: the duration shared evenly).
    public init(
        query: String, durationSeconds: Double, curves: [Curve],
        valueRange: ClosedRange<Double> = 0...1, clipSeconds: Double? = nil,
        spans: [(startSeconds: Double, endSeconds: Double, score: Double)]
    ) {
        self.query = query
        self.clipSeconds = clipSeconds
        self.durationSeconds = durationSeconds
        self.curves = curves
        self.valueRange = valueRange
        self.spans = spans
    }

    /// A plot of a trained model's start, end and inside probabilities, on [0, 1].
    public init(
        query: String, durationSeconds: Double, startProbabilities: [Float],
        endProbabilities: [Float], insideProbabilities: [Float],
        spans: [(startSeconds: Double, endSeconds: Double, score: Double)]
    ) {
        self.init(
            query: query, durationSeconds: durationSeconds,
            curves: [
                Curve(name: "start", values: startProbabilities, color: "#1f77b4"),
                Curve(name: "end", values: endProbabilities, color: "#d62728"),
                Curve(name: "inside", values: insideProbabilities, color: "#2ca02c"),
            ], spans: spans)
    }

    /// The SVG document.
    public func svg(width: Double = 900, height: Double = 320) -> String {
        let left = 50.0
        let right = 20.0
        let top = 40.0
        let bottom = 40.0
        let plotWidth = width - left - right
        let plotHeight = height - top - bottom
        func x(seconds: Double) -> Double {
            left + plotWidth * seconds / max(durationSeconds, 1e-9)
        }
        let bottomValue = valueRange.lowerBound
        let valueSpan = max(valueRange.upperBound - valueRange.lowerBound, 1e-12)
        func y(_ value: Double) -> Double {
            top + plotHeight * (1 - (value - bottomValue) / valueSpan)
        }
        func format(_ value: Double) -> String { String(format: "%.1f", value) }

        var parts: [String] = []
        parts.append(
            Self.openingTag(
                "svg",
                [
                    ("xmlns", "http://www.w3.org/2000/svg"), ("width", "\(Int(width))"),
                    ("height", "\(Int(height))"), ("font-family", "sans-serif"),
                    ("font-size", "12"),
                ]))
        parts.append(
            Self.element("rect", [("width", "100%"), ("height", "100%"), ("fill", "white")]))
        parts.append(
            Self.element(
                "text", [("x", format(left)), ("y", "20"), ("font-size", "14")],
                content: escaped(query)))
        for (rank, span) in spans.enumerated() {
            let start = x(seconds: span.startSeconds)
            let end = x(seconds: span.endSeconds)
            let title = String(
                format: "%.2f–%.2f s, score %.3f", span.startSeconds, span.endSeconds, span.score)
            parts.append(
                Self.element(
                    "rect",
                    [
                        ("x", format(start)), ("y", format(top)),
                        ("width", format(max(end - start, 1))), ("height", format(plotHeight)),
                        ("fill", "#f2a900"), ("fill-opacity", "\(rank == 0 ? 0.35 : 0.12)"),
                    ],
                    content: Self.element("title", [], content: "#\(rank + 1) \(title)")))
        }
        // Axes and ticks.
        let bottomY = format(top + plotHeight)
        parts.append(
            Self.element(
                "line",
                [
                    ("x1", format(left)), ("y1", bottomY), ("x2", format(left + plotWidth)),
                    ("y2", bottomY), ("stroke", "black"),
                ]))
        parts.append(
            Self.element(
                "line",
                [
                    ("x1", format(left)), ("y1", format(top)), ("x2", format(left)),
                    ("y2", bottomY), ("stroke", "black"),
                ]))
        for tick in 0...5 {
            let seconds = durationSeconds * Double(tick) / 5
            parts.append(
                Self.element(
                    "text",
                    [
                        ("x", format(x(seconds: seconds))), ("y", format(top + plotHeight + 16)),
                        ("text-anchor", "middle"),
                    ],
                    content: String(format: "%.1f s", seconds)))
            let value = bottomValue + valueSpan * Double(tick) / 5
            parts.append(
                Self.element(
                    "text",
                    [
                        ("x", format(left - 6)), ("y", format(y(value) + 4)),
                        ("text-anchor", "end"),
                    ],
                    content: String(format: valueSpan < 0.5 ? "%.3f" : "%.1f", value)))
        }
        for (index, curve) in curves.enumerated() where !curve.values.isEmpty {
            let (name, values, color) = (curve.name, curve.values, curve.color)
            let clipSeconds = self.clipSeconds ?? durationSeconds / Double(values.count)
            let points = values.enumerated().map { clip, value in
                // A clip's centre; a last partial clip's is halfway to the video's end.
                let start = Double(clip) * clipSeconds
                let centre = x(
                    seconds: start + clipSeconds > durationSeconds
                        ? (start + durationSeconds) / 2 : (Double(clip) + 0.5) * clipSeconds)
                return "\(format(centre)),\(format(y(Double(value))))"
            }.joined(separator: " ")
            parts.append(
                Self.element(
                    "polyline",
                    [
                        ("points", points), ("fill", "none"), ("stroke", color),
                        ("stroke-width", "1.5"),
                    ]))
            let legendX = left + plotWidth - 220 + Double(index) * 75
            parts.append(
                Self.element(
                    "line",
                    [
                        ("x1", format(legendX)), ("y1", "28"), ("x2", format(legendX + 18)),
                        ("y2", "28"), ("stroke", color), ("stroke-width", "2"),
                    ]))
            parts.append(
                Self.element("text", [("x", format(legendX + 22)), ("y", "32")], content: name))
        }
        parts.append("</svg>")
        return parts.joined(separator: "\n") + "\n"
    }

    /// `<name a="v" ...>` (attribute values are written as given).
    private static func openingTag(_ name: String, _ attributes: [(String, String)]) -> String {
        "<\(name)" + attributes.map { " \($0)=\"\($1)\"" }.joined() + ">"
    }

    /// `<name a="v" .../>`, or `<name a="v" ...>content</name>` with content.
    private static func element(
        _ name: String, _ attributes: [(String, String)], content: String? = nil
    ) -> String {
        guard let content else {
            return "<\(name)" + attributes.map { " \($0)=\"\($1)\"" }.joined() + "/>"
        }
        return openingTag(name, attributes) + content + "</\(name)>"
    }

    /// A plot of one grounding result.
    public init(result: GroundingResult) {
        self.init(
            query: result.query, durationSeconds: result.durationSeconds,
            startProbabilities: result.startProbabilities,
            endProbabilities: result.endProbabilities,
            insideProbabilities: result.insideProbabilities,
            spans: result.spans.map { ($0.span.startSeconds, $0.span.endSeconds, $0.score) })
    }

    /// One SVG document holding several plots stacked vertically.
    public static func document(
        _ plots: [TimelinePlot], width: Double = 900, height: Double = 320
    ) -> String {
        let total = height * Double(plots.count)
        let namespace = "<svg xmlns=\"http://www.w3.org/2000/svg\""
        var parts = [namespace + " width=\"\(Int(width))\" height=\"\(Int(total))\">"]
        for (index, plot) in plots.enumerated() {
            let inner = plot.svg(width: width, height: height).replacingOccurrences(
                of: namespace, with: "<svg y=\"\(Int(height * Double(index)))\"")
            parts.append(inner)
        }
        parts.append("</svg>")
        return parts.joined(separator: "\n") + "\n"
    }

    private func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;")
            .replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }
}
