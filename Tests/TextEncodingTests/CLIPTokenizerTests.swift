import Foundation
import TestSupport
import Testing
import VTGCore

@testable import TextEncoding

/// Made by Scripts/make_clip_tokenizer_golden.py with transformers' CLIPTokenizer.
private struct CLIPTokenizerGolden: Decodable {
    struct Item: Decodable {
        let text: String
        let inputIDs: [Int]
        enum CodingKeys: String, CodingKey {
            case text
            case inputIDs = "input_ids"
        }
    }
    let vocabularySHA256: String
    let contextLength: Int
    let hard: [Item]
    let miniLMGolden: [[Int]]
    let annotations: [String: [[Int]]]

    enum CodingKeys: String, CodingKey {
        case hard, annotations
        case vocabularySHA256 = "vocabulary_sha256"
        case contextLength = "context_length"
        case miniLMGolden = "minilm_golden"
    }

    static let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/clip_tokenizer_golden.json.gz")

    static func load() throws -> CLIPTokenizerGolden {
        let bytes = try GzipDecompression.contents(of: url)
        return try JSONDecoder().decode(CLIPTokenizerGolden.self, from: Data(bytes))
    }
}

/// The real 49,408-token vocabulary (Scripts/fetch_test_data.sh), read once.
let realCLIPTokenizer: Result<CLIPTokenizer, TextModelError> = Result {
    () throws(TextModelError) in
    CLIPTokenizer(
        vocabulary: try BPEVocabulary(
            originalFileURL: TestDataFolder.file("bpe_simple_vocab_16e6.txt.gz")))
}

/// The queries of one annotation file, read as the golden script reads them.
private func queries(_ relative: String) throws -> [String] {
    let url = TestData.shared(relative)
    let text = try String(contentsOf: url, encoding: .utf8)
    if relative.hasSuffix(".txt") {
        return text.split(separator: "\n").compactMap { line in
            line.range(of: "##").map { String(line[$0.upperBound...]) }
        }
    }
    if relative.hasSuffix(".jsonl") {
        return try text.split(separator: "\n").map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return try #require(object?["query"] as? String)
        }
    }
    // 2D-TAN and TACoS JSON: `sentences` of every video, in file order (the parser keeps it).
    let value = try JSONParser.parse(text)
    return try #require(value.objectMembers).flatMap { member in
        (member.value["sentences"]?.arrayValue ?? []).compactMap(\.stringValue)
    }
}

@Suite struct CLIPTokenizerTests {
    @Test func matchesTheReferenceOnHardCases() throws {
        let tokenizer = try realCLIPTokenizer.get()
        let golden = try CLIPTokenizerGolden.load()
        #expect(golden.contextLength == CLIPTokenizer.defaultContextLength)
        #expect(golden.hard.count > 70)
        for item in golden.hard {
            #expect(
                tokenizer.encode(item.text).tokenIDs == item.inputIDs,
                "\(item.text.debugDescription)")
        }
    }

    @Test func matchesTheReferenceOnTheMiniLMGoldenTexts() throws {
        let tokenizer = try realCLIPTokenizer.get()
        let golden = try CLIPTokenizerGolden.load()
        let shared = try JSONParser.parse(
            String(contentsOf: SharedDirectory.file("golden/minilm_golden.json"), encoding: .utf8))
        let texts = (shared["items"]?.arrayValue ?? []).compactMap { $0["text"]?.stringValue }
        #expect(texts.count == 12 && golden.miniLMGolden.count == texts.count)
        for (text, ids) in zip(texts, golden.miniLMGolden) {
            #expect(tokenizer.encode(text).tokenIDs == ids, "\(text.debugDescription)")
        }
    }

    /// Every query of Charades-STA test, ActivityNet Captions val (2D-TAN), TACoS test and
    /// QVHighlights val: about 26,800 texts.
    @Test(arguments: [
        "charades_sta/charades_sta_test.txt", "activitynet_captions/2d-tan/val.json",
        "tacos/test.json", "qvhighlights/highlight_val_release.jsonl",
    ])
    func matchesTheReferenceOnEveryQuery(of file: String) throws {
        let tokenizer = try realCLIPTokenizer.get()
        let expected = try #require(try CLIPTokenizerGolden.load().annotations[file])
        let texts = try queries(file)
        #expect(texts.count == expected.count)
        var mismatches = 0
        for (text, ids) in zip(texts, expected) where tokenizer.encode(text).tokenIDs != ids {
            mismatches += 1
            if mismatches <= 5 {
                let ours = tokenizer.encode(text).tokenIDs
                Issue.record("\(file): \(text.debugDescription) → \(ours), expected \(ids)")
            }
        }
        #expect(mismatches == 0)
    }

    @Test func truncatesToTheContextLengthAndFlagsIt() throws {
        let tokenizer = try realCLIPTokenizer.get()
        let long = tokenizer.encode(Array(repeating: "word", count: 80).joined(separator: " "))
        #expect(long.tokenIDs.count == 77 && long.wasTruncated)
        #expect(long.tokenIDs.first == 49406 && long.tokenIDs.last == 49407)
        let exact = tokenizer.encode(Array(repeating: "word", count: 75).joined(separator: " "))
        #expect(exact.tokenIDs.count == 77 && !exact.wasTruncated)
        let short = CLIPTokenizer(vocabulary: tokenizer.vocabulary, contextLength: 4)
        #expect(short.encode("a photo of a cat").tokenIDs == [49406, 320, 1125, 49407])
    }

    @Test func padsBatchesWithTheEndToken() throws {
        let tokenizer = try realCLIPTokenizer.get()
        let batch = tokenizer.encode(batch: ["a cat", "a photo of a cat"])
        #expect(batch.sequenceLength == 7)
        #expect(Array(batch.tokenIDs(row: 0)) == [49406, 320, 2368, 49407, 49407, 49407, 49407])
        #expect(batch.lengths == [4, 7])
        #expect(tokenizer.tokenize("A photo!") == ["a</w>", "photo</w>", "!</w>"])
    }

    /// The Hugging Face layout (vocab.json + merges.txt) written from the original file gives the
    /// same tables and ids.
    @Test func readsTheHuggingFaceLayout() throws {
        let original = try realCLIPTokenizer.get().vocabulary
        let directory = try TemporaryDirectory()
        var members: [JSONMember] = []
        for (id, token) in original.tokens.enumerated() {
            members.append(.init(token, .number(id)))
        }
        try Data(JSONValue.object(members).serialized().utf8).write(
            to: directory.file("vocab.json"))
        let merges = try GzipDecompression.contents(
            of: TestDataFolder.file("bpe_simple_vocab_16e6.txt.gz"))
        let lines = try BPEVocabulary.lines(of: merges, path: "")
        let text =
            "#version: 0.2\n" + lines[1...BPEVocabulary.originalMergeCount].joined(separator: "\n")
        try Data(text.utf8).write(to: directory.file("merges.txt"))

        let tokenizer = try CLIPTokenizer(directory: directory.url)
        #expect(tokenizer.vocabulary.tokens == original.tokens)
        #expect(tokenizer.vocabulary.mergeCount == original.mergeCount)
        for text in ["A person opens the door.", "don't 🥰 Crème 2024", ""] {
            #expect(tokenizer.encode(text) == (try realCLIPTokenizer.get()).encode(text))
        }
    }

    @Test func aFolderWithoutVocabularyIsAnError() throws {
        let directory = try TemporaryDirectory()
        #expect(throws: TextModelError.missingFile(path: directory.file("vocab.json").path)) {
            _ = try CLIPTokenizer(directory: directory.url)
        }
    }
}
