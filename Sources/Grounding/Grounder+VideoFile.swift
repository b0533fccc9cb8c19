import Extraction
import Foundation
import VTGCore

/// One video file grounded: its features (extracted or from the cache) and each query's answer.
public struct VideoFileGrounding: Sendable {
    /// The video's features and duration.
    public let video: VideoFileFeatures
    /// Each query's ranked spans and per-clip curves.
    public let results: [GroundingResult]
}

extension Grounder {
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
    /// run trained on another kind or width of features, naming the kind the run expects.
    public func ground(
        videoFile path: String, queries: [String], clipModelDirectory: URL,
        topK: Int = SpanDecoder.defaultTopK, windowStride: Int? = nil,
        progress: (any ExtractionProgressReporting)? = nil
    ) throws -> VideoFileGrounding {
        try Self.validate(durationSeconds: 1, queries: queries, topK: topK)
        try validate(windowStride: windowStride)
        let sampling = FeatureKind.sampling(of: run.model.featureKind)
        let extraction = try FeatureExtraction(
            configuration: ExtractionConfiguration(
                clipModelDirectory: clipModelDirectory, outputDirectory: videoCacheDirectory,
                clipSeconds: sampling?.clipSeconds, framesPerClip: sampling?.framesPerClip,
                shard: .whole))
        let extractor = extraction.extractor
        guard extractor.featureKind == run.model.featureKind,
            extractor.featureDimension == run.model.featureDimension
        else {
            throw GroundingError.featureMismatch(
                path: clipModelDirectory.path,
                expected:
                    "\(run.model.featureKind) features of dimension \(run.model.featureDimension)",
                actual:
                    "\(extractor.featureKind) features of dimension \(extractor.featureDimension)"
            )
        }
        let video = try extraction.features(ofVideoFile: path, progress: progress)
        let results = try ground(
            features: video.features, durationSeconds: video.durationSeconds, queries: queries,
            topK: topK, windowStride: windowStride)
        return VideoFileGrounding(video: video, results: results)
    }
}
