/// What a video file's headers say about its video stream, read when it is opened (before any
/// frame is decoded).
///
/// These are declarations, not measurements: the sampler's clip count comes from the decoded
/// frames (see `ClipSampling` and Docs/video-sampling.md), and `declaredDurationSeconds` is only
/// what the decoder checks the decoded frames against to detect a truncated file.
public struct VideoProperties: Sendable, Equatable {
    /// The file's path.
    public let path: String
    /// FFmpeg's name of the container format (`"mov,mp4,m4a,3gp,3g2,mj2"`, `"avi"`,
    /// `"matroska,webm"`).
    public let containerName: String
    /// FFmpeg's name of the video codec (`"h264"`, `"mpeg4"`, `"msmpeg4v3"`, `"vp9"`).
    public let codecName: String
    /// Coded picture width, before rotation.
    public let codedWidth: Int
    /// Coded picture height, before rotation.
    public let codedHeight: Int
    /// The clockwise rotation that shows the picture upright: 0, 90, 180 or 270 (from the
    /// stream's display matrix, else its `rotate` tag). Decoded frames are already rotated.
    public let rotationDegrees: Int
    /// The stream's average frame rate in frames per second (its nominal rate when the average
    /// is unknown), nil when the headers give neither. Informative only: frame times come from
    /// timestamps.
    public let framesPerSecond: Double?
    /// The duration the headers declare, in seconds: the video stream's duration, else the
    /// container's; nil when neither is known (a live WebM stream).
    public let declaredDurationSeconds: Double?
    /// The number of frames the headers declare (the stream's `nb_frames`), nil when unknown.
    /// It may count packets that hold no picture (`tree.avi`: 444 declared, 68 decode).
    public let declaredFrameCount: Int?

    /// Creates properties from their values (the decoder reads them from FFmpeg).
    public init(
        path: String, containerName: String, codecName: String, codedWidth: Int,
        codedHeight: Int, rotationDegrees: Int, framesPerSecond: Double?,
        declaredDurationSeconds: Double?, declaredFrameCount: Int?
    ) {
        precondition(
            [0, 90, 180, 270].contains(rotationDegrees),
            "VideoProperties: rotation \(rotationDegrees)° is not a multiple of 90 in [0, 270]")
        self.path = path
        self.containerName = containerName
        self.codecName = codecName
        self.codedWidth = codedWidth
        self.codedHeight = codedHeight
        self.rotationDegrees = rotationDegrees
        self.framesPerSecond = framesPerSecond
        self.declaredDurationSeconds = declaredDurationSeconds
        self.declaredFrameCount = declaredFrameCount
    }

    /// Width of the frames as shown (after rotation).
    public var displayWidth: Int { rotationDegrees % 180 == 0 ? codedWidth : codedHeight }
    /// Height of the frames as shown (after rotation).
    public var displayHeight: Int { rotationDegrees % 180 == 0 ? codedHeight : codedWidth }

    /// The clockwise rotation, in multiples of 90°, that shows a picture upright, from FFmpeg's
    /// display-matrix angle (`av_display_rotation_get`: degrees counter-clockwise, in
    /// [-180, 180]). Angles between multiples of 90 snap to the nearest one.
    static func clockwiseRotation(counterClockwiseDegrees: Double) -> Int {
        guard counterClockwiseDegrees.isFinite else { return 0 }
        let quarterTurns = Int((-counterClockwiseDegrees / 90).rounded())
        return ((quarterTurns % 4) + 4) % 4 * 90
    }
}
