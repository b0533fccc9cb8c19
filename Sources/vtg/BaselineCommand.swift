import ArgumentParser
import Datasets
import Foundation
import Metrics
import Reports
import VTGCore

/// `vtg baseline`: the video-free baseline a model must beat.
struct BaselineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baseline",
        abstract: "Score the video-free baseline: one fixed window for every query.",
        discussion: """
            The window (grid step 0.01) that maximizes R@1 at IoU 0.5 (vslnet protocol) on the \
            train split, the mean training window, and the whole video, each predicted for every \
            query of every other split with ground truth.
            """)

    @Option(help: "Dataset layout: charades-sta, activitynet, tacos or qvhighlights.")
    var dataset: DatasetName

    @Option(help: "Directory holding the annotation files.")
    var annotations: String

    @Option(
        name: .customLong("protocol"),
        help: "Protocol of the tables: vslnet (default), 2d-tan or qvhighlights.")
    var evaluationProtocol: EvaluationProtocol = .vslnet

    @Flag(help: "Stop at the first annotation anomaly, naming its file and line.")
    var strict = false

    @Flag(help: "Print JSON instead of tables.")
    var json = false

    /// One baseline's figures on one split, for the JSON output.
    struct Row: Encodable {
        var baseline: VideoFreeBaseline
        var metrics: MetricsReport
    }

    func run() throws {
        let directory = try CommandSupport.directory(annotations, option: "--annotations")
        try CommandSupport.reportingErrors {
            let splits = try GroundingDataset.loadAll(
                dataset, from: directory, policy: AnomalyPolicy(strict: strict))
            guard let training = splits.first(where: { $0.split == DatasetName.trainingSplit })
            else {
                throw ValidationError("\(directory.path): no train split to fit the baseline on.")
            }
            let baselines = VideoFreeBaseline.fitted(on: training.samples)
            let evaluated = splits.filter {
                $0.split != DatasetName.trainingSplit && $0.samples.contains { !$0.targets.isEmpty }
            }
            var rows: [Row] = []
            for split in evaluated {
                for baseline in baselines {
                    rows.append(
                        Row(
                            baseline: baseline,
                            metrics: baseline.evaluate(
                                on: split.samples, evaluationProtocol: evaluationProtocol,
                                dataset: split.name, split: split.split)))
                }
            }
            if json {
                print(try CommandSupport.json(rows))
                return
            }
            print(
                "# Video-free baseline, \(dataset.rawValue), fitted on train "
                    + "(\(training.samples.count) queries), protocol \(evaluationProtocol.rawValue)"
            )
            for split in evaluated {
                print("\n## \(split.split)\n")
                print(
                    MetricsTable.markdown(
                        rows.filter { $0.metrics.split == split.split }.map {
                            ($0.baseline.label, $0.metrics)
                        }))
            }
        }
    }
}
