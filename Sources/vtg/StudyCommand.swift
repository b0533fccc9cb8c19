import ArgumentParser
import Datasets
import Foundation
import Grounding
import Tensors
import VTGCore

/// `vtg study`: the prompt-learning ablations on one dataset, as one table.
struct StudyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "study",
        abstract: "Compare full fine-tuning, VTM pretraining, prompt tuning, prompt ensembles and DropKey on one dataset.",
        discussion: """
            Without --annotations and --features, a synthetic benchmark in the dataset's layout is \
            written to OUT/data first. Writes OUT/study.md (table and conclusions) and \
            OUT/study.json, and every run under OUT/seed-N/.
            """)

    @Option(help: "Dataset layout: charades-sta, activitynet, tacos or qvhighlights.")
    var dataset: DatasetName = .charadesSTA
    @Option(help: "Directory holding the annotation files (default: synthesise).")
    var annotations: String?
    @Option(help: "Clip features: a folder of per-video .npy/.npz files, or an HDF5 file.")
    var features: String?
    @Option(help: "Number of seeds (1, 2, 3, ...).") var seeds: Int?
    @Option(help: "Synthetic videos (default 1000; --quick 200).") var videos: Int?
    @Option(help: "Synthetic feature noise (default: vtg synth's).") var noise: Double?
    @Option(help: "Grounding epochs per run.") var epochs: Int?
    @Option(help: "VTM pretraining epochs.") var pretrainEpochs: Int?
    @Option(help: "Where to write the data, the runs and the report.") var out = "study-output"
    @Option(help: "Directory of the MiniLM model files.") var textModel: String?
    @Option(help: "Worker threads (default: VTG_THREADS or every core).") var threads: Int?
    @Flag(help: "A small study in a few minutes (200 videos, 1 seed, short schedules).")
    var quick = false
    @Flag(help: "Print the result as JSON.") var json = false

    func validate() throws {
        if (annotations == nil) != (features == nil) {
            throw ValidationError("give both --annotations and --features, or neither (synthetic data)")
        }
        if let seeds, seeds < 1 { throw ValidationError("--seeds must be at least 1") }
        if let epochs, epochs < 1 { throw ValidationError("--epochs must be at least 1") }
        if let pretrainEpochs, pretrainEpochs < 1 {
            throw ValidationError("--pretrain-epochs must be at least 1")
        }
    }

    func run() throws {
        if let threads { ComputeThreads.count = threads }
        try CommandSupport.reportingErrors {
            var configuration = PromptStudyConfiguration(dataset: dataset, quick: quick)
            if let annotations, let features {
                configuration.annotationsPath = annotations
                configuration.features = try FeatureLocation.detect(path: features)
            }
            if let seeds { configuration.seeds = (1...seeds).map(UInt64.init) }
            if let videos { configuration.syntheticVideos = videos }
            if let noise { configuration.syntheticNoise = noise }
            if let epochs { configuration.groundingEpochs = epochs }
            if let pretrainEpochs { configuration.pretrainingEpochs = pretrainEpochs }
            let encoder = try MiniLMQueryEncoder(textModelOption: textModel)
            let result = try PromptStudy.run(
                configuration, in: URL(fileURLWithPath: out), encoder: encoder,
                reporter: ProgressReporter())
            print(json ? try CommandSupport.json(result) : PromptStudy.markdown(result))
        }
    }
}
