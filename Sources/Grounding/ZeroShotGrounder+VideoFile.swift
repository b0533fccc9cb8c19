import Extraction
import Foundation

/// One video file grounded without training: its features (extracted or from the cache) and
/// each query's answer.
public struct ZeroShotVideoGrounding: Sendable {
    /// The video's features and duration.
    public let video: VideoFileFeatures
    /// Each query's ranked spans and relevance curve.
    public let results: [ZeroShotResult]
}

extension ZeroShotGrounder {
    /// Where `ground(videoFile:…)` keeps extracted features unless told otherwise:
    /// `CLIP_MODEL/.video-cache`, beside the model that made them (the cache is keyed by the
    /// model's checksum and the settings, as a trained run's `RUN/.video-cache` is).
    public static func defaultVideoCacheDirectory(clipModelDirectory: URL) -> URL {
        clipModelDirectory.appendingPathComponent(".video-cache", isDirectory: true)
    }

    /// Grounds `queries` in the video file at `path`: extracts its CLIP image embeddings with the
    /// model folder `clipModelDirectory` in clips of `settings.clipSeconds` (2 s when the
    /// settings share the duration evenly), or takes them from `cacheDirectory` (default
    /// `defaultVideoCacheDirectory`), through the same extraction path as a trained run's
    /// `ground(videoFile:…)`; then grounds each query as `ground(features:…)` does. Refuses, before
    /// decoding anything, an image tower whose embeddings are not the text embedding's width.
    public func ground(
        videoFile path: String, queries: [String], clipModelDirectory: URL,
        cacheDirectory: URL? = nil, progress: (any ExtractionProgressReporting)? = nil
    ) throws -> ZeroShotVideoGrounding {
        try Grounder.validate(durationSeconds: 1, queries: queries, topK: settings.topK)
        let video = try Grounder.videoFileFeatures(
            path: path, clipModelDirectory: clipModelDirectory,
            cacheDirectory: cacheDirectory
                ?? Self.defaultVideoCacheDirectory(clipModelDirectory: clipModelDirectory),
            clipSeconds: settings.clipSeconds, framesPerClip: nil, progress: progress
        ) { extractor in
            guard extractor.featureDimension == embedder.embeddingSize else {
                throw GroundingError.invalidValue(
                    .clipModel,
                    value:
                        "\(clipModelDirectory.path) (image embeddings of width "
                        + "\(extractor.featureDimension))",
                    expected:
                        "a CLIP model whose image and text embeddings share a width "
                        + "(\(embedder.embeddingSize), the text embedding's)")
            }
        }
        let results = try ground(
            features: video.features, durationSeconds: video.durationSeconds, queries: queries,
            path: video.file.path)
        return ZeroShotVideoGrounding(video: video, results: results)
    }
}
