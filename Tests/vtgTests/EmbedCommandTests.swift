import Foundation
import TestSupport
import Testing

@Suite struct EmbedCommandTests {
    /// `vtg embed --encoder clip` prints MiniLM's JSON lines with CLIP's ids and projected
    /// embedding (the tiny CLIP of the text-encoder golden, made by transformers).
    @Test func printsCLIPTextEmbeddingsAsJSONLines() throws {
        let folder = try TinyCLIPTextModel.folder()
        let outcome = try VTGProcess.run([
            "embed", "--encoder", "clip", "--clip-model", folder.url.path, "--json",
            "--text", "a photo of a cat",
        ])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let line = try #require(
            try JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8))
                as? [String: Any])
        #expect(line["text"] as? String == "a photo of a cat")
        #expect(line["input_ids"] as? [Int] == [49406, 320, 1125, 539, 320, 2368, 49407])
        let golden = try #require(
            try JSONSerialization.jsonObject(
                with: Data(
                    contentsOf: SharedDirectory.repositoryRoot.appendingPathComponent(
                        "Tests/TextEncodingTests/Fixtures/clip_text_golden.json")))
                as? [String: Any])
        let items = try #require(golden["items"] as? [[String: Any]])
        let expected = try #require(items.first?["text_embeds"] as? [Double])
        let embedding = try #require(line["embedding"] as? [Double])
        #expect(embedding.count == 16)
        // float32 through 2 layers of width 32 from the same float16 weights.
        let difference = zip(embedding, expected).map { abs($0 - $1) }.max() ?? 1
        #expect(difference < 1e-4)
    }

    @Test func theCLIPEncoderNeedsItsModelFolder() throws {
        let outcome = try VTGProcess.run(["embed", "--encoder", "clip", "--text", "a cat"])
        #expect(outcome.status != 0)
        #expect(outcome.standardError.contains("--clip-model"))
    }
}
