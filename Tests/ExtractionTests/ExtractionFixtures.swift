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

    /// The path of a test video; records a failure that says how to fetch it when it is missing.
    static func video(_ name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> String {
        let path = TestVideoFolder.path(name)
        if !FileManager.default.fileExists(atPath: path) {
            Issue.record(
                Comment(rawValue: TestVideoFolder.missingMessage(path)),
                sourceLocation: sourceLocation)
        }
        return path
    }

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
            FeatureStoreConfiguration(source: .numpyArchiveDirectory(folder, key: "features")))
        return try store.features(forVideo: videoID)
    }

    /// The lines of the manifest in `folder`, sorted.
    static func manifestLines(in folder: URL) throws -> [String] {
        let text = try String(
            contentsOf: FeatureManifest.url(in: folder), encoding: .utf8)
        return text.split(separator: "\n").map(String.init).sorted()
    }
}

/// Runs a test's body in a child copy of this test binary, for measurements of the whole process
/// (resident memory) and for killing: the child is this binary filtered to the one test, with
/// `variable` set to `value`.
enum ChildTestProcess {
    /// The child for `testName` (`"Suite/test"`) of this binary, not yet started.
    static func make(testName: String, variable: String, value: String) -> Process {
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        child.arguments = ["--testing-library", "swift-testing", "--filter", testName]
        var environment = ProcessInfo.processInfo.environment
        environment[variable] = value
        child.environment = environment
        return child
    }

    /// Runs the child to its end and expects it to pass (its expectations decide its status).
    static func runExpectingSuccess(testName: String, variable: String, value: String) throws {
        let child = make(testName: testName, variable: variable, value: value)
        let output = Pipe()
        child.standardOutput = output
        child.standardError = output
        try child.run()
        let log = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        child.waitUntilExit()
        #expect(child.terminationStatus == 0, "the child process failed:\n\(log)")
        // The child must have run the test, not matched nothing.
        #expect(log.contains("passed"), "child output:\n\(log)")
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
