import Datasets
import Foundation

/// One video file's clip features, extracted or read back from where they were extracted
/// before: what `vtg ground --video` grounds queries in.
public struct VideoFileFeatures: Sendable {
    /// `[clips, width]`, as extraction writes them.
    public let features: ClipFeatures
    /// The video's duration D (the end of its last frame), in seconds.
    public let durationSeconds: Double
    /// The kind of the features (`FeatureKind`).
    public let featureKind: String
    /// The `.npz` file that holds them.
    public let file: URL
    /// True when they were found complete (nothing was decoded or encoded).
    public let wasCached: Bool
}

extension FeatureExtraction {
    /// The features of the video file at `path`, kept in the output folder as a cache: under the
    /// id `SHA256(file)-KEY`, KEY the first 16 hexadecimal digits of the SHA-256 of the model
    /// checksum and the settings, so that the same file with the same extractor is decoded and
    /// encoded once (whatever its name or folder), and another model or setting gets its own
    /// entry. Extracted through `run(videos:)`, with its atomic writing and resume checks.
    public func features(
        ofVideoFile path: String, progress: (any ExtractionProgressReporting)? = nil
    ) throws(ExtractionError) -> VideoFileFeatures {
        let absolute = VideoInput(path: path).path
        guard FileManager.default.fileExists(atPath: absolute) else {
            throw .inputNotFound(path: path)
        }
        let videoID = try FileChecksum.sha256(ofFile: absolute).digest + "-" + settingsKey
        let manifest = FeatureManifest.url(in: configuration.outputDirectory)
        let summary = try run(
            videos: [VideoInput(videoID: videoID, path: absolute)], shard: .whole,
            progress: progress)
        if let failure = summary.failures.first { throw .videoFailed(failure) }
        guard let entry = try FeatureManifest.entries(at: manifest)[videoID] else {
            throw .unreadableFile(path: manifest.path, reason: "no line for \(videoID)")
        }
        let file = configuration.outputDirectory.appendingPathComponent(entry.featuresFile)
        let features: ClipFeatures
        do {
            let store = try FeatureStore(
                FeatureStoreConfiguration(
                    location: FeatureLocation(
                        format: .npzDirectory, path: configuration.outputDirectory.path)))
            features = try store.features(forVideo: videoID)
        } catch {
            throw .unreadableFile(path: file.path, reason: "\(error)")
        }
        return VideoFileFeatures(
            features: features, durationSeconds: entry.durationSeconds,
            featureKind: entry.featureKind, file: file, wasCached: summary.skippedCount == 1)
    }

    /// 16 hexadecimal digits that differ between models and settings.
    var settingsKey: String {
        let checksum = FileChecksum()
        let sampling = configuration.sampling
        let text =
            "\(modelSHA256) \(sampling.clipSeconds) \(sampling.framesPerClip) "
            + "\(configuration.normalize)"
        checksum.update(Data(text.utf8))
        return String(checksum.finalize().prefix(16))
    }
}
