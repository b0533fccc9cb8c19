import Testing

@testable import VideoDecoding

@Suite struct VideoPropertiesTests {
    /// FFmpeg's display-matrix angle is counter-clockwise; a picture is shown turned clockwise by
    /// its negation, snapped to a quarter turn.
    @Test func clockwiseRotationFromTheDisplayMatrixAngle() {
        let cases: [(Double, Int)] = [
            (0, 0), (90, 270), (-90, 90), (180, 180), (-180, 180), (44, 0), (46, 270),
            (-135.1, 180), (.nan, 0),
        ]
        for (angle, clockwise) in cases {
            #expect(VideoProperties.clockwiseRotation(counterClockwiseDegrees: angle) == clockwise)
        }
    }

    @Test func displaySizeSwapsOnQuarterTurns() {
        func properties(rotation: Int) -> VideoProperties {
            VideoProperties(
                path: "v.mp4", containerName: "mov", codecName: "h264", codedWidth: 320,
                codedHeight: 240, rotationDegrees: rotation, framesPerSecond: 25,
                declaredDurationSeconds: 20, declaredFrameCount: 500)
        }
        #expect(properties(rotation: 0).displayWidth == 320)
        #expect(properties(rotation: 90).displayWidth == 240)
        #expect(properties(rotation: 90).displayHeight == 320)
        #expect(properties(rotation: 180).displayHeight == 240)
        #expect(properties(rotation: 270).displayWidth == 240)
    }
}
