import ArgumentParser
import Datasets
import Foundation
import Grounding
import Metrics
import Reports
import VTGCore

extension EvalCommand {
    /// `eval --zero-shot` needs a dataset, its annotations and CLIP features, and no run.
    func validateZeroShot() throws {
        if runDirectory != nil || prompt != nil || textModel != nil {
            throw ValidationError(
                "--zero-shot evaluates without a run: drop --run, --prompt and --text-model")
        }
        if dataset == nil || annotations == nil || features == nil {
            throw ValidationError(
                "missing --dataset, --annotations or --features: --zero-shot grounds the "
                    + "dataset's queries in its CLIP features")
        }
        _ = try zeroShotOptions.resolved(topK: nil)
    }

    /// `eval --zero-shot`: optionally picks the settings on the training split, then prints the
    /// metric table of `--split` (default: the first split after the training split) and writes
    /// the predictions, as for a trained run.
    func runZeroShot() throws {
        guard let dataset, let annotations, let features else {
            preconditionFailure("EvalCommand: validateZeroShot() needs the dataset's inputs")
        }
        let directory = try CommandSupport.directory(annotations, option: "--annotations")
        let splits = dataset.availableSplits(in: directory)
        guard let split = self.split ?? splits.first(where: { $0 != DatasetName.trainingSplit })
        else {
            throw ValidationError(
                "--annotations \(annotations): no split to evaluate besides the training split")
        }
        try CommandSupport.reportingErrors {
            var grounder = try zeroShotOptions.grounder(clipModel: clipModel, topK: nil)
            let store = try FeatureStore(
                FeatureStoreConfiguration(
                    location: FeatureLocation.detect(path: features, key: featureKey),
                    expectedFeatureDimension: grounder.embedder.embeddingSize))
            let evaluationProtocol = self.evaluationProtocol ?? .standard(for: dataset)
            let reporter = ProgressReporter()
            if searchSettings {
                let search = try grounder.searchSettings(
                    dataset: dataset, annotationsDirectory: directory, featureStore: store,
                    metric: searchMetric ?? ZeroShotSettingsSearch.defaultMetric,
                    evaluationProtocol: evaluationProtocol, progress: reporter)
                if !json { print(ZeroShotReport.searchMarkdown(search) + "\n") }
                grounder = try ZeroShotGrounder(embedder: grounder.embedder, settings: search.best)
            }
            if let saveSettings {
                try Data(CommandSupport.json(grounder.settings).utf8).write(
                    to: URL(fileURLWithPath: saveSettings), options: .atomic)
            }
            let evaluation = try grounder.evaluate(
                dataset: dataset, split: split, annotationsDirectory: directory,
                featureStore: store, evaluationProtocol: evaluationProtocol, progress: reporter)
            try output(
                evaluation, dataset: dataset, label: "CLIP zero-shot (no training)",
                preface: "Zero-shot settings: " + ZeroShotReport.settingsLine(grounder.settings),
                timing: String(
                    format: "%.3f ms per query (cosines and decoding, after the text embedding)",
                    evaluation.millisecondsPerQuery))
        }
    }
}
