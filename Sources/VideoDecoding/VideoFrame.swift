/// One decoded picture as it is shown: 8-bit RGB, rotated upright, with its presentation time.
///
/// `rgb` holds `height` rows of `width` pixels, top row first, three bytes per pixel (red, green,
/// blue) and no padding: `rgb.count == width · height · 3`. Pixels are stored as the video codes
/// them (a non-square sample aspect ratio is not resampled).
public struct VideoFrame: Sendable, Equatable {
    /// Pixels per row, after rotation.
    public let width: Int
    /// Rows, after rotation.
    public let height: Int
    /// Packed RGB24 bytes, `[height, width, 3]`.
    public let rgb: [UInt8]
    /// When the frame is shown, in seconds from the start of the video stream.
    public let presentationSeconds: Double

    /// A frame from packed RGB24 bytes; `rgb.count` must be `width · height · 3`.
    public init(width: Int, height: Int, rgb: [UInt8], presentationSeconds: Double) {
        precondition(
            width > 0 && height > 0 && rgb.count == width * height * 3,
            "VideoFrame: \(rgb.count) bytes for \(width)×\(height) RGB24 pixels")
        self.width = width
        self.height = height
        self.rgb = rgb
        self.presentationSeconds = presentationSeconds
    }

    /// The red, green and blue values of the pixel in column `x` of row `y` (row 0 on top).
    public func pixel(x: Int, y: Int) -> (red: UInt8, green: UInt8, blue: UInt8) {
        precondition(
            (0..<width).contains(x) && (0..<height).contains(y),
            "VideoFrame.pixel: (\(x), \(y)) outside \(width)×\(height)")
        let offset = (y * width + x) * 3
        return (rgb[offset], rgb[offset + 1], rgb[offset + 2])
    }
}
