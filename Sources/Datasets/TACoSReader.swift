import Foundation
import VTGCore

/// Reads TACoS in the 2D-TAN layout: `{video: {"timestamps": [[frame, frame]...], "sentences",
/// "fps", "num_frames"}}`; seconds = frame / fps, duration = num_frames / fps (as 2D-TAN and
/// VSLNet convert them).
enum TACoSReader {
    static func read(split: String, in directory: URL, recorder: inout AnomalyRecorder)
        throws(DatasetError) -> [RawAnnotation]
    {
        let url = DatasetName.tacos.annotationFile(split: split, in: directory)
        return try VideoMomentsJSON.read(
            url, expected: "TACoS moments ({video: {timestamps, sentences, fps, num_frames}})",
            recorder: &recorder
        ) { video in
            guard let fps = video["fps"]?.numberValue, fps.isFinite, fps > 0 else {
                return .failure(.init(detail: "'fps' is missing or not a positive number"))
            }
            guard let frames = video["num_frames"]?.numberValue, frames.isFinite, frames > 0 else {
                return .failure(.init(detail: "'num_frames' is missing or not a positive number"))
            }
            return .success(.init(durationSeconds: frames / fps, unitsPerSecond: fps))
        }
    }
}
