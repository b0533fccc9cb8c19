import Datasets
import Extraction
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite struct FeatureExtractionTests {
    /// Small real and generated videos: ids bikes, numbered, numbered-vfr, tree.
    static let smallVideos = [
        "bikes.mp4", "generated/numbered.mp4", "generated/numbered-vfr.mp4", "tree.avi",
    ]

    static func paths(_ names: [String]) -> [String] { names.map { TestVideoFolder.path($0) } }

    /// The names and bytes of the `.npz` files in `folder`.
    static func archives(in folder: URL) throws -> [String: Data] {
        var archives: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path)
        where name.hasSuffix(".npz") {
            archives[name] = try Data(contentsOf: folder.appendingPathComponent(name))
        }
        return archives
    }

    @Test func writesFeaturesTheFeatureStoreReadsAndOneManifestLinePerVideo() throws {
        let output = try TemporaryDirectory(label: "extract")
        let extraction = try FeatureExtraction(
            configuration: ExtractionFixtures.configuration(output: output.url))
        let progress = RecordingExtractionProgress()
        let summary = try extraction.run(
            inputs: Self.paths(["bikes.mp4"]), environment: [:], progress: progress)
        #expect(summary.succeeded && summary.extractedCount == 1 && summary.videoCount == 1)
        #expect(summary.videoSeconds == 10 && summary.clipCount == 5)
        #expect(summary.decodedFrameCount == 250 && summary.encodedFrameCount == 5)
        #expect(summary.timing.encodeSeconds > 0 && summary.wallSeconds > 0)

        let features = try ExtractionFixtures.features("bikes", in: output.url)
        let direct = try extraction.extractor.extract(path: TestVideoFolder.path("bikes.mp4"))
        #expect(features == direct.features)

        let entries = try FeatureManifest.entries(at: FeatureManifest.url(in: output.url))
        let entry = try #require(entries["bikes"])
        #expect(entry.clips == 5 && entry.framesDecoded == 250 && entry.durationSeconds == 10)
        #expect(entry.featureKind == "clip-vit-w64x2-32" && entry.featureDimension == 32)
        #expect(entry.fileSHA256.hasPrefix("91028f9d") && entry.featuresFile == "bikes.npz")
        #expect(entry.modelSHA256 == extraction.modelSHA256 && entry.modelSHA256.count == 64)
        #expect(entry.decoder.contains("libavcodec"))

        // Progress: frames announced by the header (5 clips), the last update at the total.
        #expect(progress.begins.map(\.total) == [5])
        #expect(progress.updates.last?.done == 5)
        guard case .started(_, let kind, let toExtract, let complete) = progress.events.first else {
            Issue.record("no start event")
            return
        }
        #expect(kind == "clip-vit-w64x2-32" && toExtract == 1 && complete == 0)
    }

    @Test func twoShardsTogetherWriteExactlyWhatOneProcessWrites() throws {
        let inputs = Self.paths(Self.smallVideos)
        let single = try TemporaryDirectory(label: "extract-single")
        let sharded = try TemporaryDirectory(label: "extract-sharded")
        let whole = try FeatureExtraction(
            configuration: ExtractionFixtures.configuration(output: single.url))
        #expect(try whole.run(inputs: inputs, environment: [:]).extractedCount == 4)
        var counts: [Int] = []
        for index in 0..<2 {
            // The second shard comes from a launcher's variables, as under `mpirun -np 2`.
            let shard = index == 0 ? ExtractionShard(index: 0, count: 2) : nil
            let extraction = try FeatureExtraction(
                configuration: ExtractionFixtures.configuration(output: sharded.url, shard: shard))
            let summary = try extraction.run(
                inputs: inputs,
                environment: ["OMPI_COMM_WORLD_RANK": "1", "OMPI_COMM_WORLD_SIZE": "2"])
            #expect(summary.shard == ExtractionShard(index: index, count: 2))
            counts.append(summary.extractedCount)
        }
        #expect(counts == [2, 2])
        let expected = try Self.archives(in: single.url)
        #expect(
            expected.keys.sorted() == ["bikes.npz", "numbered-vfr.npz", "numbered.npz", "tree.npz"])
        #expect(try Self.archives(in: sharded.url) == expected)
        #expect(
            try ExtractionFixtures.manifestLines(in: sharded.url)
                == ExtractionFixtures.manifestLines(in: single.url))
    }

    @Test func aTruncatedFileFailsByNameAndTheOthersAreExtracted() throws {
        let output = try TemporaryDirectory(label: "extract-damaged")
        let extraction = try FeatureExtraction(
            configuration: ExtractionFixtures.configuration(output: output.url))
        let progress = RecordingExtractionProgress()
        let damaged = TestVideoFolder.path("generated/truncated-vtest.avi")
        let summary = try extraction.run(
            inputs: Self.paths(["bikes.mp4", "tree.avi"]) + [damaged], environment: [:],
            progress: progress)
        #expect(!summary.succeeded)
        #expect(summary.failures.map { $0.videoID } == ["truncated-vtest"])
        #expect(summary.failures.first?.message.contains(damaged) == true)
        #expect(summary.failures.first?.message.contains("truncated") == true)
        #expect(summary.extractedCount == 2 && summary.videoCount == 3)
        #expect(try Self.archives(in: output.url).keys.sorted() == ["bikes.npz", "tree.npz"])
        #expect(try ExtractionFixtures.manifestLines(in: output.url).count == 2)
        let failedEvents = progress.events.filter {
            if case .failed = $0 { return true } else { return false }
        }
        #expect(failedEvents.count == 1)
        // Nothing of the failed video is left behind, not even a hidden partial file.
        #expect(try output.entryNames() == ["bikes.npz", "manifest.jsonl", "tree.npz"])
    }

    @Test func aRerunSkipsCompleteVideosAndRedoesChangedOrDamagedOnes() throws {
        let output = try TemporaryDirectory(label: "extract-resume")
        let inputs = Self.paths(["bikes.mp4", "tree.avi"])
        let first = try FeatureExtraction(
            configuration: ExtractionFixtures.configuration(output: output.url))
        #expect(try first.run(inputs: inputs, environment: [:]).extractedCount == 2)
        let again = try first.run(inputs: inputs, environment: [:])
        #expect(again.skippedCount == 2 && again.extractedCount == 0)

        // A damaged .npz (cut short) is not complete: extracted again.
        let tree = output.file("tree.npz")
        let bytes = try Data(contentsOf: tree)
        try bytes.prefix(bytes.count / 2).write(to: tree)
        let repaired = try first.run(inputs: inputs, environment: [:])
        #expect(repaired.skippedCount == 1 && repaired.extractedCount == 1)
        #expect(try Data(contentsOf: tree) == bytes)

        // Another configuration (normalised features) redoes every video.
        let normalized = try FeatureExtraction(
            configuration: ExtractionFixtures.configuration(output: output.url, normalize: true))
        let redone = try normalized.run(inputs: inputs, environment: [:])
        #expect(redone.skippedCount == 0 && redone.extractedCount == 2)
        let features = try ExtractionFixtures.features("bikes", in: output.url)
        let norm = features.row(0).reduce(0) { $0 + $1 * $1 }.squareRoot()
        #expect(abs(norm - 1) < 1e-5)
    }

    /// The environment variable that makes this test binary the extraction child of
    /// `killedMidVideoLeavesCompleteFilesOnlyAndARerunFinishes`; its value is the output folder.
    static let childVariable = "VTG_EXTRACTION_CHILD_OUTPUT"
    static let resumeVideos = ["bikes.mp4", "generated/long-2h.mp4", "tree.avi"]

    @Test func killedMidVideoLeavesCompleteFilesOnlyAndARerunFinishes() throws {
        if let folder = ProcessInfo.processInfo.environment[Self.childVariable] {
            // The child: extract until the parent kills it with SIGKILL.
            let extraction = try FeatureExtraction(
                configuration: ExtractionFixtures.configuration(
                    output: URL(fileURLWithPath: folder)))
            _ = try extraction.run(inputs: Self.paths(Self.resumeVideos), environment: [:])
            return
        }
        let output = try TemporaryDirectory(label: "extract-killed")
        let child = ChildTestProcess.make(
            testName:
                "FeatureExtractionTests/killedMidVideoLeavesCompleteFilesOnlyAndARerunFinishes",
            variable: Self.childVariable, value: output.url.path)
        child.standardOutput = FileHandle.nullDevice
        child.standardError = FileHandle.nullDevice
        try child.run()
        // Wait for bikes (the first video) to be complete, then kill the child while it is in
        // the two-hour video, between two batches or in the middle of one.
        let manifest = FeatureManifest.url(in: output.url)
        let deadline = Date().addingTimeInterval(300)
        while child.isRunning && Date() < deadline
            && (try? FeatureManifest.entries(at: manifest).count) ?? 0 < 1
        {
            usleep(20_000)
        }
        usleep(1_500_000)
        #expect(child.isRunning, "the child finished before it could be killed")
        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        #expect(child.terminationReason == .uncaughtSignal)

        // Every .npz that is there is complete and has its line; the two-hour video has none.
        let done = try FeatureManifest.entries(at: manifest)
        #expect(done.keys.sorted() == ["bikes"])
        #expect(try Self.archives(in: output.url).keys.sorted() == ["bikes.npz"])
        _ = try ExtractionFixtures.features("bikes", in: output.url)

        let rerun = try FeatureExtraction(
            configuration: ExtractionFixtures.configuration(output: output.url))
        let summary = try rerun.run(inputs: Self.paths(Self.resumeVideos), environment: [:])
        #expect(summary.skippedCount == 1 && summary.extractedCount == 2 && summary.succeeded)
        #expect(
            try output.entryNames() == ["bikes.npz", "long-2h.npz", "manifest.jsonl", "tree.npz"])
        let long = try ExtractionFixtures.features("long-2h", in: output.url)
        #expect(long.clipCount == 3600)
    }
}
