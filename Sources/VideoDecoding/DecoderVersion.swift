import CFFmpeg

/// The versions of the FFmpeg libraries that decode and convert frames, as loaded at run time:
/// what a feature manifest records so that features can be traced to the decoder that made them.
public enum DecoderVersion {
    /// "libavformat 60.16.100, libavcodec 60.31.102, libavutil 58.29.100, libswscale 7.5.100".
    public static var description: String {
        [
            ("libavformat", avformat_version()), ("libavcodec", avcodec_version()),
            ("libavutil", avutil_version()), ("libswscale", swscale_version()),
        ].map { "\($0.0) \(text(of: $0.1))" }.joined(separator: ", ")
    }

    /// FFmpeg's packed version number (major << 16 | minor << 8 | micro) as "major.minor.micro".
    static func text(of version: UInt32) -> String {
        "\(version >> 16).\((version >> 8) & 0xFF).\(version & 0xFF)"
    }
}
