import Foundation
import Grounding
import Metrics

/// The text `vtg eval --zero-shot` prints about its settings: one line per settings, and the
/// settings search's best combinations as a markdown table.
public enum ZeroShotReport {
    /// `smoothing 3 clips, thresholds mean + {0, 0.5, 1}·sd, no length prior, NMS 0.5, top 5,
    /// 2 s clips`.
    public static func settingsLine(_ settings: ZeroShotSettings) -> String {
        let thresholds = settings.thresholdDeviations.map { number($0) }.joined(separator: ", ")
        let prior =
            settings.lengthPrior.map {
                "length prior \(number($0.preferredFraction)) of the video × \(number($0.weight))"
            } ?? "no length prior"
        let clips =
            settings.clipSeconds.map { "\(number($0)) s clips" } ?? "clips share the duration"
        return "smoothing \(settings.smoothingClips) clips, thresholds mean + {\(thresholds)}·sd, "
            + "\(prior), NMS \(number(settings.nmsThreshold)), top \(settings.topK), \(clips)"
    }

    /// The search's `rows` best combinations by its metric (ties as the search breaks them), a
    /// markdown table, under a line naming the split and the metric.
    public static func searchMarkdown(_ search: ZeroShotSettingsSearch, rows: Int = 10) -> String {
        let ranked = search.trials.enumerated().sorted {
            ($0.element.value, $0.element.tieBreak, -$0.offset)
                > ($1.element.value, $1.element.tieBreak, -$1.offset)
        }.prefix(rows)
        var lines = [
            "Settings searched on the \(search.split) split (\(search.queryCount) queries, "
                + "\(search.trials.count) combinations), by \(search.metric):", "",
            "| smoothing | thresholds (k) | length prior | \(search.metric) | tie-break |",
            "|---:|---|---|---:|---:|",
        ]
        for (_, trial) in ranked {
            let settings = trial.settings
            let prior =
                settings.lengthPrior.map {
                    "\(number($0.preferredFraction)) × \(number($0.weight))"
                } ?? "none"
            lines.append(
                "| \(settings.smoothingClips) | "
                    + settings.thresholdDeviations.map { number($0) }.joined(separator: ", ")
                    + " | \(prior) | " + String(format: "%.2f", trial.value) + " | "
                    + String(format: "%.2f", trial.tieBreak) + " |")
        }
        return lines.joined(separator: "\n")
    }

    /// A number without trailing zeros (`0.5`, `2`, `0.163`).
    static func number(_ value: Double) -> String {
        String(format: "%g", value)
    }
}
