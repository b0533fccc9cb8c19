import Foundation
import TestSupport
import Testing
import VisionEncoding

@testable import Extraction

@Suite struct ExtractionBenchmarkTests {
    @Test func theRandomModelFolderLoadsStrictlyWithTheSizesAsked() throws {
        let directory = try TemporaryDirectory(label: "random-clip")
        let sizes = CLIPVisionConfiguration(
            patchSize: 32, hiddenSize: 48, layerCount: 2, headCount: 4, intermediateSize: 96,
            projectionSize: 24)
        try ExtractionBenchmark.writeRandomModelFolder(sizes, to: directory.url)
        let encoder = try CLIPImageEncoder(directory: directory.url)
        #expect(encoder.model.configuration == sizes)
        #expect(encoder.files.preprocessorConfiguration == CLIPPreprocessorConfiguration())
    }

    @Test func aMeasurementsRowCarriesTheRunsFigures() throws {
        let measurement = try ExtractionBenchmark.measure(
            path: TestVideoFolder.path("bikes.mp4"),
            modelDirectory: ExtractionFixtures.tinyCLIP)
        let summary = measurement.summary
        #expect(measurement.video == "bikes.mp4")
        #expect(summary.clipCount == 5 && summary.videoSeconds == 10 && summary.succeeded)
        let row = measurement.row
        #expect(row.group == "extract" && row.unit == "s video/s")
        #expect(abs(row.rate - 10 / summary.wallSeconds) < 1e-9)
        #expect(row.note.contains("5 clips") && row.note.contains("encode"))
        #expect(measurement.peakResidentBytes >= measurement.startResidentBytes)
        #expect(measurement.startResidentBytes > 0 && row.note.contains("MiB before"))
    }

    /// Resident memory growth allowed per quarter of the two-hour video, in the smallest of
    /// the last three quarters' growths: a leak grows every quarter alike (a leaked 224×224
    /// input per frame by 540 MB, a leaked decoded 128×96 frame per clip by 33 MB), while the
    /// process's one-off growths (worker threads taking their memory, about 20 MB each, at
    /// moments that depend on the machine's load) land in two quarters at most: under load, one
    /// run grew 19.3 MB, 19.9 MB and 1.5 MB. The features grow by 3600 × 32 floats in all.
    static let allowedQuarterGrowthBytes = 8 << 20
    static let childVariable = "VTG_EXTRACTION_MEMORY_CHILD"

    @Test func extractingATwoHourVideoKeepsMemoryFlat() throws {
        guard ProcessInfo.processInfo.environment[Self.childVariable] != nil else {
            try ChildTestProcess.runExpectingSuccess(
                testName: "ExtractionBenchmarkTests/extractingATwoHourVideoKeepsMemoryFlat",
                variable: Self.childVariable, value: "1")
            return
        }
        let output = try TemporaryDirectory(label: "extract-memory")
        let extraction = try FeatureExtraction(
            configuration: ExtractionFixtures.configuration(output: output.url, batchSize: 32))
        let recorder = ResidentMemoryRecorder()
        let summary = try extraction.run(
            videos: [VideoInput(path: TestVideoFolder.path("generated/long-2h.mp4"))],
            progress: recorder)
        #expect(summary.clipCount == 3600)
        let quarters = (1...4).map { recorder.residentBytes(atFraction: Double($0) / 4) }
        let growths = zip(quarters.dropFirst(), quarters).map { $0 - $1 }.sorted()
        #expect(growths[0] < Self.allowedQuarterGrowthBytes, "quarters \(quarters)")
        #expect(quarters.max() ?? 0 < 1 << 30)
    }
}

/// Resident memory after each batch, by the fraction of the frames done.
final class ResidentMemoryRecorder: ExtractionProgressReporting {
    private var total = 1
    private var samples: [(fraction: Double, bytes: Int)] = []

    func begin(_ label: String, total: Int) { self.total = max(total, 1) }
    func update(done: Int, status: String, itemsDone: Int?) {
        samples.append((Double(done) / Double(total), ResidentMemory.currentBytes()))
    }
    func report(_ event: ExtractionEvent) {}

    /// Resident memory at the first sample at or past `fraction` of the frames.
    func residentBytes(atFraction fraction: Double) -> Int {
        samples.first { $0.fraction >= fraction }?.bytes ?? samples.last?.bytes ?? 0
    }
}
