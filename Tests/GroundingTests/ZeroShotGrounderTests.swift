import Datasets
import Foundation
import Metrics
import TestSupport
import Testing
import VTGCore

@testable import Grounding

/// Embeds each query of `PlantedMoments` as its planted signature: a stand-in for CLIP's text
/// tower whose embeddings share a space with the planted clip features.
final class SignatureEmbedder: TextEmbedder {
    var embeddingSize: Int { PlantedMoments.featureDimension }
    func embeddings(of texts: [String]) throws -> [[Float]] {
        try texts.map { text in
            guard let index = PlantedMoments.queries.firstIndex(of: text) else {
                throw GroundingError.invalidInput("no signature for \"\(text)\"")
            }
            return PlantedMoments.signature(index)
        }
    }
}

extension PlantedMoments {
    /// The task written in the QVHighlights layout into a new temporary directory, and a store
    /// of its features.
    static func writtenDataset(trainVideos: Int, validationVideos: Int) throws -> (
        directory: TemporaryDirectory, store: FeatureStore
    ) {
        let directory = try TemporaryDirectory(label: "planted")
        try writeDataset(
            to: directory.url, trainVideos: trainVideos, validationVideos: validationVideos)
        let store = try FeatureStore(
            FeatureStoreConfiguration(
                location: FeatureLocation(
                    format: .npzDirectory, path: directory.file("features").path)))
        return (directory, store)
    }
}

@Suite struct ZeroShotGrounderTests {
    @Test func aPlantedMomentIsFoundWithoutTraining() throws {
        var generator = SeededGenerator(seed: 5)
        let features = PlantedMoments.features(
            clipCount: 40, moments: [(0, 6..<12), (1, 25..<30)], using: &generator)
        let grounder = try ZeroShotGrounder(embedder: SignatureEmbedder())
        let results = try grounder.ground(
            features: features, durationSeconds: 80, queries: PlantedMoments.queries)
        let truths = [
            TimeSpan(startSeconds: 12, endSeconds: 24), TimeSpan(startSeconds: 50, endSeconds: 60),
        ]
        for (result, truth) in zip(results, truths) {
            #expect(result.spans[0].span.intersectionOverUnion(with: truth) >= 0.7)
            #expect(result.curve.similarities.count == 40)
            #expect(result.clipSeconds == 2)
        }
    }

    @Test func featuresOfAnotherWidthAreRefusedNamingTheFile() throws {
        let grounder = try ZeroShotGrounder(embedder: SignatureEmbedder())
        let features = ClipFeatures(
            values: [Float](repeating: 1, count: 8), clipCount: 2, featureDimension: 4)
        #expect {
            try grounder.ground(
                features: features, durationSeconds: 4, queries: [PlantedMoments.queries[0]],
                path: "video.npz")
        } throws: { error in
            "\(error)".contains("video.npz") && "\(error)".contains("dimension 4")
                && "\(error)".contains("16")
        }
        #expect(throws: ConfigurationFieldError.self) {
            try ZeroShotGrounder(embedder: SignatureEmbedder(), settings: .init(topK: 0))
        }
    }
}
