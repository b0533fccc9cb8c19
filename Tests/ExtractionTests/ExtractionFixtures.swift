import Datasets
import Extraction
import Foundation
import TestSupport
import Testing

/// What the extraction tests share: the tiny random CLIP of the vision tests, the test videos,
/// and reading written features back through the feature store.
enum ExtractionFixtures {
    /// The tiny random CLIP folder (`Scripts/make_clip_golden.py`): width 64, 2 layers, patch 32,
    /// projection 32.
    static let tinyCLIP = SharedDirectory.repositoryRoot.appendingPathComponent(
        "Tests/VisionEncodingTests/Fixtures/tiny-clip", isDirectory: true)

    /// A configuration with the tiny CLIP writing to `output`.
    static func configuration(
        output: URL, framesPerClip: Int? = nil, normalize: Bool = false, batchSize: Int? = 4,
        shard: ExtractionShard? = nil
    ) throws -> ExtractionConfiguration {
        try ExtractionConfiguration(
            clipModelDirectory: tinyCLIP, outputDirectory: output, framesPerClip: framesPerClip,
            normalize: normalize, batchSize: batchSize, shard: shard)
    }

    /// The features of `videoID` in the features folder `folder`, read by the feature store as
    /// training reads QVHighlights features.
    static func features(_ videoID: String, in folder: URL) throws -> ClipFeatures {
        let store = try FeatureStore(
            FeatureStoreConfiguration(
                location: FeatureLocation(format: .npzDirectory, path: folder.path, key: "features")
            ))
        return try store.features(forVideo: videoID)
    }

    /// The lines of the manifest in `folder`, sorted.
    static func manifestLines(in folder: URL) throws -> [String] {
        let text = try String(
            contentsOf: FeatureManifest.url(in: folder), encoding: .utf8)
        return text.split(separator: "\n").map(String.init).sorted()
    }
}

/// Records what an extraction reports.
final class RecordingExtractionProgress: ExtractionProgressReporting {
    var begins: [(label: String, total: Int)] = []
    var updates: [(done: Int, status: String, itemsDone: Int?)] = []
    var events: [ExtractionEvent] = []

    func begin(_ label: String, total: Int) { begins.append((label, total)) }
    func update(done: Int, status: String, itemsDone: Int?) {
        updates.append((done, status, itemsDone))
    }
    func report(_ event: ExtractionEvent) { events.append(event) }
}
