/// Why a video could not be decoded. Every case names the file and says what to do.
///
/// A truncated or corrupt file is an error, not a shorter video: the decoder hands out the frames
/// before the damage and then throws, so a caller that needs every clip (feature extraction) fails
/// the video instead of writing features for part of it (see Docs/video-sampling.md).
public enum VideoDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No file at the path.
    case fileNotFound(path: String)
    /// FFmpeg cannot read the file as a container it knows.
    case unreadable(path: String, reason: String)
    /// The container holds no video stream (an audio file, a subtitle file).
    case noVideoStream(path: String)
    /// FFmpeg has no decoder for the stream's codec, or the decoder refused the stream.
    case unsupportedCodec(path: String, codec: String, reason: String)
    /// The demuxer failed part-way, or the decoder rejected packets: damaged bytes inside the
    /// file (`afterSeconds`: where the first damage was met).
    case corruptData(path: String, afterSeconds: Double, reason: String)
    /// The data ends before the end the headers declare (nil when they declare none but the
    /// demuxer found a packet cut short): the file was cut short.
    case truncated(path: String, decodedUntilSeconds: Double, declaredSeconds: Double?)
    /// The stream holds no decodable frame at all.
    case noFrames(path: String)
    /// libswscale cannot convert the decoded pixel format to RGB24.
    case conversionFailed(path: String, pixelFormat: String)

    /// A message naming the file, what went wrong and what to do.
    public var description: String {
        switch self {
        case .fileNotFound(let path):
            return "\(path): no such video file. Check the path."
        case .unreadable(let path, let reason):
            return "\(path): FFmpeg cannot read this file as a video (\(reason)). The file may "
                + "be truncated before its header, not a video, or in a format this FFmpeg "
                + "build lacks; check it with `ffprobe \(path)`."
        case .noVideoStream(let path):
            return "\(path): the file has no video stream (audio or subtitles only)."
        case .unsupportedCodec(let path, let codec, let reason):
            return "\(path): cannot decode the video codec \(codec) (\(reason)). Re-encode the "
                + "file, for instance `ffmpeg -i \(path) -c:v libx264 out.mp4`."
        case .corruptData(let path, let afterSeconds, let reason):
            return "\(path): corrupt data after \(Self.seconds(afterSeconds)) (\(reason)). "
                + "Download or copy the file again, or re-encode the readable part."
        case .truncated(let path, let decodedUntilSeconds, let declaredSeconds):
            let declared = declaredSeconds.map { " of the \(Self.seconds($0)) its headers declare" }
            return "\(path): the file is truncated: its frames end at "
                + "\(Self.seconds(decodedUntilSeconds))\(declared ?? ""). Download or copy the file "
                + "again."
        case .noFrames(let path):
            return "\(path): the video stream holds no decodable frame."
        case .conversionFailed(let path, let pixelFormat):
            return "\(path): cannot convert pixel format \(pixelFormat) to RGB. Re-encode the "
                + "file to yuv420p."
        }
    }

    /// The file the error is about.
    public var path: String {
        switch self {
        case .fileNotFound(let path), .unreadable(let path, _), .noVideoStream(let path),
            .unsupportedCodec(let path, _, _), .corruptData(let path, _, _),
            .truncated(let path, _, _), .noFrames(let path), .conversionFailed(let path, _):
            return path
        }
    }

    private static func seconds(_ value: Double) -> String {
        let rounded = (value * 1000).rounded() / 1000
        return "\(rounded) s"
    }
}
