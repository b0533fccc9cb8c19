import Tensors
import VTGCore

/// One line of `manifest.jsonl`: a video whose features were written, how, and from what.
///
/// ```
/// {"video_id": "bikes", "file": "/data/bikes.mp4", "file_bytes": 765216,
///  "file_sha256": "9102…", "duration_seconds": 10, "clips": 5, "frames_decoded": 250,
///  "features_file": "bikes.npz", "features_bytes": 10432, "features_sha256": "…",
///  "feature_kind": "clip-vit-b-32", "feature_dimension": 512, "model_sha256": "…",
///  "clip_seconds": 2, "frames_per_clip": 1, "normalize": false, "precision": "float32",
///  "decoder": "libavformat 59.27.100, libavcodec 59.37.100, libavutil 57.28.100, …"}
/// ```
/// (one line in the file). The line holds no timings, so equal work writes equal lines.
public struct ManifestEntry: Sendable, Equatable {
    /// The file name without its extension; the features are `video_id.npz`.
    public var videoID: String
    /// The video's path, absolute.
    public var file: String
    /// The video's size in bytes.
    public var fileBytes: Int
    /// The video's SHA-256.
    public var fileSHA256: String
    /// D, the end of the last decoded frame, in seconds.
    public var durationSeconds: Double
    /// N, the rows of the features.
    public var clips: Int
    /// Frames the decoder handed out.
    public var framesDecoded: Int
    /// The features' file name inside the output folder.
    public var featuresFile: String
    /// The `.npz` file's size in bytes.
    public var featuresBytes: Int
    /// The `.npz` file's SHA-256.
    public var featuresSHA256: String
    /// See `FeatureKind`.
    public var featureKind: String
    /// The features' width.
    public var featureDimension: Int
    /// The model's checksum (`ModelChecksum`).
    public var modelSHA256: String
    /// L, the clip length.
    public var clipSeconds: Double
    /// F, the frames averaged per clip.
    public var framesPerClip: Int
    /// Whether features are L2-normalised.
    public var normalize: Bool
    /// The precision the image encoder's products ran at (lines written before precisions
    /// existed have no key: float32).
    public var precision: Precision
    /// `DecoderVersion.description` of the process that decoded the video.
    public var decoder: String

    /// The line's JSON object, keys in the order above.
    public var json: JSONValue {
        .object([
            JSONMember("video_id", .string(videoID)), JSONMember("file", .string(file)),
            JSONMember("file_bytes", .number(fileBytes)),
            JSONMember("file_sha256", .string(fileSHA256)),
            JSONMember("duration_seconds", .number(durationSeconds)),
            JSONMember("clips", .number(clips)),
            JSONMember("frames_decoded", .number(framesDecoded)),
            JSONMember("features_file", .string(featuresFile)),
            JSONMember("features_bytes", .number(featuresBytes)),
            JSONMember("features_sha256", .string(featuresSHA256)),
            JSONMember("feature_kind", .string(featureKind)),
            JSONMember("feature_dimension", .number(featureDimension)),
            JSONMember("model_sha256", .string(modelSHA256)),
            JSONMember("clip_seconds", .number(clipSeconds)),
            JSONMember("frames_per_clip", .number(framesPerClip)),
            JSONMember("normalize", .bool(normalize)),
            JSONMember("precision", .string(precision.rawValue)),
            JSONMember("decoder", .string(decoder)),
        ])
    }

    /// The entry of a parsed line, nil when a key is missing or of the wrong type (a missing
    /// `precision` is float32, an unknown one makes the line invalid).
    public init?(json: JSONValue) {
        guard let videoID = json["video_id"]?.stringValue, let file = json["file"]?.stringValue,
            let fileBytes = json["file_bytes"]?.integerValue,
            let fileSHA256 = json["file_sha256"]?.stringValue,
            let durationSeconds = json["duration_seconds"]?.numberValue,
            let clips = json["clips"]?.integerValue,
            let framesDecoded = json["frames_decoded"]?.integerValue,
            let featuresFile = json["features_file"]?.stringValue,
            let featuresBytes = json["features_bytes"]?.integerValue,
            let featuresSHA256 = json["features_sha256"]?.stringValue,
            let featureKind = json["feature_kind"]?.stringValue,
            let featureDimension = json["feature_dimension"]?.integerValue,
            let modelSHA256 = json["model_sha256"]?.stringValue,
            let clipSeconds = json["clip_seconds"]?.numberValue,
            let framesPerClip = json["frames_per_clip"]?.integerValue,
            case .bool(let normalize) = json["normalize"],
            let decoder = json["decoder"]?.stringValue,
            let precision = Self.precision(json["precision"])
        else { return nil }
        self.init(
            videoID: videoID, file: file, fileBytes: fileBytes, fileSHA256: fileSHA256,
            durationSeconds: durationSeconds, clips: clips, framesDecoded: framesDecoded,
            featuresFile: featuresFile, featuresBytes: featuresBytes,
            featuresSHA256: featuresSHA256, featureKind: featureKind,
            featureDimension: featureDimension, modelSHA256: modelSHA256,
            clipSeconds: clipSeconds, framesPerClip: framesPerClip, normalize: normalize,
            precision: precision, decoder: decoder)
    }

    /// The precision a line's `precision` value names: float32 when the key is absent, nil
    /// when it names none.
    static func precision(_ value: JSONValue?) -> Precision? {
        guard let value else { return .float32 }
        return value.stringValue.flatMap(Precision.init(rawValue:))
    }

    /// An entry from its values.
    public init(
        videoID: String, file: String, fileBytes: Int, fileSHA256: String,
        durationSeconds: Double, clips: Int, framesDecoded: Int, featuresFile: String,
        featuresBytes: Int, featuresSHA256: String, featureKind: String, featureDimension: Int,
        modelSHA256: String, clipSeconds: Double, framesPerClip: Int, normalize: Bool,
        precision: Precision = .float32, decoder: String
    ) {
        self.videoID = videoID
        self.file = file
        self.fileBytes = fileBytes
        self.fileSHA256 = fileSHA256
        self.durationSeconds = durationSeconds
        self.clips = clips
        self.framesDecoded = framesDecoded
        self.featuresFile = featuresFile
        self.featuresBytes = featuresBytes
        self.featuresSHA256 = featuresSHA256
        self.featureKind = featureKind
        self.featureDimension = featureDimension
        self.modelSHA256 = modelSHA256
        self.clipSeconds = clipSeconds
        self.framesPerClip = framesPerClip
        self.normalize = normalize
        self.precision = precision
        self.decoder = decoder
    }

    /// True when the entry was made with these settings (the decoder version aside: a newer
    /// FFmpeg does not make old features stale). Features of another precision never match.
    public func matches(
        modelSHA256: String, clipSeconds: Double, framesPerClip: Int, normalize: Bool,
        precision: Precision = .float32
    )
        -> Bool
    {
        self.modelSHA256 == modelSHA256 && self.clipSeconds == clipSeconds
            && self.framesPerClip == framesPerClip && self.normalize == normalize
            && self.precision == precision
    }
}
