import Foundation
import Tensors
import VideoDecoding

/// What `vtg extract` does: which CLIP model, where the features go, how clips are sampled and
/// whether features are normalised. The defaults are those of the QVHighlights release's CLIP
/// features (2-second clips, one frame at each clip's centre, features as CLIP's image embeddings).
public struct ExtractionConfiguration: Sendable, Equatable {
    /// The default clip length L in seconds (QVHighlights' CLIP features).
    public static let defaultClipSeconds = 2.0
    /// The default frames per clip F.
    public static let defaultFramesPerClip = 1
    /// Frames per forward pass of the image encoder.
    public static let defaultBatchSize = 32

    /// The CLIP model folder (`config.json`, `preprocessor_config.json`, `model.safetensors`).
    public var clipModelDirectory: URL
    /// Where `VIDEO_ID.npz` files and `manifest.jsonl` are written.
    public var outputDirectory: URL
    /// Which frames stand for each clip (Docs/video-sampling.md).
    public var sampling: ClipSampling
    /// Divide each clip's feature (after averaging its F frames) by its L2 norm.
    public var normalize: Bool
    /// Frames per forward pass.
    public var batchSize: Int
    /// This process's part of the corpus; nil: the launcher's (`ExtractionShard.fromEnvironment`),
    /// else the whole corpus.
    public var shard: ExtractionShard?
    /// The precision of the image encoder's products (`--precision`, default float32; see
    /// `CLIPVisionModel.converted(to:features:)`). On a CPU without the kernel float32 runs,
    /// and the manifest records the precision that ran.
    public var precision: Precision

    /// A configuration; nil settings take the defaults. Out-of-range values are errors that
    /// name the option.
    public init(
        clipModelDirectory: URL, outputDirectory: URL, clipSeconds: Double? = nil,
        framesPerClip: Int? = nil, normalize: Bool = false, batchSize: Int? = nil,
        shard: ExtractionShard? = nil, precision: Precision = .float32
    ) throws(ExtractionError) {
        let clipSeconds = clipSeconds ?? Self.defaultClipSeconds
        let framesPerClip = framesPerClip ?? Self.defaultFramesPerClip
        let batchSize = batchSize ?? Self.defaultBatchSize
        guard clipSeconds > 0, clipSeconds.isFinite else {
            throw .invalidSetting(
                name: "--clip-seconds", value: "\(clipSeconds)", expected: "a positive number")
        }
        guard framesPerClip >= 1 else {
            throw .invalidSetting(
                name: "--frames-per-clip", value: "\(framesPerClip)", expected: "at least 1")
        }
        guard batchSize >= 1 else {
            throw .invalidSetting(name: "batch size", value: "\(batchSize)", expected: "at least 1")
        }
        self.clipModelDirectory = clipModelDirectory
        self.outputDirectory = outputDirectory
        self.sampling = ClipSampling(clipSeconds: clipSeconds, framesPerClip: framesPerClip)
        self.normalize = normalize
        self.batchSize = batchSize
        self.shard = shard
        self.precision = precision
    }

    /// The environment variable naming the CLIP model folder when `--clip-model` is not given.
    public static let clipModelEnvironmentVariable = "VTG_CLIP_MODEL"

    /// The CLIP model folder: `option` (`--clip-model`) when given, else `VTG_CLIP_MODEL` when
    /// set and not empty; nothing is downloaded. The folder's files are checked when the model
    /// loads.
    public static func clipModelDirectory(
        option: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ExtractionError) -> URL {
        let variable = environment[clipModelEnvironmentVariable].flatMap { $0.isEmpty ? nil : $0 }
        guard let path = option ?? variable else { throw .noCLIPModel }
        return URL(fileURLWithPath: NSString(string: path).expandingTildeInPath, isDirectory: true)
    }

    /// The shard to process: `shard` when set, else the launcher's, else the whole corpus.
    public func resolvedShard(environment: [String: String]) throws(ExtractionError)
        -> ExtractionShard
    {
        if let shard { return shard }
        return try ExtractionShard.fromEnvironment(environment) ?? .whole
    }
}
