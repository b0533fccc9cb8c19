import ArgumentParser
import Foundation
import Grounding

/// `vtg merge`: a LoRA-tuned run with its updates merged into the weights (peft's
/// `merge_and_unload`), written as a run of its own.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge a LoRA run's updates into the weights and write a standalone run.",
        discussion: """
            The merged run holds the whole model (no LoRA layers, no backbone file needed) and \
            predicts as the LoRA run does; `vtg eval` and `vtg ground` take it like any run.
            """)

    @Option(
        name: .customLong("run"), help: "The LoRA-tuned run directory (vtg train --tuning lora).")
    var runDirectory: String
    @Option(help: "The directory to write the merged run to (must not exist).") var out: String
    @Option(help: "Directory of the MiniLM model files.") var textModel: String?

    func run() throws {
        try CommandSupport.reportingErrors {
            let grounder = try Grounder(
                runDirectory: URL(fileURLWithPath: runDirectory), textModelOption: textModel)
            let merged = try grounder.writeMergedRun(to: URL(fileURLWithPath: out))
            let updates = grounder.network.parameters.entries.filter {
                GroundingNetwork.isLowRankUpdate($0.path) && $0.path.hasSuffix(".down")
            }.count
            let rank = merged.mergedLowRankAdaptation.map { "rank \($0.rank)" } ?? ""
            print("merged \(updates) LoRA updates (\(rank)) into the weights: \(out)")
        }
    }
}
