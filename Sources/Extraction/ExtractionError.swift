import NeuralNet
import VisionEncoding

/// Why an extraction cannot start or go on. A video that fails to decode is not one of these: it
/// is counted in the summary (`ExtractionFailure`) and the other videos go on.
public enum ExtractionError: Error, Sendable, CustomStringConvertible {
    /// The CLIP model folder cannot be read.
    case model(CLIPModelError)
    /// Neither `--clip-model` nor `VTG_CLIP_MODEL` names a CLIP model folder.
    case noCLIPModel
    /// A setting is out of range (`name`: the option, `value` as given, `expected`).
    case invalidSetting(name: String, value: String, expected: String)
    /// `--shard` or a launcher's variables do not describe a shard (`source`: where it came
    /// from).
    case invalidShard(source: String, value: String)
    /// A path given as input does not exist.
    case inputNotFound(path: String)
    /// A folder given as input holds no video file.
    case noVideos(path: String)
    /// Two inputs give the same video id (the file name without its extension).
    case duplicateVideoID(videoID: String, paths: [String])
    /// The one video asked for failed to decode (the message names the file).
    case videoFailed(ExtractionFailure)
    /// A file cannot be read (`reason` from the system).
    case unreadableFile(path: String, reason: String)
    /// A file or folder cannot be written (`reason` from the system).
    case cannotWrite(path: String, reason: String)

    /// A message naming the path or setting and what to do.
    public var description: String {
        switch self {
        case .model(let error):
            return "\(error)"
        case .noCLIPModel:
            return "no CLIP model folder: pass --clip-model DIR or set "
                + "\(ExtractionConfiguration.clipModelEnvironmentVariable)=DIR. DIR holds "
                + "config.json, preprocessor_config.json and model.safetensors of a Hugging Face "
                + "CLIP model such as openai/clip-vit-base-patch32 (download it once on a machine "
                + "with internet access: `huggingface-cli download openai/clip-vit-base-patch32 "
                + "--local-dir DIR`)."
        case .invalidSetting(let name, let value, let expected):
            return "\(name) \(value) is out of range: expected \(expected)."
        case .invalidShard(let source, let value):
            return "\(source) is \"\(value)\": a shard is i/n with 0 ≤ i < n (for instance 0/4, "
                + "the first of four)."
        case .inputNotFound(let path):
            return "\(path): no such video file or folder. Check the path."
        case .noVideos(let path):
            return "\(path): the folder holds no video file (extensions: "
                + "\(VideoInputList.videoExtensions.sorted().joined(separator: ", ")))."
        case .duplicateVideoID(let videoID, let paths):
            return "\(paths.joined(separator: " and ")) would both be written as \(videoID).npz: "
                + "video ids (file names without extension) must be unique; rename one."
        case .videoFailed(let failure):
            return failure.message
        case .unreadableFile(let path, let reason):
            return "\(path): cannot read the file (\(reason)). Check its permissions."
        case .cannotWrite(let path, let reason):
            return "\(path): cannot write (\(reason)). Check the output folder's permissions and "
                + "free space."
        }
    }
}
