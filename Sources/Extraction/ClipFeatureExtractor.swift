import Datasets
import Foundation
import Tensors
import VideoDecoding
import VisionEncoding

/// The clip features of one video, as extraction computed them.
public struct ExtractedVideo: Sendable {
    /// `[clips, embedding width]` float32: clip k's feature is the mean of the image embeddings
    /// of its F sampled frames, L2-normalised when the extractor normalises.
    public let features: ClipFeatures
    /// D, the end of the last decoded frame, in seconds.
    public let durationSeconds: Double
    /// Frames the decoder handed out (every frame of the video, sampled or not).
    public let decodedFrameCount: Int
    /// Where the time went.
    public let timing: ExtractionTiming
}

/// Turns a video file into clip features: decode → sample each clip's frames (the definition of
/// Docs/video-sampling.md) → preprocess (`CLIPImagePreprocessor`) → encode in batches → average
/// each clip's F embeddings → optionally L2-normalise.
///
/// Streaming: the decoder holds two frames, each sampled frame is preprocessed at once into the
/// next batch's `pixel_values` and then released, so memory stays flat for a video of any length
/// and frame size (the features themselves grow by one row per clip: 2 KB for ViT-B/32).
///
/// Not `Sendable`: one extractor belongs to one task (the encoder itself uses every compute
/// thread).
public final class ClipFeatureExtractor {
    /// The image encoder.
    public let encoder: CLIPImageEncoder
    /// Which frames stand for each clip.
    public let sampling: ClipSampling
    /// Whether each clip's feature is divided by its L2 norm.
    public let normalize: Bool
    /// Frames per forward pass.
    public let batchSize: Int

    /// An extractor over a loaded encoder.
    public init(
        encoder: CLIPImageEncoder, sampling: ClipSampling = ClipSampling(),
        normalize: Bool = false, batchSize: Int = ExtractionConfiguration.defaultBatchSize
    ) {
        precondition(batchSize >= 1, "ClipFeatureExtractor: batch size \(batchSize)")
        self.encoder = encoder
        self.sampling = sampling
        self.normalize = normalize
        self.batchSize = batchSize
    }

    /// Loads the model folder of `configuration`, its products at the configuration's precision,
    /// and takes its sampling, normalisation and batch size.
    public convenience init(configuration: ExtractionConfiguration) throws(ExtractionError) {
        let encoder: CLIPImageEncoder
        do {
            encoder = try CLIPImageEncoder(
                directory: configuration.clipModelDirectory, precision: configuration.precision)
        } catch {
            throw .model(error)
        }
        self.init(
            encoder: encoder, sampling: configuration.sampling,
            normalize: configuration.normalize, batchSize: configuration.batchSize)
    }

    /// The kind of features this extractor makes (see `FeatureKind`).
    public var featureKind: String {
        FeatureKind.clipImage(encoder.model.configuration, sampling: sampling)
    }

    /// The width of a feature (the model's `projection_dim`).
    public var featureDimension: Int { encoder.embeddingSize }

    /// The features of the video at `path`. `progress` is called after each batch with the
    /// frames encoded so far. A damaged file throws its decoding error (after some batches may
    /// have been encoded): features of part of a video are never returned.
    public func extract(path: String, progress: (_ framesEncoded: Int) -> Void = { _ in })
        throws(VideoDecodingError) -> ExtractedVideo
    {
        var timing = ExtractionTiming()
        let sampler = try ExtractionTiming.timed(&timing.decodeSeconds) {
            () throws(VideoDecodingError) in try ClipFrameSampler(path: path, sampling: sampling)
        }
        let width = featureDimension
        let preprocessor = encoder.preprocessor
        var sums: [Float] = []
        var pixels: [Float] = []
        var batchClips: [Int] = []
        var framesEncoded = 0
        var imageLength = 0
        var imageShape: [Int] = []

        func encodeBatch() {
            guard !batchClips.isEmpty else { return }
            let input = Tensor(shape: [batchClips.count] + imageShape, scalars: pixels)
            let embeddings = ExtractionTiming.timed(&timing.encodeSeconds) {
                withGradientsDisabled { encoder.model(input) }
            }
            embeddings.withUnsafeScalars { values in
                for (row, clip) in batchClips.enumerated() {
                    if clip * width == sums.count { sums += repeatElement(0, count: width) }
                    for column in 0..<width {
                        sums[clip * width + column] += values[row * width + column]
                    }
                }
            }
            framesEncoded += batchClips.count
            pixels.removeAll(keepingCapacity: true)
            batchClips.removeAll(keepingCapacity: true)
            progress(framesEncoded)
        }

        while let sample = try ExtractionTiming.timed(
            &timing.decodeSeconds,
            {
                () throws(VideoDecodingError) in try sampler.next()
            })
        {
            let frame = sample.frame
            let image = RGBImage(width: frame.width, height: frame.height, bytes: frame.rgb)
            ExtractionTiming.timed(&timing.preprocessSeconds) {
                let values = preprocessor.pixelValues(image)
                if imageShape.isEmpty {
                    let size = preprocessor.outputSize(width: image.width, height: image.height)
                    imageShape = [3, size.height, size.width]
                    imageLength = values.count
                    pixels.reserveCapacity(batchSize * imageLength)
                }
                pixels += values
            }
            batchClips.append(sample.clipIndex)
            if batchClips.count == batchSize { encodeBatch() }
        }
        encodeBatch()

        let clipCount = sums.count / width
        precondition(
            clipCount == sampler.clipCount,
            "ClipFeatureExtractor: \(clipCount) clips encoded of \(sampler.clipCount ?? 0)")
        let scale = 1 / Float(sampling.framesPerClip)
        if sampling.framesPerClip > 1 { for index in sums.indices { sums[index] *= scale } }
        var features = ClipFeatures(values: sums, clipCount: clipCount, featureDimension: width)
        if normalize { features = features.l2Normalized() }
        return ExtractedVideo(
            features: features, durationSeconds: sampler.durationSeconds ?? 0,
            decodedFrameCount: sampler.decoder.decodedFrameCount, timing: timing)
    }
}
