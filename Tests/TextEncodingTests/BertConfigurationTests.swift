import Foundation
import TestSupport
import Testing

@testable import TextEncoding

/// Decodes a `config.json` holding `json`.
private func decodeConfiguration(_ json: [String: Any]) throws -> Result<
    BertConfiguration, TextModelError
> {
    let directory = try TemporaryDirectory(label: "bert-configuration")
    let url = directory.file("config.json")
    try JSONSerialization.data(withJSONObject: json).write(to: url)
    return Result { () throws(TextModelError) in
        try JSONConfigurationFile.decode(BertConfiguration.self, from: url)
    }.mapError { $0 }
}

private var miniLM: [String: Any] {
    [
        "model_type": "bert", "vocab_size": 30522, "hidden_size": 384, "num_hidden_layers": 6,
        "num_attention_heads": 12, "intermediate_size": 1536, "max_position_embeddings": 512,
        "type_vocab_size": 2, "layer_norm_eps": 1e-12, "hidden_act": "gelu",
    ]
}

@Suite struct BertConfigurationTests {
    @Test func decodesAndAppliesHuggingFaceDefaults() throws {
        let configuration = try decodeConfiguration(miniLM).get()
        #expect(configuration.hiddenSize == 384 && configuration.headCount == 12)
        #expect(configuration.layerNormEpsilon == 1e-12)
        #expect(configuration.hiddenDropoutProbability == 0.1)
        #expect(configuration.attentionDropoutProbability == 0.1)
    }

    @Test func namesEachMissingRequiredKey() throws {
        for key in miniLM.keys where key != "model_type" {
            var json = miniLM
            json[key] = nil
            guard case .failure(.missingKey(_, let missing)) = try decodeConfiguration(json) else {
                Issue.record("a config.json without \(key) must be refused")
                continue
            }
            #expect(missing == key)
        }
    }

    @Test func refusesWhatTheEncoderCannotRun() throws {
        let cases: [(key: String, value: Any)] = [
            ("num_attention_heads", 7), ("hidden_size", 0), ("hidden_act", "swish"),
            ("model_type", "roberta"), ("position_embedding_type", "relative_key"),
            ("layer_norm_eps", -1), ("hidden_dropout_prob", 1.5), ("vocab_size", "many"),
        ]
        for (key, value) in cases {
            var json = miniLM
            json[key] = value
            guard
                case .failure(.invalidValue(_, let reportedKey, _, _)) = try decodeConfiguration(
                    json)
            else {
                Issue.record("\(key) = \(value) must be refused")
                continue
            }
            #expect(reportedKey == key)
        }
    }

    @Test func readsTheTanhApproximation() throws {
        var json = miniLM
        json["hidden_act"] = "gelu_new"
        #expect(try decodeConfiguration(json).get().hiddenActivation == .geluTanh)
    }
}
