import Foundation
import NeuralNet

extension Grounder {
    /// peft's `merge_and_unload` for a LoRA-tuned run: writes to `output` a run that holds the
    /// whole model with every update merged into its weight (W + alpha/r · B·A) and no LoRA
    /// layers, so it predicts as this run does (to float32 rounding) at the cost of a plain
    /// model and without the backbone file. Its `run.json` is this run's with tuning `full`,
    /// no `lowRankAdaptation` and the merged updates in `mergedLowRankAdaptation`; the metric
    /// files of the chosen epoch are copied. The directory is written beside `output` and
    /// renamed into place, so `output` holds a complete run or nothing.
    ///
    /// Throws when this run is not LoRA-tuned, when `output` exists, or when a file cannot be
    /// written.
    @discardableResult
    public func writeMergedRun(to output: URL) throws -> GroundingRunConfiguration {
        guard run.resolvedTuning == .lora, let adaptation = run.lowRankAdaptation else {
            throw GroundingError.invalidValue(
                .runDirectory,
                value: "\(runDirectory.path) (tuning \(run.resolvedTuning.rawValue))",
                expected: "a LoRA-tuned run (vtg train --tuning lora): only LoRA updates merge")
        }
        if FileManager.default.fileExists(atPath: output.path) {
            throw GroundingError.invalidInput(
                "\(output.path) already exists: name a new directory for the merged run")
        }
        var merged = run
        merged.tuning = .full
        merged.lowRankAdaptation = nil
        merged.mergedLowRankAdaptation = adaptation
        let plain = try GroundingNetwork(
            run: merged, queryEncoder: cache.encoder, loadingBackbone: false)
        try plain.parameters.load(network.mergedLowRankWeights(), source: runDirectory.path)

        let staging = output.deletingLastPathComponent().appendingPathComponent(
            ".\(output.lastPathComponent).merging-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.removeItem(at: staging)
        try createDirectory(staging)
        do {
            let source = RunDirectory(runDirectory)
            let target = RunDirectory(staging)
            try writeFile(Data(merged.jsonText().utf8), to: target.configurationFile)
            try Checkpoint.save(
                to: target.bestCheckpoint, parameters: plain.parameters,
                configuration: merged.jsonText())
            for (from, to) in [
                (source.bestMetrics, target.bestMetrics),
                (source.validationMetrics, target.validationMetrics),
            ] where FileManager.default.fileExists(atPath: from.path) {
                try FileManager.default.copyItem(at: from, to: to)
            }
            try FileManager.default.moveItem(at: staging, to: output)
        } catch {
            try? FileManager.default.removeItem(at: staging)
            if let error = error as? GroundingError { throw error }
            throw GroundingError.cannotWrite(path: output.path, reason: systemReason(error))
        }
        return merged
    }
}
