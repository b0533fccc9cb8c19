import Testing

@testable import VisionEncoding

@Suite struct RGBImageTests {
    @Test("pixels are rows of R, G, B bytes")
    func layout() {
        let image = RGBImage(width: 2, height: 2, bytes: Array(0..<12))
        #expect(image[x: 0, y: 0, channel: 0] == 0)
        #expect(image[x: 1, y: 0, channel: 2] == 5)
        #expect(image[x: 0, y: 1, channel: 1] == 7)
        #expect(image[x: 1, y: 1, channel: 2] == 11)
    }

    @Test("resizing to the same size returns the image unchanged")
    func sameSize() {
        let image = RGBImage(width: 3, height: 2, bytes: (0..<18).map { UInt8($0 * 13) })
        #expect(image.resized(width: 3, height: 2) == image)
    }

    @Test("only the axis that changes is resampled")
    func singleAxis() {
        // Columns of constant colour: a vertical resize keeps every column's colour.
        var bytes: [UInt8] = []
        for _ in 0..<5 { bytes += [10, 20, 30, 200, 100, 0] }
        let image = RGBImage(width: 2, height: 5, bytes: bytes)
        let taller = image.resized(width: 2, height: 12)
        #expect(taller.height == 12 && taller.width == 2)
        for row in 0..<12 {
            #expect(
                taller[x: 0, y: row, channel: 1] == 20 && taller[x: 1, y: row, channel: 0] == 200)
        }
    }
}
