import Foundation
import TestSupport
import Testing

@testable import Datasets

@Test func hdf5ReadsDatasetsGroupsAndCompression() throws {
    let file = try HDF5File(readingFrom: TestData.fixtures.appendingPathComponent("features.h5"))
    let expected = fixturePattern(clips: 5, dimensions: 4)
    #expect(try file.read(path: "s13-d21.avi") == expected)
    #expect(try file.read(path: "float64") == expected)
    #expect(try file.read(path: "compressed") == expected)
    #expect(try file.read(path: "v_group/c3d_features") == expected)
}

@Test func hdf5ReportsWhatIsWrong() throws {
    let file = try HDF5File(readingFrom: TestData.fixtures.appendingPathComponent("features.h5"))
    #expect(throws: HDF5File.AccessError.self) { try file.read(path: "absent") }
    #expect(throws: HDF5File.AccessError.self) { try file.read(path: "absent/c3d_features") }
    #expect(throws: HDF5File.AccessError.self) { try file.read(path: "v_group") }
    #expect(throws: HDF5File.AccessError.self) { try file.read(path: "vector") }
    #expect(throws: HDF5File.AccessError.self) { try file.read(path: "text") }
}

@Test func hdf5WriteRoundTripsAndIsDeterministic() throws {
    let directory = try TestData.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let features = fixturePattern(clips: 6, dimensions: 3)
    for name in ["a.h5", "b.h5"] {
        let writer = try HDF5File(creating: directory.appendingPathComponent(name))
        try writer.write(features, path: "video_1")
        try writer.write(features, path: "video_2/c3d_features")
    }
    let reader = try HDF5File(readingFrom: directory.appendingPathComponent("a.h5"))
    #expect(try reader.read(path: "video_1") == features)
    #expect(try reader.read(path: "video_2/c3d_features") == features)
    #expect(
        try Data(contentsOf: directory.appendingPathComponent("a.h5"))
            == Data(contentsOf: directory.appendingPathComponent("b.h5")))
}
