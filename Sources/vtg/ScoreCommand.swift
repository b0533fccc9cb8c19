import ArgumentParser
import Datasets
import Foundation
import Metrics
import Reports
import VTGCore

/// `vtg score`: the metrics of a predictions file against a split's annotations.
struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Score a predictions file (QVHighlights submission JSONL) against annotations.")

    @Option(help: "Dataset layout: charades-sta, activitynet, tacos or qvhighlights.")
    var dataset: DatasetName

    @Option(help: "Directory holding the annotation files.")
    var annotations: String

    @Option(help: "Split to score against (e.g. test, val, val_1).")
    var split: String

    @Option(help: "Predictions, one JSON object a line: qid, vid, query, pred_relevant_windows.")
    var predictions: String

    @Option(
        name: .customLong("protocol"),
        help:
            "vslnet, 2d-tan or qvhighlights (default: qvhighlights for QVHighlights, else 2d-tan).")
    var evaluationProtocol: EvaluationProtocol?

    @Flag(
        help: """
            Stop at the first annotation anomaly, and fail on any malformed prediction line or \
            prediction for another video, naming the file and lines.
            """)
    var strict = false

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func run() throws {
        let directory = try CommandSupport.directory(annotations, option: "--annotations")
        try CommandSupport.reportingErrors {
            let split = try GroundingDataset.load(
                dataset, split: split, from: directory, policy: AnomalyPolicy(strict: strict))
            let report = try MetricsReport.score(
                predictionsFile: URL(fileURLWithPath: predictions), against: split.samples,
                evaluationProtocol: evaluationProtocol ?? .standard(for: dataset),
                dataset: split.name, split: split.split, strict: strict)
            if let problems = report.problemLines {
                let text = PredictionsFileError.list(problems, path: predictions)
                FileHandle.standardError.write(Data("warning: lines ignored: \(text)\n".utf8))
            }
            if json {
                print(try CommandSupport.json(report))
                return
            }
            print(
                "# \(dataset.rawValue) \(split.split), "
                    + "protocol \(report.evaluationProtocol.rawValue)\n"
            )
            print(
                MetricsTable.markdown([
                    (URL(fileURLWithPath: predictions).lastPathComponent, report)
                ]))
            print("\n" + MetricsTable.countsLine(report.predictionCounts))
        }
    }
}
