import Datasets
import Foundation
import Testing

@Test func featureFilesFollowTheLayout() {
    let directory = URL(fileURLWithPath: "/features")
    #expect(
        FeatureSource.numpyDirectory(directory).file(forVideo: "AO8RW").path
            == "/features/AO8RW.npy")
    #expect(
        FeatureSource.numpyArchiveDirectory(directory).file(forVideo: "v_1_0.0_150.0").path
            == "/features/v_1_0.0_150.0.npz")
    let hdf5 = URL(fileURLWithPath: "/features/tacos.hdf5")
    #expect(FeatureSource.hdf5File(hdf5).file(forVideo: "s13-d21.avi") == hdf5)
    #expect(FeatureSource.hdf5File(hdf5, groupMember: "c3d_features").url == hdf5)
}
