import Tensors

/// An error reading a CLIP model folder (`config.json`, `preprocessor_config.json`,
/// `model.safetensors`, as the Hugging Face hub lays out `openai/clip-vit-base-patch32`).
///
/// `description` is the message for the user: the file and key, expected vs actual, and what to do.
public enum CLIPModelError: Error, Equatable, CustomStringConvertible {
    /// The model folder does not exist or is not a folder.
    case directoryNotFound(path: String)
    /// A file the model needs is missing from its folder.
    case missingFile(path: String)
    /// A file exists but cannot be read.
    case unreadableFile(path: String, reason: String)
    /// A configuration file is not valid JSON, or not a JSON object.
    case invalidJSON(path: String, reason: String)
    /// A configuration file lacks a required key (`key` is dotted from the top level, such as
    /// `vision_config`).
    case missingKey(path: String, key: String)
    /// A key has a value of the wrong type, out of range, inconsistent with another key or file,
    /// or describing a model this project does not support.
    case invalidValue(path: String, key: String, expected: String, actual: String)
    /// `model.safetensors` cannot be read or is corrupt.
    case unreadableWeights(SafetensorsError)
    /// The weights do not fit the architecture of `config.json`: every missing, unexpected and
    /// mismatched key.
    case weightsDoNotFit(ParameterLoadError)

    /// Where pre-trained weights come from, appended to the messages about missing files.
    package static let downloadHint =
        "use a Hugging Face CLIP model folder holding config.json, preprocessor_config.json and"
        + " model.safetensors, such as openai/clip-vit-base-patch32 (download it on a machine with"
        + " internet access, e.g. `huggingface-cli download openai/clip-vit-base-patch32"
        + " --local-dir DIR`, and copy DIR here)"

    public var description: String {
        let replace = "the model files look damaged or mixed up: download the model folder again"
        switch self {
        case .directoryNotFound(let path):
            return "\(path) is not a folder; \(Self.downloadHint)"
        case .missingFile(let path):
            return "\(path) is missing; \(Self.downloadHint)"
        case .unreadableFile(let path, let reason):
            return "\(path): cannot read the file (\(reason)); check its permissions"
        case .invalidJSON(let path, let reason):
            return "\(path): not a valid JSON object (\(reason)); \(replace)"
        case .missingKey(let path, let key):
            return "\(path): the key '\(key)' is missing; \(replace)"
        case .invalidValue(let path, let key, let expected, let actual):
            return "\(path): key '\(key)' is \(actual), expected \(expected); use the files of a"
                + " CLIP ViT model (CLIPModel or CLIPVisionModelWithProjection) as saved by"
                + " Hugging Face transformers"
        case .unreadableWeights(let error):
            return "\(error.description); \(replace)"
        case .weightsDoNotFit(let error):
            return "\(error.description); \(replace)"
        }
    }
}
