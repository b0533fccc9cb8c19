/// A category of problem found in an annotation file. See `Docs/datasets.md` for the policy.
///
/// Each category has one fixed ``AnomalyAction``: what is unambiguous is repaired, what is not is
/// dropped, and what is merely unusual is kept. Every case is counted; none passes silently.
public enum AnomalyKind: String, CaseIterable, Codable, Sendable, Comparable {
    /// The end lies past the video's duration by at most the policy's tolerance: clipped.
    case endPastDuration = "end-past-duration"
    /// The end lies past the video's duration by more than the tolerance: dropped.
    case endFarPastDuration = "end-far-past-duration"
    /// The start is negative: clipped to 0.
    case negativeStart = "negative-start"
    /// The start lies at or past the video's end: dropped.
    case startPastDuration = "start-past-duration"
    /// The start lies after the end (which one is wrong is unknown): dropped.
    case startAfterEnd = "start-after-end"
    /// Start equals end: dropped (no moment to find).
    case zeroLength = "zero-length"
    /// The sentence has leading or trailing whitespace: trimmed.
    case surroundingWhitespace = "surrounding-whitespace"
    /// The sentence contains a line break or tab: replaced by a space.
    case embeddedLineBreak = "embedded-line-break"
    /// The sentence is empty after trimming: dropped.
    case emptyQuery = "empty-query"
    /// The sentence has non-ASCII characters: kept (they are legitimate text).
    case nonASCIIText = "non-ascii-text"
    /// Same video, same span and same sentence as an earlier record of the split: kept, because
    /// the reference evaluations count them (TACoS test has 4,001 queries with the duplicates).
    case duplicate = "duplicate"
    /// A JSON video key or a JSON Lines query id given again later in the file: the earlier
    /// record dropped, because Python's dict-based readers (the reference evaluations) keep
    /// the last one.
    case duplicateKey = "duplicate-key"
    /// The video has no known duration (not in the durations file): dropped.
    case missingDuration = "missing-duration"
    /// The video's duration is missing, zero, negative or not a number: all its records dropped.
    case invalidDuration = "invalid-duration"
    /// The record cannot be parsed (wrong field count, not a number, wrong JSON type): dropped.
    case malformedRecord = "malformed-record"
    /// Saliency ratings do not match the clip ids or the video length: ratings dropped, the
    /// sample kept.
    case inconsistentSaliency = "inconsistent-saliency"

    /// What the policy does with a record in this category.
    public var action: AnomalyAction {
        switch self {
        case .endPastDuration, .negativeStart, .surroundingWhitespace, .embeddedLineBreak,
            .inconsistentSaliency:
            return .repaired
        case .endFarPastDuration, .startPastDuration, .startAfterEnd, .zeroLength, .emptyQuery,
            .duplicateKey, .missingDuration, .invalidDuration, .malformedRecord:
            return .dropped
        case .nonASCIIText, .duplicate:
            return .kept
        }
    }

    /// Orders categories as declared, for stable tables.
    public static func < (lhs: AnomalyKind, rhs: AnomalyKind) -> Bool {
        let order = AnomalyKind.allCases
        return (order.firstIndex(of: lhs) ?? 0) < (order.firstIndex(of: rhs) ?? 0)
    }
}

/// What the anomaly policy did with a record.
public enum AnomalyAction: String, Codable, Sendable {
    /// Fixed in an unambiguous way and kept.
    case repaired
    /// Left out of the dataset.
    case dropped
    /// Kept unchanged; only counted.
    case kept
}

/// One anomaly found in a file: its category, where, and the details.
public struct Anomaly: Hashable, Codable, Sendable, CustomStringConvertible {
    /// The category (which fixes the action taken).
    public var kind: AnomalyKind
    /// The file and line or key of the record.
    public var location: SourceLocation
    /// What exactly was found, e.g. "end 31.5 s > duration 30.96 s".
    public var detail: String

    /// Creates an anomaly record.
    public init(kind: AnomalyKind, location: SourceLocation, detail: String) {
        self.kind = kind
        self.location = location
        self.detail = detail
    }

    /// `location: kind (action): detail`.
    public var description: String {
        "\(location): \(kind.rawValue) (\(kind.action.rawValue)): \(detail)"
    }
}
