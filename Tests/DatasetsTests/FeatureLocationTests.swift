import Datasets
import Foundation
import TestSupport
import Testing

@Suite struct FeatureLocationTests {
    @Test func featureFilesFollowTheLayout() {
        let npy = FeatureLocation(format: .npyDirectory, path: "/features")
        #expect(npy.file(forVideo: "AO8RW").path == "/features/AO8RW.npy")
        let npz = FeatureLocation(format: .npzDirectory, path: "/features")
        #expect(npz.file(forVideo: "v_1_0.0_150.0").path == "/features/v_1_0.0_150.0.npz")
        #expect(npz.archiveKey == "features")
        let hdf5 = FeatureLocation(format: .hdf5, path: "/features/tacos.hdf5", key: "c3d")
        #expect(hdf5.file(forVideo: "s13-d21.avi").path == "/features/tacos.hdf5")
    }

    /// `run.json` files written before the type moved here must still decode.
    @Test func decodesTheRunFileLayout() throws {
        let json = #"{"format": "npz-directory", "path": "/data/qv", "key": "features"}"#
        let decoded = try JSONDecoder().decode(FeatureLocation.self, from: Data(json.utf8))
        #expect(
            decoded == FeatureLocation(format: .npzDirectory, path: "/data/qv", key: "features"))
        #expect(
            FeatureLocation.Format.allCases.map(\.rawValue) == [
                "npy-directory", "npz-directory", "hdf5",
            ])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let npy = FeatureLocation(format: .npyDirectory, path: "/data/charades")
        #expect(
            String(decoding: try encoder.encode(npy), as: UTF8.self)
                == #"{"format":"npy-directory","path":"\/data\/charades"}"#)
    }

    @Test func detectsTheLayoutOfADatasetsFeatures() throws {
        let npy = TestData.fixtures.appendingPathComponent("npy").path
        #expect(
            try FeatureLocation.detect(path: npy)
                == FeatureLocation(format: .npyDirectory, path: npy))
        let npz = TestData.fixtures.appendingPathComponent("npz").path
        #expect(
            try FeatureLocation.detect(path: npz)
                == FeatureLocation(format: .npzDirectory, path: npz, key: "features"))
        let hdf5 = TestData.fixtures.appendingPathComponent("features.h5").path
        #expect(
            try FeatureLocation.detect(path: hdf5, key: "c3d_features")
                == FeatureLocation(format: .hdf5, path: hdf5, key: "c3d_features"))
        #expect(throws: FeatureStoreError.sourceNotFound(path: "/nonexistent")) {
            try FeatureLocation.detect(path: "/nonexistent")
        }
        let empty = try TemporaryDirectory(label: "feature-location")
        #expect(throws: FeatureStoreError.noFeatureFiles(path: empty.url.path)) {
            try FeatureLocation.detect(path: empty.url.path)
        }
    }

    @Test func detectsOneVideosFile() throws {
        let npy = TestData.fixtures.appendingPathComponent("npy/float16.npy").path
        let (npyLocation, npyVideo) = try FeatureLocation.detect(videoFile: npy)
        #expect(npyLocation.format == .npyDirectory && npyVideo == "float16")
        #expect(npyLocation.file(forVideo: npyVideo).path == npy)
        let npz = TestData.fixtures.appendingPathComponent("npz/otherkey.npz").path
        let (npzLocation, npzVideo) = try FeatureLocation.detect(
            videoFile: npz, key: "clip_features")
        #expect(npzLocation.archiveKey == "clip_features" && npzVideo == "otherkey")
        let hdf5 = TestData.fixtures.appendingPathComponent("features.h5").path
        #expect(throws: FeatureStoreError.videoIDNeeded(path: hdf5)) {
            try FeatureLocation.detect(videoFile: hdf5)
        }
        let (hdf5Location, hdf5Video) = try FeatureLocation.detect(
            videoFile: hdf5, videoID: "s13-d21.avi")
        #expect(hdf5Location.format == .hdf5 && hdf5Video == "s13-d21.avi")
        let missing = TestData.fixtures.appendingPathComponent("npy/absent.npy").path
        #expect(throws: FeatureStoreError.sourceNotFound(path: missing)) {
            try FeatureLocation.detect(videoFile: missing)
        }
    }
}
