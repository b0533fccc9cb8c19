import Foundation
import Metrics

/// The readable summaries the grounding commands print.
public enum GroundingReport {
    /// The configuration a run starts with (model defaults for the dataset included).
    public static func configurationSummary(_ run: GroundingRunConfiguration) -> String {
        let model = run.model
        let training = run.training
        return """
            dataset \(run.dataset.rawValue): train on \(run.trainSplit), evaluate on \(run.evaluationSplit) (protocol \(run.evaluationProtocol.rawValue))
            features: \(run.features.format.rawValue) \(run.features.path), \(model.featureKind), dimension \(model.featureDimension), at most \(model.maxClips) clips
            text: \(model.scratchTextVocabularySize == nil ? "frozen MiniLM token states" : "from-scratch encoder (\(model.scratchTextLayerCount ?? 1) layers over \(model.scratchTextVocabularySize ?? 0) word pieces)")
            model: hidden \(model.hiddenSize), \(model.headCount) heads, feed-forward \(model.intermediateSize), \(model.videoLayerCount) video + \(model.fusionLayerCount) fusion layers, dropout \(model.dropout), fusion attention \(model.fusionAttentionDropout)
            training: \(training.epochs) epochs, batch \(training.batchSize), lr \(training.learningRate), weight decay \(training.weightDecay), seed \(training.seed), best by \(training.bestMetric)
            """
    }

    /// The end-of-training report: the best epoch's metric table and the costs.
    public static func trainingSummary(
        _ summary: GroundingTrainingSummary, run: GroundingRunConfiguration
    ) -> String {
        let trainingSeconds = summary.epochs.map(\.trainingSeconds).reduce(0, +)
        let throughput = summary.epochs.map(\.samplesPerSecond).reduce(0, +)
            / Double(max(summary.epochs.count, 1))
        var lines = [
            "# \(run.dataset.rawValue) \(run.evaluationSplit), best epoch \(summary.bestEpoch + 1) of \(run.training.epochs) (protocol \(run.evaluationProtocol.rawValue))",
            "",
            MetricsTable.markdown([("PromptVTG (ours)", summary.bestMetrics)]),
            "",
            String(
                format:
                    "trainable parameters %d, frozen %d; text states %.1f s; training %.1f s (%.1f s per epoch, %.0f samples/s); peak tensor memory %.0f MB",
                summary.trainableParameters, summary.frozenParameters,
                summary.textEncodingSeconds, trainingSeconds,
                trainingSeconds / Double(max(summary.epochs.count, 1)), throughput,
                Double(summary.peakTensorBytes) / 1e6),
        ]
        lines.append("")
        return lines.joined(separator: "\n")
    }
}
