import Foundation
import TestSupport
import Testing

@testable import TextEncoding

@Suite struct SentenceEmbeddingConfigurationTests {
    private func load(_ model: URL) -> Result<SentenceEmbeddingConfiguration, TextModelError> {
        Result { () throws(TextModelError) in try SentenceEmbeddingConfiguration(directory: model) }
    }

    @Test func readsPoolingAndNormalisation() throws {
        let directory = try TemporaryDirectory(label: "sentence-configuration")
        let model = try copyOfModelConfiguration(in: directory)
        #expect(
            try load(model).get()
                == SentenceEmbeddingConfiguration(
                    maximumSequenceLength: 256, poolingMode: .mean, embeddingDimension: 384,
                    normalizesEmbeddings: true))
        try editJSON("1_Pooling/config.json", in: model) {
            $0["pooling_mode_mean_tokens"] = false
            $0["pooling_mode_cls_token"] = true
        }
        #expect(try load(model).get().poolingMode == .classifierToken)
    }

    @Test func refusesZeroOrSeveralPoolingModes() throws {
        let directory = try TemporaryDirectory(label: "sentence-configuration")
        let model = try copyOfModelConfiguration(in: directory)
        try editJSON("1_Pooling/config.json", in: model) { $0["pooling_mode_max_tokens"] = true }
        guard case .failure(.invalidValue(let path, let key, _, let actual)) = load(model) else {
            Issue.record("two pooling modes must be refused")
            return
        }
        #expect(path.hasSuffix("1_Pooling/config.json") && key == "pooling_mode_*")
        #expect(actual == "mean, maximum")
        try editJSON("1_Pooling/config.json", in: model) { $0["pooling_mode_mean_tokens"] = nil }
        guard case .failure(.missingKey(_, "pooling_mode_mean_tokens")) = load(model) else {
            Issue.record("a missing pooling key must be named")
            return
        }
    }

    @Test func refusesModulesItCannotRun() throws {
        let directory = try TemporaryDirectory(label: "sentence-configuration")
        let model = try copyOfModelConfiguration(in: directory)
        let modules = """
            [{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
             {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
             {"idx": 2, "name": "2", "path": "2_Dense", "type": "sentence_transformers.models.Dense"}]
            """
        try Data(modules.utf8).write(to: model.appendingPathComponent("modules.json"))
        guard case .failure(.invalidValue(_, _, _, let actual)) = load(model) else {
            Issue.record("a Dense module must be refused")
            return
        }
        #expect(actual == "Transformer, Pooling, Dense")
    }

    @Test func refusesSentenceTransformersLowercasing() throws {
        let directory = try TemporaryDirectory(label: "sentence-configuration")
        let model = try copyOfModelConfiguration(in: directory)
        try editJSON("sentence_bert_config.json", in: model) { $0["do_lower_case"] = true }
        guard case .failure(.invalidValue(_, "do_lower_case", _, _)) = load(model) else {
            Issue.record("do_lower_case = true must be refused")
            return
        }
    }
}
