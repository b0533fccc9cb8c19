/// An 8-bit RGB image: `height` rows of `width` pixels, each pixel three bytes R, G, B (the
/// layout of FFmpeg's `rgb24` and of a NumPy `uint8` array `[height, width, 3]`), rows packed
/// with no padding.
public struct RGBImage: Equatable, Sendable {
    /// Pixels per row.
    public let width: Int
    /// Rows.
    public let height: Int
    /// `height · width · 3` bytes, row-major, channels last.
    public let bytes: [UInt8]

    /// An image of the given size holding `bytes` (exactly `width · height · 3` of them).
    public init(width: Int, height: Int, bytes: [UInt8]) {
        precondition(
            width > 0 && height > 0 && bytes.count == width * height * 3,
            "RGBImage: \(bytes.count) bytes for \(width)×\(height) pixels (need width·height·3)")
        self.width = width
        self.height = height
        self.bytes = bytes
    }

    /// The channel `channel` (0 red, 1 green, 2 blue) of the pixel at column `x`, row `y`.
    public subscript(x x: Int, y y: Int, channel channel: Int) -> UInt8 {
        precondition(
            x >= 0 && x < width && y >= 0 && y < height && channel >= 0 && channel < 3,
            "RGBImage: pixel (\(x), \(y)) channel \(channel) outside \(width)×\(height)×3")
        return bytes[(y * width + x) * 3 + channel]
    }

    /// This image resized to `width`×`height` as Pillow's
    /// `Image.resize((width, height), Image.BICUBIC)` does it for an RGB image, byte for byte:
    /// see `PillowBicubicResampler`.
    public func resized(width: Int, height: Int) -> RGBImage {
        PillowBicubicResampler.resized(
            self, width: width, height: height, columns: 0..<width, rows: 0..<height)
    }
}
