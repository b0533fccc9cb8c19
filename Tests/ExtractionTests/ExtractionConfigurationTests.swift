import Extraction
import Foundation
import Testing

@Suite struct ExtractionConfigurationTests {
    let model = URL(fileURLWithPath: "/models/clip")
    let output = URL(fileURLWithPath: "/features")

    @Test func defaultsAreThoseOfQVHighlightsCLIPFeatures() throws {
        let configuration = try ExtractionConfiguration(
            clipModelDirectory: model, outputDirectory: output)
        #expect(configuration.sampling.clipSeconds == 2)
        #expect(configuration.sampling.framesPerClip == 1)
        #expect(configuration.batchSize == 32)
        #expect(!configuration.normalize)
        #expect(configuration.shard == nil)
    }

    @Test func outOfRangeSettingsAreErrorsNamingTheOption() {
        let cases: [(Double?, Int?, Int?, String)] = [
            (0, nil, nil, "--clip-seconds"), (-1, nil, nil, "--clip-seconds"),
            (.infinity, nil, nil, "--clip-seconds"), (nil, 0, nil, "--frames-per-clip"),
            (nil, nil, 0, "batch size"),
        ]
        for (seconds, frames, batch, option) in cases {
            do {
                _ = try ExtractionConfiguration(
                    clipModelDirectory: model, outputDirectory: output, clipSeconds: seconds,
                    framesPerClip: frames, batchSize: batch)
                Issue.record("expected an error for \(option)")
            } catch {
                #expect("\(error)".contains(option))
            }
        }
    }

    @Test func theShardComesFromTheSettingThenTheLauncherThenIsWhole() throws {
        var configuration = try ExtractionConfiguration(
            clipModelDirectory: model, outputDirectory: output)
        let launcher = ["PMI_RANK": "1", "PMI_SIZE": "3"]
        #expect(try configuration.resolvedShard(environment: [:]) == .whole)
        #expect(
            try configuration.resolvedShard(environment: launcher)
                == ExtractionShard(index: 1, count: 3))
        configuration.shard = ExtractionShard(index: 0, count: 2)
        #expect(
            try configuration.resolvedShard(environment: launcher)
                == ExtractionShard(index: 0, count: 2))
    }

    @Test func theModelFolderComesFromTheOptionThenTheEnvironment() throws {
        let variable = ExtractionConfiguration.clipModelEnvironmentVariable
        #expect(
            try ExtractionConfiguration.clipModelDirectory(
                option: "/a", environment: [variable: "/b"]
            ).path == "/a")
        #expect(
            try ExtractionConfiguration.clipModelDirectory(
                option: nil, environment: [variable: "/b"]
            ).path == "/b")
        #expect {
            try ExtractionConfiguration.clipModelDirectory(option: nil, environment: [variable: ""])
        } throws: { error in
            let text = "\(error)"
            return text.contains("--clip-model") && text.contains("openai/clip-vit-base-patch32")
        }
    }
}
