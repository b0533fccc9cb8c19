import Datasets
import Foundation
import TestSupport
import Testing
import VTGCore

@testable import Grounding

@Suite struct GroundingBatchBuilderTests {
    @Test func aVideoMissingFromTheStoreNamesTheQuery() throws {
        let directory = try TemporaryDirectory(label: "grounding")
        let run = try tinyRun(in: directory.url, epochs: 1)
        let batches = GroundingBatchBuilder(
            featureStore: try run.makeFeatureStore(),
            cache: QueryStateCache(encoder: HashedWordEncoder()))
        let sample = GroundingSample(
            queryID: 41, videoID: "no-such-video", durationSeconds: 10, query: "a person sits",
            targets: [])
        let error = #expect(throws: GroundingError.self) { try batches.batch(of: [sample]) }
        #expect(error?.description.hasPrefix("query 41: ") == true)
    }

    @Test func oneVideosFeaturesServeEveryQuery() throws {
        let features = ClipFeatures(
            values: (0..<12).map(Float.init), clipCount: 4, featureDimension: 3)
        let batches = GroundingBatchBuilder(
            video: features, cache: QueryStateCache(encoder: HashedWordEncoder()))
        let samples = ["a person sits", "someone opens the door"].enumerated().map {
            GroundingSample(
                queryID: $0, videoID: "video", durationSeconds: 8, query: $1, targets: [])
        }
        let batch = try batches.batch(of: samples)
        #expect(batch.clipFeatures.shape == [2, 4, 3])
        #expect(batch.clipFeatures.scalars == features.values + features.values)
        #expect(batch.textMask.shape == [2, 4])  // the longer query's four words
    }
}
