/// The anomalies found while reading one split: a count per category and the first few cases of
/// each, with their file and line, for the user to inspect.
public struct AnomalyReport: Hashable, Codable, Sendable {
    /// One category's tally.
    public struct Entry: Hashable, Codable, Sendable {
        /// The category.
        public var kind: AnomalyKind
        /// What the policy did (fixed by the category).
        public var action: AnomalyAction
        /// How many records had this anomaly.
        public var count: Int
        /// The first cases found, in file order (at most ``AnomalyReport/examplesPerKind``).
        public var examples: [Anomaly]
    }

    /// How many cases of each category are kept as examples.
    public static let examplesPerKind = 5

    /// Categories that occurred, in declaration order of ``AnomalyKind``.
    public private(set) var entries: [Entry] = []

    /// An empty report.
    public init() {}

    /// Adds one case.
    public mutating func record(_ anomaly: Anomaly) {
        record(anomaly.kind, at: anomaly.location) { anomaly.detail }
    }

    /// Adds one case; `detail` is only called when the case is kept as an example.
    mutating func record(
        _ kind: AnomalyKind, at location: SourceLocation, _ detail: () -> String
    ) {
        if let position = entries.firstIndex(where: { $0.kind == kind }) {
            entries[position].count += 1
            if entries[position].examples.count < Self.examplesPerKind {
                entries[position].examples.append(
                    Anomaly(kind: kind, location: location, detail: detail()))
            }
        } else {
            let example = Anomaly(kind: kind, location: location, detail: detail())
            entries.append(Entry(kind: kind, action: kind.action, count: 1, examples: [example]))
            entries.sort { $0.kind < $1.kind }
        }
    }

    /// The number of cases of `kind` (0 if none).
    public func count(of kind: AnomalyKind) -> Int {
        entries.first(where: { $0.kind == kind })?.count ?? 0
    }

    /// The number of cases whose action was `action`.
    public func count(with action: AnomalyAction) -> Int {
        entries.filter { $0.action == action }.reduce(0) { $0 + $1.count }
    }

    /// True when nothing was found.
    public var isEmpty: Bool { entries.isEmpty }
}
