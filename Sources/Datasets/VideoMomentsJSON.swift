import Foundation
import VTGCore

/// The JSON layout shared by ActivityNet Captions and TACoS (2D-TAN and VSLNet releases):
/// `{video: {"timestamps": [[start, end], ...], "sentences": [...], ...}}`, where the i-th
/// sentence describes the i-th timestamp pair. What the other fields mean (a duration in seconds,
/// or frame counts and a frame rate) is up to the caller.
enum VideoMomentsJSON {
    /// A video's duration, and the number of the file's time units per second (1 for seconds,
    /// the frame rate for frames); times are divided by it.
    struct Timing {
        var durationSeconds: Double
        var unitsPerSecond: Double
    }

    /// Reads every (timestamp, sentence) pair in file order. `timing` extracts the video's timing
    /// from its object, or returns why it cannot (then all its moments are dropped).
    static func read(
        _ url: URL, expected: String, recorder: inout AnomalyRecorder,
        timing: (JSONValue) -> Result<Timing, TimingProblem>
    ) throws(DatasetError) -> [RawAnnotation] {
        let json = try AnnotationFile.readJSON(url, expected: expected)
        let path = url.path
        guard let videos = json.objectMembers else {
            throw .unexpectedStructure(
                location: SourceLocation(file: path), expected: "an object keyed by video id",
                found: json.kindDescription)
        }
        var records: [RawAnnotation] = []
        var queryID = 0
        var lastOccurrence: [String: Int] = [:]
        for (index, video) in videos.enumerated() { lastOccurrence[video.key] = index }
        for (videoIndex, video) in videos.enumerated() {
            let videoID = video.key
            if lastOccurrence[videoID] != videoIndex {
                // Query ids still count this object's moments, so later ids stay put.
                let count = video.value["sentences"]?.arrayValue?.count ?? 0
                try recorder.record(
                    .duplicateKey, at: SourceLocation(file: path, key: videoID),
                    "video \(videoID) is given again later in the file; its \(count) moments "
                        + "here are dropped")
                queryID += max(count, video.value["timestamps"]?.arrayValue?.count ?? 0)
                continue
            }
            let timestamps = video.value["timestamps"]?.arrayValue ?? []
            let sentences = video.value["sentences"]?.arrayValue ?? []
            let pairCount = max(timestamps.count, sentences.count)
            if pairCount == 0 {
                try recorder.record(
                    .malformedRecord, at: SourceLocation(file: path, key: videoID),
                    "no 'timestamps' and 'sentences' arrays")
                continue
            }
            let videoTiming: Timing
            switch timing(video.value) {
            case .success(let found):
                videoTiming = found
            case .failure(let problem):
                for index in 0..<pairCount {
                    try recorder.record(
                        .invalidDuration,
                        at: SourceLocation(file: path, key: "\(videoID).timestamps[\(index)]"),
                        problem.detail)
                }
                queryID += pairCount
                continue
            }
            for index in 0..<pairCount {
                defer { queryID += 1 }
                let location = SourceLocation(file: path, key: "\(videoID).timestamps[\(index)]")
                guard index < timestamps.count, index < sentences.count else {
                    try recorder.record(
                        .malformedRecord, at: location,
                        "\(timestamps.count) timestamps but \(sentences.count) sentences")
                    continue
                }
                guard let pair = timestamps[index].arrayValue, pair.count == 2,
                    let start = pair[0].numberValue, let end = pair[1].numberValue
                else {
                    try recorder.record(
                        .malformedRecord, at: location,
                        "expected [start, end] numbers, found \(timestamps[index].serialized())")
                    continue
                }
                guard let sentence = sentences[index].stringValue else {
                    try recorder.record(
                        .malformedRecord, at: location,
                        "sentence \(index) is \(sentences[index].kindDescription), not a string")
                    continue
                }
                let rate = videoTiming.unitsPerSecond
                records.append(
                    RawAnnotation(
                        queryID: queryID, videoID: videoID,
                        durationSeconds: videoTiming.durationSeconds, query: sentence,
                        spans: [TimeSpan(startSeconds: start / rate, endSeconds: end / rate)],
                        saliency: nil, location: location))
            }
        }
        return records
    }

    /// Why a video's timing could not be determined.
    struct TimingProblem: Error {
        var detail: String
    }
}
