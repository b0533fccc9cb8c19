import Extraction
import Foundation
import Tensors
import VTGCore

/// One video file grounded: its features (extracted or from the cache) and each query's answer.
public struct VideoFileGrounding: Sendable {
    /// The video's features and duration.
    public let video: VideoFileFeatures
    /// Each query's ranked spans and per-clip curves.
    public let results: [GroundingResult]
}

extension Grounder {
    /// Checks what `ground` is asked about one video without loading anything: either clip
    /// features with the video's duration, or a video file (whose duration is measured from its
    /// frames), not both; then the queries and span count as `validate(durationSeconds:…)`.
    public static func validate(
        featuresGiven: Bool, durationSeconds: Double?, videoFileGiven: Bool, queries: [String],
        topK: Int
    ) throws(GroundingError) {
        if videoFileGiven {
            if featuresGiven {
                throw .invalidCombination(
                    [.features, .video], reason: "ground in clip features or in a video file")
            }
            if durationSeconds != nil {
                throw .invalidCombination(
                    [.duration, .video],
                    reason: "a video file's duration is measured from its frames")
            }
        } else if !featuresGiven {
            throw .missingInputs(
                [.features], alternatives: [.video], reason: "there is no video to ground in")
        } else if durationSeconds == nil {
            throw .missingInputs(
                [.duration], alternatives: [],
                reason: "clip features do not say how long the video is")
        }
        try validate(durationSeconds: durationSeconds ?? 1, queries: queries, topK: topK)
    }

    /// Where `ground(videoFile:…)` keeps extracted features: `RUN/.video-cache`, a features
    /// folder (`.npz` files and `manifest.jsonl`) keyed by each file's checksum and the
    /// extractor's settings.
    public var videoCacheDirectory: URL {
        runDirectory.appendingPathComponent(".video-cache", isDirectory: true)
    }

    /// Grounds `queries` in the video file at `path`: extracts its CLIP features with the model
    /// folder `clipModelDirectory` (or takes them from `videoCacheDirectory`), sampled as the
    /// run's features were (`FeatureKind.sampling(of:)`; 2-second clips otherwise), then grounds
    /// each query as `ground(features:…)` does, any length. Refuses, before decoding anything, a
    /// run trained on another kind or width of features, naming the kind the run expects. The
    /// image encoder's products run at `precision`; cached features of another precision are
    /// extracted again (the cache's manifest records the precision).
    public func ground(
        videoFile path: String, queries: [String], clipModelDirectory: URL,
        precision: Precision = .float32, topK: Int = SpanDecoder.defaultTopK,
        windowStride: Int? = nil,
        progress: (any ExtractionProgressReporting)? = nil
    ) throws -> VideoFileGrounding {
        try Self.validate(durationSeconds: 1, queries: queries, topK: topK)
        try validate(windowStride: windowStride)
        let sampling = FeatureKind.sampling(of: run.model.featureKind)
        let video = try Self.videoFileFeatures(
            path: path, clipModelDirectory: clipModelDirectory,
            cacheDirectory: videoCacheDirectory, clipSeconds: sampling?.clipSeconds,
            framesPerClip: sampling?.framesPerClip, precision: precision, progress: progress
        ) { extractor in
            guard extractor.featureKind == run.model.featureKind,
                extractor.featureDimension == run.model.featureDimension
            else {
                throw GroundingError.featureMismatch(
                    path: clipModelDirectory.path,
                    expected:
                        "\(run.model.featureKind) features of dimension "
                        + "\(run.model.featureDimension)",
                    actual:
                        "\(extractor.featureKind) features of dimension "
                        + "\(extractor.featureDimension)")
            }
        }
        let results = try ground(
            features: video.features, durationSeconds: video.durationSeconds, queries: queries,
            topK: topK, windowStride: windowStride)
        return VideoFileGrounding(video: video, results: results)
    }

    /// The one extraction path of `ground --video`, trained or zero-shot: the CLIP features of
    /// the video file at `path` made with the model folder `clipModelDirectory`, clips of
    /// `clipSeconds` with `framesPerClip` frames (nil: 2 s, 1 frame), kept in `cacheDirectory`
    /// as a features folder keyed by the file's checksum and the extractor's settings (or taken
    /// from there), its products at `precision` (cached features of another precision are
    /// extracted again). `check` sees the loaded extractor before anything is decoded, and may refuse it.
    static func videoFileFeatures(
        path: String, clipModelDirectory: URL, cacheDirectory: URL, clipSeconds: Double?,
        framesPerClip: Int?, precision: Precision = .float32,
        progress: (any ExtractionProgressReporting)?,
        check: (ClipFeatureExtractor) throws -> Void = { _ in }
    ) throws -> VideoFileFeatures {
        let extraction = try FeatureExtraction(
            configuration: ExtractionConfiguration(
                clipModelDirectory: clipModelDirectory, outputDirectory: cacheDirectory,
                clipSeconds: clipSeconds, framesPerClip: framesPerClip, shard: .whole,
                precision: precision))
        try check(extraction.extractor)
        return try extraction.features(ofVideoFile: path, progress: progress)
    }
}
