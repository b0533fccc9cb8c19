import Foundation
import TestSupport
import Testing

@testable import Datasets

private let npyDirectory = FeatureLocation(
    format: .npyDirectory, path: TestData.fixtures.appendingPathComponent("npy").path)
private let npzDirectory = FeatureLocation(
    format: .npzDirectory, path: TestData.fixtures.appendingPathComponent("npz").path)
private let hdf5File = FeatureLocation(
    format: .hdf5, path: TestData.fixtures.appendingPathComponent("features.h5").path)

@Test func storeReadsEachLayout() throws {
    let expected = fixturePattern(clips: 5, dimensions: 4)
    let npy = try FeatureStore(.init(location: npyDirectory))
    #expect(try npy.features(forVideo: "float16") == expected)
    let npz = try FeatureStore(.init(location: npzDirectory))
    #expect(try npz.features(forVideo: "deflated") == expected)
    let otherKey = try FeatureStore(
        .init(
            location: FeatureLocation(
                format: .npzDirectory, path: npzDirectory.path, key: "clip_features")))
    #expect(try otherKey.features(forVideo: "otherkey") == expected)
    let hdf5 = try FeatureStore(.init(location: hdf5File))
    #expect(try hdf5.features(forVideo: "s13-d21.avi") == expected)
    let grouped = try FeatureStore(
        .init(location: FeatureLocation(format: .hdf5, path: hdf5File.path, key: "c3d_features")))
    #expect(try grouped.features(forVideo: "v_group") == expected)
}

@Test func storeResamplesNormalizesAndCaches() throws {
    let store = try FeatureStore(
        .init(location: npyDirectory, maxClips: 4, l2Normalize: true))
    let features = try store.features(forVideo: "long")  // 10 clips
    #expect(features.clipCount == 4)
    for clip in 0..<4 {
        let norm = features.row(clip).reduce(0) { $0 + $1 * $1 }.squareRoot()
        #expect(abs(norm - 1) < 1e-6)
    }
    #expect(store.cachedVideoCount == 1)
    #expect(store.cachedByteCount == 4 * 4 * 4)
    #expect(try store.features(forVideo: "long") == features)
}

/// Loads `videoID` and returns the error's message (failing the test if it loads).
private func failureMessage(_ store: FeatureStore, _ videoID: String) -> String {
    do {
        _ = try store.features(forVideo: videoID)
        Issue.record("\(videoID) should fail")
        return ""
    } catch {
        return error.description
    }
}

@Test func storeErrorsNameTheVideoAndTheFile() throws {
    let npy = try FeatureStore(.init(location: npyDirectory))
    let missing = failureMessage(npy, "absent")
    #expect(missing.contains("absent") && missing.contains("npy/absent.npy"))
    let truncated = failureMessage(npy, "truncated")
    #expect(truncated.contains("truncated.npy") && truncated.contains("video truncated"))
    let nonFinite = failureMessage(npy, "nonfinite")
    #expect(nonFinite.contains("clip 3, dimension 2"))
    let hdf5 = try FeatureStore(.init(location: hdf5File, expectedFeatureDimension: 4))
    let narrow = failureMessage(hdf5, "narrow")
    #expect(narrow.contains("3-dimensional") && narrow.contains("expected 4"))
    #expect(failureMessage(hdf5, "nonfinite").contains("clip 0, dimension 0"))
    #expect(failureMessage(hdf5, "nowhere").contains("features.h5"))
    #expect(failureMessage(hdf5, "v_group").contains("group member"))
    let npz = try FeatureStore(.init(location: npzDirectory))
    #expect(failureMessage(npz, "otherkey").contains("clip_features, features_mean"))
    #expect(failureMessage(npz, "notnumpy").contains("notnumpy.npz"))
}

@Test func storeRequiresOneDimensionForAllVideos() throws {
    let store = try FeatureStore(.init(location: hdf5File))
    _ = try store.features(forVideo: "compressed")
    #expect(failureMessage(store, "narrow").contains("expected 4"))
}

@Test func storeRejectsAMissingSource() {
    #expect(throws: FeatureStoreError.sourceNotFound(path: "/nonexistent/features")) {
        try FeatureStore(
            .init(location: FeatureLocation(format: .npyDirectory, path: "/nonexistent/features")))
    }
}

@Test func storeIsUsableFromSeveralThreads() async throws {
    let store = try FeatureStore(.init(location: hdf5File, cacheCapacityBytes: 0))
    try await withThrowingTaskGroup(of: ClipFeatures.self) { group in
        for _ in 0..<16 {
            group.addTask { try store.features(forVideo: "compressed") }
        }
        for try await features in group {
            #expect(features == fixturePattern(clips: 5, dimensions: 4))
        }
    }
}
