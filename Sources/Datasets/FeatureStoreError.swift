/// Why a video's features could not be loaded. Every case names the video and the file.
public enum FeatureStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The features directory or HDF5 file does not exist.
    case sourceNotFound(path: String)
    /// A features directory holds neither `.npy` nor `.npz` files.
    case noFeatureFiles(path: String)
    /// One video's features were asked of an HDF5 file without naming the video.
    case videoIDNeeded(path: String)
    /// The video has no features in the source (no file, or no dataset in the HDF5 file).
    case missingVideo(videoID: String, file: String)
    /// The `.npz` archive has no member for the configured key.
    case missingKey(videoID: String, file: String, key: String, available: [String])
    /// The features have another dimension than configured.
    case wrongFeatureDimension(videoID: String, file: String, expected: Int, actual: Int)
    /// A value is NaN or infinite.
    case nonFiniteValue(videoID: String, file: String, clip: Int, dimension: Int)
    /// The file is truncated, not in the expected format, or holds no 2-D float array.
    case malformedFile(videoID: String, file: String, reason: String)

    /// A message naming the video, the file and what to do.
    public var description: String {
        switch self {
        case .sourceNotFound(let path):
            return "\(path): features not found. Pass the directory of per-video .npy/.npz files "
                + "or the HDF5 file (see Docs/datasets.md)."
        case .noFeatureFiles(let path):
            return "\(path): holds no .npy or .npz files. Give a folder of per-video features or "
                + "an HDF5 file (see Docs/datasets.md)."
        case .videoIDNeeded(let path):
            return "\(path): an HDF5 features file holds many videos; name the video to read."
        case .missingVideo(let videoID, let file):
            return "\(file): no features for video \(videoID). Extract its features, or remove "
                + "its queries from the split."
        case .missingKey(let videoID, let file, let key, let available):
            return "\(file): video \(videoID) has no array \"\(key)\" (arrays: "
                + "\(available.joined(separator: ", "))). Choose the key with the feature-key "
                + "option."
        case .wrongFeatureDimension(let videoID, let file, let expected, let actual):
            return "\(file): video \(videoID) has \(actual)-dimensional features, expected "
                + "\(expected). All videos must come from the same feature extractor."
        case .nonFiniteValue(let videoID, let file, let clip, let dimension):
            return "\(file): video \(videoID) has NaN or infinity at clip \(clip), dimension "
                + "\(dimension). Re-extract this video's features."
        case .malformedFile(let videoID, let file, let reason):
            return "\(file): cannot read features of video \(videoID): \(reason). The file may be "
                + "truncated; re-extract or download it again."
        }
    }
}
