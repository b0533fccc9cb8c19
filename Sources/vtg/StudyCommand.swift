import ArgumentParser
import Datasets
import Foundation
import Grounding
import Reports
import VTGCore

/// `vtg study`: the prompt-learning ablations on one dataset, as one table.
struct StudyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "study",
        abstract: """
            Compare full fine-tuning, VTM pretraining, prompt tuning, prompt ensembles and \
            DropKey on one dataset.
            """,
        discussion: """
            Without --annotations and --features, a synthetic benchmark in the dataset's layout is \
            written to OUT/data first. Writes OUT/study.md (table and conclusions) and \
            OUT/study.json, and every run under OUT/seed-N/.
            """)

    /// The default study's settings and the quick one's, for the help.
    static let standard = PromptStudyConfiguration()
    static let quickStudy = PromptStudyConfiguration(quick: true)

    @Option(
        help: """
            Dataset layout (default \(PromptStudyConfiguration.standardDataset.rawValue)).
            """)
    var dataset: DatasetName?
    @Option(help: "Directory holding the annotation files (default: synthesise).")
    var annotations: String?
    @Option(help: "Clip features: a folder of per-video .npy/.npz files, or an HDF5 file.")
    var features: String?
    @Option(
        parsing: .unconditional,
        help: """
            Number of seeds (default \(StudyCommand.standard.seeds.count); --quick \
            \(StudyCommand.quickStudy.seeds.count)).
            """)
    var seeds: Int?
    @Option(
        parsing: .unconditional,
        help: """
            Synthetic videos (default \(StudyCommand.standard.syntheticVideos); --quick \
            \(StudyCommand.quickStudy.syntheticVideos)).
            """)
    var videos: Int?
    @Option(
        parsing: .unconditional,
        help: "Synthetic feature noise (default: the synthetic benchmark's for the layout).")
    var noise: Double?
    @Option(
        parsing: .unconditional,
        help: """
            Grounding epochs per run (default \(StudyCommand.standard.groundingEpochs); --quick \
            \(StudyCommand.quickStudy.groundingEpochs)).
            """)
    var epochs: Int?
    @Option(
        parsing: .unconditional,
        help: """
            VTM pretraining epochs (default \(StudyCommand.standard.pretrainingEpochs); --quick \
            \(StudyCommand.quickStudy.pretrainingEpochs)).
            """)
    var pretrainEpochs: Int?
    @Option(
        help: """
            Which split picks every run's epoch: validation (a video-disjoint fraction of the \
            training videos; test evaluated once) or best-on-test (as VSLNet reports; default \
            validation).
            """)
    var selection: ModelSelection?
    @Option(
        help: """
            The synthetic benchmark's test share of the videos, taken from training (default: \
            the layout's, 0.2 for charades-sta): more test queries for the comparisons.
            """)
    var testFraction: Double?
    @Option(
        help: """
            The rows to study, comma-separated keys, or `all` (default: \
            \(PromptStudyVariant.standardSelection.map(\.rawValue).joined(separator: ","))). \
            The CLIP rows \
            (\(PromptStudyVariant.clipTextRows.map(\.rawValue).joined(separator: ", "))) need \
            --clip-model.
            """)
    var variants: String?
    @Option(
        help: """
            A CLIP model folder (config.json, model.safetensors, vocab.json and merges.txt, as \
            openai/clip-vit-base-patch32): adds the rows \
            \(PromptStudyVariant.clipTextRows.map(\.rawValue).joined(separator: " and ")), \
            full fine-tuning and prompt tuning of a backbone pre-trained on CLIP's frozen text \
            states, unless --variants names one of them.
            """)
    var clipModel: String?
    @Option(help: "Where to write the data, the runs and the report.") var out = "study-output"
    @Option(help: "Directory of the MiniLM model files.") var textModel: String?
    @Option(parsing: .unconditional, help: "Worker threads (default: VTG_THREADS or every core).")
    var threads: Int?
    @Flag(help: "A small study in a few minutes (fewer videos, 1 seed, short schedules).")
    var quick = false
    @Flag(help: "Print the result as JSON.") var json = false

    /// What the options ask the library for.
    var request: PromptStudyRequest {
        var request = PromptStudyRequest()
        request.dataset = dataset
        request.quick = quick
        request.annotationsPath = annotations
        request.featuresPath = features
        request.seedCount = seeds
        request.syntheticVideos = videos
        request.syntheticNoise = noise
        request.groundingEpochs = epochs
        request.pretrainingEpochs = pretrainEpochs
        request.selection = selection
        request.syntheticTestFraction = testFraction
        request.variants = variants.map(Self.variants(from:))
        request.clipModelPath = clipModel
        return request
    }

    /// The variants a `--variants` value names (`all`: every MiniLM row, to which --clip-model
    /// adds the CLIP rows); unknown keys are left out here and refused by `validate()`.
    static func variants(from argument: String) -> [PromptStudyVariant] {
        if argument == "all" { return PromptStudyVariant.miniLMRows }
        return argument.split(separator: ",").compactMap {
            PromptStudyVariant(rawValue: $0.trimmingCharacters(in: .whitespaces))
        }
    }

    func validate() throws {
        if let variants, variants != "all" {
            let unknown = variants.split(separator: ",").map {
                $0.trimmingCharacters(in: .whitespaces)
            }.filter { PromptStudyVariant(rawValue: $0) == nil }
            if !unknown.isEmpty {
                throw ValidationError(
                    "--variants: unknown \(unknown.joined(separator: ", ")); the keys are "
                        + PromptStudyVariant.allCases.map(\.rawValue).joined(separator: ", ")
                        + ", or all")
            }
        }
        try CommandSupport.validating {
            try WorkerThreads.validate(threads)
            try request.validate()
        }
    }

    func run() throws {
        if let threads { WorkerThreads.count = threads }
        try CommandSupport.reportingErrors {
            let configuration = try request.makeConfiguration()
            let encoder = try MiniLMQueryEncoder(textModelOption: textModel)
            let directory = URL(fileURLWithPath: out)
            let result = try PromptStudy.run(
                configuration, in: directory, encoder: encoder, reporter: ProgressReporter())
            let markdown = PromptStudyReport.markdown(result)
            try Data(markdown.utf8).write(
                to: directory.appendingPathComponent("study.md"), options: .atomic)
            print(json ? try CommandSupport.json(result) : markdown)
        }
    }
}
