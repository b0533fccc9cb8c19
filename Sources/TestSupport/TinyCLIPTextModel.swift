import Foundation
import Testing

/// The tiny random CLIP of Tests/TextEncodingTests/Fixtures/tiny-clip-text (made by
/// Scripts/make_clip_text_golden.py: the real 49,408-token vocabulary, text width 32) as a model
/// folder: its config.json and model.safetensors linked beside the original vocabulary file of
/// `.test-data/` (Scripts/fetch_test_data.sh).
public enum TinyCLIPTextModel {
    /// The fixture folder (config.json and model.safetensors, no vocabulary files).
    public static let fixture = SharedDirectory.repositoryRoot
        .appendingPathComponent("Tests/TextEncodingTests/Fixtures/tiny-clip-text")

    /// A new model folder; it is removed with the returned directory.
    public static func folder() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory(label: "tiny-clip-text")
        let manager = FileManager.default
        for name in ["config.json", "model.safetensors"] {
            try manager.createSymbolicLink(
                at: directory.file(name), withDestinationURL: fixture.appendingPathComponent(name))
        }
        try manager.createSymbolicLink(
            at: directory.file("bpe_simple_vocab_16e6.txt.gz"),
            withDestinationURL: TestDataFolder.file("bpe_simple_vocab_16e6.txt.gz"))
        return directory
    }
}
