import ArgumentParser
import Foundation
import Grounding
import Tensors
import TestSupport
import Testing
import VTGCore

@testable import vtg

@Suite struct GroundCommandTests {
    static let required = ["--run", "r", "--features", "v.npy", "--duration", "12"]

    @Test func theSpanCountDefaultsToTheLibrarys() throws {
        let command = try GroundCommand.parse(Self.required + ["--query", "a person sits"])
        #expect(command.topK == nil)
        #expect(command.spanCount == SpanDecoder.defaultTopK)
        #expect(
            try GroundCommand.parse(Self.required + ["--query", "x", "--top-k", "2"]).spanCount == 2
        )
    }

    @Test func theLibrarysChecksAreSaidInFlags() {
        func message(_ arguments: [String]) -> String? {
            do {
                _ = try GroundCommand.parse(arguments)
                return nil
            } catch { return GroundCommand.message(for: error) }
        }
        #expect(message(Self.required)?.hasPrefix("missing --query") == true)
        #expect(
            message(Self.required + ["--query", "  "]) == "--query is empty; expected some words")
        #expect(
            message(["--run", "r", "--features", "v.npy", "--duration", "0", "--query", "x"])
                == "--duration is 0.0; expected a positive number of seconds")
        #expect(
            message(Self.required + ["--query", "x", "--top-k", "0"])
                == "--top-k is 0; expected at least 1")
        #expect(
            message(["--run", "r", "--query", "x"])
                == "missing --features (or --video): there is no video to ground in")
        #expect(
            message(["--run", "r", "--features", "v.npy", "--query", "x"])
                == "missing --duration: clip features do not say how long the video is")
        #expect(
            message(["--run", "r", "--video", "v.mp4", "--features", "v.npy", "--query", "x"])
                == "--features and --video: ground in clip features or in a video file")
        #expect(
            message(["--run", "r", "--video", "v.mp4", "--duration", "3", "--query", "x"])
                == "--duration and --video: a video file's duration is measured from its frames")
    }

    @Test func aVideoNeedsNoDuration() throws {
        let command = try GroundCommand.parse([
            "--run", "r", "--video", "v.mp4", "--clip-model", "m", "--query", "x",
            "--window-stride", "8",
        ])
        #expect(command.video == "v.mp4" && command.duration == nil && command.windowStride == 8)
    }

    @Test func groundsQueriesInAVideoFileEndToEnd() throws {
        let directory = try TemporaryDirectory(label: "ground-video")
        let run = try CLIPWidthRun.train(in: directory.url)
        let bikes = TestVideoFolder.path("bikes.mp4")
        let plot = directory.file("bikes.svg")
        let arguments = [
            "ground", "--run", run.path, "--video", bikes, "--clip-model",
            CLIPWidthRun.tinyCLIP.path, "--query", "a person rides a bike", "--query",
            "a car drives past", "--plot", plot.path, "--json",
        ]
        let first = try VTGProcess.run(arguments)
        #expect(first.status == 0, "\(first.standardError)")
        #expect(first.standardError.contains("features extracted"), "\(first.standardError)")
        let results = try JSONDecoder().decode(
            [GroundingResult].self, from: Data(first.standardOutput.utf8))
        #expect(results.map(\.query) == ["a person rides a bike", "a car drives past"])
        for result in results {
            #expect(result.durationSeconds == 10)
            // Five clips of 2 s: the model's 16 clips hold the whole video, one window.
            #expect(result.startProbabilities.count == 5)
            #expect(!result.spans.isEmpty)
            #expect(
                result.spans.allSatisfy {
                    $0.span.startSeconds >= 0 && $0.span.startSeconds < $0.span.endSeconds
                        && $0.span.endSeconds <= 10
                })
        }
        let svg = try String(contentsOf: plot, encoding: .utf8)
        #expect(svg.contains("<svg") && svg.contains("a person rides a bike"))

        // Again: the features come from the run's cache, the answer is the same.
        let second = try VTGProcess.run(arguments)
        #expect(second.status == 0 && second.standardError.contains("features from the cache"))
        #expect(second.standardOutput == first.standardOutput)
        let cache = run.appendingPathComponent(".video-cache")
        let cached = try FileManager.default.contentsOfDirectory(atPath: cache.path)
        #expect(cached.filter { $0.hasSuffix(".npz") }.count == 1)

        // At another precision the cached float32 features do not count: extracted again, and
        // the manifest's last line records the precision that ran.
        let int8 = try VTGProcess.run(arguments + ["--precision", "int8"])
        #expect(int8.status == 0 && int8.standardError.contains("features extracted"))
        let manifest = try String(
            contentsOf: cache.appendingPathComponent("manifest.jsonl"), encoding: .utf8)
        let running = CPUFeatures.current.supportedPrecision(.int8)
        #expect(
            manifest.split(separator: "\n").last?.contains(#""precision": "\#(running)""#)
                == true, "\(manifest)")
    }

    @Test func aRunTrainedOnAnotherFeatureKindIsRefusedNamingTheKindItExpects() throws {
        let directory = try TemporaryDirectory(label: "ground-kind")
        let run = try CLIPWidthRun.train(in: directory.url)
        // The same run, recorded as trained on I3D features.
        let configuration = run.appendingPathComponent("run.json")
        let text = try String(contentsOf: configuration, encoding: .utf8)
        try text.replacingOccurrences(of: CLIPWidthRun.featureKind, with: "i3d")
            .write(to: configuration, atomically: true, encoding: .utf8)
        let outcome = try VTGProcess.run([
            "ground", "--run", run.path, "--video", TestVideoFolder.path("bikes.mp4"),
            "--clip-model", CLIPWidthRun.tinyCLIP.path, "--query", "a person rides a bike",
        ])
        #expect(outcome.status != 0)
        #expect(outcome.standardError.contains("trained on i3d features of dimension 32"))
        #expect(outcome.standardError.contains(CLIPWidthRun.featureKind))
        // Refused before extracting anything.
        let cache = run.appendingPathComponent(".video-cache")
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: cache.path)) ?? []
        #expect(!entries.contains { $0.hasSuffix(".npz") })
    }
}
