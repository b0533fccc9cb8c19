import Foundation
import TestSupport
import Testing
import VTGCore

@testable import Datasets

/// Every file under `directory`, by relative path, with its bytes.
private func contents(of directory: URL) throws -> [String: Data] {
    var result: [String: Data] = [:]
    let enumerator = FileManager.default.enumerator(atPath: directory.path)
    while let relative = enumerator?.nextObject() as? String {
        var isDirectory: ObjCBool = false
        let url = directory.appendingPathComponent(relative)
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory),
            !isDirectory.boolValue
        {
            result[relative] = try Data(contentsOf: url)
        }
    }
    return result
}

@Test(arguments: DatasetName.allCases)
func synthIsByteIdenticalForTheSameSeed(layout: DatasetName) throws {
    let root = try TestData.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    let configuration = SyntheticBenchmarkConfiguration(
        layout: layout, videoCount: 8, seed: 11, featureDimension: 16)
    try SyntheticBenchmark.write(configuration, to: root.appendingPathComponent("a"))
    try SyntheticBenchmark.write(configuration, to: root.appendingPathComponent("b"))
    var other = configuration
    other.seed = 12
    try SyntheticBenchmark.write(other, to: root.appendingPathComponent("c"))
    let first = try contents(of: root.appendingPathComponent("a"))
    #expect(first.count >= 4)
    #expect(first == (try contents(of: root.appendingPathComponent("b"))))
    #expect(first != (try contents(of: root.appendingPathComponent("c"))))
}

/// What synth writes reads back through the dataset readers (no anomalies) and the feature store,
/// with features for every video, clip counts matching the durations.
@Test(arguments: DatasetName.allCases)
func synthOutputReadsBackCleanly(layout: DatasetName) throws {
    let directory = try TestData.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let manifest = try SyntheticBenchmark.write(
        SyntheticBenchmarkConfiguration(
            layout: layout, videoCount: 10, seed: 3, featureDimension: 12),
        to: directory)
    #expect(try SyntheticBenchmark.readManifest(in: directory) == manifest)
    let splits = try GroundingDataset.loadAll(
        layout, from: directory, policy: AnomalyPolicy(strict: true))
    #expect(splits.map(\.split) == manifest.splits.map(\.name))
    #expect(splits.map(\.samples.count) == manifest.splits.map(\.queryCount))
    #expect(
        splits.map { Set($0.samples.map(\.videoID)).count } == manifest.splits.map(\.videoCount))
    let store = try FeatureStore(
        .init(location: manifest.featureLocation(in: directory), expectedFeatureDimension: 12))
    for sample in splits.flatMap(\.samples) {
        let features = try store.features(forVideo: sample.videoID)
        let expectedClips = Int(
            (sample.durationSeconds / manifest.clipDurationSeconds).rounded(.up))
        #expect(abs(features.clipCount - expectedClips) <= 1)
        #expect(!sample.targets.isEmpty)
        if layout == .qvHighlights { #expect(sample.saliency != nil) }
    }
}

@Test func synthRejectsUnusableSettings() {
    #expect(throws: SyntheticBenchmarkError.self) {
        try SyntheticBenchmark.write(
            SyntheticBenchmarkConfiguration(layout: .tacos, videoCount: 1),
            to: FileManager.default.temporaryDirectory)
    }
}

@Test func defaultSizesAreSmall() {
    #expect(SyntheticBenchmarkConfiguration(layout: .charadesSTA).videoCount == 200)
    #expect(SyntheticBenchmarkConfiguration(layout: .charadesSTA).featureDimension == 256)
}

@Test func aLargerTestSplitTakesItsVideosFromTraining() throws {
    var configuration = SyntheticBenchmarkConfiguration(
        layout: .charadesSTA, videoCount: 20, seed: 3, featureDimension: 8)
    let standard = SyntheticBenchmark.generate(configuration).map { ($0.name, $0.videos.count) }
    #expect(standard.map(\.1) == [16, 4])
    configuration.testFraction = 0.4
    let larger = SyntheticBenchmark.generate(configuration)
    #expect(larger.map(\.name) == ["train", "test"])
    #expect(larger.map(\.videos.count) == [12, 8])
    configuration.testFraction = 0.96
    #expect(throws: SyntheticBenchmarkError.self) { try configuration.validate() }
}
