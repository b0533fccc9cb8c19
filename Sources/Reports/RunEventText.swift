import Datasets
import Foundation
import Grounding
import VTGCore

/// The words of every `RunEvent`: what the terminal reporter prints for it.
public enum RunEventText {
    /// The event as one or more lines (no trailing newline).
    public static func text(of event: RunEvent) -> String {
        switch event {
        case .note(let text):
            return text
        case .configuration(let run):
            return GroundingReport.configurationSummary(run)
        case .parameters(let trainable, let frozen, let textEncoder):
            return GroundingReport.parameterSummary(
                trainable: trainable, frozen: frozen, textEncoder: textEncoder)
        case .pretrainingParameters(let trainable, let frozen):
            return "parameters: \(trainable) trainable (backbone and matching head), "
                + "\(frozen) frozen (span heads)"
        case .data(let data):
            let anomalies = [
                anomalyLine(data.trainingAnomalies, split: data.trainSplit),
                anomalyLine(data.evaluationAnomalies, split: data.evaluationSplit),
            ].compactMap { $0 }.map { "\n" + $0 }.joined()
            guard let context = data.momentContextFraction else {
                return "data: \(data.trainingCount) training queries (\(data.trainSplit)), "
                    + "\(data.evaluationCount) evaluation queries (\(data.evaluationSplit))"
                    + anomalies
            }
            return "data: \(data.trainingCount) training moments (\(data.trainSplit)), "
                + "\(data.evaluationCount) held-out moments (\(data.evaluationSplit)), "
                + "context \(context) of each moment's length" + anomalies
        case .resumed(let epoch, let totalEpochs):
            return "resuming after epoch \(epoch) of \(totalEpochs)"
        case .epochFinished(let record, let totalEpochs, let bestMetric):
            return String(
                format: "epoch %d/%d: loss %.4f, %@ %.2f (best %.2f), train %.1f s "
                    + "(%.0f samples/s), eval %.1f s",
                record.epoch + 1, totalEpochs, record.trainingLoss, bestMetric.description,
                record.metrics.value(bestMetric) ?? 0, record.bestMetric,
                record.trainingSeconds, record.samplesPerSecond, record.evaluationSeconds)
        case .pretrainingEpochFinished(let record, let totalEpochs):
            return String(
                format: "VTM epoch %d/%d: loss %.4f (clip matching %.4f), accuracy %.1f%%; "
                    + "held-out loss %.4f, accuracy %.1f%%, retrieval R@1 among %d %.1f%%; "
                    + "train %.1f s (%.0f pairs/s), eval %.1f s",
                record.epoch + 1, totalEpochs, record.trainingLoss, record.clipMatchingLoss,
                record.trainingAccuracy, record.heldOutLoss, record.heldOutAccuracy,
                record.retrievalCandidates, record.retrievalAccuracy, record.trainingSeconds,
                record.pairsPerSecond, record.evaluationSeconds)
        case .demo(let step):
            return DemoReport.text(of: step)
        case .study(let step):
            return PromptStudyReport.text(of: step)
        }
    }

    /// "annotation anomalies in train: 3 end-past-duration (repaired), 1 malformed-record
    /// (dropped)", nil when the split had none.
    static func anomalyLine(_ report: AnomalyReport, split: String) -> String? {
        guard !report.isEmpty else { return nil }
        let counts = report.entries.map {
            "\($0.count) \($0.kind.rawValue) (\($0.action.rawValue))"
        }
        return "annotation anomalies in \(split): \(counts.joined(separator: ", "))"
            + " (`vtg stats` shows where)"
    }
}
