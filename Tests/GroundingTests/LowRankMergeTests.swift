import Foundation
import NeuralNet
import TestSupport
import Testing
import VTGCore

@testable import Grounding

/// Span scores of the merged and the unmerged run agree to float32 rounding (the merged weight
/// W + s·B·A is rounded once where the unmerged run adds the update after the product).
private let mergedScoreTolerance = 1e-5

/// Trains `run` into `directory/name` and loads its best weights.
private func trained(_ run: GroundingRunConfiguration, in directory: URL, name: String) throws
    -> Grounder
{
    let url = directory.appendingPathComponent(name)
    _ = try GroundingTrainer(
        run: run, directory: url, encoder: HashedWordEncoder(), reporter: RecordingReporter()
    ).train(resume: false)
    return try Grounder(runDirectory: url, encoder: HashedWordEncoder())
}

@Suite struct LowRankMergeTests {
    @Test(arguments: [
        LowRankAdaptationConfiguration.standardTargets,
        LowRankAdaptationConfiguration.grounding.targets,
    ])
    func theMergedRunPredictsAsTheLoRARunWithoutTheBackbone(targets: [String]) throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let pretraining = try tinyPretraining(in: directory)
        let run = try tinyParameterEfficientRun(
            from: pretraining.directory, tuning: .lora, loraTargets: targets)
        let lora = try trained(run, in: directory, name: "lora")
        let mergedURL = directory.appendingPathComponent("merged")
        let merged = try lora.writeMergedRun(to: mergedURL)
        #expect(merged.resolvedTuning == .full)
        #expect(merged.lowRankAdaptation == nil)
        #expect(merged.mergedLowRankAdaptation == run.lowRankAdaptation)

        let file = try CheckpointFile(RunDirectory(mergedURL).bestCheckpoint)
        #expect(!file.tensorNames.contains(where: GroundingNetwork.isLowRankUpdate))
        #expect(file.tensorNames.contains("fusion.encoder.layer.0.attention.self.query.weight"))
        #expect(file.tensorNames.contains("video.projection.weight"))
        // The merged run stands alone: it loads with the backbone file gone.
        try FileManager.default.removeItem(
            at: RunDirectory(pretraining.directory).backboneCheckpoint)
        let standalone = try Grounder(runDirectory: mergedURL, encoder: HashedWordEncoder())
        #expect(
            standalone.network.parameters.entries.allSatisfy {
                !GroundingNetwork.isLowRankUpdate($0.path)
            })

        let expected = try lora.evaluate()
        let actual = try standalone.evaluate()
        #expect(actual.report == expected.report)
        #expect(actual.predictions.count == expected.predictions.count)
        var largest = 0.0
        for (a, b) in zip(actual.predictions, expected.predictions) {
            #expect(a.windows.count == b.windows.count)
            for (x, y) in zip(a.windows, b.windows) {
                largest = max(largest, abs(x.score - y.score))
            }
            for (x, y) in zip(a.clipScores ?? [], b.clipScores ?? []) {
                largest = max(largest, abs(x - y))
            }
        }
        #expect(largest < mergedScoreTolerance)
    }

    @Test func onlyALoRARunMergesAndNeverOverAnExistingDirectory() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let pretraining = try tinyPretraining(in: directory)
        let run = try tinyParameterEfficientRun(
            from: pretraining.directory, tuning: .lastLayer, epochs: 1)
        let grounder = try trained(run, in: directory, name: "last-layer")
        let output = directory.appendingPathComponent("merged")
        #expect(throws: GroundingError.self) { try grounder.writeMergedRun(to: output) }
        #expect(!FileManager.default.fileExists(atPath: output.path))

        let loraRun = try tinyParameterEfficientRun(
            from: pretraining.directory, tuning: .lora, epochs: 1)
        let lora = try trained(loraRun, in: directory, name: "lora")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        #expect(throws: GroundingError.self) { try lora.writeMergedRun(to: output) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: output.path).isEmpty)
    }
}
