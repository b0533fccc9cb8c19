import ArgumentParser
import Datasets
import Foundation
import VTGCore

/// `vtg stats`: per-split figures and anomaly counts of a dataset's annotation files.
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Summarize a dataset's annotations: videos, queries, lengths, anomalies.")

    @Option(help: "Dataset layout: charades-sta, activitynet, tacos or qvhighlights.")
    var dataset: DatasetName

    @Option(help: "Directory holding the annotation files.")
    var annotations: String

    @Flag(help: "Print JSON instead of tables.")
    var json = false

    @Flag(help: "Stop at the first anomaly, naming its file and line.")
    var strict = false

    func run() throws {
        let directory = try CommandSupport.directory(annotations, option: "--annotations")
        try CommandSupport.reportingErrors {
            let splits = try GroundingDataset.loadAll(
                dataset, from: directory, policy: AnomalyPolicy(strict: strict))
            let statistics = SplitStatistics.compute(for: splits)
            if json {
                print(try CommandSupport.json(statistics))
                return
            }
            print("# \(dataset.rawValue): \(directory.path)\n")
            print(SplitStatistics.markdownTable(statistics))
            print("\n## Anomalies (policy: Docs/datasets.md)\n")
            print(SplitStatistics.anomalyMarkdownTable(statistics))
        }
    }
}
