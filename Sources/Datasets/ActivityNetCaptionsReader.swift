import Foundation
import VTGCore

/// Reads ActivityNet Captions: `{video: {"duration": s, "timestamps": [[s, e]...], "sentences"}}`
/// with times in seconds (2D-TAN `train/val/test.json` = VSLNet `train/val_1/val_2.json`).
enum ActivityNetCaptionsReader {
    static func read(split: String, in directory: URL, recorder: inout AnomalyRecorder)
        throws(DatasetError) -> [RawAnnotation]
    {
        let url = DatasetName.activityNet.annotationFile(split: split, in: directory)
        return try VideoMomentsJSON.read(
            url,
            expected: "ActivityNet Captions moments ({video: {duration, timestamps, sentences}})",
            recorder: &recorder
        ) { video in
            guard let duration = video["duration"]?.numberValue, duration.isFinite, duration > 0
            else {
                return .failure(.init(detail: "'duration' is missing or not a positive number"))
            }
            return .success(.init(durationSeconds: duration, unitsPerSecond: 1))
        }
    }
}
