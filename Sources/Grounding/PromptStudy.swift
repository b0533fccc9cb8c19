import Datasets
import Foundation
import Metrics
import NeuralNet
import VTGCore

/// The settings of `vtg study`: the prompt-learning ablations on one dataset.
public struct PromptStudyConfiguration: Codable, Sendable {
    /// The dataset (its layout, when synthesised).
    public var dataset: DatasetName
    /// Annotations and features to study; nil: a synthetic benchmark in the dataset's layout
    /// is written to `OUT/data` first.
    public var annotationsPath: String?
    /// The features to study (with `annotationsPath`).
    public var features: FeatureLocation?
    /// The synthetic benchmark's size and feature noise (when synthesised).
    public var syntheticVideos: Int
    /// Feature noise of the synthetic benchmark.
    public var syntheticNoise: Double
    /// One run of every variant per seed.
    public var seeds: [UInt64]
    /// Epochs of every VTM pretraining run.
    public var pretrainingEpochs: Int
    /// Epochs of every grounding run.
    public var groundingEpochs: Int
    /// Samples per batch in every run.
    public var batchSize: Int
    /// Peak learning rate of every run.
    public var learningRate: Float
    /// Peak learning rate of the prompt vectors.
    public var promptLearningRate: Float
    /// The prompts of every prompt-tuned variant.
    public var prompts: PromptTuningConfiguration
    /// K of the ensemble variants.
    public var ensembleSize: Int
    /// The ordinary attention-dropout probability of the DropKey comparison.
    public var attentionDropout: Float

    /// The default study (benchmark size: 1000 synthetic videos, 3 seeds; under an hour here)
    /// or the quick one (`--quick`: 200 videos, 1 seed, short schedules; a few minutes).
    public init(dataset: DatasetName, quick: Bool = false) {
        self.dataset = dataset
        syntheticVideos = quick ? 200 : 1000
        syntheticNoise = SyntheticBenchmarkConfiguration(layout: dataset).noise
        seeds = quick ? [1] : [1, 2, 3]
        pretrainingEpochs = quick ? 2 : 4
        groundingEpochs = quick ? 3 : 8
        batchSize = 16
        learningRate = 1e-3
        promptLearningRate = 1e-2
        prompts = PromptTuningConfiguration(fusionPromptLength: 4, deepPromptLength: 4)
        ensembleSize = 3
        attentionDropout = 0.1
    }
}

/// One row of the study table: a variant's figures over the seeds.
public struct PromptStudyRow: Codable, Sendable {
    /// Short key (`prompt-violet`, ...), stable for scripts.
    public var key: String
    /// The row's label in the table.
    public var label: String
    /// Per seed, in seed order.
    public var r1At03: [Double]
    /// R@1 at IoU 0.5, percent, per seed.
    public var r1At05: [Double]
    /// R@1 at IoU 0.7, percent, per seed.
    public var r1At07: [Double]
    /// mIoU, percent, per seed.
    public var meanIoU: [Double]
    /// Trained scalars of the variant.
    public var trainableParameters: Int
    /// Trainable share of the grounding model's parameters, in percent.
    public var trainablePercent: Double
    /// Size of the variant's best checkpoint.
    public var checkpointBytes: Int
    /// Mean seconds of the grounding stage's training (evaluation excluded).
    public var trainingSeconds: Double
    /// Mean seconds of the VTM pretraining the variant starts from (0: none; shared by the
    /// variants on the same backbone).
    public var pretrainingSeconds: Double

    /// The mean and the sample standard deviation of `values`.
    public static func spread(_ values: [Double]) -> (mean: Double, deviation: Double) {
        guard !values.isEmpty else { return (0, 0) }
        let mean = values.reduce(0, +) / Double(values.count)
        guard values.count > 1 else { return (mean, 0) }
        let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +)
            / Double(values.count - 1)
        return (mean, variance.squareRoot())
    }
}

/// What the study produced.
public struct PromptStudyResult: Codable, Sendable {
    /// The settings the study ran with.
    public var configuration: PromptStudyConfiguration
    /// The protocol every row was scored under.
    public var evaluationProtocol: EvaluationProtocol
    /// The split every row was scored on.
    public var evaluationSplit: String
    /// Queries in that split.
    public var queries: Int
    /// One row per variant, in the order run.
    public var rows: [PromptStudyRow]
    /// Sentences drawn from the rows (`PromptStudy.conclusions`).
    public var conclusions: [String]
    /// Wall time of the whole study.
    public var totalSeconds: Double
}

/// `vtg study`: full fine-tuning without and with VTM pretraining, prompt tuning after VIOLET
/// and All-in-One pretraining (and after VTM without the clip-level objective), a single prompt
/// against a test-time ensemble of K and train-time augmentation with K, and DropKey against
/// none and ordinary attention dropout; one table, mean ± standard deviation over seeds, and a
/// conclusion written from the numbers.
public enum PromptStudy {
    /// Runs the study in `directory` (data, runs, `study.md`, `study.json`).
    public static func run(
        _ configuration: PromptStudyConfiguration, in directory: URL, encoder: any QueryEncoder,
        reporter: ProgressReporter
    ) throws -> PromptStudyResult {
        let start = Date()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let (annotations, features) = try data(configuration, in: directory, reporter: reporter)
        var rows: [String: PromptStudyRow] = [:]
        var order: [String] = []
        var evaluation: (protocolUsed: EvaluationProtocol, split: String, queries: Int)?

        func record(
            _ key: String, _ label: String, _ report: MetricsReport, trainable: Int, total: Int,
            checkpointBytes: Int, trainingSeconds: Double, pretrainingSeconds: Double
        ) {
            var row = rows[key] ?? PromptStudyRow(
                key: key, label: label, r1At03: [], r1At05: [], r1At07: [], meanIoU: [],
                trainableParameters: trainable,
                trainablePercent: 100 * Double(trainable) / Double(max(total, 1)),
                checkpointBytes: checkpointBytes, trainingSeconds: 0, pretrainingSeconds: 0)
            if rows[key] == nil { order.append(key) }
            let count = Double(row.r1At05.count)
            row.r1At03.append(report.value(named: "R1@0.3") ?? 0)
            row.r1At05.append(report.value(named: "R1@0.5") ?? 0)
            row.r1At07.append(report.value(named: "R1@0.7") ?? 0)
            row.meanIoU.append(report.value(named: "mIoU") ?? 0)
            row.trainingSeconds = (row.trainingSeconds * count + trainingSeconds) / (count + 1)
            row.pretrainingSeconds = (row.pretrainingSeconds * count + pretrainingSeconds) / (count + 1)
            rows[key] = row
            evaluation = (report.evaluationProtocol, report.split ?? "?", report.queryCount)
        }

        let stepCount = 12  // 3 pretraining runs and 9 grounding runs per seed
        for (seedIndex, seed) in configuration.seeds.enumerated() {
            var step = 0
            func announce(_ label: String) {
                step += 1
                reporter.message(
                    "study: seed \(seed) (\(seedIndex + 1)/\(configuration.seeds.count)), step \(step)/\(stepCount): \(label)")
            }
            let seedDirectory = directory.appendingPathComponent("seed-\(seed)")
            let base = try GroundingRunConfiguration.prepare(
                dataset: configuration.dataset, annotationsPath: annotations, features: features,
                featureKind: "study", training: training(configuration, seed: seed))

            func pretrain(_ name: String, _ style: VideoTextMatchingStyle, clipMatching: Bool)
                throws -> (directory: URL, seconds: Double)
            {
                announce("VTM pretraining (\(style.rawValue)\(clipMatching ? " + clip matching" : " alone"))")
                var run = base
                run.stage = .pretrain
                run.pretraining = PretrainingConfiguration(
                    style: style, clipMatchingWeight: clipMatching ? 1 : 0)
                run.training.epochs = configuration.pretrainingEpochs
                let url = seedDirectory.appendingPathComponent(name)
                let summary = try VideoTextMatchingTrainer(
                    run: run, directory: url, encoder: encoder, reporter: reporter
                ).train(resume: false)
                return (url, summary.epochs.map(\.trainingSeconds).reduce(0, +))
            }

            func ground(
                _ key: String, _ label: String, from backbone: (directory: URL, seconds: Double)?,
                tuning: TuningMode, prompts: PromptTuningConfiguration? = nil,
                attention: AttentionDropoutSchedule? = nil
            ) throws -> (url: URL, summary: GroundingTrainingSummary) {
                announce(label)
                var run = base
                if let backbone {
                    run = try .startingFrom(
                        pretrainDirectory: backbone.directory, tuning: tuning,
                        prompts: prompts ?? configuration.prompts,
                        training: training(configuration, seed: seed))
                }
                if let attention { run.model.fusionAttentionDropout = attention }
                let url = seedDirectory.appendingPathComponent(key)
                let trainer = try GroundingTrainer(
                    run: run, directory: url, encoder: encoder, reporter: reporter)
                let summary = try trainer.train(resume: false)
                record(
                    key, label, summary.bestMetrics, trainable: summary.trainableParameters,
                    total: summary.trainableParameters + summary.frozenParameters,
                    checkpointBytes: summary.checkpointBytes,
                    trainingSeconds: summary.epochs.map(\.trainingSeconds).reduce(0, +),
                    pretrainingSeconds: backbone?.seconds ?? 0)
                return (url, summary)
            }

            _ = try ground("full-scratch", "full fine-tuning, no VTM", from: nil, tuning: .full)
            let violet = try pretrain("pretrain-violet", .violet, clipMatching: true)
            _ = try ground(
                "full-violet", "full fine-tuning after VTM (violet)", from: violet, tuning: .full)
            _ = try ground(
                "prompt-violet", "prompt tuning after VTM (violet)", from: violet, tuning: .prompt)
            let allinone = try pretrain("pretrain-allinone", .allinone, clipMatching: true)
            _ = try ground(
                "prompt-allinone", "prompt tuning after VTM (allinone)", from: allinone,
                tuning: .prompt)
            let vtmOnly = try pretrain("pretrain-violet-vtm-only", .violet, clipMatching: false)
            _ = try ground(
                "prompt-violet-vtm-only", "prompt tuning after VTM (violet) without clip matching",
                from: vtmOnly, tuning: .prompt)
            var ensemble = configuration.prompts
            ensemble.count = configuration.ensembleSize
            ensemble.ensemble = .average
            _ = try ground(
                "prompt-average", "prompt tuning, K=\(ensemble.count) test-time average",
                from: violet, tuning: .prompt, prompts: ensemble)
            ensemble.ensemble = .augment
            let augmented = try ground(
                "prompt-augment", "prompt tuning, K=\(ensemble.count) train-time augment, averaged",
                from: violet, tuning: .prompt, prompts: ensemble)
            // The same augmented run, one prompt at test time: gains that survive here come
            // from training, not from averaging.
            let single = try Grounder(runDirectory: augmented.url, encoder: encoder)
                .evaluate(members: [0])
            record(
                "prompt-augment-one",
                "prompt tuning, K=\(ensemble.count) train-time augment, one prompt at test",
                single.report, trainable: augmented.summary.trainableParameters,
                total: augmented.summary.trainableParameters + augmented.summary.frozenParameters,
                checkpointBytes: augmented.summary.checkpointBytes,
                trainingSeconds: augmented.summary.epochs.map(\.trainingSeconds).reduce(0, +),
                pretrainingSeconds: violet.seconds)
            _ = try ground(
                "prompt-no-dropkey", "prompt tuning (violet), no attention regularisation",
                from: violet, tuning: .prompt, attention: .constant(.none))
            _ = try ground(
                "prompt-attention-dropout",
                "prompt tuning (violet), attention dropout \(configuration.attentionDropout)",
                from: violet, tuning: .prompt,
                attention: .constant(.probabilityDropout(probability: configuration.attentionDropout)))
        }
        let ordered = order.compactMap { rows[$0] }
        let result = PromptStudyResult(
            configuration: configuration,
            evaluationProtocol: evaluation?.protocolUsed ?? .standard(for: configuration.dataset),
            evaluationSplit: evaluation?.split ?? "?", queries: evaluation?.queries ?? 0,
            rows: ordered, conclusions: conclusions(ordered),
            totalSeconds: Date().timeIntervalSince(start))
        try writeJSON(result, to: directory.appendingPathComponent("study.json"))
        try Data(markdown(result).utf8).write(
            to: directory.appendingPathComponent("study.md"), options: .atomic)
        return result
    }

    static func training(_ configuration: PromptStudyConfiguration, seed: UInt64)
        -> GroundingTrainingConfiguration
    {
        GroundingTrainingConfiguration(
            epochs: configuration.groundingEpochs, batchSize: configuration.batchSize,
            learningRate: configuration.learningRate, seed: seed,
            promptLearningRate: configuration.promptLearningRate)
    }

    /// The study's annotations and features: the given ones, or a synthetic benchmark.
    static func data(
        _ configuration: PromptStudyConfiguration, in directory: URL, reporter: ProgressReporter
    ) throws -> (annotations: String, features: FeatureLocation) {
        if let annotations = configuration.annotationsPath, let features = configuration.features {
            return (annotations, features)
        }
        let dataDirectory = directory.appendingPathComponent("data")
        reporter.message(
            "study: writing a synthetic \(configuration.dataset.rawValue) benchmark (\(configuration.syntheticVideos) videos, noise \(configuration.syntheticNoise)) to \(dataDirectory.path)")
        let manifest = try SyntheticBenchmark.write(
            SyntheticBenchmarkConfiguration(
                layout: configuration.dataset, videoCount: configuration.syntheticVideos, seed: 0,
                noise: configuration.syntheticNoise),
            to: dataDirectory)
        return (dataDirectory.path, manifest.featureLocation(in: dataDirectory))
    }

    // MARK: Report

    /// The study as markdown: the table, the conclusions, and the settings.
    public static func markdown(_ result: PromptStudyResult) -> String {
        func cell(_ values: [Double]) -> String {
            let (mean, deviation) = PromptStudyRow.spread(values)
            return String(format: "%.2f ± %.2f", mean, deviation)
        }
        let configuration = result.configuration
        var lines = [
            "# Prompt-learning study: \(configuration.dataset.rawValue) \(result.evaluationSplit) (\(result.queries) queries, protocol \(result.evaluationProtocol.rawValue))",
            "",
            "mean ± standard deviation over \(configuration.seeds.count) seed(s) \(configuration.seeds.map(String.init).joined(separator: ", ")); best epoch on the evaluation split, as VSLNet reports.",
            "",
            "| variant | R@1 IoU=0.3 | R@1 IoU=0.5 | R@1 IoU=0.7 | mIoU | trainable | checkpoint | training (s) | VTM pretraining (s) |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for row in result.rows {
            lines.append(
                "| \(row.label) | \(cell(row.r1At03)) | \(cell(row.r1At05)) | \(cell(row.r1At07)) | \(cell(row.meanIoU)) | \(row.trainableParameters) (\(String(format: "%.2f", row.trainablePercent)) %) | \(GroundingReport.byteCount(row.checkpointBytes)) | \(String(format: "%.0f", row.trainingSeconds)) | \(String(format: "%.0f", row.pretrainingSeconds)) |")
        }
        lines += ["", "## Conclusions", ""]
        lines += result.conclusions.map { "- \($0)" }
        lines += [
            "",
            String(
                format: "Settings: %d pretraining and %d grounding epochs, batch %d, lr %g (prompts %g), prompts: fusion %d + deep %d per layer + text %d, init %@, K = %d; %@; study time %.0f s.",
                configuration.pretrainingEpochs, configuration.groundingEpochs,
                configuration.batchSize, configuration.learningRate,
                configuration.promptLearningRate, configuration.prompts.fusionPromptLength,
                configuration.prompts.deepPromptLength, configuration.prompts.textPromptLength,
                configuration.prompts.initialization.description, configuration.ensembleSize,
                configuration.annotationsPath == nil
                    ? "synthetic data, \(configuration.syntheticVideos) videos, noise \(configuration.syntheticNoise)"
                    : "data \(configuration.annotationsPath ?? "")",
                result.totalSeconds),
            "",
        ]
        return lines.joined(separator: "\n")
    }

    /// Sentences drawn from the numbers: the winner, prompt tuning against full fine-tuning,
    /// VTM against none, the clip-level objective, DropKey, and whether the prompt ensemble
    /// behaved like data augmentation or like a model ensemble. A difference counts when it
    /// exceeds the larger of the two rows' seed standard deviations (with one seed: 1 point).
    public static func conclusions(_ rows: [PromptStudyRow]) -> [String] {
        var byKey: [String: PromptStudyRow] = [:]
        for row in rows { byKey[row.key] = row }
        let mean = { (row: PromptStudyRow) in PromptStudyRow.spread(row.r1At05).mean }
        func threshold(_ a: PromptStudyRow, _ b: PromptStudyRow) -> Double {
            a.r1At05.count > 1
                ? max(PromptStudyRow.spread(a.r1At05).deviation, PromptStudyRow.spread(b.r1At05).deviation)
                : 1
        }
        func compare(_ a: String, _ b: String) -> (difference: Double, counts: Bool)? {
            guard let first = byKey[a], let second = byKey[b] else { return nil }
            let difference = mean(first) - mean(second)
            return (difference, abs(difference) > threshold(first, second))
        }
        func signed(_ value: Double) -> String { String(format: "%+.2f", value) }
        var sentences: [String] = []
        if let best = rows.filter({ $0.key != "prompt-augment-one" }).max(by: { mean($0) < mean($1) }) {
            sentences.append(String(
                format: "Best R@1 IoU=0.5: %@ (%.2f).", best.label, mean(best)))
        }
        if let (difference, _) = compare("prompt-violet", "full-violet"),
            let prompt = byKey["prompt-violet"]
        {
            let within = abs(difference) <= 2 || difference > 0
            sentences.append(String(
                format: "Prompt tuning vs full fine-tuning on the same VTM backbone: %@ R@1 IoU=0.5 points (%@ the 2-point target) with %.2f%% of the parameters trainable and a %@ checkpoint.",
                signed(difference), within ? "within" : "outside", prompt.trainablePercent,
                GroundingReport.byteCount(prompt.checkpointBytes)))
        }
        if let (difference, counts) = compare("full-violet", "full-scratch") {
            sentences.append(
                "VTM pretraining before full fine-tuning: \(signed(difference)) points against no pretraining (\(counts ? (difference > 0 ? "better" : "worse") : "within the seed spread")).")
        }
        if let (difference, counts) = compare("prompt-violet", "prompt-violet-vtm-only") {
            sentences.append(
                "The clip-level matching objective beside VTM: \(signed(difference)) points for prompt tuning (\(counts ? (difference > 0 ? "better with it" : "worse with it") : "within the seed spread")).")
        }
        if let (difference, counts) = compare("prompt-violet", "prompt-allinone") {
            sentences.append(
                "VIOLET vs All-in-One pretraining for prompt tuning: \(signed(difference)) points (\(counts ? (difference > 0 ? "VIOLET better" : "All-in-One better") : "within the seed spread")).")
        }
        if let off = compare("prompt-violet", "prompt-no-dropkey"),
            let dropout = compare("prompt-violet", "prompt-attention-dropout")
        {
            sentences.append(
                "DropKey: \(signed(off.difference)) points against no attention regularisation (\(off.counts ? "beyond" : "within") the seed spread) and \(signed(dropout.difference)) against ordinary attention dropout (\(dropout.counts ? "beyond" : "within") the seed spread).")
        }
        if let average = compare("prompt-average", "prompt-violet"),
            let augmentOne = compare("prompt-augment-one", "prompt-violet"),
            let augmentAverage = compare("prompt-augment", "prompt-augment-one")
        {
            let verdict: String
            if augmentOne.counts, augmentOne.difference > 0 {
                verdict = "like data augmentation: training with K sampled prompts improved a single prompt at test time (the same data, better generalisation)"
            } else if (average.counts && average.difference > 0)
                || (augmentAverage.counts && augmentAverage.difference > 0)
            {
                verdict = "like a model ensemble: the gains appear only when the K prompts are averaged at test time"
            } else {
                verdict = "like neither here: no ensemble variant moved R@1 IoU=0.5 beyond the seed spread"
            }
            sentences.append(
                "Prompt ensemble (K prompts): test-time average \(signed(average.difference)), train-time augment with one prompt at test \(signed(augmentOne.difference)), averaging the augmented prompts adds \(signed(augmentAverage.difference)) (points against a single prompt). The ensemble behaved \(verdict).")
        }
        return sentences
    }
}
