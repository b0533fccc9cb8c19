import Foundation
import Metrics
import VTGCore

/// Metric tables in markdown, in the column layout of the field's papers: one row per model (or
/// baseline) and split.
public enum MetricsTable {
    /// A table of `rows`, which must all follow one protocol. Figures are percentages with two
    /// decimals; "–" marks a figure that was not computed.
    public static func markdown(_ rows: [(label: String, report: MetricsReport)]) -> String {
        guard let first = rows.first?.report else { return "" }
        precondition(
            rows.allSatisfy { $0.report.evaluationProtocol == first.evaluationProtocol },
            "MetricsTable.markdown: rows follow different protocols")
        switch first.evaluationProtocol {
        case .vslnet, .twoDTAN: return recallTable(rows)
        case .qvhighlights: return qvHighlightsTable(rows)
        }
    }

    /// `value` with two decimals, or "–".
    static func format(_ value: Double?) -> String {
        value.map { String(format: "%.2f", $0) } ?? "–"
    }

    private static func recallTable(_ rows: [(label: String, report: MetricsReport)]) -> String {
        let ranks = Set(rows.flatMap { $0.report.recall?.recalls.map(\.rank) ?? [] }).sorted()
        let thresholds = RecallMetrics.iouThresholds
        var header = "| | queries |"
        var rule = "|---|---:|"
        for rank in ranks {
            for threshold in thresholds {
                header += " R@\(rank) IoU=\(threshold) |"
                rule += "---:|"
            }
        }
        header += " mIoU |"
        rule += "---:|"
        var lines = [header, rule]
        for (label, report) in rows {
            var line = "| \(label) | \(report.queryCount) |"
            for rank in ranks {
                for threshold in thresholds {
                    line +=
                        " \(format(report.recall?.percent(rank: rank, iouThreshold: threshold))) |"
                }
            }
            line += " \(format(report.recall?.meanIoUPercent)) |"
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    private static func qvHighlightsTable(_ rows: [(label: String, report: MetricsReport)])
        -> String
    {
        var lines = [
            "| | queries | R1@0.5 | R1@0.7 | mAP@0.5 | mAP@0.75 | mAP avg | mAP short | mAP middle "
                + "| mAP long | HL mAP (≥VeryGood) | HIT@1 (≥VeryGood) |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for (label, report) in rows {
            let metrics = report.qvHighlights
            let full = metrics?.momentRetrieval(.full)
            let veryGood = metrics?.highlight(.veryGood)
            let cells = [
                format(full?.recallAtOne(iouThreshold: 0.5)),
                format(full?.recallAtOne(iouThreshold: 0.7)),
                format(full?.meanAveragePrecision(iouThreshold: 0.5)),
                format(full?.meanAveragePrecision(iouThreshold: 0.75)),
                format(full?.averageMeanAveragePrecisionPercent),
                format(metrics?.momentRetrieval(.short)?.averageMeanAveragePrecisionPercent),
                format(metrics?.momentRetrieval(.middle)?.averageMeanAveragePrecisionPercent),
                format(metrics?.momentRetrieval(.long)?.averageMeanAveragePrecisionPercent),
                format(veryGood?.meanAveragePrecisionPercent),
                format(veryGood?.hitAtOnePercent),
            ]
            lines.append(
                "| \(label) | \(report.queryCount) | " + cells.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n")
    }

    /// One line on how predictions matched the queries, e.g.
    /// "predictions: 1550 matched, 0 missing, 0 unknown, 0 duplicate, 0 malformed lines".
    public static func countsLine(_ counts: PredictionCounts) -> String {
        "predictions: \(counts.matched) matched, \(counts.missing) missing (scored as misses), "
            + "\(counts.unknown) for unknown queries, \(counts.duplicate) duplicate, "
            + "\(counts.malformed) malformed lines (ignored)"
    }
}
