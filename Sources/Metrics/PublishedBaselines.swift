import Foundation
import VTGCore

/// Published results read from a BASELINES.md file (a section per dataset, each a markdown table
/// whose first column is the method), printed beside our own rows and marked as published.
public struct PublishedBaselines: Sendable {
    /// One dataset's table: its column names and rows of cells, as written.
    public struct Table: Sendable {
        /// The section title (`## ...`).
        public var title: String
        /// The header cells.
        public var columns: [String]
        /// The body rows' cells.
        public var rows: [[String]]
    }

    /// Every table of the file, in order.
    public var tables: [Table]
    /// Where the file was read from.
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
}

/// Errors reading published baselines.
public enum PublishedBaselinesError: Error, CustomStringConvertible {
    /// No file at any of the places looked at.
    case notFound(searched: [String])

    /// The message: where it looked and what to do.
    public var description: String {
        switch self {
        case .notFound(let searched):
            return "no BASELINES.md at \(searched.joined(separator: ", ")); give the file's path "
                + "or set VTG_SHARED_DIR"
        }
    }
}
