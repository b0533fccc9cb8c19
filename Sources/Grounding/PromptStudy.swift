import Datasets
import Foundation
import Metrics
import VTGCore

/// The prompt-learning study: full fine-tuning without and with VTM pretraining, prompt tuning
/// after VIOLET and All-in-One pretraining (and after VTM without the clip-level objective), a
/// single prompt against a test-time ensemble of K and train-time augmentation with K, and
/// DropKey against none and ordinary attention dropout (`PromptStudyVariant`), each run once
/// per seed. It returns typed rows; the reporting module writes the table and the conclusions.
public enum PromptStudy {
    /// A run of the study: a backbone's pretraining or a variant.
    public enum Run: Sendable, Equatable {
        /// A backbone's VTM pretraining.
        case pretraining(PromptStudyBackbone)
        /// A variant's grounding run.
        case variant(PromptStudyVariant)
    }

    /// Where the study stands as a run starts.
    public struct Progress: Sendable {
        /// The seed of the run.
        public var seed: UInt64
        /// The seed's place among the seeds, from 1.
        public var seedNumber: Int
        /// The number of seeds.
        public var seedCount: Int
        /// The run's place among the seed's runs, from 1.
        public var step: Int
        /// Runs per seed (`PromptStudyVariant.stepsPerSeed(_:)` of the study's variants).
        public var stepCount: Int
        /// The run starting.
        public var run: Run
        /// The study's settings (prompt count, attention dropout, ...).
        public var configuration: PromptStudyConfiguration
    }

    /// What the study reports as it goes.
    public enum Step: Sendable {
        /// A synthetic benchmark is being written to `directory`.
        case writingData(SyntheticBenchmarkConfiguration, directory: URL)
        /// A run starts.
        case starting(Progress)
    }

    /// Runs the study in `directory` (data, one directory per seed and run, and `study.json`).
    public static func run(
        _ configuration: PromptStudyConfiguration, in directory: URL, encoder: any QueryEncoder,
        reporter: any ProgressReporting
    ) throws -> PromptStudyResult {
        let start = Date()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let (annotations, features) = try data(configuration, in: directory, reporter: reporter)
        var rows: [PromptStudyVariant: PromptStudyRow] = [:]
        var evaluation: (protocolUsed: EvaluationProtocol, split: String, queries: Int)?
        let clipEncoder = try clipQueryEncoder(for: configuration)
        var chanceChecks: [PretrainingChanceCheck] = []
        func queryEncoder(reading kind: TextEncoderKind) -> any QueryEncoder {
            guard kind == .clip else { return encoder }
            guard let clipEncoder else {
                preconditionFailure("PromptStudy: a CLIP-text run without CLIP's encoder")
            }
            return clipEncoder
        }

        func record(
            _ variant: PromptStudyVariant, _ report: MetricsReport,
            _ summary: GroundingTrainingSummary, pretrainingSeconds: Double
        ) {
            let total = summary.trainableParameters + summary.frozenParameters
            var row =
                rows[variant]
                ?? PromptStudyRow(
                    variant: variant, r1At03: [], r1At05: [], r1At07: [], meanIoU: [],
                    trainableParameters: summary.trainableParameters,
                    trainablePercent: 100 * Double(summary.trainableParameters)
                        / Double(max(total, 1)),
                    checkpointBytes: summary.checkpointBytes, trainingSeconds: 0,
                    pretrainingSeconds: 0)
            row.append(
                report, trainingSeconds: summary.epochs.map(\.trainingSeconds).reduce(0, +),
                pretrainingSeconds: pretrainingSeconds)
            rows[variant] = row
            evaluation = (report.evaluationProtocol, report.split ?? "?", report.queryCount)
        }

        for (seedIndex, seed) in configuration.seeds.enumerated() {
            let seedDirectory = directory.appendingPathComponent("seed-\(seed)")
            let base = configuration.request(
                annotationsPath: annotations, features: features, seed: seed)
            var step = 0
            func announce(_ run: Run) {
                step += 1
                reporter.report(
                    .study(
                        .starting(
                            Progress(
                                seed: seed, seedNumber: seedIndex + 1,
                                seedCount: configuration.seeds.count, step: step,
                                stepCount: PromptStudyVariant.stepsPerSeed(
                                    configuration.variants), run: run,
                                configuration: configuration))))
            }
            var backbones: [PromptStudyBackbone: (directory: URL, seconds: Double)] = [:]
            func pretrained(_ backbone: PromptStudyBackbone) throws
                -> (directory: URL, seconds: Double)
            {
                if let done = backbones[backbone] { return done }
                announce(.pretraining(backbone))
                var request = base
                request.stage = .pretrain
                request.matchingStyle = backbone.style
                request.clipMatchingWeight = backbone.usesClipMatching ? nil : 0
                request.epochs = configuration.pretrainingEpochs
                if backbone.textEncoder == .clip {
                    request.textEncoder = .clip
                    request.clipModelPath = configuration.clipText?.modelPath
                }
                let url = seedDirectory.appendingPathComponent(backbone.rawValue)
                let summary = try VideoTextMatchingTrainer(
                    run: try request.makeConfiguration(), directory: url,
                    encoder: queryEncoder(reading: backbone.textEncoder), reporter: reporter
                ).train(resume: false)
                if let check = summary.chanceCheck(seed: seed, backbone: backbone.rawValue) {
                    chanceChecks.append(check)
                }
                backbones[backbone] = (url, summary.epochs.map(\.trainingSeconds).reduce(0, +))
                return (url, summary.epochs.map(\.trainingSeconds).reduce(0, +))
            }

            var trained: [PromptStudyVariant: (url: URL, summary: GroundingTrainingSummary)] = [:]
            for variant in PromptStudyVariant.runnable(configuration.variants) {
                let backbone = try variant.backbone.map(pretrained)
                if let (source, members) = variant.evaluation {
                    guard let run = trained[source] else {
                        preconditionFailure("PromptStudy: \(variant) evaluates \(source) before it")
                    }
                    let single = try Grounder(runDirectory: run.url, encoder: encoder)
                        .evaluate(members: members)
                    record(
                        variant, single.report, run.summary,
                        pretrainingSeconds: backbone?.seconds ?? 0)
                    continue
                }
                announce(.variant(variant))
                var request = base
                if let backbone {
                    request.pretrainingRunPath = backbone.directory.path
                    request.tuning = variant.tuning
                    request.setPrompts(prompts(of: variant, in: configuration))
                }
                switch variant.attentionRegularisation {
                case .off: request.dropKey = 0
                case .dropout: request.attentionDropout = configuration.attentionDropout
                case nil: break
                }
                let url = seedDirectory.appendingPathComponent(variant.rawValue)
                let summary = try GroundingTrainer(
                    run: try request.makeConfiguration(), directory: url,
                    encoder: queryEncoder(reading: variant.textEncoder), reporter: reporter
                ).train(resume: false)
                record(
                    variant, summary.bestMetrics, summary,
                    pretrainingSeconds: backbone?.seconds ?? 0)
                trained[variant] = (url, summary)
            }
        }
        let result = PromptStudyResult(
            configuration: configuration,
            evaluationProtocol: evaluation?.protocolUsed ?? .standard(for: configuration.dataset),
            evaluationSplit: evaluation?.split ?? "?", queries: evaluation?.queries ?? 0,
            rows: PromptStudyVariant.allCases.compactMap { rows[$0] },
            totalSeconds: Date().timeIntervalSince(start), pretrainingChecks: chanceChecks)
        try writeJSON(result, to: directory.appendingPathComponent("study.json"))
        return result
    }

    /// The prompts `variant` trains: K of them for the ensembles, the study's prompts and CLIP
    /// context vectors for `clip-prompt`, the study's prompts otherwise.
    static func prompts(
        of variant: PromptStudyVariant, in configuration: PromptStudyConfiguration
    ) -> PromptTuningConfiguration {
        var prompts = configuration.prompts
        switch variant {
        case .ensembleAverage, .ensembleAugment:
            prompts.count = configuration.ensembleSize
            prompts.ensemble = variant == .ensembleAverage ? .average : .augment
        case .promptOnCLIPText:
            prompts.textPromptLength = configuration.clipTextPromptLength
        default: break
        }
        return prompts
    }

    /// The study's annotations and features: the given ones, or a synthetic benchmark.
    static func data(
        _ configuration: PromptStudyConfiguration, in directory: URL,
        reporter: any ProgressReporting
    ) throws -> (annotations: String, features: FeatureLocation) {
        if let annotations = configuration.annotationsPath, let features = configuration.features {
            return (annotations, features)
        }
        let dataDirectory = directory.appendingPathComponent("data")
        let benchmark = configuration.syntheticBenchmark
        reporter.report(.study(.writingData(benchmark, directory: dataDirectory)))
        let manifest = try SyntheticBenchmark.write(benchmark, to: dataDirectory)
        return (dataDirectory.path, manifest.featureLocation(in: dataDirectory))
    }
}
