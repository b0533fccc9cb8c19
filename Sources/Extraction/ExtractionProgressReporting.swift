/// Where extraction tells its progress: a terminal renderer (in the reporting module) or a test's
/// recorder conforms. The progress counts frames encoded over the frames the videos' headers
/// announce, so a bar shows frames/s and an ETA.
public protocol ExtractionProgressReporting: AnyObject {
    /// A task of `total` steps starts.
    func begin(_ label: String, total: Int)
    /// `done` of the steps are complete; `status` is a short state ("video 3/10"), `itemsDone`
    /// the items behind the rate.
    func update(done: Int, status: String, itemsDone: Int?)
    /// Something the run reports once.
    func report(_ event: ExtractionEvent)
}

/// What an extraction reports once, as typed values.
public enum ExtractionEvent: Sendable {
    /// The run starts: its shard, videos to extract and videos already complete.
    case started(shard: ExtractionShard, featureKind: String, toExtract: Int, alreadyComplete: Int)
    /// A video failed; the others go on.
    case failed(ExtractionFailure)
}
