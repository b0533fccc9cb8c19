import Testing

@testable import VideoDecoding

@Suite struct RGBConverterTests {
    /// A 3×2 picture whose pixel values are their own labels (value = 10·(row + 1) + column),
    /// turned clockwise by hand. Source rows are 4 pixels apart (padding).
    @Test(arguments: [
        (0, [[10, 11, 12], [20, 21, 22]]),
        (90, [[20, 10], [21, 11], [22, 12]]),
        (180, [[22, 21, 20], [12, 11, 10]]),
        (270, [[12, 22], [11, 21], [10, 20]]),
    ])
    func rotationTurnsClockwise(degrees: Int, expectedRows: [[Int]]) {
        let width = 3
        let height = 2
        let stride = 4 * 3
        var source = [UInt8](repeating: 0, count: stride * height)
        for row in 0..<height {
            for column in 0..<width {
                let label = UInt8(10 * (row + 1) + column)
                for channel in 0..<3 { source[row * stride + column * 3 + channel] = label }
            }
        }
        var output = [UInt8](repeating: 0, count: width * height * 3)
        source.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { buffer in
                RGBConverter.copy(
                    input.baseAddress!, width: width, height: height, stride: stride,
                    into: buffer, rotationDegrees: degrees)
            }
        }
        let outputWidth = expectedRows[0].count
        let labels = (0..<output.count / 3).map { Int(output[$0 * 3]) }
        let rows = (0..<expectedRows.count).map {
            Array(labels[$0 * outputWidth..<($0 + 1) * outputWidth])
        }
        #expect(rows == expectedRows)
        #expect((0..<output.count / 3).allSatisfy { output[$0 * 3] == output[$0 * 3 + 2] })
    }
}
