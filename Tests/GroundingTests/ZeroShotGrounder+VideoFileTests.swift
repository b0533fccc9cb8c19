import Foundation
import TestSupport
import Testing

@testable import Grounding

/// Embeds every text as the same fixed vector of the tiny test CLIP's width (32).
private struct FixedEmbedder: TextEmbedder {
    var embeddingSize: Int
    func embeddings(of texts: [String]) throws -> [[Float]] {
        texts.map { _ in (0..<embeddingSize).map { Float($0 % 7) - 3 } }
    }
}

@Suite struct ZeroShotGrounderVideoFileTests {
    /// The tiny random CLIP folder of the vision tests (image embeddings of width 32).
    static let tinyCLIP = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(
            "VisionEncodingTests/Fixtures/tiny-clip", isDirectory: true)

    @Test func aVideoFileIsExtractedOnceThenReadFromTheCache() throws {
        let directory = try TemporaryDirectory(label: "zero-shot-video")
        let cache = directory.file("cache")
        let grounder = try ZeroShotGrounder(embedder: FixedEmbedder(embeddingSize: 32))
        let bikes = TestVideoFolder.path("bikes.mp4")
        let first = try grounder.ground(
            videoFile: bikes, queries: ["a person rides a bike"],
            clipModelDirectory: Self.tinyCLIP, cacheDirectory: cache)
        #expect(!first.video.wasCached)
        #expect(first.video.durationSeconds == 10)
        // Five 2-second clips.
        #expect(first.results[0].curve.similarities.count == 5)
        #expect(
            first.results[0].spans.allSatisfy {
                $0.span.startSeconds >= 0 && $0.span.endSeconds <= 10
            })
        let second = try grounder.ground(
            videoFile: bikes, queries: ["a person rides a bike"],
            clipModelDirectory: Self.tinyCLIP, cacheDirectory: cache)
        #expect(second.video.wasCached)
        #expect(second.results[0].spans == first.results[0].spans)
    }

    @Test func anImageTowerOfAnotherWidthIsRefusedBeforeDecoding() throws {
        let directory = try TemporaryDirectory(label: "zero-shot-width")
        let cache = directory.file("cache")
        let grounder = try ZeroShotGrounder(embedder: FixedEmbedder(embeddingSize: 512))
        #expect {
            try grounder.ground(
                videoFile: TestVideoFolder.path("bikes.mp4"), queries: ["x"],
                clipModelDirectory: Self.tinyCLIP, cacheDirectory: cache)
        } throws: { error in
            "\(error)".contains("width 32") && "\(error)".contains("512")
        }
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: cache.path)) ?? []
        #expect(!entries.contains { $0.hasSuffix(".npz") })
    }
}
