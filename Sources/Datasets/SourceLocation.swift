/// Where a record came from: the file, and the line (text formats) or key path (JSON objects).
public struct SourceLocation: Hashable, Codable, Sendable, CustomStringConvertible {
    /// Path of the file as given to the reader.
    public var file: String
    /// 1-based line number, for line-oriented files (txt, csv, jsonl).
    public var line: Int?
    /// Key path inside a JSON document, e.g. `v_QOlSCBRmfWY.timestamps[2]`.
    public var key: String?

    /// Creates a location.
    public init(file: String, line: Int? = nil, key: String? = nil) {
        self.file = file
        self.line = line
        self.key = key
    }

    /// `file:line` or `file, key k`, as an editor or a reader can follow.
    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        if let key { text += " (key \(key))" }
        return text
    }
}
