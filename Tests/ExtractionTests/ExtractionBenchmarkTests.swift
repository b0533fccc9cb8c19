import Extraction
import Foundation
import TestSupport
import Testing
import VisionEncoding

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
        #expect(measurement.peakResidentBytes > 0)
    }

    /// Growth allowed between the first quarter of the two-hour video and its end (measured:
    /// about 1 MB): the features grow by 3600 × 32 floats (450 KB); a leaked 224×224 input per
    /// frame would add 1.6 GB, a leaked decoded 128×96 frame per clip 100 MB.
    static let allowedGrowthBytes = 16 << 20
    static let childVariable = "VTG_EXTRACTION_MEMORY_CHILD"

    @Test func extractingATwoHourVideoKeepsMemoryFlat() throws {
        guard ProcessInfo.processInfo.environment[Self.childVariable] != nil else {
            try ChildTestProcess.runExpectingSuccess(
                testName: "ExtractionBenchmarkTests/extractingATwoHourVideoKeepsMemoryFlat",
                variable: Self.childVariable, value: "1")
            return
        }
        let measurement = try ExtractionBenchmark.measure(
            path: TestVideoFolder.path("generated/long-2h.mp4"),
            modelDirectory: ExtractionFixtures.tinyCLIP)
        #expect(measurement.summary.clipCount == 3600)
        #expect(
            measurement.residentGrowthBytes < Self.allowedGrowthBytes,
            "grew by \(measurement.residentGrowthBytes) bytes")
        #expect(measurement.peakResidentBytes < 1 << 30)
    }
}
