import Testing

@testable import VisionEncoding

@Suite struct PillowBicubicResamplerTests {
    /// 2²² in the fixed-point weights.
    static let one: Int32 = 1 << 22

    @Test("Keys' kernel with a = −0.5: 1 at 0, 0 at the integers, −1/16 at 1.5")
    func kernelValues() {
        // (a+2)x³ − (a+3)x² + 1 for |x| < 1; a(|x|³ − 5|x|² + 8|x| − 4) for 1 ≤ |x| < 2.
        #expect(PillowBicubicResampler.bicubic(0) == 1)
        #expect(PillowBicubicResampler.bicubic(1) == 0)
        #expect(PillowBicubicResampler.bicubic(-2) == 0)
        #expect(PillowBicubicResampler.bicubic(0.5) == 0.5625)  // 1.5/8 − 2.5/4 + 1
        #expect(PillowBicubicResampler.bicubic(1.5) == -0.0625)  // −0.5·(3.375 − 11.25 + 12 − 4)
    }

    @Test("same size: each output takes its own input with weight one")
    func identityCoefficients() {
        let taps = PillowBicubicResampler.coefficients(inputSize: 5, outputSize: 5, outputs: 0..<5)
        #expect(taps.stride == 5)
        // Output 2: centre 2.5, inputs ⌊2.5 − 2 + 0.5⌋ = 1 to ⌊5⌋ = 5, kernel at −1, 0, 1, 2.
        #expect(taps.firstInput[2] == 1 && taps.tapCount[2] == 4)
        #expect(Array(taps.weights[10..<15]) == [0, Self.one, 0, 0, 0])
    }

    @Test("halving: the kernel stretches to support 4 (antialiasing) and weights sum to one")
    func halvingCoefficients() {
        let taps = PillowBicubicResampler.coefficients(inputSize: 8, outputSize: 4, outputs: 0..<4)
        #expect(taps.stride == 9)  // 2·⌈4⌉ + 1
        // Output 1: centre 3, inputs ⌊−0.5⌋ → 0 to ⌊7.5⌋ = 7; input j at (j − 3 + 0.5)/2.
        #expect(taps.firstInput[1] == 0 && taps.tapCount[1] == 7)
        let weights = taps.weights[9..<16]
        #expect(abs(weights.reduce(0, +) - Self.one) <= 3)
        #expect(weights[weights.startIndex + 2] == weights[weights.startIndex + 3])  // ±0.25
        #expect(weights.first! < 0)  // the negative lobe at (0 − 2.5)/2 = −1.25
    }

    @Test("two pixels to one: the rounded mean (10 + 13)/2 → 12")
    func twoToOne() {
        // Both taps sit at ±0.25 of the stretched kernel, so each weighs exactly 1/2:
        // (10·2²¹ + 13·2²¹ + 2²¹) >> 22 = 12.
        let image = RGBImage(width: 2, height: 1, bytes: [10, 0, 255, 13, 1, 255])
        #expect(image.resized(width: 1, height: 1).bytes == [12, 1, 255])
    }

    @Test("a constant image stays constant, shrinking and enlarging")
    func constantImage() {
        let image = RGBImage(
            width: 37, height: 23, bytes: [UInt8](repeating: 200, count: 37 * 23 * 3))
        for (width, height) in [(11, 7), (80, 51), (37, 9), (5, 23)] {
            let resized = image.resized(width: width, height: height)
            #expect(resized.width == width && resized.height == height)
            #expect(resized.bytes.allSatisfy { $0 == 200 })
        }
    }

    @Test("a window equals the same window of the full resize")
    func windowsMatchFullResize() {
        let bytes = (0..<(61 * 40 * 3)).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ $0 / 7) }
        let image = RGBImage(width: 61, height: 40, bytes: bytes)
        for (width, height) in [(29, 19), (90, 70), (61, 25), (30, 40)] {
            let full = image.resized(width: width, height: height)
            let columns = (width / 4)..<(width - width / 5)
            let rows = (height / 3)..<(height - 1)
            let window = PillowBicubicResampler.resized(
                image, width: width, height: height, columns: columns, rows: rows)
            #expect(window.width == columns.count && window.height == rows.count)
            var expected: [UInt8] = []
            for row in rows {
                for column in columns {
                    for channel in 0..<3 {
                        expected.append(full[x: column, y: row, channel: channel])
                    }
                }
            }
            #expect(window.bytes == expected, "\(width)×\(height)")
        }
    }

    @Test("overshoot is clipped to 0 and 255")
    func overshootIsClipped() {
        // A sharp edge enlarged: the cubic's negative lobes undershoot 0 and overshoot 255.
        var bytes: [UInt8] = []
        for column in 0..<8 { bytes += [UInt8](repeating: column < 4 ? 0 : 255, count: 3) }
        let enlarged = RGBImage(width: 8, height: 1, bytes: bytes).resized(width: 32, height: 1)
        #expect(enlarged.bytes.contains(0) && enlarged.bytes.contains(255))
        #expect(enlarged[x: 0, y: 0, channel: 0] == 0 && enlarged[x: 31, y: 0, channel: 2] == 255)
    }
}
