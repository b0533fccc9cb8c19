import Foundation
import NeuralNet
import TestSupport
import Testing

@testable import VisionEncoding

@Suite struct CLIPPreprocessorConfigurationTests {
    static func read(_ text: String) throws -> CLIPPreprocessorConfiguration {
        try JSONFileFixture.read(text, name: "preprocessor_config.json") {
            try CLIPPreprocessorConfiguration(contentsOf: $0)
        }
    }

    @Test("the tiny CLIP folder's file (written by transformers) is CLIPImageProcessor's defaults")
    func tinyModel() throws {
        let configuration = try CLIPPreprocessorConfiguration(
            contentsOf: CLIPGolden.modelDirectory.appendingPathComponent("preprocessor_config.json")
        )
        #expect(configuration == CLIPPreprocessorConfiguration())
        #expect(configuration.rescaleFactor == 1.0 / 255.0)
    }

    @Test("the old layout of openai/clip-vit-base-patch32: integer sizes, no rescale keys")
    func integerSizes() throws {
        let configuration = try Self.read(
            """
            {"crop_size": 224, "do_center_crop": true, "do_normalize": true, "do_resize": true,
             "feature_extractor_type": "CLIPFeatureExtractor",
             "image_mean": [0.48145466, 0.4578275, 0.40821073],
             "image_std": [0.26862954, 0.26130258, 0.27577711], "resample": 3, "size": 224}
            """)
        #expect(configuration == CLIPPreprocessorConfiguration())
    }

    @Test("exact sizes, flags and a single mean for all channels")
    func otherSettings() throws {
        let configuration = try Self.read(
            """
            {"size": {"height": 336, "width": 300}, "do_center_crop": false,
             "crop_size": {"height": 336, "width": 336}, "do_rescale": false, "image_mean": 0.5,
             "image_std": [0.5, 0.25, 0.125]}
            """)
        #expect(configuration.resizeTarget == .exact(height: 336, width: 300))
        #expect(!configuration.centerCrops && !configuration.rescales && configuration.normalizes)
        #expect(configuration.cropHeight == 336 && configuration.mean == [0.5, 0.5, 0.5])
        #expect(configuration.standardDeviation == [0.5, 0.25, 0.125])
    }

    @Test("unsupported or invalid values name the key")
    func errors() throws {
        let cases: [(String, String)] = [
            (#"{"resample": 2}"#, "resample"),
            (#"{"size": {"shortest_edge": 224, "longest_edge": 500}}"#, "size"),
            (#"{"size": {"width": 224}}"#, "size"),
            (#"{"size": "224"}"#, "size"),
            (#"{"crop_size": {"shortest_edge": 224}}"#, "crop_size"),
            (#"{"crop_size": {"height": 0, "width": 224}}"#, "crop_size.height"),
            (#"{"image_std": [0.5, 0.5]}"#, "image_std"),
            (#"{"image_std": [0.5, 0, 0.5]}"#, "image_std"),
            (#"{"do_resize": 1}"#, "do_resize"),
            (#"{"rescale_factor": -1}"#, "rescale_factor"),
        ]
        for (text, expectedKey) in cases {
            do {
                _ = try Self.read(text)
                Issue.record("\(text) should fail")
            } catch CLIPModelError.invalidValue(let path, let key, _, _) {
                #expect(key == expectedKey && path.hasSuffix("preprocessor_config.json"), "\(text)")
            }
        }
    }
}
