import Foundation
import NeuralNet
import TestSupport
import Testing

@testable import VisionEncoding

@Suite struct CLIPVisionConfigurationTests {
    /// Writes `text` as `config.json` in a fresh folder and reads it.
    static func read(_ text: String) throws -> CLIPVisionConfiguration {
        try JSONFileFixture.read(text, name: "config.json") {
            try CLIPVisionConfiguration(contentsOf: $0)
        }
    }

    /// The error reading `text` as `config.json` gives (nil when it reads).
    static func error(_ text: String) throws -> CLIPModelError? {
        do {
            _ = try read(text)
            return nil
        } catch let error as CLIPModelError {
            return error
        }
    }

    @Test("the tiny CLIPModel: vision_config, and the top-level projection_dim")
    func tinyModel() throws {
        let configuration = try CLIPVisionConfiguration(
            contentsOf: CLIPGolden.modelDirectory.appendingPathComponent("config.json"))
        #expect(
            configuration
                == CLIPVisionConfiguration(
                    imageSize: 224, patchSize: 32, hiddenSize: 64, layerCount: 2, headCount: 4,
                    intermediateSize: 256, projectionSize: 32, hiddenActivation: .quickGELU,
                    layerNormEpsilon: 1e-5))
        #expect(configuration.patchesPerSide == 7 && configuration.tokenCount == 50)
        #expect(configuration.headSize == 16 && configuration.patchLength == 3072)
    }

    @Test("absent keys take transformers' defaults: ViT-B/32")
    func defaults() throws {
        let configuration = try Self.read(#"{"model_type": "clip", "vision_config": {}}"#)
        #expect(configuration == CLIPVisionConfiguration())
        #expect(configuration.tokenCount == 50 && configuration.projectionSize == 512)
    }

    @Test("a standalone CLIPVisionModelWithProjection configuration; ViT-L/14 at 336")
    func standalone() throws {
        let configuration = try Self.read(
            """
            {"model_type": "clip_vision_model", "hidden_size": 1024, "intermediate_size": 4096,
             "num_hidden_layers": 24, "num_attention_heads": 16, "patch_size": 14,
             "image_size": 336, "projection_dim": 768, "hidden_act": "gelu",
             "layer_norm_eps": 1e-6}
            """)
        #expect(configuration.patchesPerSide == 24 && configuration.tokenCount == 577)
        #expect(configuration.projectionSize == 768 && configuration.hiddenActivation == .gelu)
        #expect(configuration.layerNormEpsilon == Float(1e-6))
    }

    @Test("errors name the file and the dotted key")
    func errors() throws {
        #expect(
            try Self.error(#"{"model_type": "bert"}"#)?.description.contains("'model_type'") == true
        )
        #expect(
            try Self.error(#"{"vision_config": {}}"#)?.description.contains("absent") == true)
        guard case .missingKey(_, let key) = try Self.error(#"{"model_type": "clip"}"#) else {
            Issue.record("a clip configuration without vision_config must fail")
            return
        }
        #expect(key == "vision_config")
        let cases: [(String, String)] = [
            (
                #"{"hidden_size": 64, "num_attention_heads": 5}"#,
                "vision_config.num_attention_heads"
            ),
            (#"{"hidden_act": "relu"}"#, "vision_config.hidden_act"),
            (#"{"num_channels": 4}"#, "vision_config.num_channels"),
            (#"{"patch_size": 300}"#, "vision_config.patch_size"),
            (#"{"hidden_size": "64"}"#, "vision_config.hidden_size"),
            (#"{"num_hidden_layers": 2.5}"#, "vision_config.num_hidden_layers"),
            (#"{"layer_norm_eps": 0}"#, "vision_config.layer_norm_eps"),
        ]
        for (vision, expectedKey) in cases {
            let error = try Self.error(#"{"model_type": "clip", "vision_config": "# + vision + "}")
            guard case .invalidValue(let path, let key, _, _) = error else {
                Issue.record(
                    "\(vision) should be an invalid value, got \(String(describing: error))")
                continue
            }
            #expect(key == expectedKey && path.hasSuffix("config.json"))
        }
        guard
            case .invalidValue(_, let key, _, _) = try Self.error(
                #"{"model_type": "clip", "vision_config": {}, "projection_dim": -1}"#)
        else {
            Issue.record("a negative projection_dim must fail")
            return
        }
        #expect(key == "projection_dim")
    }

    @Test("a missing or broken file")
    func unreadableFiles() throws {
        let directory = try TemporaryDirectory(label: "clip-config")
        #expect(throws: CLIPModelError.missingFile(path: directory.file("config.json").path)) {
            _ = try CLIPVisionConfiguration(contentsOf: directory.file("config.json"))
        }
        guard case .invalidJSON = try Self.error("{\"model_type\": ") else {
            Issue.record("truncated JSON must fail as invalid JSON")
            return
        }
        guard case .invalidJSON = try Self.error("[1, 2]") else {
            Issue.record("a JSON array must fail as invalid JSON")
            return
        }
    }
}
