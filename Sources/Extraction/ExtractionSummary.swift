/// A video that could not be extracted, and why (the decoder's message names the file).
public struct ExtractionFailure: Sendable, Equatable, CustomStringConvertible {
    /// The video's id.
    public let videoID: String
    /// The video's path.
    public let path: String
    /// What went wrong and what to do.
    public let message: String

    /// A failure from its values.
    public init(videoID: String, path: String, message: String) {
        self.videoID = videoID
        self.path = path
        self.message = message
    }

    /// The message (it names the file).
    public var description: String { message }
}

/// What an extraction run did: the figures `vtg extract` prints at the end.
public struct ExtractionSummary: Sendable, Equatable {
    /// The shard this process took.
    public var shard: ExtractionShard
    /// Videos in this shard.
    public var videoCount = 0
    /// Videos extracted now.
    public var extractedCount = 0
    /// Videos skipped because their features were complete and matched the configuration.
    public var skippedCount = 0
    /// Videos that failed (damaged, unreadable), in the order met.
    public var failures: [ExtractionFailure] = []
    /// Seconds of video extracted now.
    public var videoSeconds = 0.0
    /// Clips extracted now.
    public var clipCount = 0
    /// Frames decoded now (every frame of the extracted videos).
    public var decodedFrameCount = 0
    /// Frames encoded now (F per clip).
    public var encodedFrameCount = 0
    /// Wall time of the run, model loading included.
    public var wallSeconds = 0.0
    /// Where the time of the extracted videos went.
    public var timing = ExtractionTiming()

    /// An empty summary for `shard`.
    public init(shard: ExtractionShard) {
        self.shard = shard
    }

    /// Hours of video extracted now.
    public var videoHours: Double { videoSeconds / 3600 }

    /// Seconds of video extracted per second of wall time.
    public var videoSecondsPerWallSecond: Double {
        wallSeconds > 0 ? videoSeconds / wallSeconds : 0
    }

    /// True when no video failed (`vtg extract` exits with a non-zero status otherwise).
    public var succeeded: Bool { failures.isEmpty }
}
