import Foundation
import TestSupport
import Testing

@testable import TextEncoding

private func decodeTokenizerConfiguration(_ json: [String: Any]) throws -> Result<
    TokenizerConfiguration, TextModelError
> {
    let directory = try TemporaryDirectory(label: "tokenizer-configuration")
    let url = directory.file("tokenizer_config.json")
    try JSONSerialization.data(withJSONObject: json).write(to: url)
    return Result { () throws(TextModelError) in
        try JSONConfigurationFile.decode(TokenizerConfiguration.self, from: url)
    }.mapError { $0 }
}

private var miniLM: [String: Any] {
    [
        "do_lower_case": true, "unk_token": "[UNK]", "sep_token": "[SEP]", "pad_token": "[PAD]",
        "cls_token": "[CLS]", "mask_token": "[MASK]", "tokenize_chinese_chars": true,
        "strip_accents": NSNull(), "do_basic_tokenize": true, "never_split": NSNull(),
        "model_max_length": 512,
    ]
}

@Suite struct TokenizerConfigurationTests {
    @Test func decodesTheUncasedSettings() throws {
        let configuration = try decodeTokenizerConfiguration(miniLM).get()
        #expect(configuration.lowercases && configuration.stripsAccents)
        #expect(configuration.splitsChineseCharacters)
        #expect(configuration.modelMaximumLength == 512)
        #expect(configuration.specialTokens.classifier == "[CLS]")
    }

    @Test func requiresStripAccentsEvenWhenNull() throws {
        var json = miniLM
        json["strip_accents"] = nil
        guard case .failure(.missingKey(_, let key)) = try decodeTokenizerConfiguration(json) else {
            Issue.record("strip_accents must be present")
            return
        }
        #expect(key == "strip_accents")
    }

    @Test func refusesCasedOrUnusualSettings() throws {
        let cases: [(key: String, value: Any)] = [
            ("do_lower_case", false), ("strip_accents", false), ("tokenize_chinese_chars", false),
            ("do_basic_tokenize", false), ("never_split", ["[X]"]), ("model_max_length", 0),
            ("unk_token", ""),
        ]
        for (key, value) in cases {
            var json = miniLM
            json[key] = value
            guard
                case .failure(.invalidValue(_, let reportedKey, _, _)) =
                    try decodeTokenizerConfiguration(json)
            else {
                Issue.record("\(key) = \(value) must be refused")
                continue
            }
            #expect(reportedKey == key)
        }
    }

    @Test func readsAddedTokenObjectsAndHugeMaximumLengths() throws {
        var json = miniLM
        json["mask_token"] = ["content": "[MASK]", "lstrip": true]
        json["model_max_length"] = 1e30
        let configuration = try decodeTokenizerConfiguration(json).get()
        #expect(configuration.specialTokens.mask == "[MASK]")
        #expect(configuration.modelMaximumLength == Int(Int32.max))
    }
}
