import Dispatch
import Tensors

/// Hugging Face's `CLIPImageProcessor` (its Pillow backend, as transformers 4 and OpenAI's CLIP
/// run it) for one `preprocessor_config.json`: RGB24 frames in, `pixel_values` out.
///
/// The steps, each as transformers does it:
/// 1. Resize (`do_resize`): to `{"shortest_edge": s}`, the shorter side becomes s and the longer
///    ⌊s·long/short⌋; or to an exact size. Resampling is Pillow's bicubic with antialiasing,
///    byte for byte (`PillowBicubicResampler`), on the 8-bit image.
/// 2. Centre crop (`do_center_crop`) to crop_size: the window starts at ⌊(side − crop)/2⌋ on each
///    axis; where that lies outside the image (an image smaller than the crop), the pixels are
///    zeros.
/// 3. Rescale (`do_rescale`): level·factor in double precision, then rounded to float32.
/// 4. Normalise (`do_normalize`): (x − mean)/std per channel in float32, mean and std rounded to
///    float32 first.
/// The last two steps depend only on a pixel's level and channel, so they are one exact lookup
/// table of 3 × 256 values: the float32 results equal transformers' bit for bit.
///
/// Output: channels first, `[3, height, width]` per image (`[images, 3, height, width]` for a
/// batch), the layout of `pixel_values`.
public struct CLIPImagePreprocessor: Sendable {
    /// The settings.
    public let configuration: CLIPPreprocessorConfiguration
    /// Level → value per channel: `lookup[channel · 256 + level]`.
    let lookup: [Float]

    /// A preprocessor with these settings.
    public init(_ configuration: CLIPPreprocessorConfiguration = .init()) {
        self.configuration = configuration
        var lookup: [Float] = []
        for channel in 0..<3 {
            let mean = Float(configuration.mean[channel])
            let deviation = Float(configuration.standardDeviation[channel])
            for level in 0..<256 {
                var value =
                    configuration.rescales
                    ? Float(Double(level) * configuration.rescaleFactor) : Float(level)
                if configuration.normalizes { value = (value - mean) / deviation }
                lookup.append(value)
            }
        }
        self.lookup = lookup
    }

    /// The size of an image of `width`×`height` after the resize step (unchanged without it).
    public func resizedSize(width: Int, height: Int) -> (width: Int, height: Int) {
        guard configuration.resizes else { return (width, height) }
        switch configuration.resizeTarget {
        case .exact(let targetHeight, let targetWidth):
            return (targetWidth, targetHeight)
        case .shortestEdge(let side):
            // transformers: int(side * long / short), a truncated division of positive numbers.
            if width <= height { return (side, side * height / width) }
            return (side * width / height, side)
        }
    }

    /// The size of the output for an image of `width`×`height`.
    public func outputSize(width: Int, height: Int) -> (width: Int, height: Int) {
        if configuration.centerCrops { return (configuration.cropWidth, configuration.cropHeight) }
        return resizedSize(width: width, height: height)
    }

    /// The 8-bit image after the resize and crop steps (zeros where a crop pads), before
    /// rescaling and normalisation.
    public func resizedAndCropped(_ image: RGBImage) -> RGBImage {
        let resized = resizedSize(width: image.width, height: image.height)
        guard configuration.centerCrops else {
            return PillowBicubicResampler.resized(
                image, width: resized.width, height: resized.height, columns: 0..<resized.width,
                rows: 0..<resized.height)
        }
        let cropWidth = configuration.cropWidth
        let cropHeight = configuration.cropHeight
        // The crop's offset in the resized image: ⌊(side − crop)/2⌋, negative when padding.
        let left = Self.floorHalf(resized.width - cropWidth)
        let top = Self.floorHalf(resized.height - cropHeight)
        let columns = max(left, 0)..<min(left + cropWidth, resized.width)
        let rows = max(top, 0)..<min(top + cropHeight, resized.height)
        let kept = PillowBicubicResampler.resized(
            image, width: resized.width, height: resized.height, columns: columns, rows: rows)
        if kept.width == cropWidth && kept.height == cropHeight { return kept }
        var bytes = [UInt8](repeating: 0, count: cropWidth * cropHeight * 3)
        let rowBytes = kept.width * 3
        for row in 0..<kept.height {
            let croppedRow = row + rows.lowerBound - top
            let destination = (croppedRow * cropWidth + columns.lowerBound - left) * 3
            bytes[destination..<destination + rowBytes] =
                kept.bytes[row * rowBytes..<(row + 1) * rowBytes]
        }
        return RGBImage(width: cropWidth, height: cropHeight, bytes: bytes)
    }

    /// The `pixel_values` of one image: `[3, height, width]` values, channels first.
    public func pixelValues(_ image: RGBImage) -> [Float] {
        let size = outputSize(width: image.width, height: image.height)
        var values = [Float](repeating: 0, count: 3 * size.width * size.height)
        values.withUnsafeMutableBufferPointer { buffer in
            write(image, to: buffer.baseAddress!)
        }
        return values
    }

    /// The `pixel_values` of a batch, `[images, 3, height, width]`; the images may differ in size
    /// but must give the same output size (true whenever the configuration crops). Images are
    /// processed in parallel on `ComputeThreads.count` threads.
    public func callAsFunction(_ images: [RGBImage]) -> Tensor {
        precondition(!images.isEmpty, "CLIPImagePreprocessor: no images")
        let size = outputSize(width: images[0].width, height: images[0].height)
        for image in images {
            let other = outputSize(width: image.width, height: image.height)
            precondition(
                other == size,
                "CLIPImagePreprocessor: a \(image.width)×\(image.height) image gives \(other), not"
                    + " \(size); crop to batch images of different shapes")
        }
        let imageLength = 3 * size.width * size.height
        let result = Tensor.zeros([images.count, 3, size.height, size.width])
        result.withUnsafeMutableScalars { scalars in
            let destination = UnsafeSendablePointer(scalars.baseAddress!)
            let workers = min(ComputeThreads.count, images.count)
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                for index in stride(from: worker, to: images.count, by: workers) {
                    write(images[index], to: destination.pointer + index * imageLength)
                }
            }
        }
        return result
    }

    /// Writes the `pixel_values` of `image` (`[3, height, width]`) to `destination`.
    func write(_ image: RGBImage, to destination: UnsafeMutablePointer<Float>) {
        let cropped = resizedAndCropped(image)
        let plane = cropped.width * cropped.height
        lookup.withUnsafeBufferPointer { lookup in
            cropped.bytes.withUnsafeBufferPointer { bytes in
                for channel in 0..<3 {
                    let table = lookup.baseAddress! + channel * 256
                    let output = destination + channel * plane
                    for pixel in 0..<plane {
                        output[pixel] = table[Int(bytes[pixel * 3 + channel])]
                    }
                }
            }
        }
    }

    /// ⌊value / 2⌋ for any sign (Python's `//`).
    static func floorHalf(_ value: Int) -> Int { value >> 1 }
}

/// A raw pointer handed to worker threads that write disjoint parts of its memory.
struct UnsafeSendablePointer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Float>
    init(_ pointer: UnsafeMutablePointer<Float>) { self.pointer = pointer }
}
