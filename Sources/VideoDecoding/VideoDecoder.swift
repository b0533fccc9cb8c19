import CFFmpeg

/// Streams a video file's frames in presentation order through FFmpeg: any container and codec
/// the installed FFmpeg reads, timestamps from the stream, rotation applied, RGB24 by libswscale.
///
/// The decoder holds at most two decoded frames (the current one and the next, which tells when
/// the current one ends), so memory stays flat whatever the video's length.
///
/// Timestamps: each frame's time is its best-effort timestamp (`best_effort_timestamp`: the
/// presentation timestamp, else one guessed from decoding timestamps) minus the stream's declared
/// start, in the stream's time base; a frame without one follows the previous frame by that
/// frame's duration. A frame whose time is not after the previous frame's cannot be shown and is
/// dropped (counted in `droppedFrameCount`). Variable frame rates need nothing special: every
/// frame carries its own time.
///
/// Damage is an error, never a silently shorter or patched video: frames before the damage are
/// handed out, then `advance()` throws `corruptData` (the demuxer failed: at once; the decoder
/// rejected packets and FFmpeg concealed the loss: when the last frame is reached) or `truncated`
/// (the data ends before the declared end; see `truncationToleranceSeconds`).
///
/// Not `Sendable`: one decoder belongs to one task.
public final class VideoDecoder {
    /// What the file's headers declare.
    public let properties: VideoProperties
    /// Frames handed out by `advance()` so far.
    public private(set) var decodedFrameCount = 0
    /// Frames dropped because their time was not after the previous frame's.
    public private(set) var droppedFrameCount = 0
    /// How far before the declared duration the decoded frames may end before the file counts as
    /// truncated: a second, or two frame intervals when frames are further apart. Headers round
    /// durations, and the container's duration may include a longer audio track.
    public static let truncationToleranceSeconds = 1.0

    private let input: VideoInput
    private let converter = RGBConverter()
    private var current: UnsafeMutablePointer<AVFrame>?
    private var next: UnsafeMutablePointer<AVFrame>?
    private var currentTiming: FrameTiming?
    private var nextTime: (seconds: Double, endSeconds: Double)?
    private var started = false
    private var originTicks: Int64?
    private var lastTicks: Int64?
    private var lastDurationTicks: Int64 = 0

    /// Opens the video file at `path` and reads its headers.
    public init(path: String) throws(VideoDecodingError) {
        input = try VideoInput(path: path)
        properties = input.properties
        current = av_frame_alloc()
        next = av_frame_alloc()
        precondition(current != nil && next != nil, "VideoDecoder: av_frame_alloc failed")
    }

    deinit {
        av_frame_free(&current)
        av_frame_free(&next)
    }

    /// The file's path.
    public var path: String { input.path }

    /// The timing of the current frame (the one `currentFrame()` converts), nil before the first
    /// `advance()` and after the end.
    public var currentFrameTiming: FrameTiming? { currentTiming }

    /// Moves to the next frame and returns its timing, or nil after the last frame. Cheap: the
    /// frame is converted to RGB only when `currentFrame()` asks for it.
    public func advance() throws(VideoDecodingError) -> FrameTiming? {
        guard let current, let next else { return nil }
        if !started {
            started = true
            nextTime = try decodeInto(next)
        }
        guard let upcoming = nextTime else {
            if decodedFrameCount == 0 { throw .noFrames(path: path) }
            currentTiming = nil
            return nil
        }
        av_frame_unref(current)
        av_frame_move_ref(current, next)
        nextTime = try decodeInto(next)
        let timing = FrameTiming(
            index: decodedFrameCount, presentationSeconds: upcoming.seconds,
            endSeconds: nextTime?.seconds ?? upcoming.endSeconds,
            isLast: nextTime == nil)
        decodedFrameCount += 1
        currentTiming = timing
        if timing.isLast { try checkCompleteness(endSeconds: timing.endSeconds) }
        return timing
    }

    /// The current frame as upright RGB24. Precondition: `advance()` returned a timing.
    public func currentFrame() throws(VideoDecodingError) -> VideoFrame {
        guard let current, let currentTiming else {
            preconditionFailure("VideoDecoder.currentFrame: call advance() first")
        }
        return try converter.convert(
            current, rotationDegrees: properties.rotationDegrees,
            presentationSeconds: currentTiming.presentationSeconds, path: path)
    }

    /// The next frame as upright RGB24, or nil after the last: `advance()` then `currentFrame()`.
    public func nextFrame() throws(VideoDecodingError) -> VideoFrame? {
        guard try advance() != nil else { return nil }
        return try currentFrame()
    }

    /// Decodes the next showable frame into `frame`; returns its time and the end of its own
    /// duration in seconds (used when it is the last frame), or nil at the end of the stream.
    private func decodeInto(_ frame: UnsafeMutablePointer<AVFrame>) throws(VideoDecodingError)
        -> (seconds: Double, endSeconds: Double)?
    {
        while try input.receiveFrame(into: frame) {
            var ticks = frame.pointee.best_effort_timestamp
            if ticks == cffmpeg_no_timestamp() {
                ticks = lastTicks.map { $0 + max(lastDurationTicks, 1) } ?? 0
            }
            if originTicks == nil { originTicks = input.streamStartTicks ?? ticks }
            if let lastTicks, ticks <= lastTicks {
                droppedFrameCount += 1
                av_frame_unref(frame)
                continue
            }
            let durationTicks = cffmpeg_frame_duration(frame)
            let interval = lastTicks.map { ticks - $0 } ?? 0
            lastTicks = ticks
            lastDurationTicks = durationTicks > 0 ? durationTicks : interval
            let origin = originTicks ?? 0
            let seconds = input.seconds(ticks: ticks - origin)
            let endSeconds: Double
            if durationTicks > 0 {
                // The end's ticks in one division, so an exact end (10.0 s) stays exact.
                endSeconds = input.seconds(ticks: ticks - origin + durationTicks)
            } else if let framesPerSecond = properties.framesPerSecond {
                endSeconds = seconds + 1 / framesPerSecond
            } else {
                endSeconds = seconds + input.seconds(ticks: interval)
            }
            return (seconds, endSeconds)
        }
        return nil
    }

    /// At the end of the stream: a packet cut short, or frames ending more than the tolerance
    /// before the declared end, are `truncated`; damage FFmpeg concealed is `corruptData`. The
    /// declared end is the later of the declared duration and the declared frame count over the
    /// frame rate (an AVI cut short loses its index, and FFmpeg then estimates a shorter duration,
    /// but its header still counts every frame).
    private func checkCompleteness(endSeconds: Double) throws(VideoDecodingError) {
        var declared = properties.declaredDurationSeconds
        if let count = properties.declaredFrameCount, let rate = properties.framesPerSecond {
            declared = max(declared ?? 0, Double(count) / rate)
        }
        if input.sawTruncatedPacket {
            throw .truncated(path: path, decodedUntilSeconds: endSeconds, declaredSeconds: declared)
        }
        if let declared {
            let interval = properties.framesPerSecond.map { 1 / $0 } ?? 0
            let tolerance = max(Self.truncationToleranceSeconds, 2 * interval)
            if endSeconds < declared - tolerance {
                throw .truncated(
                    path: path, decodedUntilSeconds: endSeconds, declaredSeconds: declared)
            }
        }
        if let damage = input.concealedDamage {
            throw .corruptData(
                path: path, afterSeconds: input.firstDamageSeconds ?? 0,
                reason: "FFmpeg met \(damage.count) error(s), the first: \(damage.firstReason)")
        }
    }
}
