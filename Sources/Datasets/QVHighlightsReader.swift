import Foundation
import VTGCore

/// Reads QVHighlights JSON Lines (moment_detr release): one query a line with `qid`, `query`,
/// `vid`, `duration` (seconds), `relevant_windows` ([[start, end], ...] seconds; absent in the
/// `test` release, whose ground truth was withheld), and where present `relevant_clip_ids` and
/// `saliency_scores` (one row of annotator scores per relevant 2-second clip).
enum QVHighlightsReader {
    /// Length of a rated clip in QVHighlights.
    static let clipDurationSeconds = 2.0

    static func read(split: String, in directory: URL, recorder: inout AnomalyRecorder)
        throws(DatasetError) -> [RawAnnotation]
    {
        let url = DatasetName.qvHighlights.annotationFile(split: split, in: directory)
        let path = url.path
        let lines = try AnnotationFile.readLines(
            url, expected: "QVHighlights queries, one JSON object a line")
        var records: [RawAnnotation] = []
        for (lineNumber, text) in lines {
            let location = SourceLocation(file: path, line: lineNumber)
            let json: JSONValue
            do {
                json = try JSONParser.parse(bytes: Array(text.utf8)[...])
            } catch {
                try recorder.record(
                    .malformedRecord, at: location,
                    "not valid JSON at column \(error.column): \(error.reason)")
                continue
            }
            guard let queryID = json["qid"]?.integerValue else {
                try recorder.record(.malformedRecord, at: location, "no integer 'qid'")
                continue
            }
            guard let videoID = json["vid"]?.stringValue, let query = json["query"]?.stringValue
            else {
                try recorder.record(.malformedRecord, at: location, "no string 'vid' or 'query'")
                continue
            }
            guard let duration = json["duration"]?.numberValue, duration.isFinite, duration > 0
            else {
                try recorder.record(
                    .invalidDuration, at: location, "'duration' is missing or not positive")
                continue
            }
            var spans: [TimeSpan] = []
            var malformedWindow: String?
            let windows = json["relevant_windows"]
            if let windows, windows != .null, windows.arrayValue == nil {
                // Read as "no windows", the query would be scored as a miss.
                try recorder.record(
                    .malformedRecord, at: location,
                    "'relevant_windows' is \(windows.kindDescription), not a list of [start, end]")
                continue
            }
            for window in windows?.arrayValue ?? [] {
                if let pair = window.arrayValue, pair.count == 2, let start = pair[0].numberValue,
                    let end = pair[1].numberValue
                {
                    spans.append(TimeSpan(startSeconds: start, endSeconds: end))
                } else {
                    malformedWindow = window.serialized()
                }
            }
            if let malformedWindow {
                try recorder.record(
                    .malformedRecord, at: location,
                    "relevant window \(malformedWindow) is not [start, end]")
                continue
            }
            records.append(
                RawAnnotation(
                    queryID: queryID, videoID: videoID, durationSeconds: duration, query: query,
                    spans: spans, saliency: readSaliency(json), location: location))
        }
        return try droppingEarlierDuplicates(records, recorder: &recorder)
    }

    /// `records` without those whose `qid` comes again later in the file (each counted as a
    /// `duplicateKey` anomaly): the moment_detr evaluation keys the ground truth by `qid`, so
    /// the last record wins there too.
    static func droppingEarlierDuplicates(
        _ records: [RawAnnotation], recorder: inout AnomalyRecorder
    ) throws(DatasetError) -> [RawAnnotation] {
        var lastIndex: [Int: Int] = [:]
        for (index, record) in records.enumerated() { lastIndex[record.queryID] = index }
        guard lastIndex.count < records.count else { return records }
        var kept: [RawAnnotation] = []
        for (index, record) in records.enumerated() {
            guard let last = lastIndex[record.queryID], last != index else {
                kept.append(record)
                continue
            }
            try recorder.record(
                .duplicateKey, at: record.location,
                "qid \(record.queryID) is given again at line \(records[last].location.line ?? 0)")
        }
        return kept
    }

    /// The saliency ratings if the line has both fields (shape checked later by the policy).
    static func readSaliency(_ json: JSONValue) -> ClipSaliency? {
        guard let clipIDs = json["relevant_clip_ids"]?.arrayValue,
            let rows = json["saliency_scores"]?.arrayValue
        else { return nil }
        // A non-integer entry becomes -1, which the policy reports as out of range.
        let indices = clipIDs.map { $0.integerValue ?? -1 }
        let scores = rows.map { row in (row.arrayValue ?? []).map { $0.integerValue ?? -1 } }
        return ClipSaliency(
            clipDurationSeconds: clipDurationSeconds, clipIndices: indices, annotatorScores: scores)
    }
}
