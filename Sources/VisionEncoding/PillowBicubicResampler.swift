/// Pillow's resampling of 8-bit RGB images with its bicubic filter (`Image.resize(size,
/// Image.BICUBIC)`, `ImagingResample` in libImaging's Resample.c), reproduced to the byte.
///
/// The algorithm, as Pillow runs it:
/// - Separable, two passes: horizontal first (into an 8-bit intermediate image), then vertical.
///   A pass whose size does not change is skipped.
/// - Output sample i of a pass over n input samples to m outputs has its centre at
///   c = (i + 0.5)·s with s = n / m. The filter is Keys' cubic convolution with a = −0.5, support
///   2; when shrinking (s > 1) it is stretched by s (support 2·s, argument divided by s): this is
///   the antialiasing that makes a 1280-pixel row shrink to 224 without aliasing. The taps are
///   the inputs j in [⌊c − support + 0.5⌋, ⌊c + support + 0.5⌋) clipped to the image, weighted
///   by filter((j − c + 0.5)/max(s, 1)) and normalised to sum 1.
/// - Weights become fixed point with 22 fractional bits (rounded half away from zero); each
///   output is Σ byte·weight + 2²¹ in 32-bit integers, shifted right by 22 (an arithmetic shift)
///   and clipped to [0, 255]. Rounding and clipping therefore happen after each pass, as in
///   Pillow.
///
/// Any window of the output can be computed alone (each output pixel depends only on its own
/// taps), so a resize followed by a centre crop computes only the pixels the crop keeps.
enum PillowBicubicResampler {
    /// Fractional bits of the fixed-point weights: 32 − 8 − 2 (8 for the result, 2 for the
    /// filter's negative lobes and overshoot).
    static let precisionBits = 22

    /// The taps of a range of output samples of one pass.
    struct Coefficients {
        /// The first input sample of each output.
        var firstInput: [Int] = []
        /// The number of taps of each output.
        var tapCount: [Int] = []
        /// The stride between the weights of consecutive outputs: 2·⌈support⌉ + 1.
        var stride = 0
        /// Fixed-point weights, `stride` per output (unused taps zero).
        var weights: [Int32] = []

        /// The input samples that any of these outputs reads.
        var inputRange: Range<Int> {
            var lower = Int.max
            var upper = Int.min
            for (first, count) in zip(firstInput, tapCount) {
                lower = min(lower, first)
                upper = max(upper, first + count)
            }
            return lower < upper ? lower..<upper : 0..<0
        }
    }

    /// Keys' cubic convolution kernel with a = −0.5, in Pillow's form (support 2).
    static func bicubic(_ argument: Double) -> Double {
        let a = -0.5
        let x = abs(argument)
        if x < 1 { return ((a + 2) * x - (a + 3)) * x * x + 1 }
        if x < 2 { return (((x - 5) * x + 8) * x - 4) * a }
        return 0
    }

    /// The taps of outputs `outputs` of a pass from `inputSize` to `outputSize` samples, computed
    /// in double precision in the order Pillow's `precompute_coeffs` uses, then made fixed point
    /// as its `normalize_coeffs_8bpc`.
    static func coefficients(inputSize: Int, outputSize: Int, outputs: Range<Int>)
        -> Coefficients
    {
        let scale = Double(inputSize) / Double(outputSize)
        let filterScale = max(scale, 1)
        let support = 2 * filterScale
        let inverseFilterScale = 1 / filterScale
        let unit = Double(1 << precisionBits)
        var result = Coefficients()
        result.stride = Int(support.rounded(.up)) * 2 + 1
        result.weights = [Int32](repeating: 0, count: outputs.count * result.stride)
        var taps = [Double](repeating: 0, count: result.stride)
        for (index, output) in outputs.enumerated() {
            let center = (Double(output) + 0.5) * scale
            // Int(_:) truncates toward zero, as C's (int) cast does.
            let first = max(Int(center - support + 0.5), 0)
            let count = min(Int(center + support + 0.5), inputSize) - first
            var total = 0.0
            for tap in 0..<count {
                taps[tap] = bicubic((Double(tap + first) - center + 0.5) * inverseFilterScale)
                total += taps[tap]
            }
            for tap in 0..<count {
                let weight = total != 0 ? taps[tap] / total : taps[tap]
                result.weights[index * result.stride + tap] = Int32(
                    weight < 0 ? -0.5 + weight * unit : 0.5 + weight * unit)
            }
            result.firstInput.append(first)
            result.tapCount.append(count)
        }
        return result
    }

    /// The window `columns` × `rows` of `image` resized to `width`×`height`: an image of
    /// `columns.count`×`rows.count` pixels, equal to that window of Pillow's full result.
    static func resized(
        _ image: RGBImage, width: Int, height: Int, columns: Range<Int>, rows: Range<Int>
    ) -> RGBImage {
        precondition(
            width > 0 && height > 0 && !columns.isEmpty && !rows.isEmpty
                && columns.lowerBound >= 0 && columns.upperBound <= width
                && rows.lowerBound >= 0 && rows.upperBound <= height,
            "PillowBicubicResampler: window \(columns) × \(rows) outside \(width)×\(height)")
        let vertical =
            height == image.height
            ? nil : coefficients(inputSize: image.height, outputSize: height, outputs: rows)
        let sourceRows = vertical?.inputRange ?? rows
        let horizontal: [UInt8]
        if width == image.width {
            horizontal = window(of: image, columns: columns, rows: sourceRows)
        } else {
            horizontal = horizontalPass(
                image, rows: sourceRows,
                coefficients: coefficients(
                    inputSize: image.width, outputSize: width, outputs: columns))
        }
        guard let vertical else {
            return RGBImage(width: columns.count, height: rows.count, bytes: horizontal)
        }
        return RGBImage(
            width: columns.count, height: rows.count,
            bytes: verticalPass(
                horizontal, rowLength: columns.count * 3, firstRow: sourceRows.lowerBound,
                coefficients: vertical))
    }

    /// The bytes of a window of `image`, unchanged (a pass that keeps the size).
    static func window(of image: RGBImage, columns: Range<Int>, rows: Range<Int>) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(columns.count * rows.count * 3)
        for row in rows {
            let start = (row * image.width + columns.lowerBound) * 3
            bytes += image.bytes[start..<start + columns.count * 3]
        }
        return bytes
    }

    /// The horizontal pass over the source rows `rows`: `rows.count` rows of
    /// `coefficients.tapCount.count` pixels.
    static func horizontalPass(_ image: RGBImage, rows: Range<Int>, coefficients: Coefficients)
        -> [UInt8]
    {
        let outputWidth = coefficients.tapCount.count
        let half = Int32(1 << (precisionBits - 1))
        var result = [UInt8](repeating: 0, count: rows.count * outputWidth * 3)
        image.bytes.withUnsafeBufferPointer { source in
            coefficients.weights.withUnsafeBufferPointer { weights in
                result.withUnsafeMutableBufferPointer { output in
                    for (rowIndex, row) in rows.enumerated() {
                        let sourceRow = source.baseAddress! + row * image.width * 3
                        let outputRow = output.baseAddress! + rowIndex * outputWidth * 3
                        for column in 0..<outputWidth {
                            let pixels = sourceRow + coefficients.firstInput[column] * 3
                            let taps = weights.baseAddress! + column * coefficients.stride
                            var sum = SIMD4<Int32>(repeating: half)
                            for tap in 0..<coefficients.tapCount[column] {
                                let pixel = pixels + tap * 3
                                sum &+=
                                    SIMD4<Int32>(
                                        Int32(pixel[0]), Int32(pixel[1]), Int32(pixel[2]), 0)
                                    &* taps[tap]
                            }
                            let clipped = clip(sum)
                            outputRow[column * 3] = clipped.0
                            outputRow[column * 3 + 1] = clipped.1
                            outputRow[column * 3 + 2] = clipped.2
                        }
                    }
                }
            }
        }
        return result
    }

    /// The vertical pass over an intermediate image whose first row is source row `firstRow`:
    /// `coefficients.tapCount.count` rows of `rowLength` bytes.
    static func verticalPass(
        _ intermediate: [UInt8], rowLength: Int, firstRow: Int, coefficients: Coefficients
    ) -> [UInt8] {
        let outputHeight = coefficients.tapCount.count
        let half = Int32(1 << (precisionBits - 1))
        var result = [UInt8](repeating: 0, count: outputHeight * rowLength)
        var sums = [Int32](repeating: 0, count: rowLength)
        intermediate.withUnsafeBufferPointer { source in
            result.withUnsafeMutableBufferPointer { output in
                sums.withUnsafeMutableBufferPointer { sums in
                    for row in 0..<outputHeight {
                        for index in 0..<rowLength { sums[index] = half }
                        let first = coefficients.firstInput[row] - firstRow
                        for tap in 0..<coefficients.tapCount[row] {
                            let weight = coefficients.weights[row * coefficients.stride + tap]
                            let sourceRow = source.baseAddress! + (first + tap) * rowLength
                            for index in 0..<rowLength {
                                sums[index] &+= Int32(sourceRow[index]) &* weight
                            }
                        }
                        let outputRow = output.baseAddress! + row * rowLength
                        for index in 0..<rowLength {
                            outputRow[index] = UInt8(clamping: sums[index] >> precisionBits)
                        }
                    }
                }
            }
        }
        return result
    }

    /// Pillow's `clip8` of the first three lanes: shift out the fraction, clamp to a byte.
    @inline(__always)
    static func clip(_ sum: SIMD4<Int32>) -> (UInt8, UInt8, UInt8) {
        let shifted = sum &>> Int32(precisionBits)
        return (
            UInt8(clamping: shifted[0]), UInt8(clamping: shifted[1]), UInt8(clamping: shifted[2])
        )
    }
}
