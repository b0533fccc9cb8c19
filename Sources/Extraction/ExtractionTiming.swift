import Dispatch

/// Where extraction time goes: decoding (demuxing, decoding, converting the sampled frames to
/// RGB), preprocessing (resize, crop, normalise), encoding (the vision transformer) and writing
/// (features, checksums, manifest). Seconds of wall time, summed over videos.
public struct ExtractionTiming: Sendable, Equatable {
    /// Demuxing, decoding and RGB conversion.
    public var decodeSeconds: Double = 0
    /// `CLIPImagePreprocessor` on the sampled frames.
    public var preprocessSeconds: Double = 0
    /// The image encoder's forward passes.
    public var encodeSeconds: Double = 0
    /// Checksums, the `.npz` and the manifest line.
    public var writeSeconds: Double = 0

    /// No time yet.
    public init() {}

    /// All four.
    public var totalSeconds: Double {
        decodeSeconds + preprocessSeconds + encodeSeconds + writeSeconds
    }

    /// The fraction of `totalSeconds` spent decoding and preprocessing (0 when nothing was timed).
    public var decodeAndPreprocessShare: Double {
        totalSeconds > 0 ? (decodeSeconds + preprocessSeconds) / totalSeconds : 0
    }

    /// Adds another timing's seconds.
    public static func += (left: inout ExtractionTiming, right: ExtractionTiming) {
        left.decodeSeconds += right.decodeSeconds
        left.preprocessSeconds += right.preprocessSeconds
        left.encodeSeconds += right.encodeSeconds
        left.writeSeconds += right.writeSeconds
    }

    /// Runs `body` and adds its wall time to the part at `part`.
    static func timed<Result, Failure: Error>(
        _ part: inout Double, _ body: () throws(Failure) -> Result
    ) throws(Failure) -> Result {
        let start = DispatchTime.now().uptimeNanoseconds
        defer { part += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
        return try body()
    }
}
