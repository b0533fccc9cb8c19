import Tensors

/// Frozen text states per distinct query, computed once: the text encoder is frozen, so its
/// output for a query is the same every epoch and costs one forward pass per query, not per step.
///
/// Keyed by the query and the encoder's precision (`QueryEncoder.precision`), so that states
/// computed at different precisions never stand in for each other.
public final class QueryStateCache {
    /// What a state is cached under.
    struct Key: Hashable {
        let query: String
        let precision: Precision
    }

    /// Queries encoded per call of the encoder in `prepare`.
    public static let defaultBatchSize = 64

    /// The encoder the states come from.
    public let encoder: any QueryEncoder
    private var states: [Key: QueryStates] = [:]

    /// An empty cache over `encoder`.
    public init(encoder: any QueryEncoder) {
        self.encoder = encoder
    }

    /// The number of distinct queries cached.
    public var count: Int { states.count }

    /// Encodes every query not yet cached, in batches of `batchSize`; `progress` gets the number
    /// done so far and the number to do.
    public func prepare(
        _ queries: [String], batchSize: Int = defaultBatchSize,
        progress: (Int, Int) -> Void = { _, _ in }
    ) throws {
        var seen: Set<String> = []
        let precision = encoder.precision
        let missing = queries.filter {
            states[Key(query: $0, precision: precision)] == nil && seen.insert($0).inserted
        }
        var done = 0
        while done < missing.count {
            let chunk = Array(missing[done..<min(done + batchSize, missing.count)])
            for (query, state) in zip(chunk, try encoder.tokenStates(of: chunk)) {
                states[Key(query: query, precision: precision)] = state
            }
            done += chunk.count
            progress(done, missing.count)
        }
    }

    /// The states of `query`, encoding it now if it was not prepared.
    public func states(of query: String) throws -> QueryStates {
        let key = Key(query: query, precision: encoder.precision)
        if let cached = states[key] { return cached }
        try prepare([query])
        guard let cached = states[key] else {
            preconditionFailure("QueryStateCache: encoder returned no states for a query")
        }
        return cached
    }
}
