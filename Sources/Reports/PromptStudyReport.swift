import Foundation
import Grounding
import VTGCore

/// The study in words: the variants' labels, its progress lines, the markdown table, and the
/// conclusions drawn from the numbers.
public enum PromptStudyReport {
    /// A variant's label in the table, e.g. "prompt tuning, K=3 test-time average".
    public static func label(
        of variant: PromptStudyVariant, in configuration: PromptStudyConfiguration
    ) -> String {
        let count = configuration.ensembleSize
        switch variant {
        case .fullWithoutPretraining: return "full fine-tuning, no VTM"
        case .fullAfterPretraining: return "full fine-tuning after VTM (violet)"
        case .prompt: return "prompt tuning after VTM (violet)"
        case .promptAfterAllInOne: return "prompt tuning after VTM (allinone)"
        case .promptWithoutClipMatching:
            return "prompt tuning after VTM (violet) without clip matching"
        case .ensembleAverage: return "prompt tuning, K=\(count) test-time average"
        case .ensembleAugment: return "prompt tuning, K=\(count) train-time augment, averaged"
        case .ensembleAugmentOnePrompt:
            return "prompt tuning, K=\(count) train-time augment, one prompt at test"
        case .promptWithoutAttentionRegularisation:
            return "prompt tuning (violet), no attention regularisation"
        case .promptWithAttentionDropout:
            return "prompt tuning (violet), attention dropout \(configuration.attentionDropout)"
        case .lora: return "LoRA after VTM (violet)"
        case .lastLayer: return "last fusion layer after VTM (violet)"
        case .side: return "side network after VTM (violet)"
        case .fullWithoutAttentionRegularisation:
            return "full fine-tuning (violet), no attention regularisation"
        case .fullWithAttentionDropout:
            return "full fine-tuning (violet), attention dropout \(configuration.attentionDropout)"
        case .loraWithoutAttentionRegularisation:
            return "LoRA (violet), no attention regularisation"
        case .loraWithAttentionDropout:
            return "LoRA (violet), attention dropout \(configuration.attentionDropout)"
        case .fullOnCLIPText:
            return "full fine-tuning after VTM (violet), CLIP text encoder frozen"
        case .promptOnCLIPText:
            return "prompt tuning after VTM (violet), "
                + "\(configuration.clipTextPromptLength) CLIP text prompts"
        }
    }

    /// A backbone's label in the progress lines, e.g. "VTM pretraining (violet + clip matching)".
    public static func label(of backbone: PromptStudyBackbone) -> String {
        let objective = backbone.usesClipMatching ? " + clip matching" : " alone"
        let text = backbone.textEncoder == .clip ? " on CLIP's text states" : ""
        return "VTM pretraining (\(backbone.style.rawValue)\(objective))\(text)"
    }

    /// The progress line of a step of the study.
    public static func text(of step: PromptStudy.Step) -> String {
        switch step {
        case .writingData(let benchmark, let directory):
            return "study: writing a synthetic \(benchmark.layout.rawValue) benchmark "
                + "(\(benchmark.videoCount) videos, noise \(benchmark.noise)) to \(directory.path)"
        case .starting(let progress):
            let label: String
            switch progress.run {
            case .pretraining(let backbone): label = Self.label(of: backbone)
            case .variant(let variant): label = Self.label(of: variant, in: progress.configuration)
            }
            return "study: seed \(progress.seed) (\(progress.seedNumber)/\(progress.seedCount)), "
                + "step \(progress.step)/\(progress.stepCount): \(label)"
        }
    }

    /// The study as markdown: the table, the conclusions, and the settings.
    public static func markdown(_ result: PromptStudyResult) -> String {
        func cell(_ values: [Double]) -> String {
            let (mean, deviation) = PromptStudyRow.spread(values)
            return String(format: "%.2f ± %.2f", mean, deviation)
        }
        let configuration = result.configuration
        let seeds = configuration.seeds.map(String.init).joined(separator: ", ")
        var lines = [
            "# Prompt-learning study: \(configuration.dataset.rawValue) "
                + "\(result.evaluationSplit) (\(result.queries) queries, protocol "
                + "\(result.evaluationProtocol.rawValue))",
            "",
            "mean ± standard deviation over \(configuration.seeds.count) seed(s) \(seeds), "
                + "paired by seed across variants; \(configuration.selection.description)"
                + (configuration.selection == .validation
                    ? " (validation: \(ValidationSplit().description))" : "") + ".",
            "",
            "| variant | R@1 IoU=0.3 | R@1 IoU=0.5 | R@1 IoU=0.7 | mIoU | trainable | checkpoint "
                + "| training (s) | VTM pretraining (s) |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for row in result.rows {
            let cells = [
                label(of: row.variant, in: configuration), cell(row.r1At03), cell(row.r1At05),
                cell(row.r1At07), cell(row.meanIoU),
                "\(row.trainableParameters) (\(String(format: "%.2f", row.trainablePercent)) %)",
                GroundingReport.byteCount(row.checkpointBytes),
                String(format: "%.0f", row.trainingSeconds),
                String(format: "%.0f", row.pretrainingSeconds),
            ]
            lines.append("| " + cells.joined(separator: " | ") + " |")
        }
        lines += ["", "## Conclusions", ""]
        lines += conclusions(result.rows, configuration: configuration).map { "- \($0)" }
        lines += PretrainingChanceReport.sentences(result.pretrainingChecks) { key in
            PromptStudyBackbone(rawValue: key).map { label(of: $0) } ?? key
        }.map { "- \($0)" }
        let prompts = configuration.prompts
        let data =
            configuration.annotationsPath.map { "data \($0)" }
            ?? "synthetic data, \(configuration.syntheticVideos) videos, noise "
            + "\(configuration.syntheticNoise)"
        lines += [
            "",
            String(
                format: "Settings: %d pretraining and %d grounding epochs, batch %d, lr %g "
                    + "(prompts %g), prompts: fusion %d + deep %d per layer + text %d, init %@, "
                    + "K = %d; %@; study time %.0f s.",
                configuration.pretrainingEpochs, configuration.groundingEpochs,
                configuration.batchSize, configuration.learningRate,
                configuration.promptLearningRate, prompts.fusionPromptLength,
                prompts.deepPromptLength, prompts.textPromptLength,
                prompts.initialization.description, configuration.ensembleSize, data,
                result.totalSeconds)
                + (configuration.clipText.map {
                    " CLIP text rows: \($0.modelPath), \($0.textPromptLength) context vectors."
                } ?? ""),
            "",
        ]
        return lines.joined(separator: "\n")
    }
}
