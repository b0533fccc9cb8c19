import ArgumentParser
import Foundation
import Grounding
import TestSupport
import Testing

@testable import vtg

@Suite struct ZeroShotOptionsTests {
    /// The message a command line gives, or nil when it parses.
    static func message<Command: ParsableCommand>(_ type: Command.Type, _ arguments: [String])
        -> String?
    {
        do {
            _ = try type.parse(arguments)
            return nil
        } catch { return type.message(for: error) }
    }

    @Test func flagsOverrideTheSettingsFileWhichOverridesTheDefaults() throws {
        let directory = try TemporaryDirectory(label: "zero-shot-options")
        let file = directory.file("settings.json")
        let saved = ZeroShotSettings(smoothingClips: 5, thresholdDeviations: [1], nmsThreshold: 0.3)
        try JSONEncoder().encode(saved).write(to: file)
        let options = try ZeroShotOptions.parse([
            "--zero-shot", "--settings", file.path, "--thresholds", "0, 2",
            "--length-prior-fraction", "0.2", "--length-prior-weight", "0.01", "--even-clips",
        ])
        let settings = try options.resolved(topK: 3)
        #expect(settings.smoothingClips == 5 && settings.nmsThreshold == 0.3)
        #expect(settings.thresholdDeviations == [0, 2])
        #expect(settings.lengthPrior == .init(preferredFraction: 0.2, weight: 0.01))
        #expect(settings.clipSeconds == nil && settings.topK == 3)
        #expect(try ZeroShotOptions.parse(["--zero-shot"]).resolved(topK: nil) == ZeroShotSettings())
    }

    @Test func zeroShotGroundingIsCheckedInFlags() {
        let features = ["--features", "v.npy", "--duration", "12", "--query", "a dog runs"]
        #expect(Self.message(GroundCommand.self, ["--zero-shot"] + features) == nil)
        #expect(
            Self.message(GroundCommand.self, ["--zero-shot", "--run", "r"] + features)?.hasPrefix(
                "--zero-shot grounds without a run") == true)
        #expect(
            Self.message(GroundCommand.self, features)
                == "missing --run (or --zero-shot): there is no model to ground with")
        #expect(
            Self.message(GroundCommand.self, ["--run", "r", "--nms-threshold", "0.3"] + features)
                == "the zero-shot settings need --zero-shot")
        #expect(
            Self.message(GroundCommand.self, ["--zero-shot", "--smoothing-clips", "4"] + features)
                == "--smoothing-clips: 4; expected an odd number of clips, at least 1 (1: no smoothing)")
        #expect(
            Self.message(GroundCommand.self, ["--zero-shot", "--top-k", "0"] + features)?.contains(
                "--top-k") == true)
        #expect(
            Self.message(
                GroundCommand.self, ["--zero-shot", "--length-prior-weight", "1"] + features)
                == "--length-prior-fraction and --length-prior-weight go together")
    }

    @Test func zeroShotEvaluationIsCheckedInFlags() {
        let inputs = ["--dataset", "qvhighlights", "--annotations", "a", "--features", "f"]
        #expect(Self.message(EvalCommand.self, ["--zero-shot"] + inputs) == nil)
        #expect(
            Self.message(EvalCommand.self, ["--zero-shot", "--dataset", "qvhighlights"])?.hasPrefix(
                "missing --dataset, --annotations or --features") == true)
        #expect(
            Self.message(EvalCommand.self, ["--run", "r", "--search-settings"])
                == "--search-settings needs --zero-shot")
        #expect(
            Self.message(EvalCommand.self, [])
                == "missing --run (or --zero-shot): there is nothing to evaluate")
        #expect(Self.message(EvalCommand.self, ["--run", "r"]) == nil)
    }
}
