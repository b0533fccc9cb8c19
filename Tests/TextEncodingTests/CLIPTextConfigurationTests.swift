import Foundation
import NeuralNet
import TestSupport
import Testing

@testable import TextEncoding

@Suite struct CLIPTextConfigurationTests {
    @Test func readsTheTextConfigOfACLIPModel() throws {
        let configuration = try CLIPTextConfiguration(
            contentsOf: CLIPTextGolden.fixtures.appendingPathComponent("tiny-clip-text/config.json")
        )
        #expect(configuration.vocabularySize == 49_408 && configuration.maximumPositions == 77)
        #expect(
            configuration.encoder
                == CLIPEncoderConfiguration(
                    hiddenSize: 32, layerCount: 2, headCount: 4, intermediateSize: 64))
        #expect(configuration.projectionSize == 16)
    }

    @Test func readsAStandaloneTextModelWithDefaults() throws {
        let configuration = try JSONFileFixture.read(
            #"{"model_type": "clip_text_model", "hidden_act": "gelu", "projection_dim": 768}"#,
            name: "config.json"
        ) { try CLIPTextConfiguration(contentsOf: $0) }
        #expect(configuration.hiddenSize == 512 && configuration.encoder.layerCount == 12)
        #expect(configuration.encoder.hiddenActivation == .gelu)
        #expect(configuration.projectionSize == 768)
    }

    @Test func namesTheKeyOfABadValue() throws {
        #expect(throws: CLIPModelError.self) {
            _ = try JSONFileFixture.read(
                #"{"model_type": "clip", "text_config": "#
                    + #"{"hidden_size": 30, "num_attention_heads": 8}}"#,
                name: "config.json"
            ) { try CLIPTextConfiguration(contentsOf: $0) }
        }
        do {
            _ = try JSONFileFixture.read(#"{"model_type": "bert"}"#, name: "config.json") {
                try CLIPTextConfiguration(contentsOf: $0)
            }
            Issue.record("a BERT configuration was accepted")
        } catch CLIPModelError.invalidValue(_, let key, _, let actual) {
            #expect(key == "model_type" && actual == "\"bert\"")
        }
    }
}
