import CFFmpeg
import Foundation

/// FFmpeg's log printer is replaced once, process-wide, by one that prints nothing and counts each
/// input's error messages (`cffmpeg_log_callback` in the CFFmpeg shim): damaged files make FFmpeg
/// print a line per broken macroblock, and every problem reaches the caller as a
/// `VideoDecodingError` instead.
private let ffmpegLogInstalled: Void = cffmpeg_install_log_callback()

/// FFmpeg's message for an error code ("Invalid data found when processing input").
func ffmpegErrorMessage(_ code: Int32) -> String {
    var buffer = [CChar](repeating: 0, count: 256)
    cffmpeg_error_string(code, &buffer, buffer.count)
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// The demuxer and decoder of one file's video stream: owns FFmpeg's format context, codec
/// context and packet, and hands out raw decoded frames in presentation order.
///
/// Errors: a demuxer error other than end of file is `corruptData` at once. Damage that FFmpeg
/// conceals (a packet the decoder rejects, a demuxer resynchronising after garbage, a decoder
/// patching broken pictures: anything FFmpeg logs as an error) is counted and decoding goes on;
/// a packet the demuxer flags as cut short is remembered. `VideoDecoder` turns both into errors
/// at the end of the stream.
final class VideoInput {
    let path: String
    let properties: VideoProperties
    /// The video stream's time base: timestamps count units of `numerator / denominator` s.
    let timeBase: AVRational
    /// The stream's declared first timestamp, nil when the headers do not say.
    let streamStartTicks: Int64?
    /// Where the first concealed damage was met (seconds into the stream), nil while none was.
    private(set) var firstDamageSeconds: Double?
    /// Whether the demuxer delivered a video packet shorter than its index says.
    private(set) var sawTruncatedPacket = false

    private var formatContext: UnsafeMutablePointer<AVFormatContext>?
    private var codecContext: UnsafeMutablePointer<AVCodecContext>?
    private var packet: UnsafeMutablePointer<AVPacket>?
    private let streamIndex: Int32
    private var flushSent = false
    private var rejectedPacketCount = 0
    private var firstRejectionReason: String?
    private var lastPacketSeconds = 0.0
    /// Counts the error messages FFmpeg logs for this input (the contexts' `opaque` points here).
    private let errorLog: UnsafeMutablePointer<cffmpeg_error_log>

    /// Opens `path`, picks its best video stream and opens a decoder for it (FFmpeg picks the
    /// thread count).
    init(path: String) throws(VideoDecodingError) {
        _ = ffmpegLogInstalled
        guard FileManager.default.fileExists(atPath: path) else {
            throw .fileNotFound(path: path)
        }
        var format: UnsafeMutablePointer<AVFormatContext>?
        let openStatus = avformat_open_input(&format, path, nil, nil)
        guard openStatus >= 0, let format else {
            throw .unreadable(path: path, reason: ffmpegErrorMessage(openStatus))
        }
        let errorLog = UnsafeMutablePointer<cffmpeg_error_log>.allocate(capacity: 1)
        errorLog.initialize(to: cffmpeg_error_log())
        format.pointee.opaque = UnsafeMutableRawPointer(errorLog)
        var codec: UnsafeMutablePointer<AVCodecContext>?
        var opened = false
        defer {
            if !opened {
                avcodec_free_context(&codec)
                var context: UnsafeMutablePointer<AVFormatContext>? = format
                avformat_close_input(&context)
                errorLog.deallocate()
            }
        }
        let infoStatus = avformat_find_stream_info(format, nil)
        guard infoStatus >= 0 else {
            throw .unreadable(path: path, reason: ffmpegErrorMessage(infoStatus))
        }
        let index = av_find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1, nil, 0)
        guard index >= 0, let stream = format.pointee.streams[Int(index)],
            stream.pointee.disposition & AV_DISPOSITION_ATTACHED_PIC == 0
        else { throw .noVideoStream(path: path) }
        for other in 0..<Int(format.pointee.nb_streams) where other != Int(index) {
            format.pointee.streams[other]?.pointee.discard = AVDISCARD_ALL
        }
        guard let parameters = stream.pointee.codecpar else { throw .noVideoStream(path: path) }
        let codecName = String(cString: avcodec_get_name(parameters.pointee.codec_id))
        guard let decoder = avcodec_find_decoder(parameters.pointee.codec_id) else {
            throw .unsupportedCodec(
                path: path, codec: codecName, reason: "this FFmpeg build has no decoder for it")
        }
        codec = avcodec_alloc_context3(decoder)
        guard let codec else {
            throw .unsupportedCodec(path: path, codec: codecName, reason: "out of memory")
        }
        let parameterStatus = avcodec_parameters_to_context(codec, parameters)
        guard parameterStatus >= 0 else {
            throw .unsupportedCodec(
                path: path, codec: codecName, reason: ffmpegErrorMessage(parameterStatus))
        }
        codec.pointee.pkt_timebase = stream.pointee.time_base
        codec.pointee.thread_count = 0
        codec.pointee.opaque = UnsafeMutableRawPointer(errorLog)
        let codecStatus = avcodec_open2(codec, decoder, nil)
        guard codecStatus >= 0 else {
            throw .unsupportedCodec(
                path: path, codec: codecName, reason: ffmpegErrorMessage(codecStatus))
        }
        guard let packet = av_packet_alloc() else {
            throw .unsupportedCodec(path: path, codec: codecName, reason: "out of memory")
        }
        opened = true
        self.path = path
        self.formatContext = format
        self.codecContext = codec
        self.packet = packet
        self.errorLog = errorLog
        self.streamIndex = index
        self.timeBase = stream.pointee.time_base
        let noTimestamp = cffmpeg_no_timestamp()
        self.streamStartTicks =
            stream.pointee.start_time == noTimestamp ? nil : stream.pointee.start_time
        self.properties = Self.properties(
            path: path, format: format, stream: stream, codecName: codecName)
    }

    deinit {
        av_packet_free(&packet)
        avcodec_free_context(&codecContext)
        avformat_close_input(&formatContext)
        errorLog.deallocate()
    }

    /// How many problems FFmpeg met and concealed so far (packets the decoder rejected plus error
    /// messages it logged), and its words for the first one; nil while there were none.
    var concealedDamage: (count: Int, firstReason: String)? {
        let logged = Int(cffmpeg_error_log_count(errorLog))
        guard logged + rejectedPacketCount > 0 else { return nil }
        var reason = firstRejectionReason ?? ""
        if logged > 0 {
            reason = withUnsafeBytes(of: errorLog.pointee.first_message) { bytes in
                String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
            }.trimmingCharacters(in: .whitespacesAndNewlines.union(["."]))
        }
        return (logged + rejectedPacketCount, reason)
    }

    /// Decodes the next frame into `frame` (which must hold no data); false at the end of the
    /// stream.
    func receiveFrame(into frame: UnsafeMutablePointer<AVFrame>) throws(VideoDecodingError)
        -> Bool
    {
        guard let codecContext else { return false }
        while true {
            let status = avcodec_receive_frame(codecContext, frame)
            if status >= 0 { return true }
            if status == cffmpeg_error_end_of_file() { return false }
            if status != cffmpeg_error_again() {
                // A decoding error surfaced on output (frame-threaded decoders report them here).
                recordRejection(status)
                continue
            }
            if flushSent { return false }
            try sendNextPacket()
        }
    }

    /// Reads packets until one of the video stream is accepted by the decoder, or sends the
    /// flush request at the end of the file.
    private func sendNextPacket() throws(VideoDecodingError) {
        guard let formatContext, let codecContext, let packet else { return }
        while true {
            let readStatus = av_read_frame(formatContext, packet)
            if readStatus == cffmpeg_error_end_of_file() {
                avcodec_send_packet(codecContext, nil)
                flushSent = true
                return
            }
            guard readStatus >= 0 else {
                throw .corruptData(
                    path: path, afterSeconds: lastPacketSeconds,
                    reason: ffmpegErrorMessage(readStatus))
            }
            defer { av_packet_unref(packet) }
            noteDamage()
            guard packet.pointee.stream_index == streamIndex else { continue }
            if packet.pointee.pts != cffmpeg_no_timestamp() {
                lastPacketSeconds = seconds(ticks: packet.pointee.pts - (streamStartTicks ?? 0))
            }
            if packet.pointee.flags & cffmpeg_packet_flag_corrupt() != 0 {
                sawTruncatedPacket = true
            }
            let sendStatus = avcodec_send_packet(codecContext, packet)
            if sendStatus >= 0 { return }
            recordRejection(sendStatus)
        }
    }

    private func recordRejection(_ status: Int32) {
        rejectedPacketCount += 1
        if firstRejectionReason == nil { firstRejectionReason = ffmpegErrorMessage(status) }
        noteDamage()
    }

    /// Remembers where the first damage was met: the last video packet read when it was logged.
    private func noteDamage() {
        if firstDamageSeconds == nil, concealedDamage != nil {
            firstDamageSeconds = lastPacketSeconds
        }
    }

    /// `ticks` of the stream's time base in seconds: one correctly rounded division, so a time
    /// that is a whole number of milliseconds (or any value a Double holds) comes out exact.
    func seconds(ticks: Int64) -> Double {
        Double(ticks) * Double(timeBase.num) / Double(timeBase.den)
    }

    private static func properties(
        path: String, format: UnsafeMutablePointer<AVFormatContext>,
        stream: UnsafeMutablePointer<AVStream>, codecName: String
    ) -> VideoProperties {
        let parameters = stream.pointee.codecpar.map { $0.pointee } ?? AVCodecParameters()
        let noTimestamp = cffmpeg_no_timestamp()
        var declaredDuration: Double?
        let timeBase = stream.pointee.time_base
        if stream.pointee.duration != noTimestamp, stream.pointee.duration > 0, timeBase.den > 0 {
            declaredDuration =
                Double(stream.pointee.duration) * Double(timeBase.num) / Double(timeBase.den)
        } else if format.pointee.duration != noTimestamp, format.pointee.duration > 0 {
            declaredDuration = Double(format.pointee.duration) / Double(AV_TIME_BASE)
        }
        func rate(_ value: AVRational) -> Double? {
            value.num > 0 && value.den > 0 ? Double(value.num) / Double(value.den) : nil
        }
        return VideoProperties(
            path: path,
            containerName: format.pointee.iformat.flatMap { $0.pointee.name }
                .map { String(cString: $0) } ?? "unknown",
            codecName: codecName,
            codedWidth: Int(parameters.width), codedHeight: Int(parameters.height),
            rotationDegrees: rotation(of: stream),
            framesPerSecond: rate(stream.pointee.avg_frame_rate)
                ?? rate(stream.pointee.r_frame_rate),
            declaredDurationSeconds: declaredDuration,
            declaredFrameCount: stream.pointee.nb_frames > 0 ? Int(stream.pointee.nb_frames) : nil)
    }

    /// The clockwise display rotation: the display matrix when there is one, else the legacy
    /// `rotate` tag (degrees clockwise) that older muxers wrote.
    private static func rotation(of stream: UnsafeMutablePointer<AVStream>) -> Int {
        if let matrix = cffmpeg_stream_display_matrix(stream) {
            return VideoProperties.clockwiseRotation(
                counterClockwiseDegrees: av_display_rotation_get(matrix))
        }
        if let entry = av_dict_get(stream.pointee.metadata, "rotate", nil, 0),
            let degrees = Double(String(cString: entry.pointee.value))
        {
            return VideoProperties.clockwiseRotation(counterClockwiseDegrees: -degrees)
        }
        return 0
    }
}
