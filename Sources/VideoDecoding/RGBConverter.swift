import CFFmpeg

/// Converts decoded frames to upright RGB24 with libswscale, the way the `ffmpeg` command line
/// does by default: bicubic flags, and the frame's own colour matrix and range when it declares
/// them (BT.601 limited range otherwise). The rotation is a lossless pixel shuffle after the
/// conversion.
///
/// The scaler context is cached and rebuilt only when the frame's size, pixel format or colour
/// description changes; the conversion writes into one reused, 64-byte-aligned buffer whose rows
/// are padded, then rows are copied (and rotated) into the frame's own array.
final class RGBConverter {
    private var context: OpaquePointer?
    private var colourKey: (space: Int32, range: Int32)?
    private var buffer: UnsafeMutableRawPointer?
    private var bufferBytes = 0

    init() {}

    deinit {
        sws_freeContext(context)
        buffer?.deallocate()
    }

    /// `frame` as upright RGB24, rotated clockwise by `rotationDegrees` (0, 90, 180 or 270).
    func convert(
        _ frame: UnsafePointer<AVFrame>, rotationDegrees: Int, presentationSeconds: Double,
        path: String
    ) throws(VideoDecodingError) -> VideoFrame {
        let width = Int(frame.pointee.width)
        let height = Int(frame.pointee.height)
        let format = AVPixelFormat(rawValue: frame.pointee.format)
        let formatName = av_get_pix_fmt_name(format).map { String(cString: $0) } ?? "unknown"
        context = sws_getCachedContext(
            context, Int32(width), Int32(height), format, Int32(width), Int32(height),
            AV_PIX_FMT_RGB24, SWS_BICUBIC, nil, nil, nil)
        guard let context, width > 0, height > 0 else {
            throw .conversionFailed(path: path, pixelFormat: formatName)
        }
        applyColourDescription(of: frame, format: format, context: context)
        // Rows padded to 64 bytes, so libswscale's SIMD paths may write whole vectors.
        let stride = (width * 3 + 63) / 64 * 64
        let source = scratchBuffer(bytes: stride * height)
        var destinations: [UnsafeMutablePointer<UInt8>?] = [
            source.assumingMemoryBound(to: UInt8.self), nil, nil, nil,
        ]
        var destinationStrides: [Int32] = [Int32(stride), 0, 0, 0]
        let rows = withUnsafeBytes(of: frame.pointee.data) { planes in
            withUnsafeBytes(of: frame.pointee.linesize) { strides in
                sws_scale(
                    context, planes.bindMemory(to: UnsafePointer<UInt8>?.self).baseAddress,
                    strides.bindMemory(to: Int32.self).baseAddress, 0, Int32(height),
                    &destinations, &destinationStrides)
            }
        }
        guard rows == Int32(height) else {
            throw .conversionFailed(path: path, pixelFormat: formatName)
        }
        let pixels = UnsafeRawPointer(source).assumingMemoryBound(to: UInt8.self)
        let turned = rotationDegrees % 180 != 0
        let outputWidth = turned ? height : width
        let outputHeight = turned ? width : height
        let rgb = [UInt8](unsafeUninitializedCapacity: width * height * 3) { output, count in
            Self.copy(
                pixels, width: width, height: height, stride: stride, into: output,
                rotationDegrees: rotationDegrees)
            count = width * height * 3
        }
        return VideoFrame(
            width: outputWidth, height: outputHeight, rgb: rgb,
            presentationSeconds: presentationSeconds)
    }

    /// Tells the scaler the frame's colour matrix and range when the frame declares either
    /// (as the scale filter of the `ffmpeg` command line does); RGB sources need no matrix.
    private func applyColourDescription(
        of frame: UnsafePointer<AVFrame>, format: AVPixelFormat, context: OpaquePointer
    ) {
        let space = Int32(frame.pointee.colorspace.rawValue)
        let range = Int32(frame.pointee.color_range.rawValue)
        if let colourKey, colourKey.space == space, colourKey.range == range { return }
        colourKey = (space, range)
        guard let descriptor = av_pix_fmt_desc_get(format),
            descriptor.pointee.flags & UInt64(AV_PIX_FMT_FLAG_RGB) == 0,
            space != Int32(AVCOL_SPC_UNSPECIFIED.rawValue)
                || range != Int32(AVCOL_RANGE_UNSPECIFIED.rawValue)
        else { return }
        let fullRange: Int32 = range == Int32(AVCOL_RANGE_JPEG.rawValue) ? 1 : 0
        sws_setColorspaceDetails(
            context, sws_getCoefficients(space), fullRange, sws_getCoefficients(SWS_CS_DEFAULT),
            1, 0, 1 << 16, 1 << 16)
    }

    private func scratchBuffer(bytes: Int) -> UnsafeMutableRawPointer {
        if let buffer, bufferBytes >= bytes { return buffer }
        buffer?.deallocate()
        let fresh = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
        buffer = fresh
        bufferBytes = bytes
        return fresh
    }

    /// Copies `height` rows of `width` RGB pixels (`stride` bytes apart) into packed `output`,
    /// rotated clockwise: output pixel (x, y) of a 90° turn is source pixel (y, height − 1 − x);
    /// of 180°, (width − 1 − x, height − 1 − y); of 270°, (width − 1 − y, x).
    static func copy(
        _ source: UnsafePointer<UInt8>, width: Int, height: Int, stride: Int,
        into output: UnsafeMutableBufferPointer<UInt8>, rotationDegrees: Int
    ) {
        precondition(output.count >= width * height * 3, "RGBConverter.copy: output too small")
        guard let target = output.baseAddress else { return }
        switch rotationDegrees {
        case 0:
            for row in 0..<height {
                (target + row * width * 3).update(from: source + row * stride, count: width * 3)
            }
        case 90, 180, 270:
            let outputWidth = rotationDegrees == 180 ? width : height
            for row in 0..<height {
                let sourceRow = source + row * stride
                for column in 0..<width {
                    let (x, y): (Int, Int)
                    switch rotationDegrees {
                    case 90: (x, y) = (height - 1 - row, column)
                    case 180: (x, y) = (width - 1 - column, height - 1 - row)
                    default: (x, y) = (row, width - 1 - column)
                    }
                    let from = sourceRow + column * 3
                    let to = target + (y * outputWidth + x) * 3
                    to[0] = from[0]
                    to[1] = from[1]
                    to[2] = from[2]
                }
            }
        default:
            preconditionFailure("RGBConverter.copy: rotation \(rotationDegrees)° not supported")
        }
    }
}
