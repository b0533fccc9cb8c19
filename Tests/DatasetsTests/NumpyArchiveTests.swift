import Foundation
import TestSupport
import Testing

@testable import Datasets

@Test(arguments: ["stored", "deflated"])
func npzStoredAndDeflatedRead(name: String) throws {
    let url = TestData.fixtures.appendingPathComponent("npz/\(name).npz")
    #expect(try NumpyArchive.read(url, key: "features") == fixturePattern(clips: 5, dimensions: 4))
}

@Test func npzMissingKeyListsTheKeys() throws {
    let url = TestData.fixtures.appendingPathComponent("npz/otherkey.npz")
    #expect(
        try NumpyArchive.read(url, key: "clip_features") == fixturePattern(clips: 5, dimensions: 4))
    do {
        _ = try NumpyArchive.read(url, key: "features")
        Issue.record("expected missingKey")
    } catch {
        guard case .missingKey(let available) = error else {
            Issue.record("unexpected \(error)")
            return
        }
        #expect(available == ["clip_features", "features_mean"])
    }
}

@Test func npzWriteIsReadableAndDeterministic() throws {
    let directory = try TestData.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let features = fixturePattern(clips: 4, dimensions: 3)
    let first = directory.appendingPathComponent("a.npz")
    let second = directory.appendingPathComponent("b.npz")
    try NumpyArchive.write(features, key: "features", to: first)
    try NumpyArchive.write(features, key: "features", to: second)
    #expect(try NumpyArchive.read(first, key: "features") == features)
    #expect(try Data(contentsOf: first) == Data(contentsOf: second))
}

@Test func npzCorruptedMemberFailsItsChecksum() throws {
    let directory = try TestData.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appendingPathComponent("video.npz")
    try NumpyArchive.write(fixturePattern(clips: 4, dimensions: 3), key: "features", to: url)
    var bytes = [UInt8](try Data(contentsOf: url))
    // The member is stored: find its .npy bytes and flip a bit of the last feature value.
    let npy = [UInt8](NumpyArray.encode(fixturePattern(clips: 4, dimensions: 3)))
    let memberStart = try #require(
        (0...(bytes.count - npy.count)).first { Array(bytes[$0..<($0 + npy.count)]) == npy })
    bytes[memberStart + npy.count - 2] ^= 0x40
    try Data(bytes).write(to: url)
    do {
        _ = try NumpyArchive.read(url, key: "features")
        Issue.record("a corrupted member must not decode")
    } catch {
        guard case .checksumMismatch(let member, _, _) = error else {
            Issue.record("unexpected \(error)")
            return
        }
        #expect(member == "features.npy")
    }
}
