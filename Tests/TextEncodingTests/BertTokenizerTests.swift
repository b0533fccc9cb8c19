import Foundation
import TestSupport
import Testing

@testable import TextEncoding

/// A golden file: texts with the reference's token ids.
private struct GoldenTokens: Decodable {
    struct Item: Decodable {
        let text: String
        let inputIDs: [Int]
        /// The reference's word pieces, when recorded (tokenizer_golden.json, groups hard and random).
        let tokens: [String]?
        let truncated: Bool?
        let group: String?

        enum CodingKeys: String, CodingKey {
            case text, tokens, truncated, group
            case inputIDs = "input_ids"
        }
    }

    let items: [Item]

    static func load(_ url: URL) throws -> GoldenTokens {
        try JSONDecoder().decode(GoldenTokens.self, from: Data(contentsOf: url))
    }
}

/// Made by sentence-transformers (shared/golden, the encoder's parity file).
private let sharedGolden = SharedDirectory.file("golden/minilm_golden.json")
/// Made by Scripts/make_tokenizer_golden.py with sentence-transformers.
private let tokenizerGolden = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/tokenizer_golden.json")

private func miniLMTokenizer() throws -> BertTokenizer {
    try BertTokenizer(modelFiles: installedModelFiles())
}

@Suite struct BertTokenizerTests {
    @Test func matchesTheSharedGoldenFile() throws {
        let tokenizer = try miniLMTokenizer()
        let golden = try GoldenTokens.load(sharedGolden)
        #expect(golden.items.count == 12)
        for item in golden.items {
            #expect(
                tokenizer.encode(item.text).tokenIDs == item.inputIDs,
                "\(item.text.debugDescription)")
        }
    }

    /// Hard cases, random strings and Charades-STA queries: ids, truncation and word pieces.
    @Test func matchesTheReferenceOnHardCases() throws {
        let tokenizer = try miniLMTokenizer()
        let golden = try GoldenTokens.load(tokenizerGolden)
        #expect(golden.items.count > 500)
        var mismatches = 0
        for item in golden.items {
            let encoded = tokenizer.encode(item.text)
            let label = "\(item.group ?? ""): \(item.text.debugDescription)"
            if encoded.tokenIDs != item.inputIDs { mismatches += 1 }
            #expect(encoded.tokenIDs == item.inputIDs, "\(label)")
            #expect(encoded.wasTruncated == item.truncated, "\(label)")
            if let tokens = item.tokens {
                #expect(tokenizer.tokenize(item.text) == tokens, "\(label)")
            }
        }
        #expect(mismatches == 0)
    }

    @Test func wrapsInClassifierAndSeparator() throws {
        let tokenizer = try miniLMTokenizer()
        #expect(tokenizer.encode("").tokenIDs == [101, 102])
        #expect(
            tokenizer.encode("person opens the door.").tokenIDs == [
                101, 2711, 7480, 1996, 2341, 1012, 102,
            ])
        #expect(
            tokenizer.tokenize("person opens the door.") == ["person", "opens", "the", "door", "."])
    }

    @Test func truncatesToTheMaximumSequenceLength() throws {
        let tokenizer = try miniLMTokenizer()
        #expect(tokenizer.maximumSequenceLength == 256)
        let exactly = tokenizer.encode(Array(repeating: "door", count: 254).joined(separator: " "))
        #expect(exactly.tokenIDs.count == 256 && !exactly.wasTruncated)
        let over = tokenizer.encode(Array(repeating: "door", count: 255).joined(separator: " "))
        #expect(over.tokenIDs.count == 256 && over.wasTruncated)
        #expect(over.tokenIDs.first == 101 && over.tokenIDs.last == 102)
        // A special token written in the text counts like any other piece.
        let special = tokenizer.encode(Array(repeating: "[MASK]", count: 300).joined())
        #expect(special.tokenIDs == [101] + Array(repeating: 103, count: 254) + [102])
    }

    @Test func batchesArePaddedWithAValidMask() throws {
        let tokenizer = try miniLMTokenizer()
        let batch = tokenizer.encode(batch: [
            "person opens the door.", "", "the person turns on the light.",
        ])
        #expect(batch.batchSize == 3 && batch.sequenceLength == 9)
        #expect(Array(batch.tokenIDs(row: 1)) == [101, 102, 0, 0, 0, 0, 0, 0, 0])
        #expect(batch.lengths == [7, 2, 9])
        #expect(batch.validMask.filter { $0 }.count == 18)
        #expect(
            Array(batch.tokenIDs(row: 0)) == tokenizer.encode("person opens the door.").tokenIDs + [
                0, 0,
            ])
    }

    @Test func refusesAVocabularyWithoutTheSpecialTokens() throws {
        let vocabulary = try WordPieceVocabulary(
            tokens: ["[PAD]", "[UNK]", "a"], path: "vocab.txt")
        let specials = TokenizerConfiguration.SpecialTokens(
            unknown: "[UNK]", separator: "[SEP]", padding: "[PAD]", classifier: "[CLS]",
            mask: "[MASK]")
        #expect(
            textModelError { () throws(TextModelError) in
                _ = try BertTokenizer(
                    vocabulary: vocabulary, specialTokens: specials, maximumSequenceLength: 8,
                    configurationPath: "tokenizer_config.json")
            }
                == .invalidValue(
                    path: "tokenizer_config.json", key: "sep_token",
                    expected: "a token of vocab.txt",
                    actual: "\"[SEP]\""))
    }

    /// Throughput on real queries (release build; run with VTG_BENCHMARK=1): median of 5 runs.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["VTG_BENCHMARK"] != nil))
    func measuresThroughput() throws {
        let tokenizer = try miniLMTokenizer()
        let lines = try String(
            contentsOf: SharedDirectory.file("data/charades_sta/charades_sta_test.txt"),
            encoding: .utf8
        ).split(separator: "\n")
        let queries = lines.compactMap {
            $0.split(separator: "#", maxSplits: 2).last.map(String.init)
        }
        let clock = ContinuousClock()
        var seconds: [Double] = []
        var tokenCount = 0
        for _ in 0..<5 {
            var count = 0
            let elapsed = clock.measure {
                for query in queries { count += tokenizer.encode(query).tokenIDs.count }
            }
            tokenCount = count
            seconds.append(
                Double(elapsed.components.attoseconds) * 1e-18 + Double(elapsed.components.seconds))
        }
        let median = seconds.sorted()[2]
        print(
            "BertTokenizer: \(queries.count) Charades-STA queries, \(tokenCount) tokens:"
                + " \(Int(Double(queries.count) / median)) queries/s,"
                + " \(Int(Double(tokenCount) / median)) tokens/s (median of 5)")
    }
}
