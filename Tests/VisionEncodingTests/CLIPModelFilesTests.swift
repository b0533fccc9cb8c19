import Foundation
import NeuralNet
import TestSupport
import Testing

@testable import VisionEncoding

@Suite struct CLIPModelFilesTests {
    /// A copy of the tiny model folder's configuration files, with `preprocessor` as
    /// `preprocessor_config.json` when given, and an empty weights file.
    static func folder(preprocessor: String? = nil) throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory(label: "clip-files")
        for name in ["config.json", "preprocessor_config.json"] {
            try FileManager.default.copyItem(
                at: CLIPGolden.modelDirectory.appendingPathComponent(name),
                to: directory.file(name))
        }
        if let preprocessor {
            try FileManager.default.removeItem(at: directory.file("preprocessor_config.json"))
            try preprocessor.write(
                to: directory.file("preprocessor_config.json"), atomically: true, encoding: .utf8)
        }
        _ = FileManager.default.createFile(
            atPath: directory.file("model.safetensors").path, contents: nil)
        return directory
    }

    @Test("the tiny CLIP folder reads")
    func tinyModel() throws {
        let files = try CLIPModelFiles(directory: CLIPGolden.modelDirectory)
        #expect(files.visionConfiguration.hiddenSize == 64)
        #expect(files.preprocessorConfiguration == CLIPPreprocessorConfiguration())
        #expect(files.weightsURL.lastPathComponent == "model.safetensors")
    }

    @Test("a missing folder or file is named")
    func missingFiles() throws {
        #expect(throws: CLIPModelError.directoryNotFound(path: "/no/such/clip")) {
            _ = try CLIPModelFiles(directory: URL(fileURLWithPath: "/no/such/clip"))
        }
        let directory = try Self.folder()
        try FileManager.default.removeItem(at: directory.file("model.safetensors"))
        #expect(throws: CLIPModelError.missingFile(path: directory.file("model.safetensors").path))
        {
            _ = try CLIPModelFiles(directory: directory.url)
        }
        try FileManager.default.removeItem(at: directory.file("preprocessor_config.json"))
        #expect(
            throws: CLIPModelError.missingFile(
                path: directory.file("preprocessor_config.json").path)
        ) {
            _ = try CLIPModelFiles(directory: directory.url)
        }
    }

    @Test("preprocessing must give the model's square input")
    func preprocessingMustFitTheModel() throws {
        let crop = try Self.folder(preprocessor: #"{"crop_size": 256}"#)
        #expect(
            throws: CLIPModelError.invalidValue(
                path: crop.file("preprocessor_config.json").path, key: "crop_size",
                expected: "224×224 (image_size of config.json)", actual: "256×256")
        ) {
            _ = try CLIPModelFiles(directory: crop.url)
        }
        let noCrop = try Self.folder(preprocessor: #"{"do_center_crop": false}"#)
        do {
            _ = try CLIPModelFiles(directory: noCrop.url)
            Issue.record("a shortest-edge resize without a crop must fail")
        } catch CLIPModelError.invalidValue(_, let key, _, _) {
            #expect(key == "do_center_crop")
        }
        let square = try Self.folder(
            preprocessor: #"{"do_center_crop": false, "size": {"height": 224, "width": 224}}"#)
        #expect(throws: Never.self) { _ = try CLIPModelFiles(directory: square.url) }
    }
}
