import ArgumentParser
import Datasets
import Foundation
import Grounding
import Metrics
import Reports
import Tensors
import VTGCore

/// `vtg eval`: the metric table of a trained run on a split, and its predictions.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval", abstract: "Evaluate a trained run's best weights on a split.")

    @Option(name: .customLong("run"), help: "The run directory written by `vtg train`.")
    var runDirectory: String
    @Option(help: "Split to evaluate (default: the run's evaluation split).") var split: String?
    @Option(
        name: .customLong("protocol"), help: "vslnet, 2d-tan or qvhighlights (default: the run's).")
    var evaluationProtocol: EvaluationProtocol?
    @Option(help: "Write the predictions as JSONL (QVHighlights submission layout).")
    var predictions: String?
    @Flag(help: "Print the published results of shared/BASELINES.md for this dataset beside ours.")
    var withBaselines = false
    @Option(
        help: """
            The BASELINES.md to read (default: $VTG_SHARED_DIR/BASELINES.md or \
            ../shared/BASELINES.md).
            """)
    var baselinesFile: String?
    @Option(
        parsing: .unconditional,
        help: """
            A prompt-ensemble run: evaluate only this prompt (0..<K) instead of the run's \
            test-time choice.
            """)
    var prompt: Int?
    @Option(help: "Directory of the MiniLM model files.") var textModel: String?
    @Option(
        help: """
            The frozen MiniLM's products: float32, bf16 or int8 (default: the run's, float32 \
            unless trained otherwise).
            """)
    var precision: Precision?
    @Option(parsing: .unconditional, help: "Worker threads (default: VTG_THREADS or every core).")
    var threads: Int?
    @Flag(help: "Print JSON instead of a table.") var json = false

    func validate() throws {
        try CommandSupport.validating { try WorkerThreads.validate(threads) }
    }

    func run() throws {
        if let threads { WorkerThreads.count = threads }
        try CommandSupport.reportingErrors {
            let grounder = try Grounder(
                runDirectory: URL(fileURLWithPath: runDirectory), textModelOption: textModel,
                textPrecision: precision)
            if let prompt, !grounder.network.members.indices.contains(prompt) {
                throw ValidationError(
                    "--prompt \(prompt): the run has \(grounder.network.members.count) prompt(s)")
            }
            let evaluation = try grounder.evaluate(
                split: split, evaluationProtocol: evaluationProtocol,
                members: prompt.map { [$0] }, reporter: ProgressReporter())
            if let predictions {
                try PredictionsFile.write(
                    evaluation.predictions, to: URL(fileURLWithPath: predictions))
            }
            if json {
                print(try CommandSupport.json(evaluation.report))
                return
            }
            let dataset = grounder.run.dataset
            let report = evaluation.report
            print(
                "# \(dataset.rawValue) \(report.split ?? ""), "
                    + "protocol \(report.evaluationProtocol.rawValue)\n")
            print(MetricsTable.markdown([("PromptVTG (ours)", evaluation.report)]))
            print(
                String(
                    format: "\n%.2f ms per query (batched, %d threads)",
                    evaluation.millisecondsPerQuery, WorkerThreads.count))
            if withBaselines {
                let table = try PublishedBaselines.load(path: baselinesFile)
                print("\n" + table.markdown(for: dataset, ours: evaluation.report))
            }
        }
    }
}
