import VTGCore

/// Why an annotation file could not be read. Every case names the file (and line or key where
/// one applies) and says what to do.
public enum DatasetError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A required file does not exist. `expected` says what the file should contain.
    case fileNotFound(path: String, expected: String)
    /// The file exists but could not be read (permissions, not UTF-8, I/O error).
    case unreadableFile(path: String, reason: String)
    /// The file is not valid JSON (or a JSONL line is not).
    case malformedJSON(path: String, line: Int, column: Int, reason: String)
    /// The JSON is valid but not shaped as the layout requires (the whole file is unusable).
    case unexpectedStructure(location: SourceLocation, expected: String, found: String)
    /// A CSV lacks a required column.
    case missingColumn(path: String, column: String, header: [String])
    /// Strict mode found an anomaly.
    case anomalyInStrictMode(Anomaly)
    /// The requested split has no annotation file in the directory.
    case splitNotFound(dataset: DatasetName, split: String, directory: String, available: [String])

    /// A message that names the file, the line or key, and the next step.
    public var description: String {
        switch self {
        case .fileNotFound(let path, let expected):
            return "\(path): file not found; expected \(expected). Check the annotations "
                + "directory (see Docs/datasets.md for the layouts)."
        case .unreadableFile(let path, let reason):
            return "\(path): cannot read the file (\(reason)). Check that it exists, is readable "
                + "and is UTF-8 text."
        case .malformedJSON(let path, let line, let column, let reason):
            return "\(path):\(line):\(column): not valid JSON: \(reason). The file may be "
                + "truncated; download it again."
        case .unexpectedStructure(let location, let expected, let found):
            return "\(location): expected \(expected) but found \(found). Is this the right "
                + "dataset layout for the file?"
        case .missingColumn(let path, let column, let header):
            return "\(path):1: no column \"\(column)\" in the header "
                + "(\(header.joined(separator: ","))). Use the Charades_v1_*.csv files of the "
                + "Charades release."
        case .anomalyInStrictMode(let anomaly):
            let verb: String
            switch anomaly.kind.action {
            case .dropped: verb = "drop"
            case .repaired: verb = "repair"
            case .kept: verb = "keep"
            }
            return "\(anomaly.location): \(anomaly.kind.rawValue): \(anomaly.detail). Strict mode "
                + "stops at the first anomaly; fix the record, or run without strict mode to "
                + "\(verb) "
                + "it as Docs/datasets.md describes."
        case .splitNotFound(let dataset, let split, let directory, let available):
            let list = available.isEmpty ? "none" : available.joined(separator: ", ")
            return "\(directory): no annotation file for split \"\(split)\" of \(dataset.rawValue) "
                + "(splits found: \(list)). Use one of those splits."
        }
    }
}
