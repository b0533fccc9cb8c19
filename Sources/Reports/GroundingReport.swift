import Foundation
import Grounding
import Metrics
import VTGCore

/// The readable summaries the grounding commands print.
public enum GroundingReport {
    /// The configuration a run starts with (model defaults for the dataset included).
    public static func configurationSummary(_ run: GroundingRunConfiguration) -> String {
        let model = run.model
        let training = run.training
        let text =
            model.scratchTextVocabularySize.map {
                "from-scratch encoder (\(model.scratchTextLayerCount ?? 1) layers over \($0) "
                    + "word pieces)"
            } ?? "frozen MiniLM token states"
        let promptRate =
            (training.promptLearningRate.map { " (prompts \($0))" } ?? "")
            + (training.adapterLearningRate.map { " (adapters \($0))" } ?? "")
        return [
            "dataset \(run.dataset.rawValue): train on \(run.trainSplit), evaluate on "
                + "\(run.evaluationSplit) (protocol \(run.evaluationProtocol.rawValue))",
            "features: \(run.features.format.rawValue) \(run.features.path), "
                + "\(model.featureKind), dimension \(model.featureDimension), at most "
                + "\(model.maxClips) clips",
            "text: \(text)",
            "model: hidden \(model.hiddenSize), \(model.headCount) heads, feed-forward "
                + "\(model.intermediateSize), \(model.videoLayerCount) video + "
                + "\(model.fusionLayerCount) fusion layers, dropout \(model.dropout), fusion "
                + "attention \(model.fusionAttentionDropout)",
            "training: \(training.epochs) epochs, batch \(training.batchSize), lr "
                + "\(training.learningRate)\(promptRate), weight decay \(training.weightDecay), "
                + "seed \(training.seed), best by \(training.bestMetric), "
                + selectionSummary(run),
            tuningSummary(run),
        ].joined(separator: "\n")
    }

    /// How a run picks its epoch: the selection, its validation split and early stopping.
    public static func selectionSummary(_ run: GroundingRunConfiguration) -> String {
        var text = run.resolvedSelection.description
        if let validation = run.validation { text += " (validation: \(validation.description))" }
        if let patience = run.training.earlyStoppingPatience {
            text += ", early stopping after \(patience) epochs without improvement"
        }
        return text
    }

    /// Trainable parameters as a count and as a share of the grounding model and of the whole
    /// system (with the frozen text encoder).
    public static func parameterSummary(trainable: Int, frozen: Int, textEncoder: Int) -> String {
        let model = Double(max(trainable + frozen, 1))
        let system = Double(max(trainable + frozen + textEncoder, 1))
        return String(
            format: "parameters: %d trainable (%.2f%% of the grounding model's %d, %.2f%% with "
                + "the frozen text encoder's %d), %d frozen",
            trainable, 100 * Double(trainable) / model, trainable + frozen,
            100 * Double(trainable) / system, textEncoder, frozen)
    }

    /// The stage, tuning and prompts of a run, in one line.
    public static func tuningSummary(_ run: GroundingRunConfiguration) -> String {
        if run.resolvedStage == .pretrain {
            let style = run.pretraining?.style.rawValue ?? "?"
            let context = run.pretraining?.contextFraction ?? 0
            return "stage: VTM pretraining (\(style)), moment context \(context)"
        }
        let tuning = run.resolvedTuning == .prompt ? "prompt tuning" : "full fine-tuning"
        var line = "stage: grounding, \(tuning)"
        line +=
            run.backbone.map { " from backbone \($0.path) (checksum \($0.checksum))" }
            ?? " from scratch"
        if run.resolvedTuning == .prompt, let prompts = run.prompts {
            line +=
                "; prompts: text \(prompts.textPromptLength), fusion "
                + "\(prompts.fusionPromptLength), deep \(prompts.deepPromptLength) per layer, "
                + "init \(prompts.initialization)"
            if prompts.count > 1 {
                let test = prompts.testPrompt.map { ", test prompt \($0)" } ?? ""
                line += ", K = \(prompts.count) (\(prompts.ensemble.rawValue)\(test))"
            }
        }
        return line
    }

    /// The end-of-training report: the best epoch's metric table and the costs.
    public static func trainingSummary(
        _ summary: GroundingTrainingSummary, run: GroundingRunConfiguration
    ) -> String {
        let trainingSeconds = summary.epochs.map(\.trainingSeconds).reduce(0, +)
        let throughput =
            summary.epochs.map(\.samplesPerSecond).reduce(0, +)
            / Double(max(summary.epochs.count, 1))
        let stopped =
            summary.stoppedEarly ? ", stopped early after \(summary.epochs.count)" : ""
        var lines = [
            "# \(run.dataset.rawValue) \(run.evaluationSplit), epoch "
                + "\(summary.bestEpoch + 1) of \(run.training.epochs)\(stopped) (protocol "
                + "\(run.evaluationProtocol.rawValue); \(summary.selection.description)"
                + (summary.validation.map { ", validation: \($0.description)" } ?? "") + ")",
            "",
            MetricsTable.markdown([("PromptVTG (ours)", summary.bestMetrics)]),
            "",
            parameterSummary(
                trainable: summary.trainableParameters, frozen: summary.frozenParameters,
                textEncoder: summary.textEncoderParameters),
            String(
                format: "checkpoint %@; text states %.1f s; training %.1f s (%.1f s per epoch, "
                    + "%.0f samples/s); peak tensor memory %.0f MB",
                byteCount(summary.checkpointBytes), summary.textEncodingSeconds, trainingSeconds,
                trainingSeconds / Double(max(summary.epochs.count, 1)), throughput,
                Double(summary.peakTensorBytes) / 1e6),
        ]
        lines.append("")
        return lines.joined(separator: "\n")
    }

    /// The end-of-pretraining report: the last epoch's figures and the backbone file.
    public static func pretrainingSummary(_ summary: PretrainingSummary) -> String {
        guard let last = summary.epochs.last else { return "no epoch was trained" }
        let seconds = summary.epochs.map(\.trainingSeconds).reduce(0, +)
        return String(
            format: "VTM pretraining, %d epochs: held-out matching accuracy %.1f%% (loss %.4f), "
                + "in-batch retrieval R@1 %.1f%% among %d (chance %.1f%%); training %.1f s; "
                + "backbone %@ (%@), %d parameters trained",
            summary.epochs.count, last.heldOutAccuracy, last.heldOutLoss, last.retrievalAccuracy,
            last.retrievalCandidates, 100 / Double(max(last.retrievalCandidates, 1)), seconds,
            summary.backbone.path, byteCount(summary.backboneBytes), summary.trainableParameters)
            + (PretrainingChanceReport.warning(summary).map { "\n" + $0 } ?? "")
    }

    /// A file size in B, kB or MB.
    public static func byteCount(_ bytes: Int) -> String {
        if bytes < 1000 { return "\(bytes) B" }
        if bytes < 1_000_000 { return String(format: "%.1f kB", Double(bytes) / 1e3) }
        return String(format: "%.1f MB", Double(bytes) / 1e6)
    }
}
