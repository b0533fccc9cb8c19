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
        commandName: "eval",
        abstract: "Evaluate a trained run's best weights, or zero-shot grounding, on a split.",
        discussion: """
            With --zero-shot, no run: CLIP image–text similarity on --dataset, --annotations and \
            --features (CLIP image embeddings of --clip-model, e.g. the QVHighlights release's \
            clip_features). --search-settings first picks the settings on the training split \
            (Docs/zero-shot-grounding.md).
            """)

    @Option(
        name: .customLong("run"),
        help: "The run directory written by `vtg train` (not with --zero-shot).")
    var runDirectory: String?
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
    @Option(
        help: """
            The grounding model's products in this evaluation: float32, bf16 or int8 (default \
            float32; training is always float32). With --precision, the whole path at reduced \
            precision (Docs/reduced-precision.md).
            """)
    var modelPrecision: Precision = .float32
    @Option(parsing: .unconditional, help: "Worker threads (default: VTG_THREADS or every core).")
    var threads: Int?
    @Flag(help: "Print JSON instead of a table.") var json = false
    @OptionGroup(title: "Zero-shot grounding") var zeroShotOptions: ZeroShotOptions
    @Option(help: "Zero-shot: the CLIP model folder (default: VTG_CLIP_MODEL).")
    var clipModel: String?
    @Option(help: "Zero-shot: dataset layout (charades-sta, activitynet, tacos, qvhighlights).")
    var dataset: DatasetName?
    @Option(help: "Zero-shot: directory holding the annotation files.") var annotations: String?
    @Option(help: "Zero-shot: the CLIP clip features (a folder of .npz/.npy, or an HDF5 file).")
    var features: String?
    @Option(help: "Zero-shot: the .npz member or HDF5 group member (default: features).")
    var featureKey: String?
    @Flag(help: "Zero-shot: first pick the settings on the training split, then evaluate.")
    var searchSettings = false
    @Option(help: "Zero-shot: the metric the settings search maximises (default R1@0.5).")
    var searchMetric: MetricKey?
    @Option(help: "Zero-shot: write the settings used as JSON (for --settings).")
    var saveSettings: String?

    func validate() throws {
        if zeroShotOptions.zeroShot {
            if modelPrecision != .float32 {
                throw ValidationError("--model-precision needs a trained run, not --zero-shot")
            }
            try validateZeroShot()
        } else {
            try zeroShotOptions.validateUnused()
            let zeroShotOnly: [(String, Bool)] = [
                ("--clip-model", clipModel != nil), ("--dataset", dataset != nil),
                ("--annotations", annotations != nil), ("--features", features != nil),
                ("--feature-key", featureKey != nil), ("--search-settings", searchSettings),
                ("--search-metric", searchMetric != nil), ("--save-settings", saveSettings != nil),
            ]
            if let flag = zeroShotOnly.first(where: { $0.1 })?.0 {
                throw ValidationError("\(flag) needs --zero-shot")
            }
            if runDirectory == nil {
                throw ValidationError("missing --run (or --zero-shot): there is nothing to evaluate")
            }
        }
        try CommandSupport.validating { try WorkerThreads.validate(threads) }
    }

    func run() throws {
        if let threads { WorkerThreads.count = threads }
        if zeroShotOptions.zeroShot { return try runZeroShot() }
        guard let runDirectory else { preconditionFailure("EvalCommand: validate() needs --run") }
        try CommandSupport.reportingErrors {
            let grounder = try Grounder(
                runDirectory: URL(fileURLWithPath: runDirectory), textModelOption: textModel,
                textPrecision: precision, modelPrecision: modelPrecision)
            if grounder.network.modelPrecision != modelPrecision {
                FileHandle.standardError.write(
                    Data(
                        ("vtg eval: no \(modelPrecision) kernel here (it needs"
                            + " \(modelPrecision.requiredFeatures), which this CPU or"
                            + " VTG_CPU_FEATURES lacks); the grounding model runs in float32\n")
                            .utf8))
            }
            if let prompt, !grounder.network.members.indices.contains(prompt) {
                throw ValidationError(
                    "--prompt \(prompt): the run has \(grounder.network.members.count) prompt(s)")
            }
            let evaluation = try grounder.evaluate(
                split: split, evaluationProtocol: evaluationProtocol,
                members: prompt.map { [$0] }, reporter: ProgressReporter())
            try output(
                evaluation, dataset: grounder.run.dataset, label: "PromptVTG (ours)",
                timing: String(
                    format: "%.2f ms per query (batched, %d threads; ",
                    evaluation.millisecondsPerQuery, WorkerThreads.count)
                    + "products: text encoder \(grounder.textPrecision),"
                    + " grounding model \(grounder.network.modelPrecision))")
        }
    }

    /// Writes the predictions (`--predictions`), then prints the report as JSON, or as a heading,
    /// `preface`, the metric table with the row `label`, `timing` and, when asked, the published
    /// baselines.
    func output(
        _ evaluation: RunEvaluation, dataset: DatasetName, label: String, preface: String? = nil,
        timing: String
    ) throws {
        if let predictions {
            try PredictionsFile.write(evaluation.predictions, to: URL(fileURLWithPath: predictions))
        }
        if json {
            print(try CommandSupport.json(evaluation.report))
            return
        }
        let report = evaluation.report
        print(
            "# \(dataset.rawValue) \(report.split ?? ""), "
                + "protocol \(report.evaluationProtocol.rawValue)\n")
        if let preface { print(preface + "\n") }
        print(MetricsTable.markdown([(label, report)]))
        print("\n" + timing)
        if withBaselines {
            let table = try PublishedBaselines.load(path: baselinesFile)
            print("\n" + table.markdown(for: dataset, ours: report))
        }
    }
}
