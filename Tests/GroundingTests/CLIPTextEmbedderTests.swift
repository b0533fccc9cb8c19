import Foundation
import Testing
import TestSupport
import TextEncoding

@testable import Grounding

@Suite struct CLIPTextEmbedderTests {
    @Test func rowsAreTheEncodersProjectedEmbeddings() throws {
        let folder = try TinyCLIPTextModel.folder()
        let embedder = try CLIPTextEmbedder(clipModelDirectory: folder.url)
        let texts = ["a person opens the door.", "a dog runs across the yard", "x"]
        let rows = try embedder.embeddings(of: texts)
        let reference = embedder.encoder.embeddings(of: texts).scalars
        #expect(embedder.embeddingSize == 16)
        #expect(rows.count == 3 && rows.allSatisfy { $0.count == 16 })
        #expect(rows.flatMap { $0 } == reference)
        #expect(try embedder.embeddings(of: []).isEmpty)
    }

    @Test func aFolderWithoutATextTowerIsRefused() throws {
        let directory = try TemporaryDirectory(label: "no-clip")
        #expect(throws: (any Error).self) {
            try CLIPTextEmbedder(clipModelDirectory: directory.url)
        }
    }
}
