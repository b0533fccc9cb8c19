import Foundation
import NeuralNet

/// The files of a CLIP model folder, checked, with their configurations read: what
/// `CLIPImageEncoder` is built from.
///
/// The folder is laid out as the Hugging Face hub has `openai/clip-vit-base-patch32` and its
/// siblings (patch 14/16/32, any width and depth): `config.json` (a `CLIPModel` or a
/// `CLIPVisionModelWithProjection` configuration), `preprocessor_config.json` (the
/// `CLIPImageProcessor` settings) and `model.safetensors` (weights by Hugging Face parameter
/// path). Pre-trained weights are not shipped with PromptVTG: download such a folder once on a
/// machine with internet access (see `CLIPModelError.downloadHint`).
public struct CLIPModelFiles: Equatable, Sendable {
    /// The model folder.
    public let directory: URL
    /// The image encoder's architecture (`config.json`).
    public let visionConfiguration: CLIPVisionConfiguration
    /// The image preprocessing (`preprocessor_config.json`).
    public let preprocessorConfiguration: CLIPPreprocessorConfiguration

    /// The architecture, `config.json`.
    public var configurationURL: URL { directory.appendingPathComponent("config.json") }
    /// The preprocessing settings, `preprocessor_config.json`.
    public var preprocessorURL: URL {
        directory.appendingPathComponent("preprocessor_config.json")
    }
    /// The weights, `model.safetensors` (open with `SafetensorsFile`).
    public var weightsURL: URL { directory.appendingPathComponent("model.safetensors") }

    /// Reads and checks the files in `directory`: both configurations must be readable and
    /// supported, the weights file present, and the preprocessing must give the square images of
    /// `image_size` pixels that the model takes.
    public init(directory: URL) throws(CLIPModelError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory),
            isDirectory.boolValue
        else { throw .directoryNotFound(path: directory.path) }
        self.directory = directory
        visionConfiguration = try CLIPVisionConfiguration(
            contentsOf: directory.appendingPathComponent("config.json"))
        preprocessorConfiguration = try CLIPPreprocessorConfiguration(
            contentsOf: directory.appendingPathComponent("preprocessor_config.json"))
        guard FileManager.default.fileExists(atPath: weightsURL.path) else {
            throw .missingFile(path: weightsURL.path)
        }

        let side = visionConfiguration.imageSize
        let preprocessing = preprocessorConfiguration
        if preprocessing.centerCrops {
            guard preprocessing.cropHeight == side && preprocessing.cropWidth == side else {
                throw .invalidValue(
                    path: preprocessorURL.path, key: "crop_size",
                    expected: "\(side)×\(side) (image_size of config.json)",
                    actual: "\(preprocessing.cropHeight)×\(preprocessing.cropWidth)")
            }
        } else if !preprocessing.resizes
            || preprocessing.resizeTarget != .exact(height: side, width: side)
        {
            throw .invalidValue(
                path: preprocessorURL.path, key: "do_center_crop",
                expected: "true, or a resize to exactly \(side)×\(side) (image_size of"
                    + " config.json): the model takes square images of that size",
                actual: "false")
        }
    }
}
