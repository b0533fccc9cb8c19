import Testing
import VideoDecoding

@Suite struct VideoFrameTests {
    @Test func pixelsAreRowMajorRGB() {
        // 3×2: row 0 = red, green, blue; row 1 = black, white, grey.
        let rgb: [UInt8] = [255, 0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 128, 128, 128]
        let frame = VideoFrame(width: 3, height: 2, rgb: rgb, presentationSeconds: 1.5)
        #expect(frame.pixel(x: 1, y: 0) == (0, 255, 0))
        #expect(frame.pixel(x: 2, y: 0) == (0, 0, 255))
        #expect(frame.pixel(x: 1, y: 1) == (255, 255, 255))
        #expect(frame.pixel(x: 2, y: 1) == (128, 128, 128))
        #expect(frame.presentationSeconds == 1.5)
    }
}
