import Foundation
import VTGCore

/// Published results read from a BASELINES.md file (a section per dataset, each a markdown table
/// whose first column is the method), printed beside our own rows and marked as published.
public struct PublishedBaselines: Sendable {
    /// One dataset's table: its column names and rows of cells, as written.
    public struct Table: Sendable {
        public var title: String
        public var columns: [String]
        public var rows: [[String]]
    }

    public var tables: [Table]
    public var source: String

    /// Parses the markdown: every `## title` followed by a `| ... |` table.
    public init(markdown: String, source: String) {
        self.source = source
        var tables: [Table] = []
        var current: Table?
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.hasPrefix("## ") {
                if let current { tables.append(current) }
                current = Table(title: String(text.dropFirst(3)), columns: [], rows: [])
            } else if text.hasPrefix("|"), current != nil {
                let cells = text.split(separator: "|", omittingEmptySubsequences: false)
                    .dropFirst().dropLast().map { $0.trimmingCharacters(in: .whitespaces) }
                if cells.allSatisfy({ $0.allSatisfy { "-: ".contains($0) } }) { continue }
                if current!.columns.isEmpty {
                    current!.columns = cells
                } else {
                    current!.rows.append(cells)
                }
            }
        }
        if let current { tables.append(current) }
        self.tables = tables.filter { !$0.columns.isEmpty }
    }

    /// Reads `path`, or the first of `$VTG_SHARED_DIR/BASELINES.md` and `../shared/BASELINES.md`.
    public static func load(path: String? = nil) throws -> PublishedBaselines {
        var candidates: [String] = []
        if let path { candidates.append(path) } else {
            if let shared = ProcessInfo.processInfo.environment["VTG_SHARED_DIR"] {
                candidates.append(shared + "/BASELINES.md")
            }
            candidates.append("../shared/BASELINES.md")
        }
        for candidate in candidates {
            if let data = FileManager.default.contents(atPath: candidate) {
                return PublishedBaselines(markdown: String(decoding: data, as: UTF8.self),
                    source: candidate)
            }
        }
        throw PublishedBaselinesError.notFound(searched: candidates)
    }

    /// The table for a dataset (matched on the section title).
    public func table(for dataset: DatasetName) -> Table? {
        let key: String
        switch dataset {
        case .charadesSTA: key = "Charades"
        case .activityNet: key = "ActivityNet"
        case .tacos: key = "TACoS"
        case .qvHighlights: key = "QVHighlights"
        }
        return tables.first { $0.title.contains(key) }
    }

    /// The published rows for a dataset with our row appended, in the table's own columns
    /// (R@1 at each IoU and mIoU; R1@0.5, R1@0.7, mAP and HIT@1 on QVHighlights).
    public func markdown(for dataset: DatasetName, ours: MetricsReport, label: String = "PromptVTG (ours)")
        -> String
    {
        guard let table = table(for: dataset) else {
            return "(no published rows for \(dataset.rawValue) in \(source))"
        }
        func ourCell(_ column: String) -> String {
            let value: Double?
            switch column {
            case "0.1", "0.3", "0.5", "0.7":
                value = ours.recall?.percent(rank: 1, iouThreshold: Double(column) ?? 0)
            case "mIoU": value = ours.recall?.meanIoUPercent
            case "R1@0.5", "R1@0.7":
                value = ours.qvHighlights?.momentRetrieval?.first { $0.range == .full }?
                    .recallAtOne(iouThreshold: Double(column.dropFirst(3)) ?? 0)
            case "mAP avg":
                value = ours.qvHighlights?.momentRetrieval?.first { $0.range == .full }?
                    .averageMeanAveragePrecisionPercent
            case "HIT@1":
                value = ours.qvHighlights?.highlights?.first { $0.level == .veryGood }?.hitAtOnePercent
            default: value = nil
            }
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
        lines.append("R@1 columns: IoU thresholds; ours under protocol \(ours.evaluationProtocol.rawValue). Source: \(source).")
        return lines.joined(separator: "\n")
    }
}

/// Errors reading published baselines.
public enum PublishedBaselinesError: Error, CustomStringConvertible {
    case notFound(searched: [String])

    public var description: String {
        switch self {
        case .notFound(let searched):
            return "no BASELINES.md at \(searched.joined(separator: ", ")); pass --baselines-file or set VTG_SHARED_DIR"
        }
    }
}
