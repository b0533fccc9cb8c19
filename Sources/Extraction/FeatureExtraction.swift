import Datasets
import Dispatch
import Foundation
import VideoDecoding

/// `vtg extract`'s engine: video files in, one `VIDEO_ID.npz` per video (key `features`,
/// float32 `[clips, projection width]`, the QVHighlights CLIP-feature layout that `FeatureStore`
/// and `vtg train --features` read) and one `manifest.jsonl` line per video out.
///
/// - Atomic: each `.npz` is written to a hidden file and renamed into place, and its manifest
///   line is appended after it; a process killed at any moment leaves complete files only.
/// - Resumable: a video whose `.npz` and manifest line are complete (the file's size and SHA-256
///   are those the line records, the video's size is unchanged) and match the configuration
///   (model checksum, clip length, frames per clip, normalisation, the precision that runs) is
///   skipped; any other is extracted again.
/// - Damage-tolerant: a video that fails to decode is reported by name and counted; the others go
///   on.
/// - Sharded: shard i/n takes every n-th video of the list sorted by id, so processes started by
///   `mpirun` or a Slurm array share one output folder.
public final class FeatureExtraction {
    /// The settings.
    public let configuration: ExtractionConfiguration
    /// The per-video engine, with the loaded model.
    public let extractor: ClipFeatureExtractor
    /// SHA-256 of the model folder's `config.json`, `preprocessor_config.json` and
    /// `model.safetensors`, concatenated in that order.
    public let modelSHA256: String
    /// `DecoderVersion.description`, recorded in every line.
    public let decoderVersion = DecoderVersion.description

    private let loadSeconds: Double

    /// Loads and checksums the model and creates the output folder.
    public init(configuration: ExtractionConfiguration) throws(ExtractionError) {
        let start = DispatchTime.now().uptimeNanoseconds
        self.configuration = configuration
        extractor = try ClipFeatureExtractor(configuration: configuration)
        let files = extractor.encoder.files
        modelSHA256 = try FileChecksum.sha256(
            ofFiles: [
                files.configurationURL.path, files.preprocessorURL.path, files.weightsURL.path,
            ]
        )
        do {
            try FileManager.default.createDirectory(
                at: configuration.outputDirectory, withIntermediateDirectories: true)
        } catch {
            throw .cannotWrite(path: configuration.outputDirectory.path, reason: "\(error)")
        }
        loadSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// Extracts the videos of `inputs` (files and folders, see `VideoInputList`) that belong to
    /// this process's shard (`configuration.shard`, else the launcher's from `environment`).
    public func run(
        inputs: [String],
        environment: [String: String] = ProcessInfo.processInfo.environment,
        progress: (any ExtractionProgressReporting)? = nil
    ) throws(ExtractionError) -> ExtractionSummary {
        let shard = try configuration.resolvedShard(environment: environment)
        let videos = try VideoInputList.videos(in: inputs)
        return try run(videos: videos, shard: shard, progress: progress)
    }

    /// Extracts the videos of `videos` (sorted by id) at the positions `shard` takes.
    public func run(
        videos: [VideoInput], shard: ExtractionShard = .whole,
        progress: (any ExtractionProgressReporting)? = nil
    ) throws(ExtractionError) -> ExtractionSummary {
        let start = DispatchTime.now().uptimeNanoseconds
        var summary = ExtractionSummary(shard: shard)
        let mine = videos.enumerated().filter { shard.contains(position: $0.offset) }.map(\.element)
        summary.videoCount = mine.count
        let manifestURL = FeatureManifest.url(in: configuration.outputDirectory)
        let entries = try FeatureManifest.entries(at: manifestURL)
        var pending: [VideoInput] = []
        for video in mine {
            if try isComplete(video, entry: entries[video.videoID]) {
                summary.skippedCount += 1
            } else {
                pending.append(video)
            }
        }
        progress?.report(
            .started(
                shard: shard, featureKind: extractor.featureKind, toExtract: pending.count,
                alreadyComplete: summary.skippedCount))
        let announced = pending.map(announcedFrameCount)
        let totalFrames = max(announced.reduce(0, +), 1)
        if !pending.isEmpty { progress?.begin("extract", total: totalFrames) }
        var framesBefore = 0
        for (position, video) in pending.enumerated() {
            let status = "video \(position + 1)/\(pending.count)"
            let outcome = try extract(video, manifestURL: manifestURL) { frames in
                let done = min(framesBefore + frames, totalFrames - 1)
                progress?.update(done: done, status: status, itemsDone: framesBefore + frames)
            }
            switch outcome {
            case .success(let entry, let encodedFrames, let timing):
                summary.extractedCount += 1
                summary.videoSeconds += entry.durationSeconds
                summary.clipCount += entry.clips
                summary.decodedFrameCount += entry.framesDecoded
                summary.encodedFrameCount += encodedFrames
                summary.timing += timing
                framesBefore += encodedFrames
            case .failure(let failure):
                summary.failures.append(failure)
                progress?.report(.failed(failure))
                framesBefore += announced[position]
            }
        }
        if !pending.isEmpty {
            progress?.update(done: totalFrames, status: "done", itemsDone: framesBefore)
        }
        summary.wallSeconds =
            loadSeconds + Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return summary
    }

    /// True when `entry` describes complete features of `video` made with this configuration.
    public func isComplete(_ video: VideoInput, entry: ManifestEntry?) throws(ExtractionError)
        -> Bool
    {
        guard let entry,
            entry.matches(
                modelSHA256: modelSHA256, clipSeconds: configuration.sampling.clipSeconds,
                framesPerClip: configuration.sampling.framesPerClip,
                normalize: configuration.normalize, precision: extractor.encoder.precision),
            entry.fileBytes == Self.fileSize(video.path)
        else { return false }
        let features = configuration.outputDirectory.appendingPathComponent(entry.featuresFile)
        guard Self.fileSize(features.path) == entry.featuresBytes else { return false }
        return try FileChecksum.sha256(ofFile: features.path).digest == entry.featuresSHA256
    }

    /// One video's outcome.
    enum Outcome {
        case success(ManifestEntry, encodedFrames: Int, ExtractionTiming)
        case failure(ExtractionFailure)
    }

    /// Extracts one video and writes its features and manifest line; a decoding failure is an
    /// outcome, a writing failure an error.
    func extract(
        _ video: VideoInput, manifestURL: URL, progress: (Int) -> Void
    ) throws(ExtractionError) -> Outcome {
        let output = configuration.outputDirectory
        let featuresURL = output.appendingPathComponent("\(video.videoID).npz")
        removePartialFiles(of: featuresURL)
        let extracted: ExtractedVideo
        do {
            extracted = try extractor.extract(path: video.path, progress: progress)
        } catch {
            return .failure(
                ExtractionFailure(videoID: video.videoID, path: video.path, message: "\(error)"))
        }
        var timing = extracted.timing
        let entry = try ExtractionTiming.timed(&timing.writeSeconds) {
            () throws(ExtractionError) -> ManifestEntry in
            let source = try FileChecksum.sha256(ofFile: video.path)
            do {
                try NumpyArchive.write(extracted.features, key: "features", to: featuresURL)
            } catch {
                throw .cannotWrite(path: featuresURL.path, reason: "\(error)")
            }
            let written = try FileChecksum.sha256(ofFile: featuresURL.path)
            let entry = ManifestEntry(
                videoID: video.videoID, file: video.path, fileBytes: source.byteCount,
                fileSHA256: source.digest, durationSeconds: extracted.durationSeconds,
                clips: extracted.features.clipCount, framesDecoded: extracted.decodedFrameCount,
                featuresFile: featuresURL.lastPathComponent, featuresBytes: written.byteCount,
                featuresSHA256: written.digest, featureKind: extractor.featureKind,
                featureDimension: extractor.featureDimension, modelSHA256: modelSHA256,
                clipSeconds: configuration.sampling.clipSeconds,
                framesPerClip: configuration.sampling.framesPerClip,
                normalize: configuration.normalize, precision: extractor.encoder.precision,
                decoder: decoderVersion)
            try FeatureManifest.append(entry, to: manifestURL)
            return entry
        }
        let encoded = extracted.features.clipCount * configuration.sampling.framesPerClip
        return .success(entry, encodedFrames: encoded, timing)
    }

    /// Removes what a killed writer left of `featuresURL` (only this shard writes this video).
    private func removePartialFiles(of featuresURL: URL) {
        let folder = featuresURL.deletingLastPathComponent()
        let prefix = NumpyArchive.partialFilePrefix(for: featuresURL)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in names where name.hasPrefix(prefix) {
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        }
    }

    /// The frames a video's headers announce for the sampling (its declared duration's clips
    /// times F), 1 when they declare no duration or the file cannot be opened.
    private func announcedFrameCount(_ video: VideoInput) -> Int {
        guard let decoder = try? VideoDecoder(path: video.path),
            let seconds = decoder.properties.declaredDurationSeconds
        else { return 1 }
        let sampling = configuration.sampling
        return sampling.clipCount(durationSeconds: seconds) * sampling.framesPerClip
    }

    /// The size of the file at `path` in bytes, -1 when there is none.
    static func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? -1
    }
}
