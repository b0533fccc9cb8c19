import Foundation
import VTGCore

/// The one policy applied to every annotation file: repair what is unambiguous, drop what is not,
/// keep what is merely unusual, and count every case (``AnomalyKind`` fixes which is which).
/// With ``strict`` set, the first anomaly of any kind is an error naming the file and line.
public struct AnomalyPolicy: Hashable, Codable, Sendable {
    /// Turn any anomaly into a ``DatasetError/anomalyInStrictMode(_:)`` error.
    public var strict: Bool
    /// How far an end may lie past the duration and still be clipped to it. The default, 2 s,
    /// covers every overrun in the released files: Charades-STA ends overrun the CSV `length` by
    /// up to 1.54 s (1,805 of 12,408 train moments), TACoS by up to 15 frames (0.51 s), ActivityNet
    /// by 0.01 s; the reference loaders clip all of them.
    public var endOverrunToleranceSeconds: Double

    /// Creates a policy; the defaults are the documented ones.
    public init(strict: Bool = false, endOverrunToleranceSeconds: Double = 2.0) {
        self.strict = strict
        self.endOverrunToleranceSeconds = endOverrunToleranceSeconds
    }

    /// Applies the policy to one record, reporting what it finds to `recorder`.
    ///
    /// Returns the cleaned sample, or `nil` if the record is dropped. Spans are checked one by
    /// one; a record that had spans and keeps none is dropped.
    func clean(_ record: RawAnnotation, recorder: inout AnomalyRecorder) throws(DatasetError)
        -> GroundingSample?
    {
        let location = record.location
        guard let query = try cleanQuery(record.query, at: location, recorder: &recorder) else {
            return nil
        }
        let duration = record.durationSeconds
        var targets: [TimeSpan] = []
        for span in record.spans {
            if let kept = try cleanSpan(
                span, durationSeconds: duration, at: location, recorder: &recorder)
            {
                targets.append(kept)
            }
        }
        if !record.spans.isEmpty && targets.isEmpty { return nil }
        var saliency = record.saliency
        if let ratings = saliency,
            let problem = Self.saliencyProblem(ratings, durationSeconds: duration)
        {
            try recorder.record(.inconsistentSaliency, at: location, problem)
            saliency = nil
        }
        return GroundingSample(
            queryID: record.queryID, videoID: record.videoID, durationSeconds: duration,
            query: query, targets: targets, saliency: saliency)
    }

    private func cleanQuery(
        _ text: String, at location: SourceLocation, recorder: inout AnomalyRecorder
    ) throws(DatasetError) -> String? {
        var query = text
        let isSpace = { (scalar: Unicode.Scalar) in scalar.properties.isWhitespace }
        if let first = query.unicodeScalars.first, let last = query.unicodeScalars.last,
            isSpace(first) || isSpace(last)
        {
            var scalars = Substring(query).unicodeScalars
            while let first = scalars.first, isSpace(first) { scalars.removeFirst() }
            while let last = scalars.last, isSpace(last) { scalars.removeLast() }
            let trimmed = String(scalars)
            try recorder.record(
                .surroundingWhitespace, at: location, "sentence \(Self.quoted(query))")
            query = trimmed
        }
        if query.unicodeScalars.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\t" }) {
            try recorder.record(.embeddedLineBreak, at: location, "sentence \(Self.quoted(query))")
            query = String(
                String.UnicodeScalarView(
                    query.unicodeScalars.map { ($0 == "\n" || $0 == "\r" || $0 == "\t") ? " " : $0 }
                ))
        }
        if query.isEmpty {
            try recorder.record(.emptyQuery, at: location, "no words in the sentence")
            return nil
        }
        if query.unicodeScalars.contains(where: { !$0.isASCII }) {
            try recorder.record(.nonASCIIText, at: location, "sentence \(Self.quoted(query))")
        }
        return query
    }

    private func cleanSpan(
        _ span: TimeSpan, durationSeconds duration: Double, at location: SourceLocation,
        recorder: inout AnomalyRecorder
    ) throws(DatasetError) -> TimeSpan? {
        var start = span.startSeconds
        var end = span.endSeconds
        guard start.isFinite, end.isFinite else {
            try recorder.record(.malformedRecord, at: location, "span \(span) is not finite")
            return nil
        }
        if start > end {
            try recorder.record(.startAfterEnd, at: location, "start \(start) s > end \(end) s")
            return nil
        }
        if start == end {
            try recorder.record(.zeroLength, at: location, "start = end = \(start) s")
            return nil
        }
        if start < 0 {
            try recorder.record(.negativeStart, at: location, "start \(start) s clipped to 0")
            start = 0
            if end <= 0 {
                try recorder.record(.zeroLength, at: location, "empty after clipping to 0")
                return nil
            }
        }
        if start >= duration {
            try recorder.record(
                .startPastDuration, at: location, "start \(start) s >= duration \(duration) s")
            return nil
        }
        if end > duration {
            let overrun = end - duration
            if overrun <= endOverrunToleranceSeconds {
                try recorder.record(
                    .endPastDuration, at: location,
                    "end \(end) s clipped to duration \(duration) s")
                end = duration
            } else {
                try recorder.record(
                    .endFarPastDuration, at: location,
                    "end \(end) s > duration \(duration) s by more than "
                        + "\(endOverrunToleranceSeconds) s")
                return nil
            }
        }
        return TimeSpan(startSeconds: start, endSeconds: end)
    }

    /// Why saliency ratings cannot be used, or `nil` if they are consistent.
    static func saliencyProblem(_ saliency: ClipSaliency, durationSeconds: Double) -> String? {
        if saliency.clipIndices.count != saliency.annotatorScores.count {
            return "\(saliency.clipIndices.count) clip ids but "
                + "\(saliency.annotatorScores.count) rows of saliency scores"
        }
        let width = saliency.annotatorCount
        if saliency.annotatorScores.contains(where: { $0.count != width || $0.isEmpty }) {
            return "saliency rows of different lengths"
        }
        if let bad = saliency.annotatorScores.joined().first(where: { $0 < 0 }) {
            return "saliency score \(bad) is not a non-negative integer"
        }
        let clipCount = Int(durationSeconds / saliency.clipDurationSeconds)
        if let bad = saliency.clipIndices.first(where: { $0 < 0 || $0 >= clipCount }) {
            return "clip id \(bad) outside the \(clipCount) clips of the video"
        }
        return nil
    }

    /// The text in double quotes with line breaks made visible, shortened to 80 characters.
    static func quoted(_ text: String) -> String {
        var visible = text.replacingOccurrences(of: "\n", with: "\\n")
            .replacingOccurrences(of: "\r", with: "\\r").replacingOccurrences(of: "\t", with: "\\t")
        if visible.count > 80 { visible = String(visible.prefix(77)) + "..." }
        return "\"\(visible)\""
    }
}

/// Collects anomalies into a report, or throws on the first one in strict mode.
struct AnomalyRecorder {
    let strict: Bool
    var report = AnomalyReport()

    init(policy: AnomalyPolicy) {
        self.strict = policy.strict
    }

    /// Records one case; `detail` is only built when it is kept as an example or thrown.
    mutating func record(
        _ kind: AnomalyKind, at location: SourceLocation, _ detail: @autoclosure () -> String
    ) throws(DatasetError) {
        if strict {
            throw .anomalyInStrictMode(Anomaly(kind: kind, location: location, detail: detail()))
        }
        report.record(kind, at: location, detail)
    }
}
