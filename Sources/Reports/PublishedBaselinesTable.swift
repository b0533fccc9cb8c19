import Datasets
import Foundation
import Metrics
import VTGCore

extension PublishedBaselines {
    /// The metric behind one of the published tables' columns: an IoU threshold ("0.5": R@1 at
    /// that IoU), `mIoU`, `R1@0.5`, `mAP avg` or `HIT@1`; nil for the others.
    static func metric(ofColumn column: String) -> MetricKey? {
        switch column {
        case "mAP avg": return .meanAveragePrecision
        default:
            if let threshold = Double(column) { return .recallAtOne(iouThreshold: threshold) }
            return MetricKey(column)
        }
    }

    /// The published rows for a dataset with our row appended, in the table's own columns
    /// (R@1 at each IoU and mIoU; R1@0.5, R1@0.7, mAP and HIT@1 on QVHighlights).
    public func markdown(
        for dataset: DatasetName, ours: MetricsReport, label: String = "PromptVTG (ours)"
    ) -> String {
        guard let table = table(for: dataset) else {
            return "(no published rows for \(dataset.rawValue) in \(source))"
        }
        func ourCell(_ column: String) -> String {
            let value = Self.metric(ofColumn: column).flatMap(ours.value)
            return value.map { String(format: "%.2f", $0) } ?? "–"
        }
        var lines = ["## \(table.title): published (not re-measured) and ours", ""]
        lines.append("| " + table.columns.joined(separator: " | ") + " |")
        lines.append("|" + table.columns.map { _ in "---" }.joined(separator: "|") + "|")
        for row in table.rows { lines.append("| " + row.joined(separator: " | ") + " |") }
        let ourRow = table.columns.enumerated().map { index, column in
            index == 0 ? "**\(label)**" : ourCell(column)
        }
        lines.append("| " + ourRow.joined(separator: " | ") + " |")
        lines.append("")
        lines.append(
            "R@1 columns: IoU thresholds; ours under protocol "
                + "\(ours.evaluationProtocol.rawValue). Source: \(source).")
        return lines.joined(separator: "\n")
    }
}
