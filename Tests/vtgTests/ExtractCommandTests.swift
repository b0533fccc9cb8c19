import ArgumentParser
import Extraction
import Foundation
import Tensors
import TestSupport
import Testing

@testable import vtg

@Suite struct ExtractCommandTests {
    @Test func optionsBecomeTheLibrarysConfigurationWithItsDefaults() throws {
        let command = try ExtractCommand.parse([
            "--clip-model", "/m", "--out", "/f", "--shard", "1/2", "a.mp4", "videos",
        ])
        let configuration = try command.configuration()
        #expect(configuration.clipModelDirectory.path == "/m")
        #expect(configuration.sampling.clipSeconds == ExtractionConfiguration.defaultClipSeconds)
        #expect(configuration.sampling.framesPerClip == 1 && !configuration.normalize)
        #expect(configuration.shard == ExtractionShard(index: 1, count: 2))
        #expect(command.inputs == ["a.mp4", "videos"])
        let custom = try ExtractCommand.parse([
            "--clip-model", "/m", "--out", "/f", "--clip-seconds", "1", "--frames-per-clip", "4",
            "--normalize", "a.mp4",
        ]).configuration()
        #expect(custom.sampling.clipSeconds == 1 && custom.sampling.framesPerClip == 4)
        #expect(custom.normalize && custom.shard == nil)
        #expect(configuration.precision == .float32)
        let int8 = try ExtractCommand.parse([
            "--clip-model", "/m", "--out", "/f", "--precision", "int8", "a.mp4",
        ]).configuration()
        #expect(int8.precision == .int8)
    }

    @Test func badOptionsAreUsageErrors() {
        for arguments in [
            ["--clip-model", "/m", "--out", "/f"],
            ["--clip-model", "/m", "--out", "/f", "--shard", "2/2", "a.mp4"],
            ["--clip-model", "/m", "--out", "/f", "--clip-seconds", "0", "a.mp4"],
            ["--clip-model", "/m", "--out", "/f", "--precision", "fp16", "a.mp4"],
        ] {
            #expect(throws: (any Error).self) { try ExtractCommand.parse(arguments) }
        }
    }

    @Test func extractsVideosCountsAFailureAndExitsNonZero() throws {
        let output = try TemporaryDirectory(label: "vtg-extract")
        let outcome = try VTGProcess.run([
            "extract", "--clip-model", CLIPWidthRun.tinyCLIP.path, "--out", output.url.path,
            TestVideoFolder.path("bikes.mp4"),
            TestVideoFolder.path("generated/truncated-vtest.avi"),
        ])
        #expect(outcome.status == 1)
        #expect(
            outcome.standardOutput.contains(
                "videos: 1 extracted, 0 already complete, 1 failed (of 2 in shard 0/1)"),
            "\(outcome.standardOutput)")
        #expect(
            outcome.standardOutput.contains("failed: ")
                && outcome.standardOutput.contains("truncated-vtest.avi"))
        #expect(try output.entryNames() == ["bikes.npz", "manifest.jsonl"])

        // Without --clip-model or VTG_CLIP_MODEL: a usage error that says where to get weights.
        let missing = try VTGProcess.run(
            ["extract", "--out", output.url.path, TestVideoFolder.path("bikes.mp4")],
            environment: ["VTG_CLIP_MODEL": ""])
        #expect(missing.status != 0)
        #expect(missing.standardError.contains("openai/clip-vit-base-patch32"))
    }
}
